"""Vectorised crop-window search over integral images of the subject's mass.

The subject map (foreground mask, with face boxes added as mass) is resampled to a coarse grid
of at most ``GRID_LONG_SIDE`` cells; every window position of a few sizes is scored at once with
numpy: mass inside from integral images (sums and first moments), whole-component and face
overlaps from separable 1-D interval overlaps (exact for boxes, cheaper than a 2-D face map).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from assessment.collages import SLIVER_SHARE
from assessment.cropping.ratios import crop_size
from assessment.geometry import Box

#: Long side (cells) of the search grid; a cell is ~3 px of a 512 px image.
GRID_LONG_SIDE = 160
#: Crop sizes tried, as shares of the largest crop of the ratio.
SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)
#: Wanted free space between the subject and the crop's sides, as a share of the crop's side.
MARGIN = 0.05
#: A subject no larger than this share of the crop's side may sit on a third line.
THIRDS_MAX_EXTENT = 0.4


@dataclass(frozen=True)
class CropWeights:
    """How a crop window is scored (higher is better); terms are in 0..1 unless stated.

    kept: share of the subject's mass inside. nearly_whole: ramps from 0 at 95% of the mass
    kept to 1 at 99% (when the subject's box cannot fit, a thin protrusion is what to lose,
    not a bit of its body for a nicer composition). whole_parts: mass share of the components kept
    whole. all_parts: 1 when every significant component is whole. face_whole: importance share
    (by area) of the faces kept whole. face_cut: per face cut (kept 5..95%), scaled down for
    faces under 20 px. face_margin: the same for the face's margin (its guard box), so a crop that
    keeps a face whole leaves room round it where it can. size: crop size as a share of the
    largest. composition: closeness of the subject's mass centroid to the centre or, for small
    subjects, a third line. margin: free space around the subject. shift: distance of the crop's
    centre from the image's (a tie-breaker that keeps the photographer's framing). sliver: a
    window showing a sliver of a photo of a collage (``assessment.collages``), which outweighs
    all the subject's terms together: a crop holds whole photos of a collage, or fair shares.
    overlay_cut: per block of text laid over the picture (``assessment.overlays``) cut (kept
    5..95%): half a word along a crop's edge is never wanted, and losing a little of the
    subject's edge is the smaller harm (twice a face's weight: measured in
    ``benchmarks/overlays.py``, it halved the crops cutting through text). overlay_shown: the
    mean share of those blocks inside, so a crop leaves a caption or a logo out where that
    costs little.
    """

    kept: float = 4.0
    nearly_whole: float = 2.0
    whole_parts: float = 1.0
    all_parts: float = 2.0
    face_whole: float = 2.0
    face_cut: float = 3.0
    face_margin: float = 1.5
    size: float = 1.0
    composition: float = 0.3
    margin: float = 0.2
    shift: float = 0.05
    sliver: float = 20.0
    overlay_cut: float = 6.0
    overlay_shown: float = 0.5


@dataclass(frozen=True)
class SubjectGrid:
    """The subject on the search grid. Boxes are (N, 4) float arrays x0, y0, x1, y1 in cells."""

    width: int
    height: int
    cell: tuple[float, float]  # image pixels per cell (x, y)
    mass: np.ndarray  # (height + 1, width + 1) integral of the subject map
    moment_x: np.ndarray  # integral of mass * cell-centre x
    moment_y: np.ndarray  # integral of mass * cell-centre y
    total: float
    parts: np.ndarray  # significant components
    part_share: np.ndarray  # (P,) mass share of each component
    faces: np.ndarray
    guards: np.ndarray  # (F, 4) each face with its margin
    face_importance: np.ndarray  # (F,) area share of the faces that steer (sums to 1), else 0
    face_cut_weight: np.ndarray  # (F,) 1 for faces of >= 20 px, less for smaller ones
    panels: np.ndarray  # (N, 4) the photos of a collage (``assessment.collages``); (0, 4) if none
    overlays: np.ndarray  # (N, 4) blocks of text laid over the picture (``assessment.overlays``)

    @property
    def subject_box(self) -> np.ndarray | None:
        """(4,) union of the components in cells, or None without components."""
        if len(self.parts) == 0:
            return None
        return np.array([*self.parts[:, :2].min(0), *self.parts[:, 2:].max(0)])


@dataclass(frozen=True)
class WindowTerms:
    """Score terms of windows at positions ``ys`` x ``xs`` (arrays (ny, nx); per part/face)."""

    kept: np.ndarray
    part_whole: np.ndarray  # (P, ny, nx) bool
    face_kept: np.ndarray  # (F, ny, nx) share of each face inside
    guard_kept: np.ndarray  # (F, ny, nx) share of each face's guard box inside
    composition: np.ndarray
    anchor: np.ndarray  # (ny, nx, 2) the nearest anchor (u, v) of the subject's centroid
    position: np.ndarray  # (ny, nx, 2) the centroid (u, v) as shares of the crop's width, height
    margin: np.ndarray
    sliver: np.ndarray  # (ny, nx) bool: shows a sliver of a photo of a collage, or its gutter
    overlay_kept: np.ndarray  # (N, ny, nx) share of each block of text laid over the picture inside


def boxes_to_cells(boxes: list[Box], sx: float, sy: float) -> np.ndarray:
    """(N, 4) float x0, y0, x1, y1 in cells of boxes in pixels (sx, sy: pixels per cell)."""
    if not boxes:
        return np.zeros((0, 4))
    raw = np.array([[b.x, b.y, b.right, b.bottom] for b in boxes], dtype=np.float64)
    return raw / np.array([sx, sy, sx, sy])


def build_grid(
    foreground: np.ndarray, parts: list[Box], part_share: list[float], faces: list[Box],
    guards: list[Box], image_size: tuple[int, int], face_attracts: list[bool] | None = None,
    panels: list[Box] | None = None, overlays: list[Box] | None = None,
) -> SubjectGrid:
    """Resample the subject to the search grid. ``parts``, ``faces``, ``guards`` (each face with
    the margin a crop should leave round it), ``panels`` (the photos of a collage) and
    ``overlays`` (blocks of text laid over the picture) are in image pixels.

    A face steers the crop (it adds to the subject's mass and is rewarded when kept whole)
    unless ``face_attracts`` says False for it; every face is still never to be cut.
    """
    attracts = np.asarray([True] * len(faces) if face_attracts is None else face_attracts, bool)
    width, height = image_size
    shrink = min(1.0, GRID_LONG_SIDE / max(width, height))
    gw, gh = max(1, round(width * shrink)), max(1, round(height * shrink))
    sx, sy = width / gw, height / gh
    # a copy (never the caller's array): face boxes are written into it below
    subject = np.array(cv2.resize(foreground, (gw, gh), interpolation=cv2.INTER_AREA))
    face_cells = boxes_to_cells(faces, sx, sy)
    for x0, y0, x1, y1 in face_cells[attracts]:
        rows = slice(int(y0), max(int(y0) + 1, round(y1)))
        subject[rows, int(x0) : max(int(x0) + 1, round(x1))] = 1.0
    xs = np.arange(gw, dtype=np.float64) + 0.5
    ys = np.arange(gh, dtype=np.float64)[:, None] + 0.5
    face_area = np.array([max(f.area, 1) for f in faces], dtype=np.float64)
    steering = face_area * attracts
    return SubjectGrid(
        width=gw,
        height=gh,
        cell=(sx, sy),
        mass=cv2.integral(subject.astype(np.float64)),
        moment_x=cv2.integral(subject * xs),
        moment_y=cv2.integral(subject * ys),
        total=float(subject.sum()),
        parts=boxes_to_cells(parts, sx, sy),
        part_share=np.asarray(part_share, dtype=np.float64),
        faces=face_cells,
        guards=boxes_to_cells(guards, sx, sy),
        face_importance=steering / steering.sum() if steering.any() else steering,
        face_cut_weight=np.minimum(1.0, np.sqrt(face_area) / 20.0),
        panels=boxes_to_cells(panels or [], sx, sy),
        overlays=boxes_to_cells(overlays or [], sx, sy),
    )


def _box_sums(integral: np.ndarray, ys: np.ndarray, xs: np.ndarray, ch: int, cw: int):
    """(ny, nx) sums over ch x cw windows at consecutive positions ``ys`` x ``xs`` (slices)."""
    y0, x0, ny, nx = int(ys[0]), int(xs[0]), len(ys), len(xs)
    near_y, far_y = slice(y0, y0 + ny), slice(y0 + ch, y0 + ch + ny)
    near_x, far_x = slice(x0, x0 + nx), slice(x0 + cw, x0 + cw + nx)
    return (
        integral[far_y, far_x] - integral[near_y, far_x] - integral[far_y, near_x]
        + integral[near_y, near_x]
    )


def _overlap(boxes_lo: np.ndarray, boxes_hi: np.ndarray, starts: np.ndarray, length: int):
    """(N, n) overlap lengths of intervals [lo, hi) with windows [start, start + length)."""
    lo, hi = boxes_lo[:, None], boxes_hi[:, None]
    return np.clip(np.minimum(hi, starts + length) - np.maximum(lo, starts), 0.0, None)


def _anchors(extent: float) -> np.ndarray:
    """Where a subject of ``extent`` (share of the crop's side) may sit: centre, thirds if small."""
    if extent <= THIRDS_MAX_EXTENT:
        return np.array([0.5, 1 / 3, 2 / 3])
    return np.array([0.5])


def window_terms(grid: SubjectGrid, xs: np.ndarray, ys: np.ndarray, cw: int, ch: int):
    """Score terms of the cw x ch-cell windows whose top-left corners are ``ys`` x ``xs``."""
    mass = _box_sums(grid.mass, ys, xs, ch, cw)
    safe = np.maximum(mass, 1e-9)
    kept = mass / grid.total if grid.total > 0 else np.ones_like(mass)
    p = grid.parts
    inside_x = (p[:, 0:1] >= xs - 1e-6) & (p[:, 2:3] <= xs + cw + 1e-6)
    inside_y = (p[:, 1:2] >= ys - 1e-6) & (p[:, 3:4] <= ys + ch + 1e-6)
    part_whole = inside_y[:, :, None] & inside_x[:, None, :]
    face_kept = _kept_shares(grid.faces, xs, ys, cw, ch)
    guard_kept = _kept_shares(grid.guards, xs, ys, cw, ch)
    u = (_box_sums(grid.moment_x, ys, xs, ch, cw) / safe - xs) / cw
    v = (_box_sums(grid.moment_y, ys, xs, ch, cw) / safe - ys[:, None]) / ch
    box = grid.subject_box
    extent = (1.0, 1.0) if box is None else ((box[2] - box[0]) / cw, (box[3] - box[1]) / ch)
    ax, ay = _anchors(extent[0]), _anchors(extent[1])
    near_x = ax[np.abs(u[..., None] - ax).argmin(-1)]
    near_y = ay[np.abs(v[..., None] - ay).argmin(-1)]
    distance = np.hypot(u - near_x, v - near_y)
    composition = np.clip(1.0 - distance / 0.5, 0.0, 1.0) if grid.total > 0 else np.zeros_like(u)
    return WindowTerms(
        kept=kept,
        part_whole=part_whole,
        face_kept=face_kept,
        guard_kept=guard_kept,
        composition=composition,
        anchor=np.stack([near_x, near_y], axis=-1),
        position=np.stack([u, v], axis=-1),
        margin=_margin(grid, box, xs, ys, cw, ch),
        sliver=_slivers(grid.panels, xs, ys, cw, ch),
        overlay_kept=_kept_shares(grid.overlays, xs, ys, cw, ch),
    )


def _slivers(panels: np.ndarray, xs: np.ndarray, ys: np.ndarray, cw: int, ch: int) -> np.ndarray:
    """(ny, nx) whether each window shows a sliver of a panel (``collages.slivers``) or a strip of
    the gutter along a side (``collages.gutter_sides``) wherever it is put within half a cell of
    its place: grid rounding is mended in pixels (``proposals._mended``)."""
    flawed = np.ones((len(ys), len(xs)), bool)
    if not len(panels):
        return ~flawed
    for dy in (-0.5, 0.0, 0.5):
        for dx in (-0.5, 0.0, 0.5):
            flawed &= _flawed_at(panels, xs + dx, ys + dy, cw, ch)
    return flawed


def _flawed_at(panels: np.ndarray, xs: np.ndarray, ys: np.ndarray, cw: int, ch: int):
    """``_slivers`` of windows exactly at ``xs`` x ``ys`` (cells, fractional)."""
    across = _overlap(panels[:, 0], panels[:, 2], xs, cw)  # (N, nx)
    down = _overlap(panels[:, 1], panels[:, 3], ys, ch)  # (N, ny)
    thin_x = (across < panels[:, 2:3] - panels[:, 0:1] - 1e-6) & (across < SLIVER_SHARE * cw)
    thin_y = (down < panels[:, 3:4] - panels[:, 1:2] - 1e-6) & (down < SLIVER_SHARE * ch)
    shown_x, shown_y = across > 1e-6, down > 1e-6
    flawed = (shown_y[:, :, None] & shown_x[:, None, :]
              & (thin_y[:, :, None] | thin_x[:, None, :])).any(axis=0)
    x0, y0, x1, y1 = (panels[:, i : i + 1] for i in range(4))
    tops = (y0 <= ys) & (ys < y1)
    bottoms = (y0 < ys + ch) & (ys + ch <= y1)
    lefts = (x0 <= xs) & (xs < x1)
    rights = (x0 < xs + cw) & (xs + cw <= x1)
    for held in (tops, bottoms):  # (N, ny): a shown panel's rows hold the window's side
        flawed |= ~(held[:, :, None] & shown_x[:, None, :]).any(axis=0)
    for held in (lefts, rights):
        flawed |= ~(shown_y[:, :, None] & held[:, None, :]).any(axis=0)
    return flawed


def _kept_shares(boxes: np.ndarray, xs: np.ndarray, ys: np.ndarray, cw: int, ch: int):
    """(N, ny, nx) share of each box (cells) inside each window."""
    area = np.maximum((boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]), 1e-9)
    return (
        _overlap(boxes[:, 1], boxes[:, 3], ys, ch)[:, :, None]
        * _overlap(boxes[:, 0], boxes[:, 2], xs, cw)[:, None, :]
        / area[:, None, None]
    )


def _margin(grid: SubjectGrid, box, xs: np.ndarray, ys: np.ndarray, cw: int, ch: int):
    """0..1: free space around the subject box, ignoring sides where it meets the image edge."""
    shape = (len(ys), len(xs))
    if box is None:
        return np.ones(shape)
    score = np.ones(shape)
    sides = (
        (box[0] > 0.5, (box[0] - xs)[None, :] / cw),
        (box[2] < grid.width - 0.5, (xs + cw - box[2])[None, :] / cw),
        (box[1] > 0.5, (box[1] - ys)[:, None] / ch),
        (box[3] < grid.height - 0.5, (ys + ch - box[3])[:, None] / ch),
    )
    for away_from_edge, slack in sides:
        if away_from_edge:
            score = np.minimum(score, np.clip(slack / MARGIN, 0.0, 1.0))
    return score


def cut_through(kept: np.ndarray) -> np.ndarray:
    """0..1 per box (a face, a block of text) from the share of it ``kept``: 0 when kept whole or
    left out, 1 when 5..95% of it is kept."""
    return np.clip(np.minimum(kept, 1.0 - kept) / 0.05, 0.0, 1.0)


def window_scores(grid: SubjectGrid, terms: WindowTerms, scale: float, w: CropWeights, shift):
    """(ny, nx) total score of windows (see CropWeights); ``shift`` (ny, nx) in 0..1."""
    part_whole = terms.part_whole.astype(np.float64)
    nearly_whole = np.clip((terms.kept - 0.95) / 0.04, 0.0, 1.0)
    score = w.kept * terms.kept + w.nearly_whole * nearly_whole + w.size * scale
    score = score + w.composition * terms.composition + w.margin * terms.margin - w.shift * shift
    score = score - w.sliver * terms.sliver
    if len(grid.parts):
        score = score + w.whole_parts * np.tensordot(grid.part_share, part_whole, axes=1)
        score = score + w.all_parts * part_whole.all(axis=0)
    if len(grid.faces):
        whole = terms.face_kept >= 0.98
        score = score + w.face_whole * np.tensordot(grid.face_importance, whole, axes=1)
        cut = w.face_cut * cut_through(terms.face_kept) + w.face_margin * cut_through(terms.guard_kept)
        score = score - np.tensordot(grid.face_cut_weight, cut, axes=1)
    if len(grid.overlays):
        score = score - w.overlay_cut * cut_through(terms.overlay_kept).sum(axis=0)
        score = score - w.overlay_shown * terms.overlay_kept.mean(axis=0)
    return score


@dataclass(frozen=True)
class Window:
    """A chosen window: top-left (x, y) and size (cw, ch) in cells, its scale and score."""

    x: int
    y: int
    cw: int
    ch: int
    scale: float
    score: float


def best_window(grid: SubjectGrid, ratio: float, weights: CropWeights) -> Window:
    """The best-scoring window of aspect ``ratio`` (image w/h) over all sizes and positions."""
    sx, sy = grid.cell
    image_w, image_h = grid.width * sx, grid.height * sy
    best: Window | None = None
    for scale in SCALES:
        w_px, h_px = crop_size(ratio, round(image_w), round(image_h), scale)
        cw = min(grid.width, max(1, round(w_px / sx)))
        ch = min(grid.height, max(1, round(h_px / sy)))
        xs = np.arange(grid.width - cw + 1, dtype=np.float64)
        ys = np.arange(grid.height - ch + 1, dtype=np.float64)
        terms = window_terms(grid, xs.astype(np.intp), ys.astype(np.intp), cw, ch)
        shift_x = (xs + cw / 2) / grid.width - 0.5
        shift = np.hypot(shift_x[None, :], ((ys + ch / 2) / grid.height - 0.5)[:, None])
        scores = window_scores(grid, terms, scale, weights, shift)
        iy, ix = np.unravel_index(int(scores.argmax()), scores.shape)
        if best is None or scores[iy, ix] > best.score + 1e-9:
            best = Window(int(xs[ix]), int(ys[iy]), cw, ch, scale, float(scores[iy, ix]))
    assert best is not None
    return best

