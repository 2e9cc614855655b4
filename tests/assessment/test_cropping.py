"""propose_crops: the whole subject inside when it fits, faces that fit never cut (one too large
for the slot cut across), exact ratios always."""

import json

import numpy as np
import pytest

from assessment.cropping import CropWeights, crop_size, describe_crop, parse_ratio, propose_crops
from assessment.cropping.proposals import FACE_MARGIN
from assessment.geometry import Box

RATIOS = ("16:9", "4:3", "1:1", "9:16", "3:1", "1:3")


def mask_with(size, *boxes):
    width, height = size
    mask = np.zeros((height, width), np.float32)
    for b in boxes:
        mask[b.y : b.bottom, b.x : b.right] = 1.0
    return mask


def within_a_pixel_of_ratio(box: Box, ratio: float) -> bool:
    """Some exact-ratio box differs from ``box`` by at most one pixel in width and height."""
    low = max(box.h - 1, (box.w - 1) / ratio)
    high = min(box.h + 1, (box.w + 1) / ratio)
    return low <= high + 1e-9


@pytest.mark.parametrize(
    ("text", "value"),
    [("16:9", 16 / 9), ("4x3", 4 / 3), (" 1.91:1 ", 1.91), ("9/16", 9 / 16), ("free", None),
     ("FREE", None)],
)
def test_parse_ratio(text, value):
    ratio = parse_ratio(text)
    assert (ratio if ratio is None else ratio.value) == (value if value is None else
                                                         pytest.approx(value))


@pytest.mark.parametrize("bad", ["16-9", "0:1", "1:0", "abc", "", "16:9:1", "-4:3", "1000:1", 5])
def test_parse_ratio_rejects_bad_text(bad):
    with pytest.raises(ValueError, match="ratio"):
        parse_ratio(bad)


@pytest.mark.parametrize(
    ("ratio", "size", "expected"),
    [
        (16 / 9, (1920, 1080), (1920, 1080)),
        (1.0, (1920, 1080), (1080, 1080)),
        (9 / 16, (1920, 1080), (608, 1080)),
        (16 / 9, (300, 1000), (300, 169)),
        (16 / 9, (1, 1), (1, 1)),
    ],
)
def test_crop_size_is_the_largest_fitting_crop(ratio, size, expected):
    assert crop_size(ratio, *size) == expected


SUBJECT_CASES = [
    # (image size, subject boxes)
    ((640, 480), [Box(280, 200, 80, 80)]),  # small, central
    ((640, 480), [Box(10, 30, 60, 100)]),  # small, near the top-left corner
    ((640, 480), [Box(500, 300, 130, 170)]),  # touching the bottom edge
    ((640, 480), [Box(60, 200, 60, 60), Box(500, 210, 80, 50)]),  # two parts far apart
    ((480, 640), [Box(100, 150, 280, 200)]),  # portrait, wide subject
    ((1200, 300), [Box(900, 40, 200, 220)]),  # panorama
    ((640, 480), [Box(0, 0, 640, 480)]),  # fills the frame
]


@pytest.mark.parametrize(("size", "parts"), SUBJECT_CASES)
def test_subject_kept_whole_in_every_ratio_where_it_fits(size, parts):
    union = parts[0]
    for p in parts[1:]:
        union = union.union(p)
    crops = propose_crops(mask_with(size, *parts), faces=[], ratios=RATIOS, image_size=size)
    for text, crop in crops.items():
        w, h = crop_size(parse_ratio(text).value, *size)
        if union.w <= w and union.h <= h:
            assert crop.box.contains(union), (text, crop)
            assert "keeps the whole subject" in crop.reasons
        else:
            assert any("does not fit" in r for r in crop.reasons), (text, crop)


def test_subject_that_cannot_fit_keeps_its_largest_part():
    # a wide subject made of a big block on the left and a small one on the right, 9:16 crop
    big, small = Box(20, 100, 200, 200), Box(560, 150, 60, 60)
    crop = propose_crops(
        mask_with((640, 480), big, small), faces=[], ratios=["9:16"], image_size=(640, 480)
    )["9:16"]
    assert crop.box.contains(big)
    assert "keeps the main part whole" in crop.reasons


def test_mask_at_another_resolution_than_the_image():
    # the network's mask is 4x smaller than the photo: the crop is in photo pixels
    subject = Box(40, 10, 20, 30)
    crops = propose_crops(mask_with((160, 120), subject), faces=[], ratios=["9:16", "16:9"],
                          image_size=(640, 480))
    for crop in crops.values():
        assert crop.box.contains(Box(160, 40, 80, 120))
        assert crop.box.clamp(640, 480) == crop.box


FACE_CASES = [
    # (image size, subject boxes, faces)
    ((640, 480), [], [Box(20, 40, 60, 70), Box(300, 50, 60, 70), Box(560, 60, 60, 70)]),
    ((640, 480), [Box(200, 100, 240, 380)], [Box(280, 120, 80, 90), Box(590, 20, 50, 60)]),
    ((640, 480), [], [Box(x, 200, 40, 48) for x in range(10, 600, 70)]),  # a row of people
    ((480, 640), [Box(40, 300, 400, 340)], [Box(60, 320, 90, 100), Box(330, 330, 90, 100)]),
    ((1000, 200), [], [Box(470, 20, 60, 70), Box(10, 50, 50, 60), Box(930, 40, 60, 70)]),
    ((300, 300), [], [Box(100, 100, 100, 120)]),
]


@pytest.mark.parametrize(("size", "parts", "faces"), FACE_CASES)
def test_faces_that_fit_are_never_cut(size, parts, faces):
    crops = propose_crops(mask_with(size, *parts), faces=faces, ratios=RATIOS, image_size=size)
    for text, crop in crops.items():
        fitting = [f for f in faces if f.fits_in(crop_size(parse_ratio(text).value, *size))]
        shares = [crop.box.overlap_share(f) for f in fitting]
        assert all(s in (0.0, 1.0) for s in shares), (text, crop.box, shares)
        if any(f.w <= crop.box.w and f.h <= crop.box.h for f in faces):
            assert 1.0 in shares, (text, "a face fits: the crop keeps one")


@pytest.mark.parametrize(("size", "parts", "faces"), FACE_CASES)
def test_a_kept_face_keeps_its_margin_where_the_crop_can_hold_it(size, parts, faces):
    crops = propose_crops(mask_with(size, *parts), faces=faces, ratios=RATIOS, image_size=size)
    for text, crop in crops.items():
        for face in faces:
            guard = face.expanded(FACE_MARGIN).clamp(*size)
            if crop.box.contains(face) and guard.w <= crop.box.w and guard.h <= crop.box.h:
                assert crop.box.contains(guard), (text, crop.box, face, guard)


def test_a_face_whose_margin_cannot_fit_is_still_kept_whole_or_left_out():
    # 3:1 in a 300 px square: the crop is 100 px tall, the face 90 px and its margin 117
    face = Box(100, 100, 100, 90)
    crops = propose_crops(mask_with((300, 300)), faces=[face], ratios=["3:1"],
                          image_size=(300, 300))
    assert crops["3:1"].box.overlap_share(face) in (0.0, 1.0)
    assert "1 face kept whole" in crops["3:1"].reasons
    assert not any("too large" in reason for reason in crops["3:1"].reasons)


def test_a_face_too_large_for_the_slot_is_cut_across_from_the_brows_to_the_chin():
    # a close-up: the 16:9 crop of a 480 × 640 portrait is 270 px tall, the face 300 px
    face = Box(120, 150, 260, 300)
    mask = mask_with((480, 640), Box(60, 100, 380, 540))
    crops = propose_crops(mask, faces=[face], ratios=["16:9", "1:1", "3:1"],
                          image_size=(480, 640))
    wide = crops["16:9"].box
    assert (wide.x, wide.w, wide.h) == (0, 480, 270)  # the largest 16:9 crop: not zoomed in
    brows, chin = face.y + 0.2 * face.h, face.bottom
    assert wide.y <= brows and chin <= wide.bottom  # brows to chin, the eyes in the upper half
    assert "cut across a face too large for any 16:9 crop, brows to chin" in crops["16:9"].reasons
    assert not any("face cut" in reason or "left out" in reason for reason in crops["16:9"].reasons)
    assert crops["16:9"].score < crops["1:1"].score
    assert "1 face kept whole" in crops["1:1"].reasons  # 480 px: the face fits and is kept whole
    strip = crops["3:1"].box  # 160 px tall: not even the brows to the chin fit
    assert strip.y <= face.y + 0.3 * face.h and face.y + 0.8 * face.h <= strip.bottom
    assert "cut across a face too large for any 3:1 crop, eyes to mouth" in crops["3:1"].reasons


def test_only_a_face_that_steers_the_crop_is_cut_across():
    # an editor marked the subject on the right: the wide face on the left is left out, not framed
    size = (1600, 400)
    face = Box(40, 40, 450, 300)  # wider than the 400 × 400 square crop
    mask = mask_with(size, Box(20, 0, 500, 400), Box(1200, 150, 150, 200))
    crops = propose_crops(mask, faces=[face], ratios=["1:1"], image_size=size, focus=(1275, 250))
    assert crops["1:1"].box.overlap_share(face) == 0.0
    assert "1 face left out" in crops["1:1"].reasons
    unmarked = propose_crops(mask, faces=[face], ratios=["1:1"], image_size=size)
    assert "cut across a face too large for any 1:1 crop, brows to chin" in unmarked["1:1"].reasons


def test_faces_that_fit_are_all_kept():
    faces = [Box(200, 100, 50, 60), Box(330, 110, 50, 60)]
    crops = propose_crops(mask_with((640, 480)), faces=faces, ratios=RATIOS,
                          image_size=(640, 480))
    for text, crop in crops.items():
        if text == "1:3":  # 160 px wide: the two faces (180 px) cannot both fit
            assert "1 face kept whole" in crop.reasons
            continue
        assert all(crop.box.contains(f) for f in faces), text
        assert "2 faces kept whole" in crop.reasons


def test_a_face_found_on_a_persons_body_does_not_steer_the_crop():
    """A seated man's portrait (a shared WIDER photo, as served): the face map took a patch of
    floor between his feet, a little larger than his face, for a face. The crops frame his face,
    and keep the false one whole or leave it out."""
    size = (256, 384)
    face, floor = Box(124, 45, 55, 55), Box(105, 326, 61, 57)
    mask = mask_with(size, Box(100, 30, 100, 90), Box(40, 110, 200, 274))  # head, body and legs
    crops = propose_crops(mask, faces=[floor, face], ratios=["16:9", "4:3", "1:1"],
                          image_size=size)
    for text, crop in crops.items():
        assert crop.box.contains(face), text
        assert crop.box.overlap_share(floor) in (0.0, 1.0), text
        # counted as the ranking counts faces: the find on his body is not a face kept or left out
        assert "1 face kept whole" in crop.reasons, text
        assert not any("left out" in r or "faces" in r for r in crop.reasons), text


def test_an_editors_box_names_a_find_on_a_persons_body_only_when_it_cuts_it():
    size = (256, 384)
    face, floor = Box(124, 45, 55, 55), Box(105, 326, 61, 57)
    mask = mask_with(size, Box(100, 30, 100, 90), Box(40, 110, 200, 274))

    def described(box: Box) -> tuple[str, ...]:
        return describe_crop(mask, faces=[floor, face], box=box, image_size=size)

    assert described(Box(0, 0, 256, 250))[1:] == ("1 face kept whole",)
    assert described(Box(0, 0, 256, 350))[1:] == ("1 face kept whole",
                                                  "1 more face on a person's body cut")


def test_a_face_in_the_photo_below_in_a_collage_still_steers_the_crop():
    """Two stacked photos: the larger face of the lower one lies where the upper face's body
    would, but in another photo; the 16:9 crop, which cannot hold both, frames the larger."""
    size = (400, 600)
    panels = [Box(0, 0, 400, 296), Box(0, 304, 400, 296)]
    upper, lower = Box(170, 60, 60, 60), Box(160, 380, 80, 80)
    mask = mask_with(size, Box(150, 40, 100, 120), Box(140, 360, 120, 120))
    crops = propose_crops(mask, faces=[upper, lower], ratios=["16:9"], image_size=size,
                          panels=panels)
    assert crops["16:9"].box.contains(lower)
    one_photo = propose_crops(mask, faces=[upper, lower], ratios=["16:9"], image_size=size)
    assert one_photo["16:9"].box.contains(upper)


SHAPES = [(2000, 50), (50, 2000), (1, 1), (3, 2), (7, 300), (640, 480), (4000, 3000)]


@pytest.mark.parametrize("size", SHAPES)
@pytest.mark.parametrize("fill", ["empty", "full", "noise", "corner"])
def test_crops_stay_inside_and_keep_their_ratio(size, fill):
    width, height = size
    mask = np.zeros((min(height, 500), min(width, 500)), np.float32)
    if fill == "full":
        mask[:] = 1
    elif fill == "noise":
        mask[:] = np.random.default_rng(0).random(mask.shape)
    elif fill == "corner":
        mask[-max(1, mask.shape[0] // 5) :, -max(1, mask.shape[1] // 5) :] = 1
    crops = propose_crops(mask, faces=[Box(0, 0, 1, 1)], ratios=[*RATIOS, "free"],
                          image_size=size)
    for text, crop in crops.items():
        box = crop.box
        assert box.w >= 1 and box.h >= 1
        assert box.clamp(width, height) == box, (text, box)
        if text != "free":
            assert within_a_pixel_of_ratio(box, parse_ratio(text).value), (text, box)
        assert 0.0 <= crop.score <= 1.0
        assert crop.reasons


def test_empty_mask_without_faces_gives_a_central_largest_crop():
    crops = propose_crops(np.zeros((48, 64), np.float32), faces=[], ratios=["1:1", "free"],
                          image_size=(640, 480))
    assert crops["1:1"].box == Box(80, 0, 480, 480)
    assert crops["free"].box == Box(0, 0, 640, 480)


def test_free_keeps_the_subject_with_a_margin():
    subject = Box(300, 200, 100, 80)
    crop = propose_crops(mask_with((1000, 800), subject), faces=[], ratios=["free"],
                         image_size=(1000, 800))["free"]
    assert crop.box.contains(Box(290, 192, 120, 96))
    assert crop.box.area < 1000 * 800 / 2


def test_as_dict_is_json():
    crops = propose_crops(mask_with((64, 48), Box(10, 10, 10, 10)), faces=[], ratios=["4:3"],
                          image_size=(64, 48))
    data = json.loads(json.dumps(crops["4:3"].as_dict()))
    assert data["box"] == [0, 0, 64, 48]
    assert isinstance(data["reasons"], list)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ratios": ["16:9", "wide"]}, "ratio"),
        ({"image_size": (0, 10)}, "image_size"),
        ({"image_size": "big"}, "image_size"),
        ({"foreground": np.ones((4, 4, 3), np.float32)}, "shape"),
        ({"faces": [[1, 2, 3, 4]]}, "Box"),
    ],
)
def test_bad_input_is_rejected_clearly(kwargs, message):
    arguments = {"foreground": np.zeros((4, 4), np.float32), "faces": [], "ratios": ["1:1"],
                 "image_size": (40, 40), **kwargs}
    with pytest.raises(ValueError, match=message):
        propose_crops(arguments.pop("foreground"), **arguments)


def test_the_callers_mask_is_left_untouched_and_booleans_are_accepted():
    mask = np.zeros((48, 64), bool)
    mask[10:20, 10:20] = True
    before = mask.copy()
    crops = propose_crops(mask, faces=[Box(40, 5, 10, 10)], ratios=["1:1"], image_size=(64, 48))
    np.testing.assert_array_equal(mask, before)
    assert crops["1:1"].box.contains(Box(10, 10, 10, 10))


def test_weights_trade_size_for_composition():
    # a small subject near the left edge: the largest crop cannot centre it, a smaller one can
    mask = mask_with((640, 480), Box(40, 200, 60, 60))
    default = propose_crops(mask, faces=[], ratios=["1:1"], image_size=(640, 480))["1:1"]
    framing = propose_crops(mask, faces=[], ratios=["1:1"], image_size=(640, 480),
                            weights=CropWeights(size=0.0, composition=3.0))["1:1"]
    assert default.box.h == 480
    assert not any("zoomed" in r for r in default.reasons)
    assert framing.box.h < 480
    assert any("zoomed in" in r for r in framing.reasons)
    assert framing.box.contains(Box(40, 200, 60, 60))


def test_an_editors_box_is_described_as_the_proposals_are():
    size = (400, 300)
    subject = Box(100, 100, 100, 100)
    face = Box(120, 110, 40, 40)
    mask = mask_with(size, subject)

    def described(box: Box, faces=(face,)) -> tuple[str, ...]:
        return describe_crop(mask, faces=list(faces), box=box, image_size=size)

    assert described(Box(50, 50, 200, 200)) == ("keeps the whole subject", "1 face kept whole")
    assert described(Box(150, 50, 200, 200)) == ("keeps 50% of the subject", "0 faces kept whole",
                                                 "1 face cut")
    assert described(Box(200, 0, 200, 300)) == ("keeps 0% of the subject", "0 faces kept whole",
                                                "1 face left out")
    assert described(Box(0, 0, 400, 300), faces=()) == ("keeps the whole subject",)
    assert describe_crop(np.zeros((30, 40), np.float32), faces=[face], box=Box(150, 0, 250, 300),
                         image_size=size) == ("0 faces kept whole", "1 face cut")
    with pytest.raises(ValueError, match="Box"):
        describe_crop(mask, faces=[[1, 2, 3, 4]], box=Box(0, 0, 10, 10), image_size=size)
