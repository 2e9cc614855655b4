"""Self-training: a trained network's confident masks on training photos that have no saliency mask.

`python -m assessment pseudo-label` runs a checkpoint over the training photos without a salient-
object mask (`photos/`, and `objects/`, whose COCO instance masks are not saliency labels), keeps
the masks the network is sure of, and writes them as {0, 255} PNGs named by the photo's stem, with a
manifest of every photo's scores. `train --pseudo DIR` then teaches segmentation with them too, at
half weight (`data.MASK_WEIGHTS["pseudo"]`). Validation never sees them.

A mask is kept when its mean confidence `mean |2p − 1|` is at least `min_confidence` (the committed
network's maps on cluttered scenes are grey and diffuse, those of a clear subject are near 0/1) and
its foreground covers a plausible share of the photo (`area`). With `served` (`pseudo-label
--served`) the network's own map still decides which photos are kept, and the mask written is the
served map's (GrabCut-completed and sharpened, as the product serves it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm import tqdm

from assessment.imageio import load_rgb
from assessment.sources import Source

MIN_CONFIDENCE = 0.85
AREA = (0.02, 0.7)
MANIFEST = "pseudo-labels.json"

ForegroundFn = Callable[[Sequence[np.ndarray]], tuple[list[float], list[np.ndarray]]]


def confidence(probability: np.ndarray) -> float:
    """Mean certainty of a [0, 1] map: 1 when every pixel is 0 or 1, 0 when all are 0.5."""
    return float(np.mean(np.abs(2.0 * probability - 1.0)))


def accept(
    probability: np.ndarray,
    *,
    min_confidence: float = MIN_CONFIDENCE,
    area: tuple[float, float] = AREA,
) -> bool:
    """Whether a map is sure enough, with a foreground share inside `area`, to teach as a mask."""
    share = float(np.mean(probability >= 0.5))
    return confidence(probability) >= min_confidence and area[0] < share < area[1]


def write_pseudo_labels(
    sources: Sequence[Source],
    out: Path,
    *,
    foreground: ForegroundFn,
    checkpoint: str,
    served: ForegroundFn | None = None,
    min_confidence: float = MIN_CONFIDENCE,
    area: tuple[float, float] = AREA,
) -> dict[str, dict]:
    """Write `out/<stem>.png` for every accepted map and `out/pseudo-labels.json` (checkpoint,
    thresholds and per-photo confidence, foreground share and verdict). Returns the per-photo
    entries. `served`, when given, makes the mask written for a kept photo (its map >= 0.5); the
    verdict stays `foreground`'s. Photo stems must be unique, since training pairs masks with photos
    by stem."""
    stems = [s.image.stem for s in sources]
    if len(set(stems)) != len(stems):
        raise ValueError("photo file stems must be unique to pair pseudo-labels with photos")
    out.mkdir(parents=True, exist_ok=True)
    entries = {}
    for source in tqdm(sources, desc="pseudo-labels", unit="photo"):
        image = np.asarray(load_rgb(source.image))
        _, (probability,) = foreground([image])
        kept = accept(probability, min_confidence=min_confidence, area=area)
        target = out / f"{source.image.stem}.png"
        if kept:
            mask = probability if served is None else served([image])[1][0]
            Image.fromarray(np.where(mask >= 0.5, 255, 0).astype(np.uint8)).save(target)
        else:
            target.unlink(missing_ok=True)  # a mask left by an earlier run must not teach
        entries[source.image.stem] = {
            "image": str(source.image),
            "confidence": round(confidence(probability), 4),
            "foreground": round(float(np.mean(probability >= 0.5)), 4),
            "kept": kept,
        }
    summary = {
        "checkpoint": checkpoint,
        "served": served is not None,
        "min_confidence": min_confidence,
        "area": list(area),
        "kept": sum(e["kept"] for e in entries.values()),
        "photos": entries,
    }
    (out / MANIFEST).write_text(json.dumps(summary, indent=1))
    return entries
