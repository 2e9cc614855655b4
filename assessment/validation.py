"""Deterministic validation: the same degraded val photos and human masks on every run, for the
network during training and for every assessor in `evaluate`."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from assessment.data import ClarityCase, Photo, clarity_cases, degraded_case, load_photos
from assessment.degrade import LEVELS
from assessment.metrics import (
    bootstrap_intervals,
    clarity_intervals,
    clarity_report,
    mask_scores,
)
from assessment.sources import discover, paired_sources

# Assessor under test: (H, W, 3) uint8 images → (clarity scores, (H, W) float32 foreground maps).
PredictArrays = Callable[[Sequence[np.ndarray]], tuple[list[float], list[np.ndarray]]]
MASK_SETS = ("sod", "fg")


@dataclass
class ValidationData:
    clarity_photos: list[Photo]
    cases: list[ClarityCase]
    mask_sets: dict[str, list[Photo]]


def load_validation(
    root: Path, *, photo_limit: int | None = None, levels: Sequence[int] = LEVELS
) -> ValidationData:
    """Val photos of every folder for clarity (the first `photo_limit` if given) and the `sod`/`fg`
    val pairs for masks (a user's layout gives one `user` mask set)."""
    sources = discover(root, "val")
    clarity_photos = load_photos(sources[:photo_limit], min_side=64)
    if any((root / name).is_dir() for name in MASK_SETS):
        mask_sets = {
            name: load_photos(
                paired_sources(root / name / "val" / "images", root / name / "val" / "masks"),
                min_side=0,
            )
            for name in MASK_SETS
        }
    else:
        mask_sets = {"user": load_photos([s for s in sources if s.mask is not None], min_side=0)}
    return ValidationData(
        clarity_photos, clarity_cases(len(clarity_photos), levels=levels), mask_sets
    )


def clarity_scores(
    predict: PredictArrays, data: ValidationData, *, batch: int = 32, progress: bool = False
) -> list[float]:
    """The clarity `predict` gives each of `data.cases`, in order, `batch` images at a time."""
    scores: list[float] = []
    for start in tqdm(
        range(0, len(data.cases), batch), desc="clarity val", disable=not progress, leave=False
    ):
        chunk = data.cases[start : start + batch]
        scores += predict([degraded_case(data.clarity_photos, case) for case in chunk])[0]
    return scores


def validate(
    predict: PredictArrays,
    data: ValidationData,
    *,
    batch: int = 32,
    progress: bool = False,
    clarity: bool = True,
    masks: bool = True,
) -> dict[str, float]:
    """Metrics of `predict` on `data`: `clarity/<srocc|plcc>/<kind|mean|pooled>`,
    `<set>/<maxF|mae|smeasure|iou>`, 95 % bootstrap intervals over the photos of the clarity
    SROCC (`clarity/srocc/<mean|pooled>/<low95|high95>`, `metrics.clarity_intervals`) and of each
    set's max F and MAE (`<set>/<maxF|mae>/<low95|high95>`, `metrics.bootstrap_intervals`), and
    `images_per_s` over everything it ran."""
    metrics: dict[str, float] = {}
    started, count = time.perf_counter(), 0
    cases, scored = None, {}
    if clarity:
        scores = clarity_scores(predict, data, batch=batch, progress=progress)
        count += len(data.cases)
        cases = (scores, [c.level for c in data.cases], [c.kind for c in data.cases])
        report = clarity_report(*cases)
        metrics.update({f"clarity/{key}": value for key, value in report.items()})
    if masks:
        for name, photos in data.mask_sets.items():
            maps = predict([p.image for p in photos])[1]
            count += len(photos)
            scored[name] = mask_scores(maps, [p.mask for p in photos])
            metrics.update({f"{name}/{key}": value for key, value in scored[name].report.items()})
    metrics["images_per_s"] = count / (time.perf_counter() - started)
    # The intervals come after the clock: resampling is not the assessor's time.
    if cases is not None:
        photos = [c.photo for c in data.cases]
        for key, (low, high) in clarity_intervals(*cases, photos).items():
            metrics.update({f"clarity/{key}/low95": low, f"clarity/{key}/high95": high})
    for name, set_scores in scored.items():
        if len(set_scores.maes):  # an empty set has NaN measures and no interval
            for key, (low, high) in bootstrap_intervals(set_scores).items():
                metrics.update({f"{name}/{key}/low95": low, f"{name}/{key}/high95": high})
    return metrics


def headline(metrics: dict[str, float]) -> float:
    """One number to pick the best checkpoint by: mean of sod maxF, 1 − sod MAE and pooled SROCC,
    over the ones present."""
    parts = [
        metrics.get("sod/maxF"),
        1.0 - metrics["sod/mae"] if "sod/mae" in metrics else None,
        metrics.get("clarity/srocc/pooled"),
    ]
    parts = [p for p in parts if p is not None and np.isfinite(p)]
    return float(np.mean(parts)) if parts else float("nan")
