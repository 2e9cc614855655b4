"""Quality measures: clarity correlation with the labels, and mask quality against human masks.

Mask measures come from pysodmetrics (max F-measure with β² = 0.3, MAE, S-measure); IoU is taken at
probability 0.5, the threshold the product uses to call a pixel "subject".
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import py_sod_metrics
from scipy.stats import pearsonr, spearmanr


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


def mask_report(predicted: Sequence[np.ndarray], truths: Sequence[np.ndarray]) -> dict[str, float]:
    """`maxF`, `mae`, `smeasure`, `iou` (mean over images) of float [0, 1] maps against {0, 255} masks."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fmeasure = py_sod_metrics.FmeasureV2(
            metric_handlers={
                "fm": py_sod_metrics.FmeasureHandler(
                    with_dynamic=True, with_adaptive=False, beta=0.3
                )
            }
        )
        mae, smeasure = py_sod_metrics.MAE(), py_sod_metrics.Smeasure()
        ious = []
        for probability, truth in zip(predicted, truths, strict=True):
            pred, gt = _as_uint8(probability, truth)
            for metric in (fmeasure, mae, smeasure):
                metric.step(pred=pred, gt=gt)
            hit, true = probability >= 0.5, gt > 0
            union = np.logical_or(hit, true).sum()
            ious.append(np.logical_and(hit, true).sum() / union if union else 1.0)
        return {
            "maxF": float(fmeasure.get_results()["fm"]["dynamic"].max()),
            "mae": float(mae.get_results()["mae"]),
            "smeasure": float(smeasure.get_results()["sm"]),
            "iou": float(np.mean(ious)),
        }


def _as_uint8(probability: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A float [0, 1] map and a human mask as the 8-bit pair pysodmetrics scores (`pred`, `gt`)."""
    pred = np.clip(probability * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return pred, np.where(truth >= 128, 255, 0).astype(np.uint8)
