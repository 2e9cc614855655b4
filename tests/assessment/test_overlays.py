"""Text laid over the picture: captions, subtitles, a channel's name and watermarks found, and
crops that keep each line whole or leave it out."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from assessment.cropping import describe_crop, propose_crops
from assessment.geometry import Box
from assessment.overlays import overlay_text
from tests.assessment.conftest import jpeg_copy
from tests.conftest import photo, written


def covers(found: list[Box], letters: Box) -> bool:
    """Whether one block found holds the letters whole, with no more than its margin round them,
    or than the band ``written`` draws behind them (6 px to the sides, 5 up and down)."""
    band = Box(letters.x - 8, letters.y - 7, letters.w + 16, letters.h + 14)
    return any(b.contains(letters) and (b.area <= 2.5 * letters.area or band.contains(b))
               for b in found)


def crop_beside(image: Image.Image, block: Box, subject: tuple[slice, slice], ratio: str) -> Box:
    """The crop proposed at ``ratio`` for ``image`` whose subject fills the ``subject`` rows and
    columns, with ``block`` its text laid over the picture."""
    mask = np.zeros((image.height, image.width), np.float32)
    mask[subject] = 1.0
    return propose_crops(mask, faces=[], ratios=[ratio], image_size=image.size,
                         overlays=[block])[ratio].box


@pytest.mark.parametrize("left", [60, 1], ids=["inset", "from the picture's left edge"])
def test_a_block_reaches_to_the_edges_of_the_band_it_is_set_on(left: int):
    # a TV ad's panel: a strip of small print above the caption line, then the picture
    image = photo(480, 320, seed=5)
    ImageDraw.Draw(image).rectangle([0, 214, 479, 274], fill=(240, 120, 50))
    for x in range(10, 470, 60):
        written(image, "FREE", (x, 216), size=9)
    letters = written(image, "Consult a doctor today", (left, 240), size=20)
    (block,) = overlay_text(np.asarray(jpeg_copy(image, 85)))
    assert block.contains(letters)
    assert 212 <= block.y <= 216 and 272 <= block.bottom <= 276  # the panel's rows, no more
    # a crop leaving the caption out shows no strip of its panel
    crop = crop_beside(image, block, np.s_[60:200, 150:330], "16:9")
    assert crop.bottom <= 214 or crop.contains(block)


def test_a_block_reaches_to_the_sides_of_a_names_strap():
    # a short name on a strap that runs on past it: a crop leaving the name out by its side
    # leaves the strap out too
    image = photo(480, 320, seed=7)
    ImageDraw.Draw(image).rectangle([10, 246, 139, 281], fill=(20, 40, 110))
    letters = written(image, "Jo Lee", (20, 252), size=20)
    (block,) = overlay_text(np.asarray(jpeg_copy(image, 85)))
    assert block.contains(letters)
    assert 8 <= block.x <= 12 and 138 <= block.right <= 142  # the strap's columns, no more
    assert crop_beside(image, block, np.s_[40:300, 170:390], "1:1").x >= 140


def test_subtitles_on_a_plain_sky_are_not_grown_into_it():
    image = Image.new("RGB", (480, 320), (110, 160, 215))
    letters = written(image, "we will rebuild the bridge", (110, 280), outline=True)
    (block,) = overlay_text(np.asarray(jpeg_copy(image, 85)))
    assert block.contains(letters) and block.area <= 2.5 * letters.area


def test_a_lower_third_caption_is_found():
    image = photo(480, 320, seed=1)
    letters = written(image, "Minister resigns over storm", (20, 262), band=(20, 40, 110))
    assert covers(overlay_text(np.asarray(jpeg_copy(image, 85))), letters)


def test_subtitles_with_an_outline_are_found():
    image = photo(480, 320, seed=2)
    letters = written(image, "we will rebuild the bridge", (110, 280), outline=True)
    assert covers(overlay_text(np.asarray(jpeg_copy(image, 85))), letters)


def test_a_channels_name_in_a_corner_is_found():
    image = photo(480, 320, seed=3)
    letters = written(image, "NEWS 24", (400, 12), size=14, band=(180, 20, 20))
    assert covers(overlay_text(np.asarray(jpeg_copy(image, 85))), letters)


def test_two_lines_of_a_caption_are_one_block():
    image = photo(480, 320, seed=4)
    first = written(image, "Floods close the coast road", (20, 250), band=(20, 40, 110))
    second = written(image, "Police say it may take days", (20, 272), band=(20, 40, 110))
    found = overlay_text(np.asarray(jpeg_copy(image, 85)))
    assert len(found) == 1 and found[0].contains(first.union(second))


def test_a_name_under_a_caption_joins_its_block():
    """A lower third's second line, a short name, would not count as laid over the picture by
    itself; under the first line it is part of the caption."""
    image = photo(480, 320, seed=4)
    first = written(image, "Floods close the coast road", (20, 250), band=(20, 40, 110))
    name = written(image, "Jo Lee", (20, 272), band=(20, 40, 110))
    alone = photo(480, 320, seed=4)
    written(alone, "Jo Lee", (20, 272), band=(20, 40, 110))
    assert overlay_text(np.asarray(jpeg_copy(alone, 85))) == []
    found = overlay_text(np.asarray(jpeg_copy(image, 85)))
    assert len(found) == 1 and found[0].contains(first.union(name))


def test_a_second_line_in_another_colour_joins_its_block():
    """A lower third's second line in dark blue on a white band (as TV news sets it): no colour
    captions are set in by itself, but part of the caption above it."""
    image = photo(480, 320, seed=6)
    first = written(image, "Teen mom jailhouse interview", (20, 250), band=(40, 140, 230))
    second = written(image, "Reality star: five years", (20, 273), band=(245, 245, 245),
                     ink=(20, 40, 120))
    found = overlay_text(np.asarray(jpeg_copy(image, 85)))
    assert len(found) == 1 and found[0].contains(first.union(second))


def test_a_long_caption_line_higher_up_a_tv_frames_graphics_is_found():
    """A TV frame stacks its graphics (a caption over a web address over a ticker) up to 30 % of
    its height: a long caption line there is laid over the picture, a few words there are not."""
    image = photo(480, 320, seed=8)
    letters = written(image, "Consult a doctor free of charge", (20, 228), band=(230, 110, 20))
    assert 0.2 < (320 - letters.bottom) / 320 < 0.3
    assert covers(overlay_text(np.asarray(jpeg_copy(image, 85))), letters)
    words = photo(480, 320, seed=8)
    written(words, "Call us", (20, 228), band=(230, 110, 20))
    assert overlay_text(np.asarray(jpeg_copy(words, 85))) == []


def test_a_large_image_gets_the_text_in_its_own_pixels():
    image = photo(480, 320, seed=5)
    letters = written(image, "Election night results", (20, 262), band=(20, 40, 110))
    large = image.resize((2400, 1600), Image.BICUBIC)
    found = overlay_text(np.asarray(jpeg_copy(large, 90)))
    assert covers(found, letters.scaled(5, 5))


def test_text_in_the_middle_of_the_picture_is_not_taken_for_a_caption():
    """A sign or a shirt's print in the middle of the frame is part of the scene."""
    image = photo(480, 320, seed=6)
    written(image, "Harbour market", (150, 150), band=(20, 40, 110))
    assert overlay_text(np.asarray(jpeg_copy(image, 85))) == []


def test_letters_in_a_colour_captions_are_not_set_in_are_no_caption_by_themselves():
    """Brown letters along the bottom (a shop's name on its awning) are part of the scene."""
    image = photo(480, 320, seed=7)
    written(image, "Harbour market and fish", (20, 262), band=(230, 220, 180), ink=(120, 70, 30))
    assert overlay_text(np.asarray(jpeg_copy(image, 85))) == []


@pytest.mark.parametrize("case", ["plain", "noise", "stripes", "tiles"])
def test_pictures_without_text_have_none(case):
    rng = np.random.default_rng(0)
    ys, xs = np.mgrid[0:320, 0:480]
    pictures = {
        "plain": np.full((320, 480, 3), 128.0),
        "noise": rng.normal(128, 40, (320, 480, 3)),
        # a zebra's coat, along the whole frame
        "stripes": np.repeat((127 + 120 * np.sin(xs / 4.0 + np.sin(ys / 20.0)))[..., None], 3, -1),
        # windows of an office block, row on row
        "tiles": np.repeat(np.where((xs % 16 < 9) & (ys % 24 < 14), 230.0, 40.0)[..., None], 3, -1),
    }
    rgb = np.clip(pictures[case], 0, 255).astype(np.uint8)
    assert overlay_text(np.asarray(jpeg_copy(Image.fromarray(rgb), 85))) == []


@pytest.mark.parametrize("size", [(1, 1), (2, 3), (4000, 20), (6, 900)])
def test_a_picture_too_small_or_thin_for_a_letter_has_no_text(size):
    width, height = size
    rgb = np.random.default_rng(0).integers(0, 255, (height, width, 3), dtype=np.uint8)
    assert overlay_text(rgb) == []


@pytest.mark.parametrize(("name", "at"), [("cake08_000000485972", "top"), ("apple04_000000562059", "bottom")])
def test_a_photographers_name_on_a_shared_photo_is_found(data_root, name, at):
    """Two COCO photos carry their photographer's blog address across the top, or name in the
    bottom left corner."""
    path = data_root / f"objects/train/images/cocomval_{name}.jpg"
    rgb = np.asarray(Image.open(path).convert("RGB"))
    found = overlay_text(rgb)
    height = rgb.shape[0]
    assert len(found) == 1
    assert (found[0].bottom < 0.15 * height) if at == "top" else (found[0].y > 0.85 * height)


def test_a_shared_photo_without_text_has_none(data_root):
    path = next((data_root / "sod/val/images").glob("*.jpg"))
    assert overlay_text(np.asarray(Image.open(path).convert("RGB"))) == []


def test_overlay_text_refuses_what_is_not_an_rgb_image():
    with pytest.raises(ValueError, match="uint8"):
        overlay_text(np.zeros((20, 20), np.uint8))


def tv_grab(subject=(0.5, 0.45)) -> tuple[np.ndarray, list[Box]]:
    """A 640 × 360 frame's foreground map (the subject's ellipse) and the block of a lower third
    across most of its width."""
    ys, xs = np.mgrid[0:360, 0:640]
    inside = ((xs - subject[0] * 640) / (640 * 0.18)) ** 2 + ((ys - subject[1] * 360) / 90) ** 2
    return (inside <= 1).astype(np.float32), [Box(24, 286, 560, 40)]


def cut_through(box: Box, blocks: list[Box]) -> bool:
    return any(0.0 < box.overlap_share(b) < 1.0 for b in blocks)


def test_no_crop_cuts_through_a_lower_third():
    """Without the caption known, the square and the portrait crops show half of it; with it,
    they leave it out."""
    foreground, blocks = tv_grab()
    ratios = ["16:9", "4:3", "1:1", "4:5", "free"]
    blind = propose_crops(foreground, faces=[], ratios=ratios, image_size=(640, 360))
    assert cut_through(blind["1:1"].box, blocks) and cut_through(blind["4:5"].box, blocks)
    crops = propose_crops(foreground, faces=[], ratios=ratios, image_size=(640, 360),
                          overlays=blocks)
    for ratio, crop in crops.items():
        assert not cut_through(crop.box, blocks), ratio
    for ratio in ("16:9", "1:1"):  # left out where that costs little: zoomed in above it
        assert crops[ratio].box.intersection(blocks[0]) is None
        assert "leaves out the text laid over the picture" in crops[ratio].reasons
    assert "shows the text laid over the picture whole" in describe_crop(
        foreground, faces=[], box=Box(0, 0, 640, 360), image_size=(640, 360), overlays=blocks)


def test_the_free_crop_stops_short_of_a_caption_under_the_subject():
    """The subject's margin would reach 9 px into the caption: the free crop stops above it."""
    foreground, blocks = tv_grab(subject=(0.5, 0.52))
    crop = propose_crops(foreground, faces=[], ratios=["free"], image_size=(640, 360),
                         overlays=blocks)["free"]
    assert crop.box.bottom == blocks[0].y
    assert crop.reasons[-1] == "leaves out the text laid over the picture"


def test_a_crop_cut_across_a_close_up_moves_off_the_caption():
    """A face taller than any 3:1 crop is cut across, eyes to mouth; centred there, the crop
    would cut the caption's top, so it moves up off it."""
    face = Box(220, 20, 200, 330)
    foreground = np.zeros((360, 640), np.float32)
    foreground[20:350, 220:420] = 1.0
    blocks = [Box(24, 286, 560, 40)]
    crop = propose_crops(foreground, faces=[face], ratios=["3:1"], image_size=(640, 360),
                         overlays=blocks)["3:1"]
    assert any(r.startswith("cut across a face") for r in crop.reasons)
    assert crop.box.bottom <= blocks[0].y


@pytest.mark.parametrize("seed", range(24))
def test_crops_keep_text_whole_or_leave_it_out_and_never_cut_a_face(seed):
    rng = np.random.default_rng(seed)
    width, height = int(rng.integers(400, 900)), int(rng.integers(300, 700))
    cx, cy = rng.uniform(0.25, 0.75), rng.uniform(0.42, 0.58)  # text and subject apart
    ys, xs = np.mgrid[0:height, 0:width]
    foreground = ((((xs - cx * width) / (0.2 * width)) ** 2
                   + ((ys - cy * height) / (0.25 * height)) ** 2) <= 1).astype(np.float32)
    face = Box(round(cx * width - 0.05 * width), round(cy * height - 0.2 * height),
               round(0.1 * width), round(0.1 * width))
    text_h = round(height * rng.uniform(0.05, 0.1))
    text_w = round(width * rng.uniform(0.1, 0.8))
    text_x = int(rng.integers(0, width - text_w))
    text_y = (int(rng.integers(0, round(0.05 * height))) if rng.random() < 0.5
              else height - text_h - int(rng.integers(0, round(0.05 * height))))
    blocks = [Box(text_x, text_y, text_w, text_h)]
    crops = propose_crops(foreground, faces=[face], ratios=["16:9", "4:3", "1:1", "4:5", "free"],
                          image_size=(width, height), overlays=blocks)
    for ratio, crop in crops.items():
        assert not cut_through(crop.box, blocks), ratio
        assert not cut_through(crop.box, [face]), ratio


def test_crops_inside_bars_are_those_without_them():
    foreground, blocks = tv_grab(subject=(0.4, 0.45))
    padded = np.zeros((480, 640), np.float32)
    padded[60:420] = foreground
    ratios = ["1:1", "4:3", "4:5", "free"]
    alone = propose_crops(foreground, faces=[], ratios=ratios, image_size=(640, 360),
                          overlays=blocks)
    barred = propose_crops(padded, faces=[], ratios=ratios, image_size=(640, 480),
                           content=Box(0, 60, 640, 360), overlays=[b.shifted(0, 60) for b in blocks])
    assert {r: c.box.shifted(0, 60) for r, c in alone.items()} == {r: c.box for r, c in barred.items()}


def test_an_editors_crop_through_a_caption_is_named():
    foreground, blocks = tv_grab()
    reasons = describe_crop(foreground, faces=[], box=Box(100, 100, 250, 250),
                            image_size=(640, 360), overlays=blocks)
    assert "cuts through text laid over the picture" in reasons


def test_a_bad_block_is_refused():
    foreground, _ = tv_grab()
    with pytest.raises(ValueError, match="overlays"):
        propose_crops(foreground, faces=[], ratios=["1:1"], image_size=(640, 360),
                      overlays=[[0, 0, 10, 10]])
