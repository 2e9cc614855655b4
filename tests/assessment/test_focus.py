"""An editor's subject point: it picks the part the crops frame, and faces stay uncut."""

import numpy as np
import pytest

from assessment.cropping import propose_crops
from assessment.cropping.focus import focus_subject
from assessment.geometry import Box

from .test_cropping import mask_with

SIZE = (480, 360)
LEFT, RIGHT = Box(30, 135, 75, 90), Box(350, 125, 105, 115)  # two parts; RIGHT is larger


def test_a_point_on_a_part_keeps_that_part_alone():
    mask = mask_with(SIZE, LEFT, RIGHT)
    subject = focus_subject(mask, (67, 180), SIZE)
    assert subject.picked_part
    assert subject.foreground[180, 67] == 1.0
    assert subject.foreground[180, 400] == 0.0
    assert subject.foreground.sum() == pytest.approx(LEFT.area)


def test_a_point_just_beside_a_part_snaps_to_it_and_one_far_away_makes_a_spot():
    mask = mask_with(SIZE, LEFT)
    beside = focus_subject(mask, (LEFT.right + 8, 180), SIZE)
    assert beside.picked_part and beside.foreground.sum() == pytest.approx(LEFT.area)
    far = focus_subject(mask, (300, 60), SIZE)
    assert not far.picked_part
    assert far.foreground[60, 300] == 1.0 and far.foreground[180, 67] == 0.0
    assert far.foreground.sum() == pytest.approx(np.pi * 43**2, rel=0.05)  # 0.12 × 360 px


def test_a_large_mask_is_worked_out_smaller_and_still_maps_the_point():
    size = (4000, 3000)
    mask = mask_with(size, Box(3000, 1000, 600, 600))
    subject = focus_subject(mask, (3300, 1300), size)
    assert subject.picked_part and max(subject.foreground.shape) == 512
    assert subject.foreground[1300 * 384 // 3000, 3300 * 512 // 4000] == 1.0


@pytest.mark.parametrize("point", [(480, 10), (-1, 10), (10, 360), ("a", 1), (1,)])
def test_a_point_outside_the_image_or_malformed_is_refused(point):
    with pytest.raises(ValueError, match="subject point"):
        propose_crops(mask_with(SIZE, LEFT), faces=[], ratios=["1:1"], image_size=SIZE,
                      focus=point)


@pytest.mark.parametrize("ratio", ["1:1", "9:16", "free"])
def test_crops_frame_the_marked_part_instead_of_the_larger_one(ratio):
    mask = mask_with(SIZE, LEFT, RIGHT)
    plain = propose_crops(mask, faces=[], ratios=[ratio], image_size=SIZE)[ratio]
    marked = propose_crops(mask, faces=[], ratios=[ratio], image_size=SIZE, focus=(67, 180))[ratio]
    assert plain.box.contains(RIGHT)
    assert marked.box.contains(LEFT) and not marked.box.contains(RIGHT)
    assert marked.reasons[0] == "framed on the subject an editor marked"
    assert "framed on the subject an editor marked" not in plain.reasons


def test_a_spot_in_an_empty_mask_is_centred():
    mask = np.zeros((360, 480), np.float32)
    crop = propose_crops(mask, faces=[], ratios=["1:1"], image_size=SIZE, focus=(400, 180))["1:1"]
    assert crop.box.w == 360 and crop.box.right == 480  # as far right as a full-height square goes
    plain = propose_crops(mask, faces=[], ratios=["1:1"], image_size=SIZE)["1:1"]
    assert plain.box.x == 60  # central without the point


@pytest.mark.parametrize("ratio", ["1:1", "9:16", "4:3", "free"])
def test_a_face_away_from_the_marked_subject_is_never_cut(ratio):
    # a face sits between the marked part and the image's middle: the crop may leave it out or
    # hold it whole, never slice it
    face = Box(170, 100, 40, 50)
    mask = mask_with(SIZE, LEFT)
    crop = propose_crops(mask, faces=[face], ratios=[ratio], image_size=SIZE,
                         focus=(67, 180))[ratio]
    assert crop.box.overlap_share(face) in (0.0, 1.0)
    assert crop.box.contains(LEFT)


def test_faces_elsewhere_do_not_pull_the_crop_but_the_marked_persons_face_does():
    faces = [Box(390, 45, 45, 52)]  # a face far right, above nothing the mask found
    mask = mask_with(SIZE, LEFT)
    plain = propose_crops(mask, faces=faces, ratios=["9:16"], image_size=SIZE)["9:16"]
    marked = propose_crops(mask, faces=faces, ratios=["9:16"], image_size=SIZE,
                           focus=(67, 180))["9:16"]
    on_face = propose_crops(mask, faces=faces, ratios=["9:16"], image_size=SIZE,
                            focus=(412, 70))["9:16"]
    assert marked.box.contains(LEFT) and marked.box.overlap_share(faces[0]) == 0.0
    assert on_face.box.contains(faces[0]) and not on_face.box.contains(LEFT)
    assert plain.box.overlap_share(faces[0]) in (0.0, 1.0)


def test_a_point_away_from_the_only_face_frames_the_point_not_the_face():
    # a large face outweighs a spot as a subject, so it must not steer once a point is marked
    face = Box(330, 20, 120, 140)
    empty = np.zeros((360, 480), np.float32)
    plain = propose_crops(empty, faces=[face], ratios=["9:16"], image_size=SIZE)["9:16"]
    marked = propose_crops(empty, faces=[face], ratios=["9:16"], image_size=SIZE,
                           focus=(60, 300))["9:16"]
    assert plain.box.contains(face)
    assert marked.box.x <= 60 < marked.box.right and marked.box.overlap_share(face) == 0.0
