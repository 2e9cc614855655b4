"""The classical assessor: Laplacian clarity, spectral-residual saliency, ClassicalPredictor."""

import numpy as np
import pytest
from PIL import Image, ImageFilter

from assessment.classical import (
    ClassicalPredictor,
    laplacian_clarity,
    spectral_residual_saliency,
)
from assessment.geometry import Box
from assessment.predictor import Prediction, load_predictor
from tests.conftest import photo


def test_clarity_falls_with_blur_and_stays_in_range():
    sharp = photo(320, 240, seed=1)
    scores = [laplacian_clarity(sharp.filter(ImageFilter.GaussianBlur(r))) if r else
              laplacian_clarity(sharp) for r in (0, 1, 2, 4)]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > 8 and scores[-1] < 3
    assert all(1.0 <= s <= 10.0 for s in scores)


def test_flat_image_is_clarity_1_and_arrays_are_accepted():
    assert laplacian_clarity(np.full((40, 60, 3), 128, np.uint8)) == 1.0


def test_saliency_marks_the_odd_object():
    image = np.full((120, 200, 3), 90, np.uint8)
    image[40:80, 130:170] = (240, 40, 40)
    saliency = spectral_residual_saliency(image)
    assert saliency.shape == (120, 200)
    assert saliency.dtype == np.float32
    assert saliency.min() >= 0.0 and saliency.max() <= 1.0
    assert saliency[40:80, 130:170].mean() > 2 * saliency[:, :80].mean()


def test_saliency_of_a_flat_image_is_empty():
    assert not spectral_residual_saliency(np.zeros((30, 30, 3), np.uint8)).any()


@pytest.mark.parametrize("bad", [np.zeros((10, 10)), np.zeros((10, 10, 3), np.float32)])
def test_bad_arrays_are_rejected(bad):
    with pytest.raises(ValueError, match="uint8 RGB"):
        laplacian_clarity(bad)


def test_classical_predictor_gives_predictions_at_input_size():
    predictor = load_predictor(kind="classical")
    assert isinstance(predictor, ClassicalPredictor)
    assert predictor.name == "classical" and predictor.version
    images = [photo(160, 120, seed=2), photo(90, 200, seed=3).convert("L")]
    predictions = predictor.predict(images)
    assert [type(p) for p in predictions] == [Prediction, Prediction]
    assert predictions[0].foreground.shape == (120, 160)
    assert predictions[1].foreground.shape == (200, 90)
    for p in predictions:
        assert 1.0 <= p.clarity <= 10.0
        assert p.semantics.size == (p.foreground.shape[1], p.foreground.shape[0])
    face = Box(10, 10, 30, 30)
    given = predictor.predict(images, faces=[[face], []])
    assert [p.faces for p in predictions] == [(), ()]
    assert [p.faces for p in given] == [(face,), ()]  # the caller's faces come back
    with pytest.raises(ValueError, match="1 lists of faces for 2 images"):
        predictor.predict(images, faces=[[face]])


def test_classical_predictor_rejects_non_images():
    with pytest.raises(ValueError, match="PIL images"):
        ClassicalPredictor().predict([np.zeros((10, 10, 3), np.uint8)])
    assert ClassicalPredictor().predict([]) == []
    tiny = ClassicalPredictor().predict([Image.new("RGB", (1, 1))])[0]
    assert tiny.foreground.shape == (1, 1) and tiny.clarity == 1.0
