"""Mask measures and their bootstrap intervals (`assessment/metrics.py`)."""

import numpy as np
import pytest

from assessment.data import Photo
from assessment.metrics import (
    bootstrap_intervals,
    clarity_intervals,
    clarity_report,
    format_interval,
    mask_report,
    mask_scores,
    photos_at_max_f,
)
from assessment.validation import ValidationData, validate


def _photos(count: int, seed: int = 0) -> list[np.ndarray]:
    """Human masks: a square subject of a different size and place on each 24 × 32 photo."""
    rng = np.random.default_rng(seed)
    truths = []
    for _ in range(count):
        truth = np.zeros((24, 32), np.uint8)
        y, x, side = rng.integers(0, 8), rng.integers(0, 12), rng.integers(6, 14)
        truth[y : y + side, x : x + side] = 255
        truths.append(truth)
    return truths


def _maps(truths: list[np.ndarray], noise: float, seed: int = 1) -> list[np.ndarray]:
    """Maps that follow each human mask, blurred by uniform noise of amplitude `noise`."""
    rng = np.random.default_rng(seed)
    return [
        np.clip(t / 255.0 + rng.uniform(-noise, noise, t.shape), 0, 1).astype(np.float32)
        for t in truths
    ]


def test_scores_are_the_report_and_its_per_photo_parts():
    truths = _photos(6)
    maps = _maps(truths, 0.8)
    scored = mask_scores(maps, truths)
    assert scored.report == mask_report(maps, truths)
    assert scored.f_curves.shape == (6, 256) and scored.maes.shape == (6,)
    assert scored.f_curves.mean(axis=0).max() == pytest.approx(scored.report["maxF"])
    assert scored.maes.mean() == pytest.approx(scored.report["mae"])


def test_the_photos_at_max_f_average_to_it_and_the_worst_map_scores_lowest():
    truths = _photos(5)
    maps = _maps(truths, 0.6)
    maps[3] = 1.0 - truths[3] / 255.0  # the subject and its ground swapped
    scored = mask_scores(maps, truths)
    parts = photos_at_max_f(scored)
    assert parts.shape == (5,)
    assert parts.mean() == pytest.approx(scored.report["maxF"])
    assert parts.argmin() == 3 and parts[3] < 0.5 < parts.min(initial=1.0, where=np.arange(5) != 3)


def test_a_perfect_map_scores_perfectly():
    truths = _photos(3)
    report = mask_report([t / 255.0 for t in truths], truths)
    assert report["maxF"] == pytest.approx(1.0)
    assert report["mae"] == pytest.approx(0.0)
    assert report["iou"] == pytest.approx(1.0)


def test_intervals_hold_the_measure_and_narrow_with_more_photos():
    few, many = _photos(8), _photos(200)
    narrow = {}
    for truths in (few, many):
        scored = mask_scores(_maps(truths, 0.9), truths)
        intervals = bootstrap_intervals(scored, resamples=500)
        for name in ("maxF", "mae"):
            low, high = intervals[name]
            assert low < scored.report[name] < high
        narrow[len(truths)] = intervals["mae"][1] - intervals["mae"][0]
    assert narrow[200] < narrow[8] / 2


def test_intervals_are_repeatable_for_a_seed():
    truths = _photos(10)
    scored = mask_scores(_maps(truths, 0.9), truths)
    assert bootstrap_intervals(scored, seed=3) == bootstrap_intervals(scored, seed=3)
    assert bootstrap_intervals(scored, seed=3) != bootstrap_intervals(scored, seed=4)


def test_paired_intervals_see_a_map_better_on_every_photo():
    truths = _photos(12)
    better = mask_scores(_maps(truths, 0.6), truths)
    worse = mask_scores(_maps(truths, 0.95), truths)
    gain = bootstrap_intervals(better, worse, resamples=500)
    assert gain["maxF"][0] > 0 and gain["mae"][1] < 0
    loss = bootstrap_intervals(worse, better, resamples=500)
    assert loss["maxF"][1] < 0 and loss["mae"][0] > 0
    assert bootstrap_intervals(better, better, resamples=50) == {
        "maxF": (0.0, 0.0),
        "mae": (0.0, 0.0),
    }


@pytest.mark.parametrize(
    ("other", "options", "message"),
    [
        (4, {}, "the same photos: 6 scored against 4"),
        (None, {"resamples": 0}, "resamples must be at least 1"),
        (None, {"level": 1.0}, "level is a probability"),
    ],
)
def test_bad_requests_are_refused(other, options, message):
    truths = _photos(6)
    scored = mask_scores(_maps(truths, 0.8), truths)
    baseline = None if other is None else mask_scores(_maps(truths[:other], 0.8), truths[:other])
    with pytest.raises(ValueError, match=message):
        bootstrap_intervals(scored, baseline, **options)


def test_validation_gives_each_mask_set_its_intervals_and_an_empty_set_none():
    truths = _photos(5)
    maps = dict(zip((t.tobytes() for t in truths), _maps(truths, 0.8), strict=True))
    photos = [Photo(np.stack([t] * 3, axis=-1), t, "sod") for t in truths]
    data = ValidationData([], [], {"sod": photos, "user": []})

    def predict(images):
        return [5.0] * len(images), [maps[image[..., 0].tobytes()] for image in images]

    metrics = validate(predict, data, clarity=False)
    assert metrics["sod/maxF/low95"] < metrics["sod/maxF"] < metrics["sod/maxF/high95"]
    assert metrics["sod/mae/low95"] < metrics["sod/mae"] < metrics["sod/mae/high95"]
    assert np.isnan(metrics["user/maxF"]) and "user/maxF/low95" not in metrics


def _clarity_cases(photos: int, noise: float, seed: int = 0):
    """Scores of `photos` photos × 2 kinds × 10 levels: the level plus noise, worse on some photos."""
    rng = np.random.default_rng(seed)
    photo = np.repeat(np.arange(photos), 20)
    kinds = np.tile(np.repeat(["blur", "noise"], 10), photos)
    labels = np.tile(np.arange(1, 11), 2 * photos).astype(float)
    spread = noise * (1 + rng.uniform(0, 3, photos))[photo]  # photos differ in how hard they are
    return labels + rng.normal(0, 1, labels.shape) * spread, labels, kinds, photo


def test_clarity_intervals_hold_the_correlations_and_narrow_with_more_photos():
    widths = {}
    for photos in (6, 120):
        predicted, labels, kinds, photo = _clarity_cases(photos, 1.5)
        report = clarity_report(predicted, labels, kinds)
        intervals = clarity_intervals(predicted, labels, kinds, photo, resamples=300)
        for name in ("srocc/mean", "srocc/pooled"):
            low, high = intervals[name]
            assert low < report[name] < high
        widths[photos] = intervals["srocc/mean"][1] - intervals["srocc/mean"][0]
    assert widths[120] < widths[6] / 2


def test_clarity_draws_take_a_photo_with_all_its_cases():
    predicted, labels, kinds, photo = _clarity_cases(1, 1.5)
    report = clarity_report(predicted, labels, kinds)
    intervals = clarity_intervals(predicted, labels, kinds, photo, resamples=20)
    # One photo: every draw is that photo whole, so the interval is the measure itself.
    assert intervals["srocc/mean"] == pytest.approx((report["srocc/mean"],) * 2)
    with pytest.raises(ValueError, match="at least one scored photo"):
        clarity_intervals([], [], [], [])


def test_paired_clarity_intervals_see_a_better_assessor():
    predicted, labels, kinds, photo = _clarity_cases(30, 1.0)
    worse = labels + (predicted - labels) * 2  # the same errors, twice as large
    gain = clarity_intervals(predicted, labels, kinds, photo, worse, resamples=200)
    assert gain["srocc/mean"][0] > 0 and gain["srocc/pooled"][0] > 0
    same = clarity_intervals(predicted, labels, kinds, photo, predicted, resamples=20)
    assert same == {"srocc/mean": (0.0, 0.0), "srocc/pooled": (0.0, 0.0)}
    with pytest.raises(ValueError, match="the same cases: 600 scored against 599"):
        clarity_intervals(predicted, labels, kinds, photo, worse[:-1])


def test_intervals_print_as_spans_and_differences_with_their_signs():
    assert format_interval((0.61819, 0.7981)) == "[0.618, 0.798]"
    assert format_interval((-0.0012, 0.032), signed=True) == "[-0.001, +0.032]"
