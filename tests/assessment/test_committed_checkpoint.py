"""The checkpoint the app loads by default: present, small, described, and better than the baselines."""

import pytest

from assessment.calibration import SHARPNESS_GRID
from assessment.checkpoint import DEFAULT_CHECKPOINT, read_checkpoint
from assessment.evaluate import classical_arrays
from assessment.predictor import load_predictor
from assessment.validation import load_validation, validate

pytestmark = pytest.mark.slow


def test_is_small_and_carries_its_metadata():
    assert DEFAULT_CHECKPOINT.stat().st_size <= 15 * 1024 * 1024
    payload = read_checkpoint(DEFAULT_CHECKPOINT)
    assert payload["spec"]["variant"] == "cover-small"
    assert {"mean", "std", "input_long_side"} <= set(payload["spec"])
    assert {"metrics", "manifest", "config", "date"} <= set(payload["metadata"])
    assert payload["metadata"]["config"]["command"][:3] == ["python", "-m", "assessment"]
    # Its served map is sharpened as `calibrate` fitted it, on training masks alone.
    calibration = payload["metadata"]["calibration"]
    assert payload["metadata"]["sharpness"] in SHARPNESS_GRID
    assert calibration["photos"] > 0 and not any(s.endswith("/val") for s in calibration["sets"])


@pytest.fixture(scope="module")
def few_val_images(data_root):
    data = load_validation(data_root, photo_limit=4, levels=(1, 4, 7, 10))
    data.mask_sets = {"sod": data.mask_sets["sod"][:10]}
    return data


def test_beats_both_classical_baselines_on_a_few_val_images(few_val_images):
    network = validate(load_predictor().predict_arrays, few_val_images)
    classical = validate(classical_arrays, few_val_images)
    assert network["sod/maxF"] > classical["sod/maxF"]
    assert network["sod/mae"] < classical["sod/mae"]
    assert network["clarity/srocc/pooled"] > classical["clarity/srocc/pooled"]
    # Noise is damage: the Laplacian's variance rises with it, the network's score must fall.
    assert network["clarity/srocc/noise"] > 0.5 > classical["clarity/srocc/noise"]
