"""Plain bars, frames and blurred fills round a picture: a letterboxed or pillarboxed video still,
a photo in a white mount, a scan with a black edge, a phone's vertical video in a landscape frame.

The network reads such a frame as part of the picture (on 12 `sod/val` photos with black bars
added the subject's share went from 0.09 to 0.32 on one, and the clarity of a photo in a white
mount rose by up to 2.3 points), and a crop that shows a bar is no cover. `content_box` finds the
picture inside the bars; `predict_framed` assesses that picture alone and gives the answer in the
whole image's pixels, and `propose_crops(content=...)` keeps every crop inside it.

A bar is a run of rows (or columns) from an image edge that are all one colour, ending at a
straight edge along which the picture begins; bars come in pairs, on opposite sides, of one
colour (a frame's four sides are two pairs). A clear sky or a studio backdrop is one colour too,
but its edge with the subject is not straight, or it lies on one side only, so it stays.

A bar may carry text: a film's subtitles in its letterbox, a credit line in a strip under a photo.
Rows of text (mostly the bar's flat colour, with strong marks in at least ``TEXT_MIN_MARKS``
separate places) may interrupt a bar for at most ``TEXT_MAX_SHARE`` of the side, when the bar's
colour resumes after them or the picture begins right past them; so may a thin rule across it. A
bar whose text ends clear of the picture also stands alone at the top or bottom: a caption strip.
A plain bar needs its pair, and where only one of a pair carries text, the other must be flat. So
the photo in a screenshot of a social post is found inside the post's text above and below it.

A phone's vertical video shown in a landscape frame (or a landscape one in a vertical frame)
fills the sides with a blurred, enlarged copy of itself instead: a *blurred fill*. Where no plain
bars are found, a pair of fills is taken off when each is at least ``FILL_MIN_SHARE`` of the
side, the two are as wide as each other, the picture holds ``FILL_DETAIL_RATIO`` times the fill's
detail (the mean absolute Laplacian), and it does so right at a straight edge: in at least
``FILL_EDGE_SHARE`` of the strips along it, the rows just inside are ``FILL_EDGE_CONTRAST`` times
as detailed as those just outside. A fill is not one colour (that would be a plain bar, or a
backdrop); a smooth wall on both sides of a person meets them unevenly, so it stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image

from assessment.collages import collage_panels
from assessment.geometry import Box, boxes_within
from assessment.overlays import overlay_text
from assessment.pixels import colour_deviation, shrunk

if TYPE_CHECKING:  # the predictor imports torch; a caller of `content_box` needs none of it
    from assessment.predictor import Prediction

#: A pixel is of the bar's colour when every channel is within this many levels of it (JPEG's
#: ringing and noise along a bar).
BAR_TOLERANCE = 24
#: A row (column) is part of a bar when at least this share of its pixels is of the bar's colour.
BAR_ROW_SHARE = 0.98
#: The picture begins along a straight edge: of the first rows past a bar, one has at least this
#: share of its pixels off the bar's colour.
EDGE_SHARE = 0.5
#: How many rows past a bar are looked at for that edge (a JPEG blurs it over a row or two).
EDGE_ROWS = 3
#: Rows of the picture given up along each bar: a JPEG blurs a row of the picture and the bar into
#: each other, and a crop showing a line of the bar looks worse than one a pixel tighter.
EDGE_INSET = 1
#: Bars thinner than this many pixels, or this share of the image's side, are left alone.
MIN_BAR_PX = 2
MIN_BAR_SHARE = 0.005
#: Rows read at a time from an edge while looking for a bar's end.
SCAN_ROWS = 16
#: The picture inside keeps at least this share of the image's width and height, or no bar is
#: taken off (a plain image is all "bar").
MIN_CONTENT_SHARE = 0.2
#: Text in a bar: rows with marks off the bar's colour, in a band at most ``TEXT_MAX_SHARE`` of
#: the image's side, after which the bar's plain colour resumes for at least ``TEXT_GAP`` rows (a
#: picture's edge goes on). Where it does not resume, the band may end where the picture begins:
#: at the first row with more than ``TEXT_ROW_SHARE`` of its pixels off the bar's colour (then the
#: bar is still a bar, but does not stand alone: text that runs into a picture may be its top).
TEXT_ROW_SHARE = 0.6
TEXT_MAX_SHARE = 0.2
TEXT_GAP = 2
#: Rows read at a time while looking for a band's end.
TEXT_SCAN_ROWS = 64
#: A band is text when its strong marks fall in at least this many separate runs of columns
#: (letters and words), spread over at least ``TEXT_MIN_SPAN`` of the width: a bird or a wire is
#: one or two.
TEXT_MIN_MARKS = 6
TEXT_MIN_SPAN = 0.1
#: Letters stand out from their ground: the marks counted differ from the bar's colour by more
#: than this many levels in some channel (counting every mark past ``BAR_TOLERANCE`` lost half
#: the shared photos' captions; 96 lost subtitles: README, "Text in bars").
TEXT_CONTRAST = 64
#: A rule (a thin line across most of the bar, between a post's text and its footer, say) may
#: interrupt a bar too: at most this many rows, over at least ``RULE_SPAN`` of the width, with the
#: bar's colour again past it. A rule is not text: it does not make a bar stand alone.
RULE_ROWS = 3
RULE_SPAN = 0.5
#: Letters lie on a flat ground: round them, and on the bar's rows just before them, pixels differ
#: from the bar's colour by at most this many levels on average (a real bar is flat, but for JPEG's
#: ringing round letters; wood or a dark room within ``BAR_TOLERANCE`` of it are not), or by at
#: most ``TEXT_GROUND_AT_EDGE`` where the picture begins right past them (a dark picture's first
#: rows, a spoon's highlights in a dark restaurant, can pass for text on a black bar), leaving out
#: the ``EDGE_ROWS`` a JPEG blurs into the picture's edge.
TEXT_GROUND = 6.0
TEXT_GROUND_AT_EDGE = 4.0
#: Blurred fills: each at least this share of the image's side (a 4:3 picture in a 16:9 frame
#: leaves 12.5 %; smaller fills are too rare to risk a photo's soft edges for).
FILL_MIN_SHARE = 0.10
#: The picture's mean detail (absolute Laplacian) at least this many times a fill's.
FILL_DETAIL_RATIO = 6.0
#: The two fills' thicknesses differ by at most this share of the side (and 3 px).
FILL_SYMMETRY = 0.01
#: Along a fill's edge, the image is cut in ``FILL_STRIPS`` strips; in at least ``FILL_EDGE_SHARE``
#: of them the ``FILL_EDGE_ROWS`` rows just inside the picture are ``FILL_EDGE_CONTRAST`` times
#: as detailed as those just outside (and 1 level more).
FILL_STRIPS = 32
FILL_EDGE_ROWS = 12
FILL_EDGE_SHARE = 0.45
FILL_EDGE_CONTRAST = 4.0
#: The picture's detail is read on this many rows past the edge found first.
FILL_PICTURE_ROWS = 24
#: Fills are looked for on a copy at most this many pixels on its long side.
FILL_SIDE = 2048
#: Rows of the picture given up along a fill: a JPEG block that holds both spreads the picture's
#: detail up to 7 rows into the fill, where the edge is then found.
FILL_INSET = 8


#: A bar: (thickness, colour, whether it carries text clear of the picture); the bars at the
#: first and at the last rows of an image.
_Bar = tuple[int, np.ndarray, bool]
_Ends = tuple[_Bar | None, _Bar | None]


def content_box(rgb: np.ndarray) -> Box:
    """The picture inside any plain bars, frame, blurred fill or caption strip of the (H, W, 3)
    uint8 image, in its pixels; the whole image when it has none."""
    image = np.asarray(rgb)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"content_box needs an (H, W, 3) RGB image, got shape {image.shape}")
    height, width = image.shape[:2]
    detail, scale = _detail(image)
    ends = _ends(image)
    top, bottom = _pair(image, ends)
    if top is None:
        top, bottom = _caption(image, ends)
    if top is None:
        top, bottom = _fill_pair(image, detail, scale)
    inner = image if top is None else image[top : height - bottom]  # a frame's sides lie between
    across = inner.transpose(1, 0, 2)
    left, right = _pair(across, _ends(across))
    if left is None:
        rows = detail.shape[0]
        if top is not None:  # the inner rows of the detail map, rounded into the picture
            detail = detail[int(np.ceil(top * scale)) : rows - int(np.ceil(bottom * scale))]
        left, right = _fill_pair(inner.transpose(1, 0, 2), detail.T, scale)
    top, bottom = (0, 0) if top is None else (top, bottom)
    left, right = (0, 0) if left is None else (left, right)
    return Box(left, top, width - left - right, height - top - bottom)


def bars_of(content: Box, size: tuple[int, int]) -> tuple[str, ...]:
    """The image sides (``semantics.SIDES`` order) that ``content`` leaves a bar on."""
    width, height = size
    gaps = {"left": content.x, "right": width - content.right,
            "top": content.y, "bottom": height - content.bottom}
    return tuple(side for side, gap in gaps.items() if gap > 0)


def _ends(image: np.ndarray) -> _Ends:
    """The bars (``_bar``) at the first and at the last rows of ``image``."""
    return _bar(image), _bar(image[::-1])


def _pair(image: np.ndarray, ends: _Ends) -> tuple[int, int] | tuple[None, None]:
    """Thicknesses of the bars ``ends`` at the first and last rows of ``image``, or (None, None)
    unless both are bars of one colour."""
    length = image.shape[0]
    first, last = ends
    if first is None or last is None:
        return None, None
    (near, colour_near, text_near), (far, colour_far, text_far) = first, last
    if np.abs(colour_near - colour_far).max() > BAR_TOLERANCE:
        return None, None
    # Text on one side only: the other must be as flat as a real bar, not a dark sky or a wall
    # (then the text's side may still be a caption that stands alone).
    edge = EDGE_ROWS + EDGE_INSET  # the rows a bar's thickness takes from the picture's edge
    if text_near and not text_far and not _flat(image[length - max(1, far - edge) :], colour_far):
        return None, None
    if text_far and not text_near and not _flat(image[: max(1, near - edge)], colour_near):
        return None, None
    if length - near - far < MIN_CONTENT_SHARE * length:
        return None, None
    return near, far


def _caption(image: np.ndarray, ends: _Ends) -> tuple[int, int] | tuple[None, None]:
    """Thicknesses (top, bottom) of a bar of ``ends`` that carries text and stands alone, or
    (None, None); where both ends have one, the thicker (module docstring)."""
    length = image.shape[0]
    found = [(bar[0], side) for side, bar in enumerate(ends) if bar is not None and bar[2]]
    if not found:
        return None, None
    thickness, side = max(found)
    if length - thickness < MIN_CONTENT_SHARE * length:
        return None, None
    return (thickness, 0) if side == 0 else (0, thickness)


def _bar(image: np.ndarray) -> _Bar | None:
    """(thickness, colour, whether it carries text clear of the picture) of a bar at the first
    rows of ``image``, or None."""
    height = image.shape[0]
    limit = height // 2
    colour = np.median(image[0], axis=0).astype(np.int16)
    thickness = _plain_until(image, colour, 0, limit)
    if thickness is None or thickness < max(MIN_BAR_PX, MIN_BAR_SHARE * height):
        return None  # plain to the middle is a plain image, not a bar
    text = False
    while (band := _past_text(image, colour, thickness, limit)) is not None:
        resumed, letters = band
        thickness = _plain_until(image, colour, resumed, limit)
        if thickness is None:
            return None
        # Text clear of the picture; text that runs into the picture may be a subject's top.
        text = thickness > resumed and (text or letters)
    edge = _off_share(image[thickness : thickness + EDGE_ROWS], colour) >= EDGE_SHARE
    if not edge.any():
        return None  # no straight edge: a sky or backdrop that meets the subject unevenly
    # The picture begins at its edge: rows a JPEG blurred between bar and picture go with the bar,
    # and `EDGE_INSET` rows of the picture too.
    return thickness + int(np.argmax(edge)) + EDGE_INSET, colour, text


def _flat(rows: np.ndarray, colour: np.ndarray) -> bool:
    """Whether ``rows`` differ from ``colour`` by at most ``TEXT_GROUND`` levels on average."""
    return float(colour_deviation(rows, colour).mean()) <= TEXT_GROUND


def _plain_until(image: np.ndarray, colour: np.ndarray, start: int, limit: int) -> int | None:
    """The first row from ``start`` (before ``limit``) that is not of ``colour``, or None."""
    for begin in range(start, limit, SCAN_ROWS):  # a photo's first rows end the scan at once
        plain = _off_share(image[begin : min(begin + SCAN_ROWS, limit)], colour)
        plain = plain <= 1.0 - BAR_ROW_SHARE
        if not plain.all():
            return begin + int(np.argmin(plain))
    return None


def _past_text(image: np.ndarray, colour: np.ndarray, start: int,
               limit: int) -> tuple[int, bool] | None:
    """(where a band of text, or a rule, on the bar from row ``start`` ends (the bar's plain
    ``colour`` resumes, or the picture begins), whether it is text), or None when the rows from
    there are neither (module docstring)."""
    end = min(limit, start + int(TEXT_MAX_SHARE * image.shape[0]) + TEXT_GAP)
    chunks = []
    for begin in range(start, end, TEXT_SCAN_ROWS):  # most bands end, or never begin, at once
        chunks.append(colour_deviation(image[begin : min(begin + TEXT_SCAN_ROWS, end)], colour))
        deviation = np.concatenate(chunks)
        off = deviation > BAR_TOLERANCE
        share = off.mean(axis=1)
        plain = share <= 1.0 - BAR_ROW_SHARE
        gaps = np.flatnonzero(np.convolve(plain, np.ones(TEXT_GAP), mode="valid") == TEXT_GAP)
        dense = np.flatnonzero(share > TEXT_ROW_SHARE)
        if len(gaps) or len(dense):
            break
    else:
        return None
    if len(gaps):
        band, flat, judged = int(gaps[0]), TEXT_GROUND, int(gaps[0])
    else:  # the picture's edge right past the text: less sure it is text
        band, flat = int(dense[0]), TEXT_GROUND_AT_EDGE
        judged = max(1, band - EDGE_ROWS)  # not the rows a JPEG blurs into the picture's edge
    if band == 0:
        return None
    ground = deviation[:judged][~off[:judged]]  # the bar round the letters, and before them
    before = colour_deviation(image[max(0, start - TEXT_GAP) : start], colour)
    if np.concatenate((ground, before.ravel())).mean() > flat:
        return None
    if len(gaps) and band <= RULE_ROWS and off[:band].any(axis=0).mean() >= RULE_SPAN:
        return start + band, False  # a rule across the bar, with the bar again past it
    columns = (deviation[:band] > TEXT_CONTRAST).any(axis=0)
    marked = np.flatnonzero(columns)
    runs = int(columns[0]) + int(np.count_nonzero(columns[1:] & ~columns[:-1]))
    if runs < TEXT_MIN_MARKS or marked[-1] - marked[0] < TEXT_MIN_SPAN * image.shape[1]:
        return None
    return start + band, True


def _detail(image: np.ndarray) -> tuple[np.ndarray, float]:
    """The absolute Laplacian of a grey copy at most ``FILL_SIDE`` on its long side, and the
    copy's scale."""
    small, scale = shrunk(image, FILL_SIDE)
    grey = cv2.cvtColor(np.ascontiguousarray(small), cv2.COLOR_RGB2GRAY).astype(np.float32)
    return np.abs(cv2.Laplacian(grey, cv2.CV_32F, ksize=1)), scale


def _fill_pair(image: np.ndarray, detail: np.ndarray,
               scale: float) -> tuple[int, int] | tuple[None, None]:
    """Thicknesses of the blurred fills at the first and last rows of ``image``, whose ``detail``
    map is at ``scale``, or (None, None) unless both are (module docstring)."""
    length = image.shape[0]
    near, far = _fill(detail), _fill(detail[::-1])
    if near is None or far is None:
        return None, None
    rows = detail.shape[0]
    if abs(near - far) > max(3, FILL_SYMMETRY * rows):
        return None, None
    if rows - near - far < MIN_CONTENT_SHARE * rows:
        return None, None
    # One colour is plain bars (of two colours) or a backdrop, not a fill.
    if _plain(image[: max(1, int(near / scale) - 1)]):
        return None, None
    if _plain(image[length - max(1, int(far / scale) - 1) :]):
        return None, None
    # Back to the image's rows, rounded into the picture, and `FILL_INSET` rows more.
    inset = int(np.ceil(1 / scale)) - 1 + FILL_INSET
    return (min(length, int(np.ceil(near / scale)) + inset),
            min(length, int(np.ceil(far / scale)) + inset))


def _plain(rows: np.ndarray) -> bool:
    """Whether ``rows`` are all of one colour, as a plain bar is."""
    colour = np.median(rows.reshape(-1, 3), axis=0).astype(np.int16)
    return float(_off_share(rows, colour).mean()) <= 1.0 - BAR_ROW_SHARE


def _fill(detail: np.ndarray) -> int | None:
    """Where the picture begins past a blurred fill at the first rows of the ``detail`` map
    (absolute Laplacian), or None when there is no fill."""
    rows = detail.shape[0]
    per_row = detail.mean(axis=1)
    first = int(np.ceil(FILL_MIN_SHARE * rows))
    last = int((1 - MIN_CONTENT_SHARE) / 2 * rows)
    if last <= first or rows < 2 * FILL_PICTURE_ROWS:
        return None
    total = np.concatenate(([0.0], np.cumsum(per_row)))
    starts = np.arange(first, last)
    fill = total[starts - 1] / (starts - 1)  # rows 0 .. start - 2: a blurred row may lie between
    ends = np.minimum(starts + 1 + FILL_PICTURE_ROWS, rows)
    picture = (total[ends] - total[starts + 1]) / np.maximum(ends - starts - 1, 1)
    ratio = (picture + 1e-3) / (fill + 1e-3)
    best = int(np.argmax(ratio))
    if ratio[best] < FILL_DETAIL_RATIO:
        return None
    start, level = int(starts[best]), float(picture[best])
    # The edge itself: the first row near the best split that is half as detailed as the picture.
    for row in range(max(1, start - FILL_EDGE_ROWS), min(rows, start + FILL_EDGE_ROWS)):
        if per_row[row] >= 0.5 * level:
            start = row
            break
    return start if _straight_edge(detail, start) else None


def _straight_edge(detail: np.ndarray, start: int) -> bool:
    """Whether the picture is detailed right from row ``start`` along most of its width."""
    outside = detail[max(0, start - FILL_EDGE_ROWS) : max(1, start - 1)]
    inside = detail[start + 1 : start + 1 + FILL_EDGE_ROWS]
    bounds = np.linspace(0, detail.shape[1], FILL_STRIPS + 1).astype(int)
    sharp = [inside[:, a:b].mean() > FILL_EDGE_CONTRAST * outside[:, a:b].mean() + 1.0
             for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]
    return bool(sharp) and float(np.mean(sharp)) >= FILL_EDGE_SHARE


def _off_share(rows: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """Per row, the share of its pixels off ``colour`` by more than ``BAR_TOLERANCE``."""
    return (colour_deviation(rows, colour) > BAR_TOLERANCE).mean(axis=1)


def predict_framed(
    predictor, images: Sequence[Image.Image], faces: Sequence[Sequence[Box]] | None = None
) -> list[Prediction]:
    """``predictor.predict`` of the picture inside each image's bars, answered in the whole
    image's pixels: the foreground is 0 on the bars, faces and the subject's points and boxes are
    moved into the image, ``Prediction.content`` is the picture's box, ``Prediction.panels``
    the photos of a collage in it (``assessment.collages``) and ``Prediction.overlays`` the text
    laid over it (``assessment.overlays``). ``faces``: those found in each whole image (the parts
    of them on a bar are dropped)."""
    if faces is not None and len(faces) != len(images):
        raise ValueError(f"{len(faces)} lists of faces for {len(images)} images")
    images = [image.convert("RGB") for image in images]
    contents = [content_box(np.asarray(image)) for image in images]
    pictures = [
        image.crop((c.x, c.y, c.right, c.bottom)) if c != Box(0, 0, *image.size) else image
        for image, c in zip(images, contents, strict=True)
    ]
    given = None if faces is None else [
        boxes_within(boxes, content) for boxes, content in zip(faces, contents, strict=True)
    ]
    predictions = predictor.predict(pictures, faces=given)
    return [
        replace(_placed(prediction, content, image.size),
                panels=_in_image(collage_panels(np.asarray(picture)), content),
                overlays=_in_image(overlay_text(np.asarray(picture)), content))
        for prediction, content, image, picture
        in zip(predictions, contents, images, pictures, strict=True)
    ]


def _in_image(boxes: Sequence[Box], content: Box) -> tuple[Box, ...]:
    """``boxes`` found in the picture ``content``, in the whole image's pixels."""
    return tuple(box.shifted(content.x, content.y) for box in boxes)


def _placed(prediction: Prediction, content: Box, size: tuple[int, int]) -> Prediction:
    """``prediction`` of the picture ``content`` in the pixels of the (W, H) ``size`` image."""
    if content == Box(0, 0, *size):  # no bars: the picture's answer is the image's
        return replace(prediction, content=content)
    foreground = np.zeros(size[::-1], np.float32)
    foreground[content.y : content.bottom, content.x : content.right] = prediction.foreground
    return replace(
        prediction,
        foreground=foreground,
        semantics=prediction.semantics.shifted(content.x, content.y),
        faces=tuple(face.shifted(content.x, content.y) for face in prediction.faces),
        content=content,
    )
