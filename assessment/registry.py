"""Model variants by name: each is a small keyword-only builder registered with `@register_model`.

`create_model("cover-small")` builds one; an unknown name raises a `KeyError` that lists the valid
ones, and an unknown option a `TypeError` naming the builder's options. The model's preprocessing
travels with it as `model.spec` (see `networks.spec.ModelSpec`) and with its checkpoint.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from torch import nn

Builder = Callable[..., nn.Module]
_REGISTRY: dict[str, Builder] = {}


def register_model(name: str) -> Callable[[Builder], Builder]:
    """Decorator registering `builder` under `name` (names are unique)."""

    def decorate(builder: Builder) -> Builder:
        if name in _REGISTRY:
            raise ValueError(f"model variant {name!r} is registered twice")
        _REGISTRY[name] = builder
        return builder

    return decorate


def create_model(name: str, **overrides: object) -> nn.Module:
    """Build the variant `name`, with keyword `overrides` of its builder's defaults."""
    _load_variants()
    if name not in _REGISTRY:
        raise KeyError(f"unknown model variant {name!r}; choose one of: {', '.join(list_models())}")
    builder = _REGISTRY[name]
    accepted = set(inspect.signature(builder).parameters)
    unknown = set(overrides) - accepted
    if unknown:
        raise TypeError(
            f"variant {name!r} has no option(s) {sorted(unknown)}; its options are {sorted(accepted)}"
        )
    return builder(**overrides)


def list_models() -> list[str]:
    """Names of every registered variant, sorted."""
    _load_variants()
    return sorted(_REGISTRY)


def _load_variants() -> None:
    # Importing the package registers its builders; done lazily so the registry has no import cycle.
    from assessment.networks import variants  # noqa: F401
