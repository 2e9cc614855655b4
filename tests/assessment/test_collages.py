"""Collages: the photos of a collage found, and crops that show whole photos or fair shares."""

import numpy as np
import pytest
from PIL import Image

from assessment.collages import (
    GUTTER_ROW_SHARE,
    SLIVER_SHARE,
    collage_flaws,
    collage_panels,
    gutter_sides,
    slivers,
)
from assessment.cropping import describe_crop, propose_crops
from assessment.geometry import Box
from tests.assessment.conftest import jpeg_copy
from tests.conftest import photo

WHITE, BLACK = (255, 255, 255), (0, 0, 0)


def laid_out(columns, *, gutter=0, colour=WHITE, height=240):
    """Photos side by side: ``columns`` of (width, photos stacked in it), ``gutter`` px between
    them, as JPEG at quality 90; returns the image and each photo's box."""
    width = sum(w for w, _ in columns) + gutter * (len(columns) - 1)
    canvas = Image.new("RGB", (width, height), colour)
    boxes, x, seed = [], 0, 0
    for w, stacked in columns:
        h = (height - gutter * (stacked - 1)) // stacked
        for row in range(stacked):
            box = Box(x, row * (h + gutter), w, h)
            seed += 1
            canvas.paste(photo(w, h, seed=seed, subject=(0.3 + 0.15 * (seed % 3), 0.5)),
                         (box.x, box.y))
            boxes.append(box)
        x += w + gutter
    return np.asarray(jpeg_copy(canvas, 90)), boxes


def close(found, truth, slack=2):
    """Whether the panels found are the photos, each side within ``slack`` px (a gutter's edge
    is given up, and a JPEG blurs a cut over a pixel or two)."""
    def order(boxes):
        return sorted(boxes, key=lambda b: (b.y, b.x))

    return len(found) == len(truth) and all(
        max(abs(f.x - t.x), abs(f.y - t.y), abs(f.right - t.right), abs(f.bottom - t.bottom))
        <= slack for f, t in zip(order(found), order(truth), strict=True))


@pytest.mark.parametrize(
    ("columns", "gutter", "colour"),
    [
        (((200, 1), (200, 1)), 6, WHITE),  # two portraits, a white line between
        (((200, 1), (200, 1)), 3, BLACK),
        (((300, 1), (180, 1)), 0, WHITE),  # two photos meeting with no gutter: a cut
        (((130, 1), (130, 1), (130, 1)), 5, WHITE),  # a triptych
        (((320, 2),), 8, WHITE),  # two photos stacked
        (((200, 2), (200, 2)), 6, BLACK),  # a 2 × 2 grid
        (((240, 1), (200, 2)), 6, WHITE),  # a large photo beside two stacked
    ],
)
def test_the_photos_of_a_collage_are_found(columns, gutter, colour):
    image, truth = laid_out(columns, gutter=gutter, colour=colour)
    assert close(collage_panels(image), truth)


def test_a_large_collage_is_found_in_its_own_pixels():
    """Looked for on a copy 1,024 px long, the photos come back in the image's pixels, each side
    along a seam within a pixel of the copy (2.4 here) of the photo's."""
    image, truth = laid_out(((1196, 1), (1196, 1)), gutter=8, height=1000)
    found = collage_panels(image)
    assert close(found, truth, slack=4)
    assert found[0].right <= truth[0].right and found[1].x >= truth[1].x  # no gutter in them


def test_one_photo_is_no_collage():
    assert collage_panels(np.asarray(jpeg_copy(photo(400, 240, seed=2), 90))) == ()


def test_plain_columns_between_people_on_a_backdrop_are_no_gutter():
    """Two subjects on a white backdrop leave plain columns between them, but their edges are not
    straight: no seam."""
    ys, xs = np.mgrid[0:240, 0:400]
    image = np.full((240, 400, 3), 250, np.uint8)
    for cx in (110, 290):
        image[((xs - cx) / 60.0) ** 2 + ((ys - 140) / 100.0) ** 2 <= 1] = (90, 60, 40)
    assert collage_panels(image) == ()


def test_a_textured_band_across_a_photo_is_no_gutter():
    """A river across a meadow is one colour within the bar's tolerance, with straight edges, but
    it is not flat as a gutter is."""
    rng = np.random.default_rng(3)
    image = np.asarray(photo(256, 384, seed=3)).copy()
    image[140:154] = np.clip(rng.normal((70, 110, 170), 9, (14, 256, 3)), 0, 255)
    assert collage_panels(image) == ()
    image[140:154] = (70, 110, 170)  # the same band flat: a gutter
    assert len(collage_panels(image)) == 2


def test_a_horizon_is_no_cut_but_photos_side_by_side_are():
    """A straight horizon steps across the whole width as photos stacked without a gutter do;
    only photos side by side are split at a cut."""
    image = np.zeros((300, 300, 3), np.uint8)
    image[:140], image[140:] = (150, 190, 230), (30, 70, 120)
    rng = np.random.default_rng(4)
    noisy = np.clip(image + rng.normal(0, 6, image.shape), 0, 255).astype(np.uint8)
    noisy[100:240, 120:180] = (200, 40, 40)  # a boat, so the halves are no plain stripes
    assert collage_panels(noisy) == ()
    assert len(collage_panels(noisy.transpose(1, 0, 2).copy())) == 2


def test_plain_stripes_are_no_photos():
    """A flag's stripes meet at straight steps, but a panel must hold a picture."""
    image = np.zeros((200, 300, 3), np.uint8)
    image[:, :100], image[:, 100:200], image[:, 200:] = (0, 35, 149), (255, 255, 255), (237, 41, 57)
    assert collage_panels(image) == ()


def test_a_narrow_strip_is_no_panel():
    """Straight edges 10 % in from the side (a door frame, a pole) do not make a photo."""
    image, _ = laid_out(((40, 1), (360, 1)), gutter=4)
    assert collage_panels(image) == ()


def test_a_cut_near_the_side_is_taken_for_a_door_frame():
    """A straight edge a quarter of the way across is more often a door frame or a wall's corner
    than two photos meeting; a third of the way across, it is a cut (with a gutter, both are)."""
    assert collage_panels(laid_out(((100, 1), (300, 1)))[0]) == ()
    image, truth = laid_out(((130, 1), (270, 1)))
    assert close(collage_panels(image), truth)
    image, truth = laid_out(((100, 1), (300, 1)), gutter=4)
    assert close(collage_panels(image), truth)


def test_a_gutter_of_two_tones_is_one_gutter():
    """A white line beside a light grey one (a designer's double rule) is one gutter."""
    image, truth = laid_out(((200, 1), (200, 1)), gutter=8)
    image = image.copy()
    image[:, 204:208] = (222, 222, 222)
    assert close(collage_panels(image), truth)


def test_straight_lines_in_a_photo_do_not_hide_its_gutter():
    """Tiles' joints run straight down a photo like cuts, too close together to be photos: the
    gutter beside them still splits the collage."""
    image, truth = laid_out(((300, 1), (300, 1)), gutter=6)
    image = image.copy()
    for x in range(320, 600, 36):
        image[:, x : x + 3] = (30, 30, 30)
    assert close(collage_panels(image), truth)


def test_a_gutter_must_be_plain_down_its_whole_height():
    image, truth = laid_out(((200, 1), (200, 1)), gutter=6)
    spoilt = image.copy()
    rows = int((1 - GUTTER_ROW_SHARE) * 240) + 6
    spoilt[:rows, 198:208] = (40, 40, 40)  # the photos run together at the top
    assert close(collage_panels(image), truth)
    assert collage_panels(spoilt) == ()


def test_shared_photos_a_collage_and_a_meadow(data_root):
    """A WIDER collage of two photos meeting with no gutter, and a bear before a river."""
    collage = data_root / "faces/images/13_Interview_Interview_On_Location_13_399.jpg"
    found = collage_panels(np.asarray(Image.open(collage).convert("RGB")))
    assert [(p.x, p.w) for p in found] == [(0, 191), (193, 191)]  # a column given up each side
    bear = next(data_root.glob("sod/*/images/100080.jpg"))
    assert collage_panels(np.asarray(Image.open(bear).convert("RGB"))) == ()


def test_slivers_and_gutters_of_a_crop():
    left, right = Box(0, 0, 200, 240), Box(206, 0, 200, 240)
    panels = [left, right]
    assert collage_flaws(Box(10, 0, 180, 240), panels) == 0  # inside one photo
    assert collage_flaws(Box(0, 0, 406, 240), panels) == 0  # both photos whole
    assert collage_flaws(Box(100, 0, 240, 240), panels) == 0  # fair shares of both
    sliver = Box(40, 0, 200, 240)  # 34 px of the right photo: 17 % of the crop
    assert slivers(sliver, panels) == 1 and SLIVER_SHARE * sliver.w > 34
    assert gutter_sides(Box(10, 0, 193, 240), panels) == 1  # its right side in the gutter
    assert collage_flaws(Box(10, 0, 190, 240), []) == 0
    narrow = [Box(0, 0, 300, 240), Box(300, 0, 60, 240)]  # a narrow photo, held whole
    assert collage_flaws(Box(0, 0, 360, 240), narrow) == 0


RATIOS = ("16:9", "4:3", "1:1", "9:16", "3:1", "free")
#: Collages of 608 × 400: two portraits with an 8-px gutter; a triptych; a 2 × 2 grid; and of
#: 814 × 540, two with a 4-px gutter.
LAYOUTS = {
    "pair": [Box(0, 0, 300, 400), Box(308, 0, 300, 400)],
    "triptych": [Box(0, 0, 197, 400), Box(205, 0, 198, 400), Box(411, 0, 197, 400)],
    "grid": [Box(0, 0, 300, 196), Box(308, 0, 300, 196), Box(0, 204, 300, 196),
             Box(308, 204, 300, 196)],
    "wide pair": [Box(0, 0, 405, 540), Box(409, 0, 405, 540)],
}


def subject_mask(*boxes, size=(608, 400)):
    mask = np.zeros(size[::-1], np.float32)
    for b in boxes:
        mask[b.y : b.bottom, b.x : b.right] = 1.0
    return mask


def test_a_crop_shows_no_sliver_of_a_second_photo():
    """A large subject in the left photo and a small one by the gutter in the right: the crop
    round both shows 27 % of the right photo, the crop of the collage shows fair shares."""
    parts = (Box(40, 40, 220, 360), Box(330, 250, 60, 100))
    mask = subject_mask(*parts)
    panels = LAYOUTS["pair"]
    plain = propose_crops(mask, faces=[], ratios=["1:1"], image_size=(608, 400))["1:1"]
    crop = propose_crops(mask, faces=[], ratios=["1:1"], image_size=(608, 400),
                         panels=panels)["1:1"]
    assert slivers(plain.box, panels) == 1
    assert collage_flaws(crop.box, panels) == 0
    assert "shows 2 of the 2 photos of the collage" in crop.reasons
    assert not any("sliver" in r for r in crop.reasons)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("seed", range(10))
def test_crops_of_a_collage_show_whole_photos_or_fair_shares_and_cut_no_face(layout, seed):
    rng = np.random.default_rng(seed)
    panels = LAYOUTS[layout]
    size = (panels[-1].right, panels[-1].bottom)
    parts, faces = [], []
    for panel in rng.choice(len(panels), size=2, replace=False):
        p = panels[panel]
        w, h = int(rng.integers(40, p.w // 2)), int(rng.integers(40, p.h // 2))
        x, y = p.x + int(rng.integers(0, p.w - w)), p.y + int(rng.integers(0, p.h - h))
        parts.append(Box(x, y, w, h))
        faces.append(Box(x + w // 4, y + 4, w // 2, min(h // 3, w // 2)))
    crops = propose_crops(subject_mask(*parts, size=size), faces=faces, ratios=RATIOS,
                          image_size=size, panels=panels)
    for ratio, crop in crops.items():
        assert collage_flaws(crop.box, panels) == 0, (ratio, crop)
        assert all(crop.box.overlap_share(f) in (0.0, 1.0) for f in faces), (ratio, crop)


@pytest.mark.parametrize("layout", ["pair", "grid"])
def test_a_collage_inside_bars_is_cropped_as_without_them(layout):
    """The bars change nothing but where the crops lie."""
    panels = LAYOUTS[layout]
    bare = subject_mask(Box(40, 220, 220, 170), Box(330, 250, 60, 100))
    padded = np.zeros((520, 608), np.float32)
    padded[60:460] = bare
    ratios = ["1:1", "16:9", "4:3", "free"]
    alone = propose_crops(bare, faces=[], ratios=ratios, image_size=(608, 400), panels=panels)
    barred = propose_crops(padded, faces=[], ratios=ratios, image_size=(608, 520),
                           content=Box(0, 60, 608, 400), panels=[p.shifted(0, 60) for p in panels])
    assert {r: c.box.shifted(0, 60) for r, c in alone.items()} == {r: c.box for r, c in barred.items()}


@pytest.mark.parametrize("layout", ["pair", "grid"])
def test_a_collage_inside_bars_is_cropped_inside_them(layout):
    picture = Box(0, 60, 608, 400)
    panels = [p.shifted(0, 60) for p in LAYOUTS[layout]]
    mask = np.zeros((520, 608), np.float32)
    mask[100:460, 40:260], mask[310:410, 330:390] = 1.0, 1.0
    crops = propose_crops(mask, faces=[], ratios=["1:1", "16:9", "4:3"], image_size=(608, 520),
                          content=picture, panels=panels)
    for crop in crops.values():
        assert picture.contains(crop.box)
        assert collage_flaws(crop.box, panels) == 0


def test_a_face_too_large_in_a_collage_is_cut_across_within_its_photo():
    panels = LAYOUTS["pair"]
    face = Box(60, 40, 200, 260)  # taller than any 3:1 crop (608 × 203)
    crop = propose_crops(subject_mask(face), faces=[face], ratios=["3:1"], image_size=(608, 400),
                         panels=panels)["3:1"]
    assert any(r.startswith("cut across a face") for r in crop.reasons)
    assert collage_flaws(crop.box, panels) == 0


def test_a_crop_cut_across_a_face_shows_no_strip_of_the_gutter():
    """Two photos stacked, a face too large for any 3:1 crop near the top one's foot: the crop
    cut across it would run 3 px into the gutter, and is moved up onto the photo's edge."""
    panels = [Box(0, 0, 600, 300), Box(0, 308, 600, 300)]
    face = Box(200, 60, 240, 240)
    crop = propose_crops(subject_mask(face, size=(600, 608)), faces=[face], ratios=["3:1"],
                         image_size=(600, 608), panels=panels)["3:1"]
    assert "cut across a face too large for any 3:1 crop, brows to chin" in crop.reasons
    assert collage_flaws(crop.box, panels) == 0


def test_an_editors_crop_of_a_collage_is_described():
    panels = LAYOUTS["pair"]
    mask = subject_mask(Box(40, 40, 220, 360))

    def described(box):
        return describe_crop(mask, faces=[], box=box, image_size=(608, 400), panels=panels)

    assert described(Box(0, 0, 300, 300))[-1] == "shows 1 of the 2 photos of the collage"
    assert described(Box(20, 0, 330, 330))[-2:] == ("shows 2 of the 2 photos of the collage",
                                                    "shows a sliver of a photo of the collage")
    assert described(Box(0, 0, 304, 300))[-1] == "shows a strip of the gutter between photos"
    assert described(Box(0, 0, 300, 300))[:1] == describe_crop(
        mask, faces=[], box=Box(0, 0, 300, 300), image_size=(608, 400))
    with pytest.raises(ValueError, match="panels"):
        describe_crop(mask, faces=[], box=Box(0, 0, 9, 9), image_size=(608, 400), panels=[[0]])
