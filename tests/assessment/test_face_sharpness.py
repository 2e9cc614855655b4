"""A blurred face: the largest face's detail, judged at one size whatever the photo's."""

import json

import cv2
import numpy as np
import pytest
from PIL import Image

from assessment.face_sharpness import (
    FACE_BLURRED,
    MIN_FACE,
    face_blurred,
    face_sharpness,
    main_face_sharpness,
)
from assessment.geometry import Box
from assessment.sources import face_split
from tests.conftest import blurred_in, textured

FACE = Box(150, 80, 90, 110)


@pytest.fixture(scope="module")
def scene():
    return textured(400, 300, seed=7)


def test_a_sharp_face_is_not_called_and_a_blurred_one_is(scene):
    sharp = face_sharpness(scene, FACE)
    assert sharp > FACE_BLURRED and not face_blurred(sharp)
    for sigma in (2.0, 4.0):
        soft = face_sharpness(blurred_in(scene, FACE, sigma), FACE)
        assert soft < FACE_BLURRED and face_blurred(soft)


def test_a_face_is_judged_at_one_size_whatever_the_photo_resolution(scene):
    """The same face in a photo four times larger reads the same: its detail is judged at
    FACE_SIDE px, so a high-resolution photo is not called sharper or softer for its pixels."""
    large = cv2.resize(scene, (1600, 1200), interpolation=cv2.INTER_CUBIC)
    bigger = Box(FACE.x * 4, FACE.y * 4, FACE.w * 4, FACE.h * 4)
    assert face_sharpness(large, bigger) == pytest.approx(face_sharpness(scene, FACE), abs=0.3)


def test_small_faces_and_no_face_are_not_judged(scene):
    assert face_sharpness(scene, Box(10, 10, MIN_FACE - 1, MIN_FACE - 2)) is None
    assert face_sharpness(scene, Box(380, 280, 60, 60)) is None  # 20 px left inside the photo
    assert main_face_sharpness(scene, []) is None
    assert not face_blurred(None)


def test_the_largest_face_is_the_one_judged(scene):
    small = Box(20, 20, 45, 45)
    image = blurred_in(scene, small, 4.0)
    assert face_blurred(main_face_sharpness(image, [small]))
    assert main_face_sharpness(image, [small, FACE]) == face_sharpness(image, FACE)


def test_faces_people_labelled_on_held_out_photos(data_root):
    """WIDER's faces that `train --face-hints` never sees: the heavily blurred ones of 40 px or
    more are called, and few of those labelled clear."""
    folder = data_root / "faces"
    boxes = json.loads((folder / "faces.json").read_text())
    labels = json.loads((folder / "face_attributes.json").read_text())
    called = {0: [], 2: []}
    for name in face_split(sorted(boxes), "val"):
        image = np.asarray(Image.open(folder / "images" / f"{name}.jpg").convert("RGB"))
        for box, label in zip(boxes[name], labels[name]["blur"], strict=True):
            sharpness = face_sharpness(image, Box.from_list(box))
            if sharpness is not None and label in called:
                called[label].append(face_blurred(sharpness))
    assert len(called[2]) >= 2 and all(called[2])
    assert len(called[0]) >= 100 and np.mean(called[0]) < 0.05
