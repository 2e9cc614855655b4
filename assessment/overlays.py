"""Text laid over the picture: a TV lower third, subtitles, a channel's name in a corner, a
photographer's watermark, a "breaking news" banner.

A crop that cuts through such text shows half a word along its edge, which no picture editor
would send out; ``assessment.cropping`` keeps each line whole or leaves it out. The lines are
found without a network (no text data set is at hand to train one) in three steps:

1. glyphs: maximally stable extremal regions (MSER, the classic first step of scene-text
   detection) of a glyph's size and shape, drawn with strokes of one width (a distance
   transform's ridge), standing out from what lies round them;
2. lines: glyphs of about one height, side by side at a letter's spacing, in one colour;
3. text: lines whose glyphs' tops or bottoms align to the pixel, with a margin;
4. the blocks laid over a picture: text lines in the top or bottom fifth of the picture (where
   captions, banners, logos and watermarks go) in white, black or subtitle yellow (the colours
   captions and logos are set in) that are long runs of glyphs (within 30 % of the top or
   bottom), runs of words, or short ones of one height and stroke close to the edge, grown by
   every text line of any colour they touch (the other lines of a lower third, the logo beside
   it), until none touches, and up and down to the edges of the band of colour they are set
   on (a lower third's strip, a TV ad's panel), if any.

Scene text (a shop sign, a shirt) passes where it looks the same; a few textures do too
(``benchmarks/overlays.py`` measures both).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from assessment.geometry import Box, bounding_box
from assessment.pixels import checked_rgb, shrunk

#: Long side (px) of the copy the text is looked for on.
TEXT_SIDE = 1024
#: MSER: stability step (grey levels), the most a region may change over it, and its least
#: area (px) and largest (a share of the copy).
MSER_DELTA = 5
MSER_MAX_VARIATION = 0.25
MSER_AREA = (12, 0.02)
#: A glyph's height (px on the copy; a share of the copy's height at most) and width / height.
GLYPH_MIN_PX = 7
GLYPH_MAX_SHARE = 0.15
GLYPH_ASPECT = (0.08, 2.5)
#: Share of a glyph's box its strokes fill.
GLYPH_FILL = (0.12, 0.92)
#: A glyph's stroke width (twice its ridge's mean distance) varies by at most this share, and is
#: at most this share of its height.
STROKE_SPREAD = 0.6
STROKE_MAX_SHARE = 0.35
#: A glyph's mean grey differs from the median of the ring round it by at least this.
GLYPH_CONTRAST = 40
#: Two regions whose sides are this share of the height apart at most are one glyph.
SAME_GLYPH = 0.12
#: Glyphs of one line: heights within this ratio, centres this share of the height apart
#: vertically at most, a gap of at most this share of the height, the same grey within this.
LINE_HEIGHT_RATIO = 1.6
LINE_CENTRE_SHARE = 0.3
LINE_GAP_SHARE = 0.9
LINE_GREY = 90
#: A line's glyphs: their stroke widths vary by at most this share, their core colours differ
#: from the median by at most this on average, and they fill this share of the line's width.
LINE_STROKE_SPREAD = 0.35
LINE_COLOUR_SPREAD = 30
LINE_FILL = 0.45
#: A line's core colour: white where every channel is at least ``PALE_INK``, black where none
#: passes ``DARK_INK``, or yellow.
PALE_INK, DARK_INK = 150, 80
#: Tops (or bottoms) aligned: the median distance from their median, as a share of the height
#: (or one pixel, for small letters).
LINE_ALIGNED = 0.03
#: The band along the top and bottom where text is laid over a picture, as a share of its height,
#: and the wider one where a long line still is: a TV frame's graphics stack a caption, a web
#: address and a ticker up to 30 % of its height, or sit above a player's controls.
EDGE_BAND = 0.2
LONG_EDGE_BAND = 0.3
#: A long line: this many glyphs and this width in heights.
LONG_GLYPHS, LONG_ASPECT = 8, 6.0
#: A line of words: this many glyphs, this width in heights, heights this alike (their spread).
WORDS_GLYPHS, WORDS_ASPECT, WORDS_HEIGHT_SPREAD = 5, 4.0, 0.16
#: A short line (a channel's name, a logo): within this share of the height of the top or bottom,
#: its glyphs' heights and strokes this alike (spread).
SHORT_BAND, SHORT_SPREAD = 0.1, 0.1
#: The margin round a line, as a share of its height, and how close (a share of the smaller
#: box's height, margins included) two lines come to make one block.
TEXT_MARGIN = 0.3
BLOCK_GAP = 0.4
#: A block set on a band of colour (a lower third's strip, a banner, a TV ad's panel) reaches to
#: the band's edges: rows above and below it (and columns to its sides, along its rows) belong to
#: the band while this share of their pixels, across the block, lies within ``BAND_COLOUR`` (the
#: largest channel difference) of the block's median colour or is a caption's white or black (its
#: smaller print). A band ends within ``BAND_REACH`` block heights up and down, block widths to
#: the sides (a name's strap runs on past a short name); colour that runs on further, or to the
#: picture's edge, is the scene (a sky behind subtitles) or needs no edge found (a crop
#: leaves a caption at the bottom out by ending above it).
BAND_ROW_SHARE = 0.6
BAND_COLOUR = 60
BAND_REACH = 2.0


@dataclass(frozen=True)
class _Glyph:
    box: Box  # on the copy
    grey: float  # mean grey of its pixels
    light: bool  # lighter than the ring round it (white letters), else darker
    stroke: float  # stroke width, px
    colour: np.ndarray  # (3,) mean RGB of its strokes' cores


def overlay_text(rgb: np.ndarray) -> list[Box]:
    """Blocks of text laid over the picture ``rgb`` ((h, w, 3) uint8), in its pixels, each with
    a margin; [] where there is none. Raises ValueError for an array that is not RGB."""
    image = checked_rgb(rgb)
    height, width = image.shape[:2]
    small, scale = shrunk(image, TEXT_SIDE)
    if min(small.shape[:2]) < GLYPH_MIN_PX:  # a sliver or an icon: no room for a letter
        return []
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    texts = [text for text in (_text(line, grey.shape[0]) for line in _lines(_glyphs(grey, small)))
             if text is not None]
    blocks = [_to_band_edges(block, small)
              for block in _blocks([box for box, laid_over in texts if laid_over],
                                   [box for box, laid_over in texts if not laid_over])]
    in_image = (block.scaled(1 / scale, 1 / scale).clamp(width, height) for block in blocks)
    return [block for block in in_image if block.area > 0]


def _glyphs(grey: np.ndarray, rgb: np.ndarray) -> list[_Glyph]:
    """The regions of ``grey`` that look like glyphs, larger first; a region found again inside
    one of them of its polarity (a blurred letter's sharp core inside its halo) is dropped, but
    not a letter inside its dark outline."""
    height, width = grey.shape
    mser = cv2.MSER_create(MSER_DELTA, MSER_AREA[0], int(MSER_AREA[1] * height * width))
    mser.setMaxVariation(MSER_MAX_VARIATION)
    regions, boxes = mser.detectRegions(grey)
    found = []
    for points, (x, y, w, h) in zip(regions, boxes, strict=True):
        if not (GLYPH_MIN_PX <= h <= GLYPH_MAX_SHARE * height
                and GLYPH_ASPECT[0] * h <= w <= GLYPH_ASPECT[1] * h
                and GLYPH_FILL[0] <= len(points) / (w * h) <= GLYPH_FILL[1]):
            continue
        glyph = _glyph(grey, rgb, points, Box(int(x), int(y), int(w), int(h)))
        if glyph is not None:
            found.append(glyph)
    found.sort(key=lambda g: -g.box.area)
    kept: list[_Glyph] = []
    for glyph in found:
        if not any(_same_box(glyph.box, k.box)
                   or (glyph.light == k.light and k.box.contains(glyph.box)) for k in kept):
            kept.append(glyph)
    return kept


def _glyph(grey: np.ndarray, rgb: np.ndarray, points: np.ndarray, box: Box) -> _Glyph | None:
    """The glyph of region ``points`` in ``box``, or None where its strokes or contrast are not a
    glyph's."""
    mask = np.zeros((box.h + 2, box.w + 2), np.uint8)
    mask[points[:, 1] - box.y + 1, points[:, 0] - box.x + 1] = 1
    distance = cv2.distanceTransform(mask, cv2.DIST_L2, 3)
    ridge = distance[(cv2.dilate(distance, np.ones((3, 3), np.uint8)) <= distance + 1e-6)
                     & (distance > 0)]
    stroke = 2.0 * float(ridge.mean())
    if ridge.std() > STROKE_SPREAD * ridge.mean() or stroke > STROKE_MAX_SHARE * box.h:
        return None
    inner = float(grey[points[:, 1], points[:, 0]].mean())
    ring_y, ring_x = np.nonzero(cv2.dilate(mask, np.ones((5, 5), np.uint8)) - mask)
    ring_y = np.clip(ring_y + box.y - 1, 0, grey.shape[0] - 1)
    ring_x = np.clip(ring_x + box.x - 1, 0, grey.shape[1] - 1)
    around = float(np.median(grey[ring_y, ring_x]))
    if abs(inner - around) < GLYPH_CONTRAST:
        return None
    core_y, core_x = np.nonzero(distance >= 0.6 * distance.max())
    colour = rgb[core_y + box.y - 1, core_x + box.x - 1].astype(np.float64).mean(axis=0)
    return _Glyph(box, inner, inner > around, stroke, colour)


def _same_box(a: Box, b: Box) -> bool:
    """Whether two regions are one glyph found twice (its outline and its fill, say): their
    sides within ``SAME_GLYPH`` of the height (2 px at least) of each other."""
    slack = max(2.0, SAME_GLYPH * max(a.h, b.h))
    return (abs(a.x - b.x) <= slack and abs(a.y - b.y) <= slack
            and abs(a.right - b.right) <= slack and abs(a.bottom - b.bottom) <= slack)


def _lines(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Glyphs grouped into lines: linked where side by side at a letter's spacing, of about one
    height and grey (all pairs at once; the lines are the linked groups of three or more)."""
    if len(glyphs) < 3:
        return []
    x, y, w, h = (np.array([getattr(g.box, k) for g in glyphs], np.float64)
                  for k in ("x", "y", "w", "h"))
    grey = np.array([g.grey for g in glyphs])
    tall = np.maximum(h[:, None], h[None, :])
    gap = np.maximum(x[None, :] - (x + w)[:, None], x[:, None] - (x + w)[None, :])
    linked = ((tall / np.minimum(h[:, None], h[None, :]) <= LINE_HEIGHT_RATIO)
              & (np.abs((y + h / 2)[:, None] - (y + h / 2)[None, :]) <= LINE_CENTRE_SHARE * tall)
              & (gap <= LINE_GAP_SHARE * tall)
              & (gap >= -0.3 * np.minimum(w[:, None], w[None, :]))
              & (np.abs(grey[:, None] - grey[None, :]) <= LINE_GREY)
              )
    count, labels = connected_components(csr_matrix(linked), directed=False)
    groups = [np.flatnonzero(labels == label) for label in range(count)]
    return [[glyphs[i] for i in group] for group in groups if len(group) >= 3]


def _text(line: list[_Glyph], height: int) -> tuple[Box, bool] | None:
    """The box of ``line`` with its margin, and whether it is laid over the picture ``height`` px
    tall by itself, where it is text (the module's third and fourth steps); else None."""
    box = bounding_box([g.box for g in line])
    assert box is not None
    heights = np.array([g.box.h for g in line], np.float64)
    strokes = np.array([g.stroke for g in line])
    colours = np.array([g.colour for g in line])
    tall = float(np.median(heights))
    colour = np.median(colours, axis=0)
    tops = np.array([g.box.y for g in line], np.float64)
    bottoms = tops + heights
    aligned = min(np.median(np.abs(tops - np.median(tops))),
                  np.median(np.abs(bottoms - np.median(bottoms))))
    edge = min(box.y, height - box.bottom) / height
    height_spread = heights.std() / heights.mean()
    stroke_spread = strokes.std() / strokes.mean()
    glyphs, aspect = len(line), box.w / tall
    if not (box.w >= 2 * tall
            and stroke_spread <= LINE_STROKE_SPREAD
            and np.abs(colours - colour).max(axis=1).mean() <= LINE_COLOUR_SPREAD
            and sum(g.box.w for g in line) >= LINE_FILL * box.w
            and aligned <= max(1.0, LINE_ALIGNED * tall)):
        return None
    long_line = glyphs >= LONG_GLYPHS and aspect >= LONG_ASPECT
    words = glyphs >= WORDS_GLYPHS and aspect >= WORDS_ASPECT and height_spread <= WORDS_HEIGHT_SPREAD
    short = edge <= SHORT_BAND and height_spread <= SHORT_SPREAD and stroke_spread <= SHORT_SPREAD
    margin = round(TEXT_MARGIN * tall)
    return (Box(box.x - margin, box.y - margin, box.w + 2 * margin, box.h + 2 * margin),
            _caption_colour(colour) and ((edge <= EDGE_BAND and (long_line or words or short))
                                         or (edge <= LONG_EDGE_BAND and long_line)))


def _caption_colour(colour: np.ndarray) -> bool:
    """Whether an RGB ``colour`` is one text is laid over pictures in: white (tinged by a thin
    stroke's blend with a coloured band), black or yellow."""
    red, green, blue = (float(c) for c in colour)
    return (min(red, green, blue) >= PALE_INK or max(red, green, blue) <= DARK_INK
            or (red > 180 and green > 180 and blue < 120))


def _blocks(laid_over: list[Box], others: list[Box]) -> list[Box]:
    """The ``laid_over`` lines, each grown by every line (of these or of ``others``) it touches
    (``_touch``), until no two touch; top first."""
    blocks, others = list(laid_over), list(others)
    grown = True
    while grown:
        grown = False
        for i, block in enumerate(blocks):
            touching = [j for j, other in enumerate(blocks) if j != i and _touch(block, other)]
            joining = [other for other in others if _touch(block, other)]
            if touching or joining:
                blocks[i] = bounding_box([block, *(blocks[j] for j in touching), *joining])
                blocks = [b for j, b in enumerate(blocks) if j not in touching]
                others = [other for other in others if other not in joining]
                grown = True
                break
    return sorted(blocks, key=lambda b: (b.y, b.x))


def _to_band_edges(block: Box, rgb: np.ndarray) -> Box:
    """``block`` grown to the edges of the band of colour it is set on, if any: up and down, then,
    where both those edges were found, to each side (along its own rows), so that a crop that
    leaves the text out, by any side, leaves no strip of its band along the crop's edge. The band
    is read inside the picture: a block's margin may reach past its edges."""
    inside = block.clamp(rgb.shape[1], rgb.shape[0])
    if inside.area == 0:
        return block
    ink = np.median(rgb[inside.y : inside.bottom, inside.x : inside.right].reshape(-1, 3), axis=0)
    down, across = (max(1, round(BAND_REACH * side)) for side in (block.h, block.w))
    rows = _in_band(rgb[:, inside.x : inside.right], ink)
    above, below = _band_end(rows, inside.y - 1, -1, down), _band_end(rows, inside.bottom, 1, down)
    top, bottom = min(block.y, above), max(block.bottom, below + 1)
    if above >= inside.y or below < inside.bottom:  # no band with both its edges: not set on one
        return Box(block.x, top, block.w, bottom - top)
    columns = _in_band(rgb[inside.y : inside.bottom].transpose(1, 0, 2), ink)
    left = min(block.x, _band_end(columns, inside.x - 1, -1, across))
    right = max(block.right, _band_end(columns, inside.right, 1, across) + 1)
    return Box(left, top, right - left, bottom - top)


def _in_band(lines: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """For each line (row) of ``lines`` ((n, length, 3) RGB), whether it is of the band of colour
    ``ink``: ``BAND_ROW_SHARE`` of its pixels within ``BAND_COLOUR`` of it or a caption's white or
    black (its smaller print)."""
    pixels = lines.astype(np.int16)
    small_print = (pixels.min(axis=2) >= PALE_INK) | (pixels.max(axis=2) <= DARK_INK)
    band_colour = np.abs(pixels - ink).max(axis=2) <= BAND_COLOUR
    return (band_colour | small_print).mean(axis=1) >= BAND_ROW_SHARE


def _band_end(in_band: np.ndarray, start: int, step: int, reach: int) -> int:
    """The last line of the band from ``start`` on, stepping by ``step`` (``start - step`` if
    none is, or if the colour runs on past ``reach`` lines or to the picture's edge: the scene,
    not a band)."""
    line = start
    while 0 <= line < len(in_band) and in_band[line]:
        line += step
    if not 0 <= line < len(in_band) or abs(line - start) > reach:
        return start - step
    return line - step


def _touch(a: Box, b: Box) -> bool:
    """Whether two lines' boxes overlap or come within ``BLOCK_GAP`` of each other."""
    gap = BLOCK_GAP * min(a.h, b.h)
    return (a.x <= b.right + gap and b.x <= a.right + gap and a.y <= b.bottom + gap
            and b.y <= a.bottom + gap)
