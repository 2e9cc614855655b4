"""Sharpening the served foreground map: a checkpoint's fitted `sharpness`.

The served map (the network's, mirror-averaged and completed by GrabCut) is greyer than the human
masks: a pixel on the right side of 0.5 but far from 0 or 1 still costs the mean absolute error
what it lacks. Sharpening with a temperature, p ↦ σ(k · logit p) = pᵏ / (pᵏ + (1 − p)ᵏ), moves
each pixel away from 0.5 without moving any across it, so every decision at 0.5 (IoU, the
object's share and components, the faces it keeps) and the order of the pixels stay as they were;
only how sure the map says it is changes, and with it the mass the crops weigh, less of it in
the grey around the subject. The order survives only as far as 8 bits resolve it:
sharpened too far, the surest pixels all become 255 and the max F-measure, which pysodmetrics
takes over 8-bit thresholds, falls.

k is fitted per checkpoint, on the training photos' human masks, never on val
(`python -m assessment calibrate`): the value of `SHARPNESS_GRID` with the least MAE of the served
maps among those that keep their max F-measure. It is stored in the checkpoint's metadata
(`sharpness`); a checkpoint without one serves its maps as they are (k = 1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assessment.metrics import mask_report

#: The sharpness values `fit_sharpness` chooses among; 1 leaves the map as it is.
SHARPNESS_GRID = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 6.0)
#: How much max F a sharpness may cost. Past some sharpness the map's 8-bit levels near 0 and 1
#: merge, which loses the order of the surest pixels and with it max F; pysodmetrics' MAE, which
#: stretches each map to [0, 1] first, keeps falling. Half a thousandth is below what we report.
MAX_F_TOLERANCE = 0.0005


def sharpened(probability: np.ndarray, sharpness: float) -> np.ndarray:
    """σ(sharpness · logit p) of each pixel of the float map `probability` in [0, 1], as float32:
    the same side of 0.5, the same order, nearer 0 or 1 for `sharpness` > 1."""
    if sharpness <= 0:
        raise ValueError(f"sharpness must be positive, got {sharpness}")
    probability = np.asarray(probability, np.float32)
    if sharpness == 1.0:
        return probability
    subject = np.power(probability, sharpness)
    background = np.power(1.0 - probability, sharpness)
    return (subject / np.maximum(subject + background, np.finfo(np.float32).tiny)).astype(
        np.float32
    )


def fit_sharpness(
    maps: Sequence[np.ndarray],
    truths: Sequence[np.ndarray],
    grid: Sequence[float] = SHARPNESS_GRID,
) -> tuple[float, dict[float, dict[str, float]]]:
    """The value of `grid` whose `sharpened` `maps` have the least MAE against the {0, 255}
    `truths` while keeping their max F-measure (within `MAX_F_TOLERANCE` of the unsharpened
    maps'), and the `mask_report` of every value; ties go to the gentler value."""
    if not maps:
        raise ValueError("fitting a sharpness needs at least one map with its human mask")
    reports = {float(k): mask_report([sharpened(m, k) for m in maps], truths) for k in grid}
    floor = mask_report(maps, truths)["maxF"] - MAX_F_TOLERANCE
    keeping = [k for k, report in reports.items() if report["maxF"] >= floor]
    if not keeping:  # a grid without 1 whose every value costs max F
        return 1.0, reports
    return min(keeping, key=lambda k: (reports[k]["mae"], k)), reports
