"""Collages: two or more photos side by side or stacked in one image, as a news story pairs two
people, or a before and an after.

A crop that shows a sliver of a second photo along its edge is no cover, so the crops need to know
where each photo of a collage (a *panel*) lies. `collage_panels` finds them: panels are split by
straight seams that run the whole height (or width) of the picture, with at least
``PANEL_MIN_SHARE`` of the side on each side of a seam. A seam is

* a *gutter*: a run of columns all of one colour (a white or black line between the photos), at
  most ``GUTTER_MAX_SHARE`` of the width, with the picture resuming on both sides along a straight
  edge (as a bar ends in `assessment.framing`); two people on a studio backdrop leave plain
  columns between them too, but no straight edge along them;
* or a *cut* (side by side only), where two photos meet with no gutter: across one column the
  colour steps by more than ``CUT_LEVEL`` levels in at least ``CUT_ROW_SHARE`` of the rows, and
  ``CUT_CONTRAST`` times as many rows as across the columns just beside it (a photo's own edges
  are rarely straight over its whole height), at least ``CUT_MIN_SHARE`` of the width from
  either side (a door frame or a wall's corner often runs straight down near a photo's side). A
  horizon is such a cut lying down, so stacked photos are found only by their gutter.

Straight lines in a photo make patterns: plain lines with others close by on both sides (a tiled
wall's joints) are no gutters, and straight edges with another close by (a door frame's two sides)
are no cuts. A column is given up on each side of a seam (a JPEG blurs the photos into it). Each
panel is split again, once, so a large photo beside two stacked ones is three panels. Each panel
must hold a picture (``PANEL_MIN_DETAIL``): the stripes of a flag are not photos.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from assessment.geometry import Box
from assessment.pixels import checked_rgb, colour_deviation, shrunk

#: Rows read per column (evenly spaced); a seam runs the whole height, so a sample of rows finds it.
SAMPLE_LINES = 512
#: A pixel is of a gutter's colour when every channel is within this many levels of it (as a bar's,
#: ``framing.BAR_TOLERANCE``).
GUTTER_TOLERANCE = 24
#: The photo begins along a straight edge: of the first ``EDGE_COLUMNS`` columns past a gutter,
#: one has at least this share of its pixels off the gutter's colour.
EDGE_SHARE = 0.5
EDGE_COLUMNS = 3
#: Each panel is at least this share of the side it is split along.
PANEL_MIN_SHARE = 0.2
#: A gutter is at most this share of the side (wider plain columns are a backdrop or a bar).
GUTTER_MAX_SHARE = 0.06
#: A column is part of a gutter when at least this share of its pixels is within
#: ``GUTTER_TOLERANCE`` of its colour.
GUTTER_ROW_SHARE = 0.98
#: A gutter is flat: its pixels differ from its colour by at most this many levels on average,
#: leaving out its first and last column where it is wider than 2 (a designer's line is one
#: colour but for JPEG's ringing, strongest along the photos; a river across a meadow is not).
GUTTER_GROUND = 8.0
#: A cut: the colour steps by more than this many levels (in some channel, between the means of the
#: two columns on each side) ...
CUT_LEVEL = 32
#: ... in at least this share of the rows ...
CUT_ROW_SHARE = 0.7
#: ... and in this many times as many rows as across the columns ``CUT_NEIGHBOUR`` away on either
#: side.
CUT_CONTRAST = 3.0
CUT_NEIGHBOUR = 4
#: A cut leaves at least this share of the side on each side: photos put side by side without a
#: gutter are split near the middle or a third, and a door frame or a wall's corner near the
#: side of a photo is no cut.
CUT_MIN_SHARE = 0.3
#: Each panel's pixels have a standard deviation of at least this many levels.
PANEL_MIN_DETAIL = 8.0
#: A crop shows a *sliver* of a photo when it cuts across the photo and shows less of it than this
#: share of the crop's width (or height): a strip of a second photo along its edge. A photo held
#: across its whole width (a narrow photo beside a wide one) is no sliver.
SLIVER_SHARE = 0.3
#: Collages are looked for on a copy at most this many pixels on its long side; a panel's sides
#: along a seam are kept within the copy's pixels of the panel (up to 6 px of a 24-MP photo).
COLLAGE_SIDE = 1024
#: Splits of the picture, then of each panel: 2 levels.
MAX_DEPTH = 2


def collage_panels(rgb: np.ndarray) -> tuple[Box, ...]:
    """The photos of the collage in the (H, W, 3) uint8 image, in its pixels, left to right and
    top to bottom; () when it is one photo."""
    image = checked_rgb(np.asarray(rgb))
    height, width = image.shape[:2]
    small, scale = shrunk(image, COLLAGE_SIDE)
    sh, sw = small.shape[:2]
    panels = _split(small, Box(0, 0, sw, sh), MAX_DEPTH)
    if len(panels) < 2:
        return ()
    return tuple(_enlarged(p, scale, (sw, sh), (width, height)) for p in panels)


def _enlarged(panel: Box, scale: float, small: tuple[int, int], size: tuple[int, int]) -> Box:
    """``panel`` of the copy at ``scale`` in the image's pixels, each inner side kept within the
    copy's pixels of the panel (its sides on the copy's edges on the image's)."""
    x0 = 0 if panel.x == 0 else math.ceil(panel.x / scale)
    y0 = 0 if panel.y == 0 else math.ceil(panel.y / scale)
    x1 = size[0] if panel.right == small[0] else math.floor(panel.right / scale)
    y1 = size[1] if panel.bottom == small[1] else math.floor(panel.bottom / scale)
    return Box(x0, y0, x1 - x0, y1 - y0)


def collage_flaws(box: Box, panels: Sequence[Box]) -> int:
    """What is wrong with the crop ``box`` of a collage of ``panels``: its ``slivers`` and its
    ``gutter_sides``. 0 for a crop of one photo, or of whole photos or fair shares of them."""
    return slivers(box, panels) + gutter_sides(box, panels)


def slivers(box: Box, panels: Sequence[Box]) -> int:
    """How many of the photos ``panels`` the crop ``box`` shows only a sliver of
    (``SLIVER_SHARE``)."""
    return sum(_sliver(box, p) for p in panels if p.intersection(box) is not None)


def gutter_sides(box: Box, panels: Sequence[Box]) -> int:
    """How many sides of the crop ``box`` lie in none of the photos ``panels`` it shows: in a
    gutter (a strip of it along that side), or past the collage. 0 without panels."""
    shown = [p for p in panels if p.intersection(box) is not None]
    if not shown:
        return 0
    columns = [(p.x, p.right) for p in shown]
    rows = [(p.y, p.bottom) for p in shown]
    edges = ((box.x, columns), (box.right - 1, columns), (box.y, rows), (box.bottom - 1, rows))
    return sum(not any(a <= v < b for a, b in spans) for v, spans in edges)


def _sliver(box: Box, panel: Box) -> bool:
    """Whether ``box`` cuts across ``panel`` and shows less of it than ``SLIVER_SHARE`` of its own
    width or height."""
    part = box.intersection(panel)
    across = part.w < panel.w and part.w < SLIVER_SHARE * box.w
    down = part.h < panel.h and part.h < SLIVER_SHARE * box.h
    return across or down


def _split(image: np.ndarray, box: Box, depth: int) -> list[Box]:
    region = image[box.y : box.bottom, box.x : box.right]
    columns = _seams(region, cuts=True)
    rows = _seams(region.transpose(1, 0, 2), cuts=False)
    if not columns and not rows:
        return [box]
    cells = [
        Box(box.x + x0, box.y + y0, x1 - x0, y1 - y0)
        for y0, y1 in _spans(rows, box.h)
        for x0, x1 in _spans(columns, box.w)
    ]
    if not all(_holds_picture(image[c.y : c.bottom, c.x : c.right]) for c in cells):
        return [box]
    if depth <= 1:
        return cells
    return [panel for cell in cells for panel in _split(image, cell, depth - 1)]


def _spans(seams: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The spans [start, stop) of a side of ``length`` between its ``seams``."""
    edges = [0, *(v for seam in seams for v in seam), length]
    return list(zip(edges[::2], edges[1::2], strict=True))


def _seams(region: np.ndarray, *, cuts: bool) -> list[tuple[int, int]]:
    """The seams [start, stop) across the columns of ``region``, in order, each panel between them
    wide enough (``PANEL_MIN_SHARE``). Gutters come first, widest first, then cuts (given up a
    column on each side), each taken where it leaves every panel wide enough. Plain lines with
    others close on both sides (a tiled wall's joints) are a pattern, not gutters; straight edges
    with another close by (the two sides of a door frame, a window's bars) are not cuts."""
    height, width = region.shape[:2]
    if width < 5 or height < 5:
        return []
    lines = region[np.linspace(0, height - 1, min(height, SAMPLE_LINES)).astype(np.intp)]
    lines = lines.astype(np.int16)
    least = PANEL_MIN_SHARE * width
    gutters = _merged(_gutters(lines))
    middles = [(a + b) / 2 for a, b in gutters]
    candidates = sorted(
        (g for g, m in zip(gutters, middles, strict=True)
         if not (any(m - least < o < m for o in middles) and any(m < o < m + least for o in middles))),
        key=lambda g: g[0] - g[1])
    if cuts:
        found = [c for c in _cuts(lines) if not any(a - 2 <= c <= b + 2 for a, b in gutters)]
        middle = (CUT_MIN_SHARE * width, (1 - CUT_MIN_SHARE) * width)
        candidates += [(c - 1, c + 1) for c in found
                       if middle[0] <= c <= middle[1]
                       and not any(0 < abs(c - o) < least for o in found)]
    seams: list[tuple[int, int]] = []
    for seam in candidates:
        trial = sorted([*seams, seam])
        if all(stop - start >= least for start, stop in _spans(trial, width)):
            seams = trial
    return seams


def _merged(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``runs`` with those that overlap or touch joined: a gutter read as two runs of slightly
    different colour is one gutter."""
    joined: list[tuple[int, int]] = []
    for start, stop in sorted(runs):
        if joined and start <= joined[-1][1] + 1:
            joined[-1] = (joined[-1][0], max(stop, joined[-1][1]))
        else:
            joined.append((start, stop))
    return joined


def _gutters(lines: np.ndarray) -> list[tuple[int, int]]:
    """Runs [start, stop) of plain columns of one colour with a straight edge on each side, given
    up a column further on each side (a JPEG blurs the gutter and the photo into each other)."""
    width = lines.shape[1]
    colour = np.median(lines[:: max(1, len(lines) // 64)], axis=0)  # (W, 3) per column
    deviation = colour_deviation(lines, colour)
    plain = (deviation <= GUTTER_TOLERANCE).mean(axis=0) >= GUTTER_ROW_SHARE
    steps = np.abs(np.diff(colour, axis=0)).max(axis=1) > GUTTER_TOLERANCE
    gutters = []
    start = None
    for c in range(width + 1):
        inside = c < width and plain[c] and (start is None or not steps[c - 1])
        if inside and start is None:
            start = c
        elif not inside and start is not None:
            if _is_gutter(lines, start, c, colour[start:c].mean(axis=0)):
                gutters.append((max(start - 1, 0), min(c + 1, width)))
            start = c if c < width and plain[c] else None
    return gutters


def _is_gutter(lines: np.ndarray, start: int, stop: int, colour: np.ndarray) -> bool:
    width = lines.shape[1]
    if start == 0 or stop == width or stop - start > GUTTER_MAX_SHARE * width:
        return False
    first = max(start - EDGE_COLUMNS, 0)
    deviation = colour_deviation(lines[:, first : stop + EDGE_COLUMNS], colour)
    run = deviation[:, start - first : stop - first]
    inner = run[:, 1:-1] if stop - start > 2 else run
    if inner.mean() > GUTTER_GROUND:
        return False
    off = (deviation > GUTTER_TOLERANCE).mean(axis=0)
    before, after = off[: start - first], off[stop - first :]
    return bool(before.max() >= EDGE_SHARE and after.max() >= EDGE_SHARE)


def _cuts(lines: np.ndarray) -> list[int]:
    """Columns c where two photos meet: the columns before c and from c differ as a cut does."""
    width = lines.shape[1]
    if width < 2 * CUT_NEIGHBOUR + 4:
        return []
    # per row, the sum of each pair of columns (c - 2, c - 1) and (c, c + 1), for c in 2..W-2:
    # twice the step between their means at c = index + 2
    pairs = lines[:, :-1] + lines[:, 1:]
    steps = colour_deviation(pairs[:, 2:], pairs[:, :-2])
    share = (steps > 2 * CUT_LEVEL).mean(axis=0)
    k = CUT_NEIGHBOUR
    centre = share[k:-k]
    beside = np.maximum(share[: -2 * k], share[2 * k :])
    candidates = np.flatnonzero((centre >= CUT_ROW_SHARE) & (centre >= CUT_CONTRAST * beside))
    if not len(candidates):
        return []
    # a step blurred over a few columns makes a run of candidates: the cut is the steepest
    strength = steps.mean(axis=0)[k:-k]
    runs = np.split(candidates, np.flatnonzero(np.diff(candidates) > 1) + 1)
    return [int(run[strength[run].argmax()]) + k + 2 for run in runs]


def _holds_picture(panel: np.ndarray) -> bool:
    sample = panel[:: max(1, panel.shape[0] // 128), :: max(1, panel.shape[1] // 128)]
    return bool(sample.reshape(-1, 3).std(axis=0).max() >= PANEL_MIN_DETAIL)
