"""detect_faces: OpenCV's shipped Haar cascade, boxes in the input's pixels."""

import json

import numpy as np
import pytest
from PIL import Image

from assessment import faces
from assessment.faces import detect_faces, face_cores
from assessment.geometry import Box
from assessment.sources import data_dir

# One WIDER photo of faces/ with a single large face that the cascade finds.
ONE_FACE = "13_Interview_Interview_Sequences_13_723"


def test_finds_the_human_labelled_face():
    root = data_dir() / "faces"
    image = np.asarray(Image.open(root / "images" / f"{ONE_FACE}.jpg").convert("RGB"))
    truth = Box(*json.loads((root / "faces.json").read_text())[ONE_FACE][0])
    found = detect_faces(image)
    assert found, "the cascade should find the large face"
    assert found[0].intersection(truth).area >= 0.5 * truth.area
    height, width = image.shape[:2]
    assert all(face.clamp(width, height) == face for face in found)
    # frontal and profile finds of one face are merged
    assert all(a.overlap_share(b) < 0.5 for i, a in enumerate(found) for b in found[i + 1 :])


def test_boxes_are_in_the_pixels_of_a_large_input(monkeypatch):
    root = data_dir() / "faces"
    image = Image.open(root / "images" / f"{ONE_FACE}.jpg").convert("RGB")
    monkeypatch.setattr(faces, "DETECTION_LONG_SIDE", max(image.size))
    big = image.resize((image.width * 3, image.height * 3))  # searched at the original size
    small_faces = detect_faces(np.asarray(image))
    big_faces = detect_faces(np.asarray(big))
    expected = small_faces[0].scaled(3, 3)
    assert any(face.overlap_share(expected) > 0.7 for face in big_faces)
    height, width = np.asarray(big).shape[:2]
    assert all(face.clamp(width, height) == face for face in big_faces)


@pytest.mark.parametrize(
    "image",
    [np.zeros((120, 160, 3), np.uint8), np.full((50, 40, 3), 200, np.uint8)],
)
def test_no_faces_in_flat_images(image):
    assert detect_faces(image) == []


@pytest.mark.parametrize(
    "bad",
    [np.zeros((20, 20), np.uint8), np.zeros((20, 20, 4), np.uint8), np.zeros((20, 20, 3))],
)
def test_bad_input_is_rejected(bad):
    with pytest.raises(ValueError, match="uint8 RGB"):
        detect_faces(bad)


def test_a_face_core_is_an_ellipse_inside_the_face_box():
    cores = face_cores((100, 120), [Box(20, 10, 40, 60)])
    assert cores.dtype == bool and cores.sum() == cores[10:70, 20:60].sum()  # none outside
    assert 0.35 < cores[10:70, 20:60].mean() < 0.5  # π · 0.35 · 0.4 ≈ 0.44 of the box
    assert cores[40, 40] and not cores[10, 20]  # the centre, not the corners
    assert not face_cores((10, 10), []).any()
