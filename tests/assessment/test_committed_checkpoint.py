"""The checkpoint the app loads by default: present, small, described, and better than the baselines."""

import cv2
import numpy as np
import pytest
from PIL import Image

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


def test_a_sharp_subject_before_a_blurred_background_is_sharp(data_root):
    """A shallow depth of field: each of the first 10 `sod/val` photos with its background alone
    blurred (sigma 6 px, by its human mask) reads sharp, as its subject is; blurred all over, it
    does not. Pooled over the whole frame (the paper's branch) such photos read 4 to 6."""
    folder = data_root / "sod" / "val"
    sharp_subject, all_blurred = [], []
    for path in sorted((folder / "images").glob("*.jpg"))[:10]:
        rgb = np.asarray(Image.open(path).convert("RGB"), np.float32)
        mask = np.asarray(Image.open(folder / "masks" / f"{path.stem}.png").convert("L"), np.float32)
        subject = cv2.GaussianBlur(mask / 255, (0, 0), 2)[..., None]
        blurred = cv2.GaussianBlur(rgb, (0, 0), 6)
        sharp_subject.append(subject * rgb + (1 - subject) * blurred)
        all_blurred.append(blurred)
    predictor = load_predictor(refine=False)
    scores = {name: np.array([p.clarity for p in predictor.predict(
        [Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8)) for a in arrays])])
        for name, arrays in (("sharp subject", sharp_subject), ("all blurred", all_blurred))}
    assert scores["sharp subject"].mean() >= 7.5 and np.mean(scores["sharp subject"] >= 7) >= 0.7
    assert scores["all blurred"].max() < 3
