"""Rank an article's candidate covers, with the reasons an editor reads.

Each candidate gets a cover score: a weighted sum of terms in 0..1 (clarity, a focus that missed
the subject, a blurred face, exposure, subject size, subject placement, border contact, number of
parts, faces, room for the faces, text laid over the picture in the slots' crops and resolution in
the slots) minus a demotion for near-duplicates of a better candidate. The weights live in
``RankingWeights``; a team overrides them with ``RankingWeights.from_dict``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from assessment.cropping.ratios import crop_size, parse_ratio
from assessment.exposure import Exposure, exposure_reasons, exposure_term
from assessment.face_sharpness import face_blurred
from assessment.faces import BODY_FACE_HEIGHTS, PERSON_SIDE, on_a_body
from assessment.geometry import Box, boxes_within, shown
from assessment.missed_focus import focus_missed
from assessment.semantics import SIDES, Semantics, describe_foreground

DEFAULT_SLOT_RATIOS = ("16:9", "4:3", "1:1")
SOFT = 4.5  # clarity from which a photo is called slightly soft rather than blurred
#: The width in pixels a slot is shown at, unless its team says otherwise.
DEFAULT_SLOT_WIDTH = 1200
#: Above a face's box its person's head reaches about this many face heights (hair, a cap), and to
#: each side shoulders and arms `faces.PERSON_SIDE` face widths: a subject that runs off the top,
#: left or right edge within that reach of a whole face is a person framed close, as in a
#: head-and-shoulders portrait, not a subject cut by the photo.
HEAD_FACE_HEIGHTS = 0.5
CandidateKey = str | int


@dataclass(frozen=True)
class RankingWeights:
    """Weights of the cover score (each term is in 0..1; the score is their weighted sum).

    clarity: (clarity - 1) / 9. exposure: ``exposure.exposure_term`` (1 unless even the photo's
    highlights are dim or its subject is burnt out to white; 1 for a graphic and for a candidate
    measured before exposure was).
    proportion: 1 while the
    subject fills ``ideal_min``..``ideal_max`` of the frame, falling to 0 for an empty or
    frame-filling subject. placement: 1 when the subject's mass centroid is at the centre, 0 at a
    corner. border: subtracted per image side the subject touches (it is cut by the photo),
    except a side a whole face's person reaches (a subject that runs off there is a person's body
    framed as portraits and half-length shots are, not a subject cut by the photo): the bottom
    within ``faces.BODY_FACE_HEIGHTS`` below the face, the top within ``HEAD_FACE_HEIGHTS`` above
    it, the left and right within ``faces.PERSON_SIDE`` face widths. components: 1 for one part,
    less for many.
    faces: large whole faces help (by the largest face's share of the short side); here and in
    the next two terms a face on another face's person's body (``faces.on_a_body``) is not a
    person's face and counts for nothing. face_cut: subtracted per face cut by the image border.
    face_fit: subtracted, times the share of slot ratios whose largest crop is shorter or narrower
    than a whole face (that slot's crop leaves the face out, or cuts it where no crop can leave
    it out). overlay_text: subtracted, times the share of slot ratios whose crop shows text laid
    over the picture (a TV caption, subtitles, a channel's name, a burned-in credit:
    ``assessment.overlays``), which a clean photo's crop does not; nothing where every crop leaves
    the text out. resolution: share of slot ratios whose largest crop holds at least the detail of
    the width its slot is shown at (its width divided by the photo's ``detail_scale``).
    missed_focus: subtracted from a photo whose subject is markedly softer than the scene behind it
    (``assessment.missed_focus``: the autofocus found the background), which the clarity, read
    across the frame, calls sharp.
    blurred_face: subtracted from a photo the clarity does not call blurred whose largest face (of
    ``face_sharpness.MIN_FACE`` px or more) is blurred (``assessment.face_sharpness``: the person
    moved, or the focus fell elsewhere), unless the focus is already called missed.
    graphic: subtracted from a graphic (a chart, text card, drawing or screenshot:
    ``assessment.graphics``): a news feed leads with a photograph, so a graphic ranks below a photo
    of like quality and is suggested where the photos are poor or there are none; a desk that
    leads data stories with their charts sets it to 0.
    near_duplicate: subtracted from every candidate that repeats a better one.
    """

    clarity: float = 0.35
    exposure: float = 0.10
    proportion: float = 0.15
    placement: float = 0.05
    border: float = 0.15
    components: float = 0.05
    faces: float = 0.10
    face_cut: float = 0.20
    face_fit: float = 0.15
    overlay_text: float = 0.15
    resolution: float = 0.10
    missed_focus: float = 0.15
    blurred_face: float = 0.15
    graphic: float = 0.30
    near_duplicate: float = 0.30
    ideal_min: float = 0.10
    ideal_max: float = 0.60

    @classmethod
    def from_dict(cls, values: Mapping[str, object]) -> RankingWeights:
        """Defaults overridden by ``values`` (a team's settings); raises ValueError on bad keys."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"unknown ranking weight(s) {unknown}; valid names: {sorted(known)}"
            )
        parsed = {}
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"ranking weight {name!r} must be a number, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"ranking weight {name!r} must be finite and >= 0, got {value}")
            parsed[name] = float(value)
        weights = cls(**parsed)
        if not 0 <= weights.ideal_min < weights.ideal_max <= 1:
            raise ValueError("ranking weights need 0 <= ideal_min < ideal_max <= 1")
        return weights

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class CandidateFeatures:
    """What the ranking knows of one candidate: ``semantics``, ``faces``, ``width`` and
    ``height`` are of its picture, in its pixels (inside any plain bars, frame, blurred fill or
    caption strip, which ``bars`` names the sides of: ``assessment.framing``)."""

    key: CandidateKey  # any unique id (a database primary key, a file name)
    clarity: float  # 1..10
    semantics: Semantics
    faces: Sequence[Box]
    width: int
    height: int
    near_duplicate_of: CandidateKey | None = None  # ignored when not among the candidates
    #: k >= 1: the photo holds the detail of one k times narrower (``assessment.detail``), so a
    #: crop shows the detail of its width / k pixels.
    detail_scale: float = 1.0
    #: ``missed_focus.sharpness_contrast`` of the picture; None: not judged or not measured.
    sharpness_contrast: float | None = None
    #: ``face_sharpness.main_face_sharpness`` of the picture; None: no face judged or not measured.
    face_sharpness: float | None = None
    bars: tuple[str, ...] = ()  # image sides with a plain bar the crops leave out
    exposure: Exposure | None = None  # of the picture; None: not measured (scored as good)
    graphic: bool = False  # a chart, text card or drawing: its clarity is that of its edges
    panels: Sequence[Box] = ()  # the photos of a collage (``assessment.collages``); () for one
    overlays: Sequence[Box] = ()  # blocks of text laid over the picture (``assessment.overlays``)
    #: The crop proposed for each slot ratio ("16:9" -> box); a ratio it does not name is taken
    #: to leave the text out.
    crops: Mapping[str, Box] = field(default_factory=dict)


def picture_features(key: CandidateKey, clarity: float, foreground: np.ndarray, picture: Box,
                     faces: Sequence[Box], *, overlays: Sequence[Box] = (),
                     panels: Sequence[Box] = (), crops: Mapping[str, Box] | None = None,
                     **rest) -> CandidateFeatures:
    """The features of the ``picture`` (inside any bars, frame or blurred fill) of an image whose
    ``foreground`` map (image-sized), ``faces``, ``overlays``, collage ``panels`` and slot
    ``crops`` are in its pixels; ``rest``: the other fields of ``CandidateFeatures``."""
    return CandidateFeatures(
        key=key, clarity=clarity, width=picture.w, height=picture.h,
        semantics=describe_foreground(
            foreground[picture.y : picture.bottom, picture.x : picture.right]),
        faces=boxes_within(faces, picture), overlays=boxes_within(overlays, picture),
        panels=boxes_within(panels, picture),
        crops={ratio: box.shifted(-picture.x, -picture.y) for ratio, box in (crops or {}).items()},
        **rest)


@dataclass(frozen=True)
class RankedCandidate:
    """A candidate's place (1 = best), cover score and reasons, best first."""

    key: CandidateKey
    rank: int
    score: float
    reasons: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"key": self.key, "rank": self.rank, "score": round(self.score, 4),
                "reasons": list(self.reasons)}


def rank_candidates(
    candidates: Sequence[CandidateFeatures],
    *,
    weights: RankingWeights | None = None,
    slot_ratios: Sequence[str] = DEFAULT_SLOT_RATIOS,
    min_slot_width: int = DEFAULT_SLOT_WIDTH,
    slot_widths: Mapping[str, int] | None = None,
) -> list[RankedCandidate]:
    """Candidates best first, with scores and reasons (ties keep the input order).

    ``slot_ratios``: the "W:H" ratios the article's slots need; ``slot_widths``: the width in
    pixels each ratio's slot is shown at (a 16:9 hero 1200, a 1:1 thumbnail 400), and
    ``min_slot_width`` that of a ratio it does not name. Near-duplicates (``near_duplicate_of``
    naming another candidate, in either direction) are grouped; all but the best of a group are
    demoted.
    """
    weights = weights or RankingWeights()
    ratios = [(text, parse_ratio(text)) for text in slot_ratios]
    ratios = [(text, r.value) for text, r in ratios if r is not None]
    keys = [c.key for c in candidates]
    if len(set(keys)) != len(keys):
        raise ValueError("candidate keys must be unique")
    widths = {text: (slot_widths or {}).get(text, min_slot_width) for text, _ in ratios}
    scored = {c.key: _score(c, weights, ratios, widths) for c in candidates}
    for group in _duplicate_groups(candidates):
        best = max(group, key=lambda k: (scored[k][0], -keys.index(k)))
        for key in group:
            if key != best:
                score, reasons = scored[key]
                demoted = score - weights.near_duplicate
                scored[key] = (demoted, [*reasons, f"near-duplicate of {best}"])
    order = sorted(keys, key=lambda k: (-scored[k][0], keys.index(k)))
    return [
        RankedCandidate(key=k, rank=i + 1, score=scored[k][0], reasons=tuple(scored[k][1]))
        for i, k in enumerate(order)
    ]


def _score(c: CandidateFeatures, w: RankingWeights, ratios, widths: Mapping[str, int]):
    if c.width < 1 or c.height < 1:
        raise ValueError(f"candidate {c.key!r}: width and height must be >= 1 px")
    if not c.detail_scale >= 1:
        raise ValueError(f"candidate {c.key!r}: detail_scale must be >= 1, got {c.detail_scale}")
    reasons: list[str] = []
    clarity = min(max((c.clarity - 1) / 9, 0.0), 1.0)
    missed = not c.graphic and focus_missed(c.sharpness_contrast)
    blurred_face = (not c.graphic and not missed and c.clarity >= SOFT
                    and face_blurred(c.face_sharpness))
    if missed:
        reasons.append("the subject soft, the scene behind it sharp: focus missed")
    elif blurred_face:
        reasons.append(f"{_clarity_reason(c.clarity)}, but the largest face blurred (the person "
                       "moved, or the focus fell elsewhere)")
    else:
        reasons.append(_clarity_reason(c.clarity))
    if c.graphic:
        reasons.append("a graphic (chart, text or drawing): clarity read from its edges"
                       + (", ranked below photos" if w.graphic > 0 else ""))
    if c.bars:
        reasons.append(_bars_reason(c.bars))
    if len(c.panels) > 1:
        reasons.append(f"a collage of {len(c.panels)} photos: no crop shows a sliver of one")
    sem = c.semantics
    score = w.clarity * clarity - (w.graphic if c.graphic else 0.0)
    score -= w.missed_focus if missed else 0.0
    score -= w.blurred_face if blurred_face else 0.0
    exposure = None if c.graphic else c.exposure  # a graphic's dark or white ground is designed
    if exposure is not None:
        reasons += exposure_reasons(exposure)
    score += w.exposure * (1.0 if exposure is None else exposure_term(exposure))
    if sem.is_empty:
        reasons.append("no clear subject")
    else:
        score += w.proportion * _proportion_term(sem.object_proportion, w)
        reasons.append(f"subject fills {sem.object_proportion:.0%}")
        score += w.placement * _placement_term(sem)
        reached = _person_sides(c)
        touched = [s for s in SIDES if s in sem.touches and s not in reached]
        person = [s for s in SIDES if s in sem.touches and s in reached]
        score -= w.border * len(touched)
        if touched:
            edges = _listed(touched)
            reasons.append(f"subject touches the {edges} edge{'s' if len(touched) > 1 else ''}")
        if person:
            reasons.append(f"a person runs off the {_listed(person)} "
                           f"edge{'s' if len(person) > 1 else ''}, as in a portrait")
        parts = len(sem.components)
        score += w.components * (1.0 if parts == 1 else 0.7 if parts == 2 else 0.4)
        if parts > 1:
            reasons.append(f"{parts} separate subjects")
    face_score, face_cuts, face_reason = _faces_terms(c)
    score += w.faces * face_score - w.face_cut * face_cuts
    if face_reason:
        reasons.append(face_reason)
    no_room = _slots_without_room(c, ratios)
    if ratios:
        score -= w.face_fit * len(no_room) / len(ratios)
    if no_room:
        reasons.append(f"a face too large for the {_listed(no_room)} "
                       f"crop{'s' if len(no_room) > 1 else ''} to hold whole")
    if c.overlays:
        showing = [t for t, _ in ratios if t in c.crops and shown(c.crops[t], c.overlays)]
        if ratios:
            score -= w.overlay_text * len(showing) / len(ratios)
        reasons.append(_overlay_reason(showing))
    if c.detail_scale > 1:
        reasons.append("enlarged or soft at full size: the detail of "
                       f"{round(c.width / c.detail_scale)} px across")
    too_small = [t for t, r in ratios
                 if crop_size(r, c.width, c.height)[0] / c.detail_scale < widths[t]]
    if ratios:
        score += w.resolution * (1 - len(too_small) / len(ratios))
    reasons += [f"too small for {t} at {widths[t]} px" for t in too_small]
    return score, reasons


def _clarity_reason(clarity: float) -> str:
    if clarity >= 7:
        return "sharp"
    if clarity >= SOFT:
        return "slightly soft"
    return "blurred"


def _bars_reason(bars: Sequence[str]) -> str:
    if len(bars) == len(SIDES):
        return "a frame round the picture, left out of the crops"
    if len(bars) == 1:  # bars and fills come in pairs; only a strip with text stands alone
        return f"a caption strip on the {bars[0]} edge, left out of the crops"
    return f"bars or a blurred fill on the {_listed(bars)} edges, left out of the crops"


def _overlay_reason(showing: Sequence[str]) -> str:
    if not showing:
        return "text laid over the picture, left out of every crop"
    return (f"text laid over the picture shows in the {_listed(showing)} "
            f"crop{'s' if len(showing) > 1 else ''}")


def _proportion_term(p: float, w: RankingWeights) -> float:
    if p < w.ideal_min:
        return p / w.ideal_min
    if p > w.ideal_max:
        return max(0.0, (1 - p) / (1 - w.ideal_max))
    return 1.0


def _placement_term(sem: Semantics) -> float:
    (cx, cy), (width, height) = sem.centroid, sem.size
    return 1.0 - min(1.0, math.hypot(cx / width - 0.5, cy / height - 0.5) / math.hypot(0.5, 0.5))


def _listed(words: Sequence[str]) -> str:
    """"left", "left and right", "left, right and top"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _people_faces(c: CandidateFeatures) -> list[Box]:
    """The faces that lie on no other face's person's body (``faces.on_a_body``): a detector's
    false faces lie there (a knee, a backpack, the floor between the feet), and the crops do not
    steer by them, so neither does the ranking."""
    return [f for f, on in zip(c.faces, on_a_body(c.faces, c.panels), strict=True) if not on]


def _whole_faces(c: CandidateFeatures) -> list[Box]:
    """The people's faces (``_people_faces``) the image border does not cut."""
    return [f for f in _people_faces(c)
            if f.x > 0 and f.y > 0 and f.right < c.width and f.bottom < c.height]


def _person_sides(c: CandidateFeatures) -> set[str]:
    """The image sides some whole face's person reaches (its body, head, shoulders or arms)."""
    sides = set()
    for f in _whole_faces(c):
        reach = {
            "bottom": f.bottom + BODY_FACE_HEIGHTS * f.h >= c.height,
            "top": f.y - HEAD_FACE_HEIGHTS * f.h <= 0,
            "left": f.x - PERSON_SIDE * f.w <= 0,
            "right": f.right + PERSON_SIDE * f.w >= c.width,
        }
        sides |= {side for side, reaches in reach.items() if reaches}
    return sides


def _slots_without_room(c: CandidateFeatures, ratios) -> list[str]:
    """The slot ratios whose largest crop cannot hold some whole face."""
    whole = _whole_faces(c)
    return [text for text, ratio in ratios
            if not all(f.fits_in(crop_size(ratio, c.width, c.height)) for f in whole)]


def _faces_terms(c: CandidateFeatures) -> tuple[float, int, str]:
    """(0..1 benefit of the people's whole faces, number of their faces cut, reason); a face on
    a body counts for neither."""
    people = _people_faces(c)
    if not people:
        return 0.0, 0, ""
    whole = _whole_faces(c)
    cut = [f for f in people if f not in whole]
    n = len(people)
    label = f"{n} face{'s' if n > 1 else ''}"
    if not cut:
        reason = f"{label}, {'both' if n == 2 else 'all'} whole" if n > 1 else f"{label}, whole"
    else:
        reason = f"{label}, {len(cut)} cut by the image border"
    if on_body := len(c.faces) - n:
        reason += (f"; {on_body} more on a person's body (a false find, or a child held), "
                   "not weighed")
    largest = max((min(f.w, f.h) for f in whole), default=0) / min(c.width, c.height)
    return min(1.0, largest / 0.25), len(cut), reason


def _duplicate_groups(candidates: Sequence[CandidateFeatures]) -> list[list[CandidateKey]]:
    """Connected groups (size > 1) of candidates linked by ``near_duplicate_of``."""
    parent = {c.key: c.key for c in candidates}

    def root(key: CandidateKey) -> CandidateKey:
        while parent[key] != key:
            key = parent[key]
        return key

    for c in candidates:
        if c.near_duplicate_of in parent:
            parent[root(c.key)] = root(c.near_duplicate_of)
    groups: dict[CandidateKey, list[CandidateKey]] = {}
    for c in candidates:
        groups.setdefault(root(c.key), []).append(c.key)
    return [g for g in groups.values() if len(g) > 1]
