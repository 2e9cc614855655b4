"""Checkpoint files: the weights, the variant's `ModelSpec`, and metadata (metrics, data manifest,
command, date). Loading needs no pickled code (`weights_only=True`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

from assessment.networks.spec import ModelSpec
from assessment.registry import create_model

FORMAT = "coverapp-checkpoint/1"
DEFAULT_CHECKPOINT = Path(__file__).resolve().parent / "checkpoints" / "cover-small.pt"


def save_checkpoint(
    path: str | Path,
    model: nn.Module,
    *,
    metadata: dict[str, Any],
    half: bool = False,
    training_state: dict[str, Any] | None = None,
) -> Path:
    """Write `model` (weights, spec) with `metadata`; `half` stores float weights as float16 (for the
    small committed file); `training_state` (optimizer etc.) makes the file resumable."""
    state = {
        key: value.half() if half and value.is_floating_point() else value
        for key, value in model.state_dict().items()
    }
    payload = {
        "format": FORMAT,
        "spec": model.spec.as_dict(),
        "metadata": metadata,
        "state_dict": state,
    }
    if training_state is not None:
        payload["training_state"] = training_state
    return _write(payload, path)


def _write(payload: dict[str, Any], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    torch.save(payload, temporary)
    temporary.replace(path)  # atomic: a run cut off mid-save leaves the previous file intact
    return path


def read_checkpoint(path: str | Path) -> dict[str, Any]:
    """The raw checkpoint dict; raises ValueError naming the problem for a file that is not one."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint {path} does not exist: pass --checkpoint PATH")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many kinds for a damaged file
        raise ValueError(f"{path} is not a readable checkpoint: {error}") from error
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError(f"{path} is not a CoverApp checkpoint (expected format {FORMAT})")
    return payload


def load_model(
    path: str | Path, options: dict[str, Any] | None = None
) -> tuple[nn.Module, dict[str, Any]]:
    """Build the checkpoint's variant (with `options` over its own), load its weights (as
    float32) and return it in eval mode with the checkpoint's metadata."""
    payload = read_checkpoint(path)
    spec = ModelSpec.from_dict(payload["spec"])
    model = create_model(spec.variant, **{**spec.options, **(options or {})})
    state = {k: v.float() if v.is_floating_point() else v for k, v in payload["state_dict"].items()}
    model.load_state_dict(state)
    return model.eval(), payload["metadata"]


def update_metadata(source: str | Path, out: str | Path, updates: dict[str, Any]) -> Path:
    """Write `source` to `out` (which may be the same file) with `updates` merged into its
    metadata; weights, their precision and any training state stay as they are."""
    payload = read_checkpoint(source)
    payload["metadata"] = {**payload["metadata"], **updates}
    return _write(payload, out)


def export_checkpoint(
    source: str | Path,
    out: str | Path,
    *,
    metrics: dict[str, Any] | None,
    version: str,
    options: dict[str, Any] | None = None,
) -> Path:
    """Re-save a run's checkpoint for serving: float16 weights, no training state, the full
    evaluation `metrics`, a `version`, and the `lineage` of runs it was initialised from. A source
    that is itself an export (re-exported after `calibrate`, say) keeps the lineage it has: the
    files it names may be long gone. `options` change how its variant is built from the same
    weights (`clarity_subject`, say)."""
    payload = read_checkpoint(source)
    metadata = dict(payload["metadata"], version=version)
    if metrics is not None:
        metadata["evaluation"] = metrics
    if "lineage" not in metadata:
        metadata["lineage"] = _lineage(metadata.get("config", {}).get("init"))
    model, _ = load_model(source, options)
    return save_checkpoint(out, model, metadata=metadata, half=True)


def _lineage(parent: str | None) -> list[dict[str, Any]]:
    """The training commands behind a run initialised from `parent`, newest first. An exported
    ancestor (a served checkpoint, often re-exported over its own path) already holds the rest."""
    lineage: list[dict[str, Any]] = []
    while parent and Path(parent).is_file():
        ancestor = read_checkpoint(parent)["metadata"]
        lineage.append({"command": ancestor["config"]["command"], "epoch": ancestor.get("epoch")})
        if "lineage" in ancestor:
            return lineage + ancestor["lineage"]
        parent = ancestor["config"].get("init")
    return lineage
