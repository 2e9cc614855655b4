"""Sharpening the served map by a checkpoint's fitted sharpness, and `python -m assessment
calibrate`, which fits it on the training masks."""

import numpy as np
import pytest
import torch

from assessment.calibration import SHARPNESS_GRID, fit_sharpness, sharpened
from assessment.checkpoint import load_model, read_checkpoint, save_checkpoint
from assessment.cli import main
from assessment.predictor import NetworkPredictor
from assessment.registry import create_model


def test_sharpening_keeps_each_pixels_side_and_order_and_moves_it_away_from_a_half():
    probability = np.random.default_rng(0).random((40, 50)).astype(np.float32)
    probability[0, :3] = (0.0, 0.5, 1.0)
    sharp = sharpened(probability, 3.0)
    assert sharp.dtype == np.float32
    assert tuple(sharp[0, :3]) == (0.0, 0.5, 1.0)
    np.testing.assert_array_equal(sharp > 0.5, probability > 0.5)
    assert np.all(np.abs(sharp - 0.5) >= np.abs(probability - 0.5) - 1e-6)
    order = np.argsort(probability, axis=None, kind="stable")
    assert np.all(np.diff(sharp.ravel()[order]) >= 0)
    np.testing.assert_array_equal(sharpened(probability, 1.0), probability)
    with pytest.raises(ValueError, match="sharpness must be positive"):
        sharpened(probability, 0.0)


def _masks_and_maps(subject: float, background: float):
    truth = np.zeros((20, 30), np.uint8)
    truth[5:15, 10:20] = 255
    grey = np.where(truth > 0, subject, background).astype(np.float32)
    grey[0, 0], grey[5, 10] = 0.0, 1.0  # pysodmetrics stretches each map to [0, 1] before its MAE
    return [grey, grey.copy()], [truth, truth.copy()]


def test_a_map_right_but_unsure_is_sharpened_as_far_as_the_grid_goes():
    maps, truths = _masks_and_maps(subject=0.7, background=0.3)
    sharpness, reports = fit_sharpness(maps, truths)
    assert sharpness == max(SHARPNESS_GRID)
    assert list(reports) == list(SHARPNESS_GRID)
    errors = [report["mae"] for report in reports.values()]
    assert all(a > b for a, b in zip(errors, errors[1:], strict=False))


def test_a_map_wrong_with_confidence_is_not_sharpened():
    maps, truths = _masks_and_maps(subject=0.3, background=0.7)
    assert fit_sharpness(maps, truths)[0] == 1.0
    with pytest.raises(ValueError, match="at least one map"):
        fit_sharpness([], [])


def test_a_sharpness_that_merges_the_surest_pixels_and_costs_max_f_is_not_chosen():
    # The subject's pixels lie from 0.75 to 0.95, a few background pixels from 0.6 to 0.7: a
    # threshold between them parts them, but sharpened far the 8-bit map gives them all 255 and
    # max F falls, though the MAE still would.
    truth = np.zeros((40, 40), np.uint8)
    truth[:20] = 255
    probability = np.full((40, 40), 0.2, np.float32)
    probability[:20] = np.linspace(0.75, 0.95, 800).reshape(20, 40)
    probability[20:22] = np.linspace(0.6, 0.7, 80).reshape(2, 40)
    probability[39, 39] = 0.0
    sharpness, reports = fit_sharpness([probability], [truth], grid=(1.0, 2.0, 30.0))
    assert reports[30.0]["mae"] < reports[2.0]["mae"] < reports[1.0]["mae"]
    assert reports[30.0]["maxF"] < reports[1.0]["maxF"] - 0.01
    assert sharpness == 2.0
    assert fit_sharpness([probability], [truth], grid=(30.0,))[0] == 1.0


def test_the_served_map_is_sharpened_by_the_checkpoints_sharpness_and_the_networks_is_not():
    torch.manual_seed(0)
    model = create_model("cover-small").eval()
    with torch.no_grad():  # an untrained map sits at 0.5 ± 0.002: make it lean, as a trained one does
        model.decoder.classify.bias.fill_(-1.0)
    image = np.random.default_rng(2).integers(0, 255, (64, 96, 3), dtype=np.uint8)
    image[16:48, 30:70] = (220, 60, 40)
    plain, sharp = (
        NetworkPredictor(model, metadata=metadata).predict_arrays([image])[1][0]
        for metadata in ({}, {"sharpness": 3.0})
    )
    decided = np.abs(plain - 0.5) > 1e-3
    np.testing.assert_array_equal((sharp > 0.5)[decided], (plain > 0.5)[decided])
    assert np.abs(sharp - 0.5).mean() > np.abs(plain - 0.5).mean() + 0.01
    network, network_sharp = (
        NetworkPredictor(model, metadata=metadata, refine=False).predict_arrays([image])[1][0]
        for metadata in ({}, {"sharpness": 3.0})
    )
    np.testing.assert_array_equal(network, network_sharp)


@pytest.mark.slow
def test_calibrate_fits_on_training_masks_and_writes_the_sharpness(tmp_path, data_root, capsys):
    source = tmp_path / "run.pt"
    save_checkpoint(source, create_model("cover-small").eval(), metadata={"version": "t"})
    out = tmp_path / "calibrated.pt"
    argv = ["calibrate", str(source), "--data", str(data_root), "--sets", "fg/train"]
    assert main([*argv, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "(chosen)" in printed and printed.count("| ") >= len(SHARPNESS_GRID)
    metadata = read_checkpoint(out)["metadata"]
    assert metadata["version"] == "t"
    assert metadata["sharpness"] in SHARPNESS_GRID
    assert metadata["calibration"]["sets"] == ["fg/train"]
    assert metadata["calibration"]["photos"] > 10
    before, after = load_model(source)[0].state_dict(), load_model(out)[0].state_dict()
    assert all(np.array_equal(before[key], after[key]) for key in before)
    assert "sharpness" not in read_checkpoint(source)["metadata"]  # --out leaves the run alone


def test_calibrate_refuses_to_fit_on_val(tmp_path, capsys):
    source = tmp_path / "run.pt"
    save_checkpoint(source, create_model("cover-small").eval(), metadata={})
    assert main(["calibrate", str(source), "--sets", "sod/val"]) == 2
    assert "val is for measuring" in capsys.readouterr().err
    assert "sharpness" not in read_checkpoint(source)["metadata"]
