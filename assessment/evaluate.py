"""`python -m assessment evaluate`: the network and the classical baselines, same data, one table.

Baselines: variance of the Laplacian for clarity and spectral-residual saliency (Hou & Zhang,
CVPR 2007) for the mask, both from `classical.py`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from assessment.classical import laplacian_clarity, spectral_residual_saliency
from assessment.degrade import KINDS
from assessment.validation import ValidationData, validate


def classical_arrays(images: Sequence[np.ndarray]) -> tuple[list[float], list[np.ndarray]]:
    """The classical baselines behind the same interface as `NetworkPredictor.predict_arrays`."""
    return [laplacian_clarity(i) for i in images], [spectral_residual_saliency(i) for i in images]


def evaluate_all(
    assessors: dict[str, object],
    data: ValidationData,
    *,
    progress: bool = True,
    masks_only: Sequence[str] = (),
) -> dict[str, dict[str, float]]:
    """Metrics per assessor name; each value is a `predict_arrays`-style callable. Assessors named
    in `masks_only` differ from another only in their masks and skip the clarity cases."""
    return {
        name: validate(predict, data, progress=progress, clarity=name not in masks_only)
        for name, predict in assessors.items()
    }


def metric_rows(mask_sets: Sequence[str]) -> list[tuple[str, str]]:
    """(metric key, label) rows of the table, in reading order."""
    rows = [
        (f"clarity/{m}/{k}", f"clarity {m.upper()} {k}") for k in KINDS for m in ("srocc", "plcc")
    ]
    for summary, label in (("mean", "mean of kinds"), ("pooled", "pooled")):
        rows += [(f"clarity/{m}/{summary}", f"clarity {m.upper()} {label}") for m in ("srocc", "plcc")]
        rows += [
            (f"clarity/srocc/{summary}/{end}95", f"clarity SROCC {label}, 95 % interval {end}")
            for end in ("low", "high")
        ]
    names = {"maxF": "max F (β²=0.3)", "mae": "MAE", "smeasure": "S-measure", "iou": "IoU@0.5"}
    for s in mask_sets:
        rows += [(f"{s}/{k}", f"{s}/val {label}") for k, label in names.items()]
        rows += [
            (f"{s}/{k}/{end}95", f"{s}/val {names[k]}, 95 % interval {end}")
            for k in ("maxF", "mae")
            for end in ("low", "high")
        ]
    rows.append(("images_per_s", "images/s (whole evaluation)"))
    return rows


def format_table(results: dict[str, dict[str, float]], mask_sets: Sequence[str]) -> str:
    """A Markdown table: one row per metric, one column per assessor."""
    names = list(results)
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for key, label in metric_rows(mask_sets):
        cells = [_cell(results[n].get(key)) for n in names]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"
