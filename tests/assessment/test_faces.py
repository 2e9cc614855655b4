"""detect_faces: OpenCV's shipped Haar cascade, boxes in the input's pixels."""

import json

import numpy as np
import pytest
from PIL import Image

from assessment import faces
from assessment.faces import (
    FACE_MAP_REGION_GROWTH,
    detect_faces,
    face_cores,
    faces_from_map,
    merge_faces,
    on_a_body,
    person_reach,
    torso_cores,
)
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


def test_a_torso_core_lies_under_the_face_on_its_axis_and_is_cut_by_the_image():
    face = Box(40, 10, 40, 50)
    torso = torso_cores((200, 120), [face])
    rows, cols = np.nonzero(torso)
    assert rows.min() > face.bottom and abs(cols.mean() - 60) < 1  # below, centred under it
    assert cols.min() >= 40 - 0.8 * 40 - 1 and cols.max() <= 80 + 0.8 * 40 + 1  # shoulder-wide
    assert not (torso & face_cores((200, 120), [face])).any()
    low = torso_cores((90, 120), [face])  # a chest the bottom edge cuts
    assert low.any() and low.sum() < torso.sum()
    assert not torso_cores((10, 10), []).any()


def test_a_person_reaches_from_above_the_face_to_the_bottom_edge_and_beside_it():
    face = Box(100, 50, 20, 30)  # 1.5 widths each side: columns 70..150; from row 50 - 30 = 20
    reach = person_reach((200, 300), [face])
    rows, cols = np.nonzero(reach)
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (20, 199, 70, 149)
    assert reach[20:, 70:150].all()  # a band down to the bottom edge
    both = person_reach((200, 300), [face, Box(0, 0, 10, 10)])  # a face at the corner, cut
    assert both[:, :25].any() and both.sum() > reach.sum()
    assert not person_reach((10, 10), []).any()


def test_a_face_map_gives_back_the_boxes_whose_cores_it_marks():
    boxes = [Box(10, 12, 60, 80), Box(120, 30, 30, 36), Box(150, 150, 40, 30)]
    # a trained map's region at 0.5 reaches past the core it was taught, by FACE_MAP_REGION_GROWTH
    grown = [b.expanded((FACE_MAP_REGION_GROWTH - 1) / 2) for b in boxes]
    cores = face_cores((200, 220), grown).astype(np.float32)
    found = faces_from_map(cores * 0.95)
    assert len(found) == len(boxes)
    for face, box in zip(found, sorted(boxes, key=lambda b: -b.area), strict=True):
        assert face.intersection(box).area >= 0.85 * max(face.area, box.area)


def test_a_face_map_drops_specks_and_faint_regions_and_keeps_boxes_inside():
    probability = np.zeros((60, 80), np.float32)
    probability[2:4, 2:4] = 1.0  # 4 pixels: a speck, not a face
    probability[20:40, 30:45] = 0.4  # below the threshold
    probability[0:10, 70:80] = 1.0  # a face cut by the image's corner
    probability[40:50, 0:10] = 0.8  # above the threshold, never sure enough to be a face
    found = faces_from_map(probability)
    assert len(found) == 1 and found[0].right == 80 and found[0].y == 0
    assert len(faces_from_map(probability, min_peak=0.8)) == 2
    assert faces_from_map(probability, threshold=0.3, min_peak=0.4)[0].area > found[0].area
    assert faces_from_map(np.zeros((5, 5), np.float32)) == []
    with pytest.raises(ValueError, match=r"\(H, W\) map"):
        faces_from_map(np.zeros((5, 5, 1), np.float32))


def test_a_face_map_drops_regions_that_do_not_fill_their_ellipse():
    probability = np.zeros((80, 100), np.float32)
    probability[5:45, 5:10] = probability[40:45, 5:45] = 1.0  # an L: a thing's edge, not a face
    corner = Box(80, 60, 40, 40).expanded((FACE_MAP_REGION_GROWTH - 1) / 2)  # cut by the corner
    probability[face_cores((80, 100), [corner])] = 1.0
    found = faces_from_map(probability)
    assert len(found) == 1 and (found[0].right, found[0].bottom) == (100, 80)
    assert len(faces_from_map(probability, min_fill=0.0)) == 2


def test_merged_faces_keep_the_trusted_boxes_and_add_only_new_faces():
    haar = [Box(100, 100, 50, 50), Box(10, 10, 20, 20)]
    network = [
        Box(104, 98, 44, 52),  # Haar's first face again
        Box(0, 0, 200, 200),  # a loose region that swallows both of Haar's faces
        Box(300, 40, 30, 30),  # a face Haar missed
    ]
    assert merge_faces(haar, network) == [Box(100, 100, 50, 50), Box(300, 40, 30, 30),
                                          Box(10, 10, 20, 20)]
    assert merge_faces([], network[1:]) == [Box(0, 0, 200, 200), Box(300, 40, 30, 30)]
    assert merge_faces([], []) == []


@pytest.mark.parametrize(
    ("lower", "on"),
    [
        (Box(110, 220, 60, 60), True),  # on the chest, straight below
        (Box(150, 600, 60, 60), True),  # between the feet, a little to the side
        (Box(230, 110, 60, 60), False),  # beside the face: another person
        (Box(260, 260, 60, 60), False),  # lower, but a shoulder's width and more to the side
        (Box(110, 185, 60, 60), False),  # just under the chin: a child held close, a two-shot
        (Box(110, 800, 60, 60), False),  # past a standing person's feet
    ],
)
def test_a_face_below_another_lies_on_its_persons_body(lower, on):
    upper = Box(100, 100, 80, 80)  # a standing body reaches 6 face heights (480 px) below it
    assert on_a_body([upper, lower]) == [False, on]
    assert on_a_body([lower, upper]) == [on, False]


def test_the_topmost_face_and_a_lone_face_are_never_on_a_body():
    assert on_a_body([]) == []
    assert on_a_body([Box(10, 10, 50, 50)]) == [False]
    stacked = [Box(100, 100, 80, 80), Box(100, 250, 80, 80), Box(100, 400, 80, 80)]
    assert on_a_body(stacked) == [False, True, True]


def test_faces_in_different_photos_of_a_collage_are_not_on_each_others_body():
    upper, lower = Box(100, 100, 80, 80), Box(110, 320, 60, 60)
    stacked = [Box(0, 0, 400, 300), Box(0, 304, 400, 300)]
    assert on_a_body([upper, lower], stacked) == [False, False]
    assert on_a_body([upper, lower], [Box(0, 0, 400, 604)]) == [False, True]
