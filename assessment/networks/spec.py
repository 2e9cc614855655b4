"""What a network expects and produces, kept with the model and with every checkpoint."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@dataclass(frozen=True)
class ModelSpec:
    """Preprocessing and heads of a variant.

    `input_long_side`: images are resized (aspect kept) so their long side is this many pixels.
    `stride`: inputs are padded to a multiple of it (the backbone's output stride).
    `heads`: keys of the tensors `forward` returns besides the inputs' padding bookkeeping.
    """

    variant: str
    heads: tuple[str, ...]
    input_long_side: int = 384
    stride: int = 16
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD
    options: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ModelSpec:
        values = dict(data)
        for key in ("heads", "mean", "std"):
            values[key] = tuple(values[key])  # JSON gives lists
        return cls(**values)
