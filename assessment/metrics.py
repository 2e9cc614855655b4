"""Quality measures: clarity correlation with the labels, and mask quality against human masks.

Mask measures come from pysodmetrics (max F-measure with β² = 0.3, MAE, S-measure); IoU is taken at
probability 0.5, the threshold the product uses to call a pixel "subject".
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import py_sod_metrics
from scipy.stats import pearsonr, spearmanr

#: How many draws of photos `bootstrap_intervals` takes by default.
BOOTSTRAP_RESAMPLES = 2000


def correlation(predicted: Sequence[float], labels: Sequence[float]) -> dict[str, float]:
    """SROCC and PLCC of `predicted` scores against `labels` (NaN when either is constant)."""
    predicted, labels = np.asarray(predicted, float), np.asarray(labels, float)
    if np.ptp(predicted) == 0 or np.ptp(labels) == 0:
        return {"srocc": float("nan"), "plcc": float("nan")}
    return {
        "srocc": float(spearmanr(predicted, labels)[0]),
        "plcc": float(pearsonr(predicted, labels)[0]),
    }


def clarity_report(
    predicted: Sequence[float], labels: Sequence[float], kinds: Sequence[str]
) -> dict[str, float]:
    """Per damage kind `srocc/<kind>`, `plcc/<kind>`, their means over kinds (`srocc/mean`,
    `plcc/mean`), and the pooled correlation over all kinds (`srocc/pooled`, `plcc/pooled`)."""
    predicted, labels, kinds = np.asarray(predicted), np.asarray(labels), np.asarray(kinds)
    report: dict[str, float] = {}
    for kind in sorted(set(kinds.tolist())):
        chosen = kinds == kind
        for name, value in correlation(predicted[chosen], labels[chosen]).items():
            report[f"{name}/{kind}"] = value
    for name in ("srocc", "plcc"):
        per_kind = [v for k, v in report.items() if k.startswith(f"{name}/")]
        report[f"{name}/mean"] = float(np.mean(per_kind))
    for name, value in correlation(predicted, labels).items():
        report[f"{name}/pooled"] = value
    return report


@dataclass(frozen=True)
class MaskScores:
    """The mask measures of a set of maps (`report`) and the per-photo scores behind its max F and
    MAE: each photo's F-measure at every 8-bit threshold (`f_curves`, photos × 256) and its MAE."""

    report: dict[str, float]
    f_curves: np.ndarray
    maes: np.ndarray


def mask_scores(predicted: Sequence[np.ndarray], truths: Sequence[np.ndarray]) -> MaskScores:
    """`mask_report` with the per-photo scores that `bootstrap_intervals` resamples."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        handler = py_sod_metrics.FmeasureHandler(with_dynamic=True, with_adaptive=False, beta=0.3)
        fmeasure = py_sod_metrics.FmeasureV2(metric_handlers={"fm": handler})
        mae, smeasure = py_sod_metrics.MAE(), py_sod_metrics.Smeasure()
        ious = []
        for probability, truth in zip(predicted, truths, strict=True):
            pred, gt = _as_uint8(probability, truth)
            for metric in (fmeasure, mae, smeasure):
                metric.step(pred=pred, gt=gt)
            hit, true = probability >= 0.5, gt > 0
            union = np.logical_or(hit, true).sum()
            ious.append(np.logical_and(hit, true).sum() / union if union else 1.0)
        report = {
            "maxF": float(fmeasure.get_results()["fm"]["dynamic"].max()),
            "mae": float(mae.get_results()["mae"]),
            "smeasure": float(smeasure.get_results()["sm"]),
            "iou": float(np.mean(ious)),
        }
        f_curves = np.array(handler.dynamic_results, np.float64)
        return MaskScores(report, f_curves, np.array(mae.maes, np.float64))


def photos_at_max_f(scores: MaskScores) -> np.ndarray:
    """Each photo's F-measure at the threshold where the set's mean F-curve peaks: the parts whose
    mean is the set's max F, so the lowest are the photos that hold it down."""
    return scores.f_curves[:, int(scores.f_curves.mean(axis=0).argmax())]


def mask_report(predicted: Sequence[np.ndarray], truths: Sequence[np.ndarray]) -> dict[str, float]:
    """`maxF`, `mae`, `smeasure`, `iou` (mean over images) of float [0, 1] maps against {0, 255} masks."""
    return mask_scores(predicted, truths).report


def bootstrap_intervals(
    scores: MaskScores,
    baseline: MaskScores | None = None,
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    level: float = 0.95,
    seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """Percentile intervals (`level`) of `maxF` and `mae` over `resamples` sets of photos drawn
    with replacement: how far another draw of photos like these could move them. With a `baseline`
    scored on the same photos in the same order, the intervals are of the differences
    `scores − baseline`, each draw scoring both on the same photos (paired): an interval of max F
    above 0, or of MAE below 0, says `scores` is better beyond the luck of the photos."""
    photos = len(scores.maes)
    if baseline is not None and len(baseline.maes) != photos:
        raise ValueError(
            f"a paired bootstrap needs the same photos: {photos} scored against "
            f"{len(baseline.maes)} in the baseline"
        )
    weights = _draws(photos, resamples, level, seed) / photos  # the draws' means: one product

    def measures(of: MaskScores) -> dict[str, np.ndarray]:
        return {"maxF": (weights @ of.f_curves).max(axis=1), "mae": weights @ of.maes}

    drawn = measures(scores)
    if baseline is not None:
        base = measures(baseline)
        drawn = {name: values - base[name] for name, values in drawn.items()}
    return {name: _interval(values, level) for name, values in drawn.items()}


def clarity_intervals(
    predicted: Sequence[float],
    labels: Sequence[float],
    kinds: Sequence[str],
    photos: Sequence[int],
    baseline: Sequence[float] | None = None,
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    level: float = 0.95,
    seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """Percentile intervals (`level`) of `clarity_report`'s `srocc/mean` and `srocc/pooled` over
    `resamples` sets of photos drawn with replacement, each drawn photo bringing all its cases
    (`photos[i]` names the photo of case i): how far other photos like these could move them.
    With the `baseline` scores of another assessor on the same cases, the intervals are of the
    differences `predicted − baseline` on the same draws (paired)."""
    predicted, labels, kinds = np.asarray(predicted), np.asarray(labels), np.asarray(kinds)
    baseline = None if baseline is None else np.asarray(baseline)
    if baseline is not None and len(baseline) != len(predicted):
        raise ValueError(
            f"a paired bootstrap needs the same cases: {len(predicted)} scored against "
            f"{len(baseline)} in the baseline"
        )
    names, case_photo = np.unique(np.asarray(photos), return_inverse=True)
    cases_of = [np.flatnonzero(case_photo == index) for index in range(len(names))]
    drawn: dict[str, list[float]] = {"srocc/mean": [], "srocc/pooled": []}
    for counts in _draws(len(names), resamples, level, seed):
        chosen = np.concatenate([cases_of[p] for p in np.repeat(np.arange(len(names)), counts)])
        report = clarity_report(predicted[chosen], labels[chosen], kinds[chosen])
        base = (
            clarity_report(baseline[chosen], labels[chosen], kinds[chosen])
            if baseline is not None
            else {}
        )
        for name, values in drawn.items():
            values.append(report[name] - base.get(name, 0.0))
    return {name: _interval(np.asarray(values), level) for name, values in drawn.items()}


def format_interval(interval: tuple[float, float], *, signed: bool = False) -> str:
    """`[low, high]` to three decimals, with a sign before each end when `signed` (differences)."""
    sign = "+" if signed else ""
    return f"[{interval[0]:{sign}.3f}, {interval[1]:{sign}.3f}]"


def _draws(photos: int, resamples: int, level: float, seed: int) -> np.ndarray:
    """How often each of `photos` is taken by each of `resamples` draws of `photos` photos with
    replacement (resamples × photos counts), after checking the request."""
    if photos == 0:
        raise ValueError("bootstrap intervals need at least one scored photo")
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples}")
    if not 0 < level < 1:
        raise ValueError(f"level is a probability between 0 and 1, got {level}")
    uniform = np.full(photos, 1.0 / photos)
    return np.random.default_rng(seed).multinomial(photos, uniform, size=resamples)


def _interval(values: np.ndarray, level: float) -> tuple[float, float]:
    """The central `level` share of `values` (NaN draws, a constant set of scores, left out)."""
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.nanpercentile(values, [tail, 100.0 - tail])
    return float(low), float(high)


def _as_uint8(probability: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A float [0, 1] map and a human mask as the 8-bit pair pysodmetrics scores (`pred`, `gt`)."""
    pred = np.clip(probability * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return pred, np.where(truth >= 128, 255, 0).astype(np.uint8)
