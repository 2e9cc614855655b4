"""Crop proposals per slot ratio: the best window from the grid search, placed exactly in pixels.

The grid search (``search.py``) chooses the crop's size and place; this module turns the choice
into an integer box of the exact ratio (within a pixel), shifts it so that everything the search
kept whole (components, faces) is whole at full resolution, moves it off any face it would still
cut, and writes the score and reasons an editor reads. The one crop that cuts a face on purpose is
that of a face larger than every crop of the ratio (a close-up for a wide slot): it is cut across
the face, as picture editors crop one (``FACE_FEATURES``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from assessment.collages import SLIVER_SHARE, collage_flaws, gutter_sides, slivers
from assessment.cropping.focus import check_point, faces_of_subject, focus_subject
from assessment.cropping.ratios import FREE, Ratio, crop_size, parse_ratio
from assessment.cropping.search import (
    CropWeights,
    SubjectGrid,
    WindowTerms,
    best_window,
    build_grid,
    window_terms,
)
from assessment.faces import on_a_body
from assessment.geometry import Box, bounding_box, boxes_within, shown
from assessment.semantics import Semantics, check_foreground, describe_foreground

#: ``free``: margin around the subject, as a share of the subject box's width and height.
FREE_MARGIN = 0.10
#: ``free``: the crop covers at least this share of the image's area.
FREE_MIN_AREA = 0.25
#: At most this many faces (largest first) steer a crop; smaller ones are ignored.
MAX_FACES = 32
#: A crop keeps whole, or leaves out, each face with this share of its width and height added on
#: every side: hair, chin and ears reach past a face box, and a detector's box is often only part
#: of the face (README "Ranking and crops", face margin).
FACE_MARGIN = 0.15
#: A face taller or wider than a slot's largest crop cannot be kept whole or left out without
#: losing the picture's point, so the crop is cut across it as picture editors crop a close-up:
#: the largest crop, centred across the face, holding this band of the face box's height (from
#: the brows to the chin), with the room left over two thirds above the band (forehead, hair)
#: and one third below (neck).
FACE_FEATURES = (0.2, 1.0)
#: A crop that cuts through text laid over the picture may be made this much smaller (a share of
#: its size, at its ratio) to leave the text out: a caption just under the subject.
TEXT_TRIM = 0.15
#: ... losing at most this share of the subject's mass.
TEXT_TRIM_LOSS = 0.01
#: Where not even that band fits: the crop centred this far down the face box (eyes to mouth).
FACE_FEATURES_CENTRE = 0.55


@dataclass(frozen=True)
class CropProposal:
    """A proposed crop: box in image pixels, score 0..1 (higher is better), reasons to show."""

    box: Box
    score: float
    reasons: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "box": self.box.as_list(),
            "score": round(self.score, 3),
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class _Subject:
    """The subject in image pixels: components (largest first), their shares, faces, mass map."""

    semantics: Semantics
    parts: list[Box]
    faces: list[Box]
    guards: list[Box]  # per face: the face with `FACE_MARGIN`, the box a crop must not cut
    steering: list[bool]  # per face: part of the subject (steers the crop) or only kept uncut
    panels: list[Box]  # the photos of a collage (`assessment.collages`), [] for one photo
    overlays: list[Box]  # blocks of text laid over the picture (`assessment.overlays`)
    integral: np.ndarray  # (h + 1, w + 1) integral of the foreground at its own resolution
    scale: tuple[float, float]  # foreground pixels per image pixel (x, y)

    def kept_share(self, box: Box) -> float:
        """Share (0..1) of the foreground's mass inside ``box`` (1 for an empty foreground)."""
        total = self.integral[-1, -1]
        if total <= 0:
            return 1.0
        fx, fy = self.scale
        x0, x1 = round(box.x * fx), round(box.right * fx)
        y0, y1 = round(box.y * fy), round(box.bottom * fy)
        ii = self.integral
        return float((ii[y1, x1] - ii[y0, x1] - ii[y1, x0] + ii[y0, x0]) / total)


def propose_crops(
    foreground: np.ndarray,
    *,
    faces: Sequence[Box],
    ratios: Sequence[str],
    image_size: tuple[int, int],
    weights: CropWeights | None = None,
    focus: Sequence[float] | None = None,
    content: Box | None = None,
    panels: Sequence[Box] = (),
    overlays: Sequence[Box] = (),
) -> dict[str, CropProposal]:
    """The best crop for each ratio, keyed by the ratio as given.

    ``foreground``: (h, w) float32 in [0, 1] covering the whole image (any resolution);
    ``faces``: face boxes in image pixels; ``ratios``: ``"W:H"`` strings or ``"free"``;
    ``image_size``: (W, H) of the image in pixels; ``focus``: an editor's subject point (x, y)
    in image pixels, which picks the subject the crops frame (``focus.py``); ``content``: the
    picture inside plain bars, a frame, a blurred fill or a caption strip
    (``assessment.framing``), which every crop stays inside (None: the whole image); ``panels``:
    the photos of a collage (``assessment.collages``), of which a crop shows whole photos or fair
    shares, never a sliver or a strip of the gutter between them, where it can; ``overlays``:
    blocks of text laid over the picture (``assessment.overlays``), each of which a crop keeps
    whole or leaves out, never cuts through, where it can, and leaves out where that costs
    little. Boxes come back in image pixels. Raises ValueError for a bad ratio, size, mask, point,
    content box, panel or block, before any work is done.
    """
    width, height = _check_size(image_size)
    panels = _checked_boxes(panels, "panels")
    overlays = _checked_boxes(overlays, "overlays")
    if content is not None and content != Box(0, 0, width, height):
        return _within_content(foreground, faces=faces, ratios=ratios, size=(width, height),
                               weights=weights, focus=focus, content=content, panels=panels,
                               overlays=overlays)
    parsed = {text: parse_ratio(text) for text in ratios}
    mask = check_foreground(foreground)
    faces = _checked_faces(faces)
    steering = [not on for on in on_a_body(faces, panels)]
    if focus is not None:
        focused = focus_subject(mask, focus, (width, height))
        mask = focused.foreground
        steering = faces_of_subject(faces, focused, focus, (width, height))
    subject = _subject(mask, faces, steering, width, height, panels, overlays)
    share = [c.mass_share for c in subject.semantics.components]
    grid = build_grid(mask, subject.parts, share, subject.faces, subject.guards, (width, height),
                      face_attracts=subject.steering, panels=subject.panels,
                      overlays=subject.overlays)
    proposals = {}
    for text, ratio in parsed.items():
        if ratio is None:
            proposals[text] = _free_crop(subject, width, height)
            continue
        largest = crop_size(ratio.value, width, height)
        lead = _face_too_large(subject, largest)
        if lead is not None:
            box = _place_across(lead, largest, (width, height), subject)
            terms = window_terms(grid, *_cells(box, grid))
            proposals[text] = _proposal(subject, box, ratio, terms, 1.0, (width, height), lead)
            continue
        window = best_window(grid, ratio.value, weights or CropWeights())
        terms = window_terms(
            grid, np.array([window.x]), np.array([window.y]), window.cw, window.ch
        )
        w, h = crop_size(ratio.value, width, height, window.scale)
        sx, sy = grid.cell
        centre = ((window.x + window.cw / 2) * sx, (window.y + window.ch / 2) * sy)
        whole_parts = terms.part_whole[:, 0, 0]
        keep = [p for p, whole in zip(subject.parts, whole_parts, strict=True) if whole]
        for boxes, kept in ((subject.faces, terms.face_kept), (subject.guards, terms.guard_kept),
                            (subject.overlays, terms.overlay_kept)):
            keep += [f for f, k in zip(boxes, kept[:, 0, 0], strict=True) if k >= 0.98]
        box = _place(centre, (w, h), (width, height), keep, subject)
        box, scale = _off_text(box, ratio, window.scale, (width, height), subject)
        proposals[text] = _proposal(subject, box, ratio, terms, scale, (width, height))
    if focus is not None:
        proposals = {text: _marked(crop) for text, crop in proposals.items()}
    return proposals


def _within_content(
    foreground: np.ndarray,
    *,
    faces: Sequence[Box],
    ratios: Sequence[str],
    size: tuple[int, int],
    weights: CropWeights | None,
    focus: Sequence[float] | None,
    content: Box,
    panels: Sequence[Box],
    overlays: Sequence[Box],
) -> dict[str, CropProposal]:
    """``propose_crops`` of the picture ``content`` alone, its boxes in the whole image's pixels
    (a subject point on a bar counts as the nearest point of the picture)."""
    width, height = size
    if content.area == 0 or not Box(0, 0, width, height).contains(content):
        raise ValueError(f"the content box {content.as_list()} must be a non-empty part of the "
                         f"{width}×{height} image")
    mask = check_foreground(foreground)
    inner = content.scaled(mask.shape[1] / width, mask.shape[0] / height)
    inner = inner.clamp(mask.shape[1], mask.shape[0])
    point = None
    if focus is not None:
        x, y = check_point(focus, size)
        point = (min(max(x - content.x, 0.0), content.w - 1.0),
                 min(max(y - content.y, 0.0), content.h - 1.0))
    proposals = propose_crops(
        mask[inner.y : inner.bottom, inner.x : inner.right],
        faces=boxes_within(_checked_faces(faces), content), ratios=ratios,
        image_size=(content.w, content.h), weights=weights, focus=point,
        panels=boxes_within(panels, content), overlays=boxes_within(overlays, content),
    )
    return {text: replace(crop, box=crop.box.shifted(content.x, content.y))
            for text, crop in proposals.items()}


def describe_crop(
    foreground: np.ndarray,
    *,
    faces: Sequence[Box],
    box: Box,
    image_size: tuple[int, int],
    panels: Sequence[Box] = (),
    overlays: Sequence[Box] = (),
) -> tuple[str, ...]:
    """What any crop ``box`` (an editor's) keeps, judged as the proposals are: the share of the
    subject's mass inside it, the faces it keeps whole, leaves out or cuts ("1 face cut"), what
    it shows of a collage's photos, and any text laid over the picture it cuts through.
    Arguments as for ``propose_crops``; raises ValueError for a bad size, mask, face, panel or
    block."""
    width, height = _check_size(image_size)
    subject = _subject(check_foreground(foreground), _checked_faces(faces), None, width, height,
                       _checked_boxes(panels, "panels"), _checked_boxes(overlays, "overlays"))
    reasons = []
    if not subject.semantics.is_empty:
        whole = all(box.contains(part) for part in subject.parts)
        reasons.append("keeps the whole subject" if whole
                       else f"keeps {subject.kept_share(box):.0%} of the subject")
    return (*reasons, *_faces_kept(box, *_on_a_body_apart(subject))[0],
            *_collage_reasons(box, subject.panels),
            *_overlay_reasons(box, subject.overlays))


def _marked(crop: CropProposal) -> CropProposal:
    return CropProposal(crop.box, crop.score, ("framed on the subject an editor marked",
                                               *crop.reasons))


def _check_size(image_size: tuple[int, int]) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in image_size)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"image_size must be (width, height) in pixels, got {image_size!r}"
        ) from exc
    if width < 1 or height < 1:
        raise ValueError(f"image_size must be at least (1, 1) pixels, got {image_size!r}")
    return width, height


def _checked_faces(faces: Sequence[Box]) -> Sequence[Box]:
    return _checked_boxes(faces, "faces")


def _checked_boxes(boxes: Sequence[Box], name: str) -> list[Box]:
    bad = [b for b in boxes if not isinstance(b, Box)]
    if bad:
        raise ValueError(f"{name} must be Box objects in image pixels, got {bad[0]!r}")
    return list(boxes)


def _subject(mask: np.ndarray, faces: Sequence[Box], steering: Sequence[bool] | None,
             width: int, height: int, panels: Sequence[Box] = (),
             overlays: Sequence[Box] = ()) -> _Subject:
    semantics = describe_foreground(mask)
    mh, mw = mask.shape
    to_image = (width / mw, height / mh)
    parts = [c.box.scaled(*to_image).clamp(width, height) for c in semantics.components]
    flags = [True] * len(faces) if steering is None else list(steering)
    clamped = [(f.clamp(width, height), s) for f, s in zip(faces, flags, strict=True)]
    kept = sorted((fs for fs in clamped if fs[0].area > 0), key=lambda fs: -fs[0].area)
    kept = kept[:MAX_FACES]
    integral = cv2.integral(mask.astype(np.float64))
    guards = [f.expanded(FACE_MARGIN).clamp(width, height) for f, _ in kept]
    return _Subject(semantics, parts, [f for f, _ in kept], guards, [s for _, s in kept],
                    [p.clamp(width, height) for p in panels],
                    [o for o in (o.clamp(width, height) for o in overlays) if o.area > 0],
                    integral, (mw / width, mh / height))


def _fit(start: int, length: int, limit: int, must: tuple[int, int] | None) -> int:
    """Start of a ``length`` span in [0, limit) near ``start`` that holds [must) when it can."""
    if must is not None and must[1] - must[0] <= length:
        start = max(min(start, must[0]), must[1] - length)
    return min(max(start, 0), limit - length)


def _cuts(box: Box, boxes: list[Box]) -> int:
    """How many of ``boxes`` (faces, blocks of text) ``box`` cuts: holds part, not all, of."""
    return sum(0.0 < box.overlap_share(b) < 1.0 for b in boxes)


def _place(centre, size, image_size, keep: list[Box], subject: _Subject) -> Box:
    """Integer box of ``size`` around ``centre`` holding the ``keep`` boxes, cutting no face and,
    where it can, showing no sliver of a collage's photo nor a strip of its gutter, cutting
    through no text laid over the picture, and cutting no face's margin (``subject.guards``)."""
    (w, h), (width, height) = size, image_size
    must = bounding_box(keep)
    x = _fit(round(centre[0] - w / 2), w, width, None if must is None else (must.x, must.right))
    y = _fit(round(centre[1] - h / 2), h, height, None if must is None else (must.y, must.bottom))
    return _mended(Box(x, y, w, h), image_size, subject, must)


def _mended(box: Box, image_size, subject: _Subject, must: Box | None = None) -> Box:
    """``box`` moved (never resized) off what grid rounding, or a cut across a face, left wrong:
    first a face it cuts, then a sliver or gutter of a collage it shows, then text laid over the
    picture it cuts through, then a face's margin it cuts; still holding ``must``, showing as
    little of such text, and moved as little as can be."""
    (width, height), w, h = image_size, box.w, box.h

    def faults(c: Box) -> tuple[int, int, int, int]:
        return (_cuts(c, subject.faces), collage_flaws(c, subject.panels),
                _cuts(c, subject.overlays), _cuts(c, subject.guards))

    for _ in range(3):
        if not any(faults(box)):
            break
        cut = [f for f in (*subject.guards, *subject.faces, *subject.overlays)
               if 0.0 < box.overlap_share(f) < 1.0]
        xs = [nx for f in cut for nx in (f.x, f.right - w, f.right, f.x - w)]
        ys = [ny for f in cut for ny in (f.y, f.bottom - h, f.bottom, f.y - h)]
        fair_w, fair_h = math.ceil(SLIVER_SHARE * w), math.ceil(SLIVER_SHARE * h)
        # onto a photo's edge, or showing just a fair share of it on either side
        xs += [nx for p in subject.panels
               for nx in (p.x, p.right - w, p.x + fair_w - w, p.right - fair_w)]
        ys += [ny for p in subject.panels
               for ny in (p.y, p.bottom - h, p.y + fair_h - h, p.bottom - fair_h)]
        candidates = [box]
        candidates += [Box(min(max(nx, 0), width - w), box.y, w, h) for nx in xs]
        candidates += [Box(box.x, min(max(ny, 0), height - h), w, h) for ny in ys]
        valid = [c for c in candidates if must is None or c.contains(must)] or [box]
        box = min(valid, key=lambda c: (*faults(c), shown(c, subject.overlays),
                                        abs(c.x - box.x) + abs(c.y - box.y)))
    return box


def _off_text(box: Box, ratio: Ratio, scale: float, image_size: tuple[int, int],
              subject: _Subject) -> tuple[Box, float]:
    """``box`` (a crop ``scale`` times the largest of ``ratio``) made smaller by up to
    ``TEXT_TRIM``, at its ratio, so that a side it cuts text laid over the picture with moves off
    the text, where the smaller box still holds every face (and its margin) it held, cuts no more
    faces and no other text, and loses at most ``TEXT_TRIM_LOSS`` of the subject; the largest
    such box and its scale, or ``box`` and ``scale`` themselves."""
    if not _cuts(box, subject.overlays):
        return box, scale
    width, height = image_size
    union = bounding_box(subject.parts)
    options = []
    for text in (t for t in subject.overlays if 0.0 < box.overlap_share(t) < 1.0):
        for side, room in (("top", box.bottom - text.bottom), ("bottom", text.y - box.y),
                           ("left", box.right - text.right), ("right", text.x - box.x)):
            share = room / (box.h if side in ("top", "bottom") else box.w)
            if not 1 - TEXT_TRIM <= share < 1:
                continue
            w, h = crop_size(ratio.value, width, height, scale * share)
            while (h if side in ("top", "bottom") else w) > room and w > 1 and h > 1:
                share -= 0.002
                w, h = crop_size(ratio.value, width, height, scale * share)
            across = _spans(box.x, box.w, w, union and (union.x, union.w))
            down = _spans(box.y, box.h, h, union and (union.y, union.h))
            xs = [box.right - w] if side == "left" else [box.x] if side == "right" else across
            ys = [box.bottom - h] if side == "top" else [box.y] if side == "bottom" else down
            options += [(Box(min(max(x, 0), width - w), min(max(y, 0), height - h), w, h),
                         scale * share) for x in xs for y in ys]
    faces = [k for k in (*subject.faces, *subject.guards) if box.contains(k)]
    kept = subject.kept_share(box)
    fine = [(c, sc) for c, sc in options
            if all(c.contains(k) for k in faces) and _cuts(c, subject.faces) <= _cuts(box, subject.faces)
            and subject.kept_share(c) >= kept - TEXT_TRIM_LOSS and not _cuts(c, subject.overlays)]
    return max(fine, key=lambda option: option[0].area, default=(box, scale))


def _spans(start: int, length: int, smaller: int, subject: tuple[int, int] | None) -> list[int]:
    """Starts of a span ``smaller`` than [start, start + length): at its start, middle and end,
    and centred on the ``subject``'s span (start, length) where there is one."""
    starts = [start, round(start + (length - smaller) / 2), start + length - smaller]
    if subject is not None:
        starts.append(round(subject[0] + (subject[1] - smaller) / 2))
    return starts


def _place_across(face: Box, size: tuple[int, int], image_size, subject: _Subject) -> Box:
    """The crop of ``size`` cut across ``face`` (``_across_face``), moved off a collage's sliver
    or gutter, or off text laid over the picture it cuts through, where it can be without cutting
    another face."""
    box = _across_face(face, size, image_size)
    if not collage_flaws(box, subject.panels) and not _cuts(box, subject.overlays):
        return box
    others = [i for i, f in enumerate(subject.faces) if f is not face]
    return _mended(box, image_size, replace(subject, faces=[subject.faces[i] for i in others],
                                            guards=[subject.guards[i] for i in others]))


def _face_too_large(subject: _Subject, largest: tuple[int, int]) -> Box | None:
    """The largest face of the subject (one that steers) that no crop of size ``largest`` holds."""
    return next((f for f, steers in zip(subject.faces, subject.steering, strict=True)
                 if steers and not f.fits_in(largest)), None)


def _across_face(face: Box, size: tuple[int, int], image_size: tuple[int, int]) -> Box:
    """A crop of ``size`` cut across ``face``, which it cannot hold (see ``FACE_FEATURES``)."""
    (w, h), (width, height) = size, image_size
    top, bottom = _features(face)
    room = h - (bottom - top)
    y = top - room * 2 / 3 if room >= 0 else face.y + FACE_FEATURES_CENTRE * face.h - h / 2
    x = face.x + face.w / 2 - w / 2
    return Box(_fit(round(x), w, width, None), _fit(round(y), h, height, None), w, h)


def _cells(box: Box, grid: SubjectGrid) -> tuple[np.ndarray, np.ndarray, int, int]:
    """``box`` in pixels as one window's position and size (xs, ys, cw, ch) on ``grid``."""
    sx, sy = grid.cell
    cw = min(grid.width, max(1, round(box.w / sx)))
    ch = min(grid.height, max(1, round(box.h / sy)))
    x = min(round(box.x / sx), grid.width - cw)
    y = min(round(box.y / sy), grid.height - ch)
    return np.array([x]), np.array([y]), cw, ch


def _proposal(subject: _Subject, box: Box, ratio: Ratio, terms: WindowTerms, scale, image_size,
              crossed: Box | None = None):
    """The proposal for ``box``; ``crossed``: the face it is cut across (``_across_face``)."""
    kept = subject.kept_share(box)
    reasons = list(_subject_reasons(subject, box, ratio, kept, image_size, crossed is not None))
    people, on_body = _on_a_body_apart(subject)
    others = [f for f in people if f is not crossed]
    face_reasons, face_score = _faces_kept(box, others, on_body)
    reasons += face_reasons
    if crossed is not None:  # the best any crop of the ratio can do: half a face kept whole
        face_score = (face_score * len(others) + 0.5) / (len(others) + 1)
        reasons.append(f"cut across a face too large for any {ratio} crop, "
                       + ("brows to chin" if _holds_features(box, crossed) else "eyes to mouth"))
    largest = crop_size(ratio.value, *image_size)
    too_large = sum(not f.fits_in(largest) for f in subject.faces if f is not crossed)
    if too_large:
        reasons.append(f"{too_large} face{'s' if too_large != 1 else ''} too large for any "
                       f"{ratio} crop")
    composition = float(terms.composition[0, 0])
    if not subject.semantics.is_empty:
        reasons.append(_placement_reason(terms.anchor[0, 0], terms.position[0, 0], composition))
    if scale < 1.0:
        reasons.append(f"zoomed in to {scale:.0%} of the largest {ratio} crop")
    reasons += _collage_reasons(box, subject.panels)
    reasons += _overlay_reasons(box, subject.overlays)
    score = 0.5 * kept + 0.2 * face_score + 0.15 * composition + 0.15 * scale
    return CropProposal(box=box, score=score, reasons=tuple(reasons))


def _on_a_body_apart(subject: _Subject) -> tuple[list[Box], list[Box]]:
    """The subject's faces apart from those found on another face's person's body
    (``faces.on_a_body``: a false find, or a child held), which the ranking does not weigh."""
    on_body = on_a_body(subject.faces, subject.panels)
    return ([f for f, on in zip(subject.faces, on_body, strict=True) if not on],
            [f for f, on in zip(subject.faces, on_body, strict=True) if on])


def _faces_kept(box: Box, faces: list[Box], on_body: Sequence[Box] = ()) -> tuple[list[str], float]:
    """Reasons on the faces ``box`` keeps whole, leaves out and cuts, and their score 0..1;
    of the finds ``on_body`` (``_on_a_body_apart``), counted apart, only a cut one is named."""
    shares = [box.overlap_share(f) for f in faces]
    body_cut = _cuts(box, list(on_body))
    found_cut = ([f"{body_cut} more face{'s' if body_cut != 1 else ''} on a person's body cut"]
                 if body_cut else [])
    if not shares:
        return found_cut, 1.0
    whole = sum(s >= 0.999 for s in shares)
    cut = sum(0.0 < s < 0.999 for s in shares)
    left_out = len(shares) - whole - cut
    reasons = [f"{whole} face{'s' if whole != 1 else ''} kept whole"]
    if left_out:
        reasons.append(f"{left_out} face{'s' if left_out != 1 else ''} left out")
    if cut:
        reasons.append(f"{cut} face{'s' if cut != 1 else ''} cut")
    reasons += found_cut
    return reasons, max(0.0, whole / len(shares) - 0.5 * cut)


def _features(face: Box) -> tuple[float, float]:
    """The rows (top, bottom) of ``face`` from the brows to the chin (``FACE_FEATURES``)."""
    top, bottom = FACE_FEATURES
    return face.y + top * face.h, face.y + bottom * face.h


def _holds_features(box: Box, face: Box) -> bool:
    """Whether ``box`` holds the band of ``face`` from the brows to the chin."""
    top, bottom = _features(face)
    return box.y <= top + 0.5 and bottom - 0.5 <= box.bottom


def _subject_reasons(subject: _Subject, box: Box, ratio: Ratio, kept: float, image_size,
                     on_face: bool = False):
    if subject.semantics.is_empty:
        yield "no subject found: crop kept central" if not subject.faces else "framed on the faces"
        return
    if all(box.contains(p) for p in subject.parts):
        yield "keeps the whole subject"
        return
    if on_face:
        yield f"keeps {kept:.0%} of the subject (framed on the face)"
        return
    union = bounding_box(subject.parts)
    largest_w, largest_h = crop_size(ratio.value, *image_size)
    if union.w > largest_w or union.h > largest_h:
        yield f"subject does not fit {ratio}: keeps {kept:.0%} of it"
        if box.contains(subject.parts[0]):
            yield "keeps the main part whole"
    else:
        yield f"keeps {kept:.0%} of the subject (to keep faces whole)"


def _placement_reason(anchor: np.ndarray, position: np.ndarray, composition: float) -> str:
    """Where the subject's mass centroid sits in the crop (``composition`` 1 = on ``anchor``)."""
    if composition < 0.85:  # more than 7.5% of the crop from the centre and the thirds
        u, v = float(position[0]), float(position[1])
        side = [
            "upper" if v < 0.4 else "lower" if v > 0.6 else "",
            "left" if u < 0.4 else "right" if u > 0.6 else "",
        ]
        return f"subject off-centre, {' '.join(s for s in side if s) or 'near the middle'}"
    u, v = float(anchor[0]), float(anchor[1])
    if u == 0.5 and v == 0.5:
        return "subject centred"
    parts = []
    if v != 0.5:
        parts.append("upper" if v < 0.5 else "lower")
    if u != 0.5:
        parts.append("left" if u < 0.5 else "right")
    return f"subject on the {' '.join(parts)} third"


def _collage_reasons(box: Box, panels: list[Box]) -> tuple[str, ...]:
    """How many photos of a collage ``box`` shows, and any sliver or gutter it shows."""
    if not panels:
        return ()
    reasons = [f"shows {shown(box, panels)} of the {len(panels)} photos of the collage"]
    if slivers(box, panels):
        reasons.append("shows a sliver of a photo of the collage")
    if gutter_sides(box, panels):
        reasons.append("shows a strip of the gutter between photos")
    return tuple(reasons)


def _overlay_reasons(box: Box, overlays: list[Box]) -> tuple[str, ...]:
    """What ``box`` shows of the text laid over the picture: none of it, all of it whole, or a
    cut through it."""
    shares = [box.overlap_share(o) for o in overlays]
    if not shares:
        return ()
    if any(0.0 < s < 0.999 for s in shares):
        return ("cuts through text laid over the picture",)
    if any(shares):
        return ("shows the text laid over the picture whole",)
    return ("leaves out the text laid over the picture",)


def _free_crop(subject: _Subject, width: int, height: int) -> CropProposal:
    """``free``: the subject (components and faces) with a FREE_MARGIN margin, any aspect ratio.

    Optimises framing only: it trims empty surroundings but keeps every significant component
    and face whole, and never goes below FREE_MIN_AREA of the image (so a speck is not blown up).
    """
    steering = [f for f, s in zip(subject.faces, subject.steering, strict=True) if s]
    union = bounding_box(subject.parts + steering)
    if union is None:
        return CropProposal(Box(0, 0, width, height), 0.5, ("no subject found: whole image",))
    zoom = (FREE_MIN_AREA * width * height / max(union.area, 1)) ** 0.5
    grow = max(FREE_MARGIN, (zoom - 1) / 2)
    spans = []
    for start, length, limit in ((union.x, union.w, width), (union.y, union.h, height)):
        size = min(limit, round(length * (1 + 2 * grow)))
        spans.append((_fit(round(start + length / 2 - size / 2), size, limit, None), size))
    box = _around_cuts(Box(spans[0][0], spans[1][0], spans[0][1], spans[1][1]),
                            subject.guards)
    if collage_flaws(box, subject.panels) or _cuts(box, subject.overlays):
        box = _free_mended(box, subject)
    reasons = (f"{FREE} ratio: the whole subject with a margin", f"{box.w}x{box.h} px",
               *_collage_reasons(box, subject.panels), *_overlay_reasons(box, subject.overlays))
    return CropProposal(box, subject.kept_share(box), reasons)


def _around_cuts(box: Box, faces: list[Box]) -> Box:
    """``box`` grown until it cuts no face (each face it cuts is taken in whole)."""
    cut = [f for f in faces if 0.0 < box.overlap_share(f) < 1.0]
    while cut:
        box = bounding_box([box, *cut])
        cut = [f for f in faces if 0.0 < box.overlap_share(f) < 1.0]
    return box


def _free_mended(box: Box, subject: _Subject) -> Box:
    """The ``free`` crop ``box`` with each side moved to the nearest start or end of a collage's
    photo on either side of it, or to an edge of text laid over the picture that it cuts, so it
    shows no sliver or gutter and cuts through no text where it can: cutting no face, then
    showing no sliver, then cutting no text, then losing as little of the subject, then moving
    as little as it can."""
    def nearest(value: int, edges: set[int]) -> set[int]:
        below = [e for e in edges if e <= value]
        above = [e for e in edges if e >= value]
        return {value, *([max(below)] if below else []), *([min(above)] if above else [])}

    panels = subject.panels
    cut = [t for t in subject.overlays if 0.0 < box.overlap_share(t) < 1.0]
    across = {e for t in cut for e in (t.x, t.right)}
    down = {e for t in cut for e in (t.y, t.bottom)}
    options = [
        Box(x0, y0, x1 - x0, y1 - y0)
        for x0 in nearest(box.x, {p.x for p in panels}) | across
        for x1 in nearest(box.right, {p.right for p in panels}) | across
        for y0 in nearest(box.y, {p.y for p in panels}) | down
        for y1 in nearest(box.bottom, {p.bottom for p in panels}) | down
        if x1 > x0 and y1 > y0
    ]
    return min(options, key=lambda c: (
        _cuts(c, subject.guards), collage_flaws(c, panels), _cuts(c, subject.overlays),
        round(1 - subject.kept_share(c), 2),
        abs(c.x - box.x) + abs(c.right - box.right) + abs(c.y - box.y) + abs(c.bottom - box.bottom),
    ))
