"""Plain bars, frames and blurred fills round a picture: found, assessed without, and kept out of
the crops."""

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from assessment.classical import ClassicalPredictor
from assessment.cropping import propose_crops
from assessment.framing import (
    EDGE_INSET,
    FILL_INSET,
    bars_of,
    content_box,
    predict_framed,
)
from assessment.geometry import Box
from assessment.predictor import load_predictor
from assessment.semantics import describe_foreground
from tests.assessment.conftest import jpeg_copy
from tests.conftest import photo


def framed(picture: Image.Image, *, top=0, bottom=0, left=0, right=0, colour=(0, 0, 0)):
    """``picture`` on a plain canvas with bars of the given thickness; returns (image, its box)."""
    image = Image.new("RGB", (picture.width + left + right, picture.height + top + bottom), colour)
    image.paste(picture, (left, top))
    return image, Box(left, top, picture.width, picture.height)


def inset(picture: Box, **bars) -> Box:
    """``picture`` less the row (`EDGE_INSET`) given up along each side with a bar."""
    left, top = (EDGE_INSET if bars.get(side) else 0 for side in ("left", "top"))
    right, bottom = (EDGE_INSET if bars.get(side) else 0 for side in ("right", "bottom"))
    return Box(picture.x + left, picture.y + top, picture.w - left - right,
               picture.h - top - bottom)


@pytest.mark.parametrize(
    ("bars", "colour"),
    [
        ({"top": 40, "bottom": 40}, (0, 0, 0)),  # a letterboxed video still
        ({"left": 70, "right": 70}, (0, 0, 0)),  # a pillarboxed portrait
        ({"top": 12, "bottom": 30, "left": 12, "right": 12}, (255, 255, 255)),  # a mount
        ({"top": 3, "bottom": 3}, (20, 20, 20)),  # thin dark lines, as a scan's
    ],
)
def test_the_picture_inside_bars_is_found_to_the_pixel(bars, colour):
    image, picture = framed(photo(320, 240, seed=1), colour=colour, **bars)

    assert content_box(np.asarray(image)) == inset(picture, **bars)


@pytest.mark.parametrize("quality", [95, 75, 50])
def test_a_jpegs_ringing_leaves_no_bar_inside_the_box(quality):
    image, picture = framed(photo(320, 240, seed=2), top=36, bottom=36, left=16, right=16)

    found = content_box(np.asarray(jpeg_copy(image, quality)))

    assert picture.contains(found)
    assert found.area >= 0.98 * picture.area


def in_blurred_fill(picture: Image.Image, size: tuple[int, int]) -> tuple[Image.Image, Box]:
    """``picture`` centred in a ``size`` frame whose sides are its own copy, enlarged to cover the
    frame and blurred, as a phone's video is shown; returns (image, the picture's box)."""
    cover = max(size[0] / picture.width, size[1] / picture.height)
    fill = picture.resize((round(picture.width * cover), round(picture.height * cover)))
    left, top = (fill.width - size[0]) // 2, (fill.height - size[1]) // 2
    fill = fill.crop((left, top, left + size[0], top + size[1])).filter(ImageFilter.BoxBlur(12))
    box = Box((size[0] - picture.width) // 2, (size[1] - picture.height) // 2, *picture.size)
    fill.paste(picture, (box.x, box.y))
    return fill, box


@pytest.mark.parametrize(
    ("picture", "frame"),
    [((180, 320), (570, 320)),  # a phone's vertical video in a 16:9 frame
     ((320, 180), (320, 570))],  # a landscape video in a vertical frame
)
def test_a_blurred_fill_round_a_video_is_found(picture, frame):
    image, truth = in_blurred_fill(photo(*picture, seed=5), frame)

    found = content_box(np.asarray(jpeg_copy(image, 85)))

    assert truth.contains(found)
    assert found.area >= truth.area - 2 * (FILL_INSET + 1) * max(truth.w, truth.h)
    assert found != Box(0, 0, *frame)


def test_a_person_against_a_smooth_wall_is_left_whole(data_root):
    """A WIDER photo: a man in the middle of a smooth white wall, as wide on both sides."""
    path = data_root / "faces" / "images" / "13_Interview_Interview_On_Location_13_392.jpg"
    rgb = np.asarray(Image.open(path).convert("RGB"))
    assert content_box(rgb) == Box(0, 0, rgb.shape[1], rgb.shape[0])


@pytest.mark.parametrize(
    "case",
    ["photo", "plain", "sky on top only", "backdrop round a subject", "bars of two colours",
     "one-pixel lines", "soft sides round a sharp middle"],
)
def test_a_picture_without_a_pair_of_bars_is_left_whole(case):
    rng = np.random.default_rng(0)
    image = np.asarray(photo(300, 200, seed=3)).copy()
    if case == "plain":
        image[:] = (120, 160, 210)
    elif case == "sky on top only":  # a blown-out sky over a straight horizon
        image[:60] = 255
    elif case == "backdrop round a subject":  # a studio shot: the subject's edge is not straight
        ys, xs = np.mgrid[0:200, 0:300]
        image[:] = 250
        disc = (xs - 150) ** 2 + (ys - 100) ** 2 <= 70**2
        image[disc] = rng.integers(0, 200, size=(int(disc.sum()), 3))
    elif case == "bars of two colours":  # black above, white below: a layout, not a letterbox
        image[:30], image[-30:] = 0, 255
    elif case == "one-pixel lines":
        image[:1], image[-1:] = 0, 0
    elif case == "soft sides round a sharp middle":  # shallow focus: no straight edge
        soft = np.asarray(Image.fromarray(image).filter(ImageFilter.GaussianBlur(6)))
        xs = np.arange(300)[None, :, None]
        weight = np.clip(np.abs(xs - 150) / 90.0 - 0.3, 0, 1)  # sharp in the middle, soft out
        image = (weight * soft + (1 - weight) * image).astype(np.uint8)

    assert content_box(image) == Box(0, 0, 300, 200)


def with_text(image: Image.Image, lines: list[str], top: int, *, size: int = 14,
              ink=(255, 255, 255), left: int | None = None) -> Image.Image:
    """``image`` with ``lines`` written from row ``top`` (centred, or from column ``left``)."""
    image = image.copy()
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size)
    for i, line in enumerate(lines):
        x = (image.width - draw.textlength(line, font=font)) / 2 if left is None else left
        draw.text((x, top + i * round(size * 1.4)), line, fill=ink, font=font)
    return image


@pytest.mark.parametrize("lines", [["We will not stop until it is done."],
                                   ["I never said that to anyone.", "Not once, you know."]])
def test_subtitles_in_a_letterbox_leave_it_a_letterbox(lines):
    image, picture = framed(photo(480, 200, seed=7), top=50, bottom=50)
    image = with_text(image, lines, top=255)

    found = content_box(np.asarray(jpeg_copy(image, 85)))

    assert picture.contains(found) and found.area >= 0.98 * picture.area


@pytest.mark.parametrize(("ground", "ink"), [((250, 250, 250), (20, 20, 20)),
                                             ((25, 25, 30), (235, 235, 235))])
def test_a_caption_strip_under_a_photo_is_left_out(ground, ink):
    image, picture = framed(photo(400, 300, seed=8), bottom=30, colour=ground)
    image = with_text(image, ["REUTERS/Jane Smith - The minister leaves on Tuesday"], top=308,
                      size=13, ink=ink, left=12)

    found = content_box(np.asarray(jpeg_copy(image, 85)))

    assert picture.contains(found) and found.area >= 0.98 * picture.area
    assert bars_of(found, image.size) == ("bottom",)


def test_a_caption_in_large_letters_is_left_out_too():
    """A poster's title under its photo: rows of its letters are mostly ink, not ground."""
    image, picture = framed(photo(400, 300, seed=8), bottom=60)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(40)
    for x in range(6, 370, 32):  # the rows through its bars are mostly ink
        draw.text((x, 308), "E", fill=(255, 255, 255), font=font, stroke_width=3)

    found = content_box(np.asarray(jpeg_copy(image, 85)))

    assert picture.contains(found) and found.area >= 0.98 * picture.area


def test_the_photo_in_a_screenshot_of_a_post_is_found():
    """A social post as the story's picture: avatar, name and text above the photo it carries,
    the time, a rule and the counts below, on white."""
    image, picture = framed(photo(560, 315, seed=4), top=170, bottom=95, left=20, right=20,
                            colour=(255, 255, 255))
    image.paste(photo(48, 48, seed=3), (20, 20))
    for top, left, lines in ((22, 80, ["City Council Press"]),
                             (86, 20, ["The new bridge opens to traffic this morning after",
                                       "three years of works. Thanks to everyone who made it!"]),
                             (500, 20, ["9:41 AM - Dec 5, 2026"]),
                             (545, 20, ["1,204 Reposts   8,911 Likes"])):
        image = with_text(image, lines, top=top, size=17, ink=(15, 20, 25), left=left)
    ImageDraw.Draw(image).line([(20, 530), (580, 530)], fill=(225, 225, 230))

    found = content_box(np.asarray(jpeg_copy(image, 85)))

    assert picture.contains(found) and found.area >= 0.98 * picture.area


def test_a_plain_strip_on_one_side_alone_is_not_a_caption():
    image, _ = framed(photo(400, 300, seed=8), bottom=30, colour=(250, 250, 250))

    assert content_box(np.asarray(image)) == Box(0, 0, 400, 330)


@pytest.mark.parametrize("case", ["lights along a dark shelf", "highlights in a dark room",
                                  "a wire across a white sky"])
def test_marks_in_a_picture_are_not_taken_for_text(case):
    rng = np.random.default_rng(4)
    image = np.asarray(photo(400, 300, seed=9)).copy()
    if case == "lights along a dark shelf":  # textured wood below, with bright dots in a row
        image[-40:] = np.clip(rng.normal((110, 70, 40), 9, size=(40, 400, 3)), 0, 255)
        image[-30:-26, 10:390:14] = 255
    elif case == "highlights in a dark room":  # black bars; the picture's first rows are dark
        image[:12], image[-12:] = 0, 0
        image[12:26] = np.clip(rng.normal(16, 12, size=(14, 400, 3)), 0, 255)
        for x in range(20, 380, 30):  # a spoon's highlights, say
            image[14:24, x : x + 6] = 240
    else:  # one wire, not letters, across a blown-out sky over a straight horizon
        image[:60] = 255
        image[20:22, 30:370] = 40

    # (under the black bar, the dark rows meet it unevenly: no straight edge, so no bars at all)
    assert content_box(jpeg_copy(Image.fromarray(image), 90)) == Box(0, 0, 400, 300)


def test_content_box_refuses_what_is_not_an_rgb_image():
    with pytest.raises(ValueError, match="RGB"):
        content_box(np.zeros((10, 10), np.uint8))


def test_bars_of_names_the_sides_with_a_bar():
    assert bars_of(Box(0, 40, 320, 240), (320, 320)) == ("top", "bottom")
    assert bars_of(Box(5, 5, 10, 10), (20, 20)) == ("left", "right", "top", "bottom")
    assert bars_of(Box(0, 0, 20, 20), (20, 20)) == ()


def test_the_picture_is_assessed_as_if_it_had_no_bars():
    """The classical assessor on a framed photo answers what it answers on the photo, placed."""
    image, _ = framed(photo(320, 240, seed=4, subject=(0.7, 0.4)), top=50, bottom=50)
    inside = Box(0, 51, 320, 238)
    picture = image.crop((0, 51, 320, 289))
    face = Box(200, 60, 40, 50)  # in the image's pixels
    alone = ClassicalPredictor().predict([picture], faces=[[face.shifted(0, -51)]])[0]

    (answer,) = predict_framed(ClassicalPredictor(), [image], faces=[[face, Box(0, 0, 30, 30)]])

    assert answer.content == inside
    assert answer.clarity == alone.clarity
    assert answer.foreground.shape == (340, 320)
    assert answer.foreground[:51].max() == 0 and answer.foreground[289:].max() == 0
    np.testing.assert_array_equal(answer.foreground[51:289], alone.foreground)
    assert answer.faces == (face,)  # the box wholly on a bar is dropped
    assert answer.semantics.object_proportion == alone.semantics.object_proportion
    assert answer.semantics.bbox == alone.semantics.bbox.shifted(0, 51)
    cx, cy = alone.semantics.centroid
    assert answer.semantics.centroid == (cx, cy + 51)


def test_the_network_sees_a_letterboxed_photo_as_the_photo(data_root):
    """The committed network on a `sod/val` photo with black bars: the same clarity and mask as on
    the photo alone (without the bars the map marked 0.09 → 0.32 of it, README)."""
    photo_ = Image.open(data_root / "sod" / "val" / "images" / "117054.jpg").convert("RGB")
    image, picture = framed(photo_, top=64, bottom=64)
    inside = inset(picture, top=64, bottom=64)
    predictor = load_predictor()
    alone = predictor.predict([image.crop((inside.x, inside.y, inside.right, inside.bottom))])[0]

    (answer,) = predict_framed(predictor, [image])

    assert answer.content == inside
    assert answer.clarity == pytest.approx(alone.clarity, abs=1e-4)
    inner = answer.foreground[inside.y : inside.bottom]
    assert np.abs(inner - alone.foreground).max() < 1e-3
    assert describe_foreground(inner).touches == alone.semantics.touches


def test_crops_stay_inside_the_picture():
    foreground = np.zeros((170, 320), np.float32)
    foreground[60:110, 20:90] = 1.0  # a subject near the picture's left edge
    picture = Box(0, 25, 320, 120)

    crops = propose_crops(foreground, faces=[Box(40, 70, 20, 24)], image_size=(320, 170),
                          ratios=["16:9", "4:3", "1:1", "4:5", "free"], content=picture)

    for ratio, crop in crops.items():
        assert picture.contains(crop.box), ratio
    assert crops["1:1"].box.h == 120 and crops["1:1"].box.x == 0


def test_crops_of_a_picture_are_those_of_the_picture_alone_moved():
    picture = np.asarray(photo(240, 160, seed=5, subject=(0.3, 0.5)))
    foreground = ClassicalPredictor().predict([Image.fromarray(picture)])[0].foreground
    framed_foreground = np.zeros((160, 300), np.float32)
    framed_foreground[:, 30:270] = foreground
    ratios = ["16:9", "1:1", "free"]

    alone = propose_crops(foreground, faces=[], ratios=ratios, image_size=(240, 160))
    inside = propose_crops(framed_foreground, faces=[], ratios=ratios, image_size=(300, 160),
                           content=Box(30, 0, 240, 160))

    assert {r: c.box for r, c in inside.items()} == {r: c.box.shifted(30, 0)
                                                     for r, c in alone.items()}
    whole = propose_crops(foreground, faces=[], ratios=ratios, image_size=(240, 160),
                          content=Box(0, 0, 240, 160))
    assert whole == alone


def test_a_subject_point_on_a_bar_picks_the_nearest_part_of_the_picture():
    foreground = np.zeros((200, 300), np.float32)
    foreground[60:140, 40:90] = 1.0
    foreground[60:140, 210:260] = 1.0

    crops = propose_crops(foreground, faces=[], ratios=["1:1"], image_size=(300, 200),
                          content=Box(0, 30, 300, 140), focus=(240, 10))

    box = crops["1:1"].box
    assert crops["1:1"].reasons[0] == "framed on the subject an editor marked"
    assert box.x <= 210 and box.right >= 260 and box.y == 30 and box.h == 140


@pytest.mark.parametrize("content", [Box(0, 0, 0, 10), Box(-1, 0, 10, 10), Box(0, 0, 31, 10)])
def test_a_content_box_outside_the_image_is_refused(content):
    with pytest.raises(ValueError, match="content box"):
        propose_crops(np.zeros((10, 30), np.float32), faces=[], ratios=["1:1"],
                      image_size=(30, 10), content=content)
