"""Crops: the model's proposals, editors' overrides, and choosing, clearing and undoing the cover."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping, Sequence

import numpy as np
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from PIL import Image

from assessment import cropping
from assessment.cropping import parse_ratio
from assessment.cropping.focus import check_point
from assessment.geometry import Box
from assessment.imageio import load_rgb
from coverapp.covers.models import (
    Article,
    Assessment,
    CandidateImage,
    CoverChange,
    CoverChoice,
    CropProposal,
)
from coverapp.covers.selectors import candidate_current_crop, suggested_candidates
from coverapp.covers.services.photo_metadata import PhotoText, xmp_packet
from coverapp.covers.services.webhooks import cover_changed_announce

# An editor's box may miss the exact ratio by a pixel or by this share of it (whole-pixel UIs).
RATIO_TOLERANCE = 0.02
RENDER_QUALITY = 90  # JPEG and WebP quality of rendered crops
#: Pillow's save options for each format a crop is rendered in.
RENDER_FORMATS = {
    "jpeg": {"format": "JPEG", "quality": RENDER_QUALITY, "optimize": True, "progressive": True},
    "webp": {"format": "WEBP", "quality": RENDER_QUALITY, "method": 4},
}


def stored_foreground(assessment: Assessment) -> np.ndarray:
    """The assessment's stored mask as float32 foreground probabilities in [0, 1]."""
    with assessment.mask.open("rb") as stream:
        return np.asarray(Image.open(stream).convert("L"), dtype=np.float32) / 255.0


def stored_content(assessment: Assessment) -> Box | None:
    """The picture inside the bars, frame, blurred fill or caption strip the assessment found;
    None: the whole image."""
    return None if assessment.content_box is None else Box.from_list(assessment.content_box)


def crops_store(*, candidate: CandidateImage,
                crops: Mapping[str, cropping.CropProposal]) -> None:
    """Save the model's crop of `candidate` for each ratio of `crops`, replacing earlier ones."""
    for ratio, crop in crops.items():
        CropProposal.objects.update_or_create(
            candidate=candidate, ratio=ratio, source=CropProposal.Source.MODEL,
            defaults={"x": crop.box.x, "y": crop.box.y, "width": crop.box.w,
                      "height": crop.box.h, "score": crop.score, "reasons": list(crop.reasons)},
        )


def crops_propose(*, candidate: CandidateImage, foreground: np.ndarray, faces: Sequence[Box],
                  content: Box | None, ratios: Sequence[str], panels: Sequence[Box] = (),
                  overlays: Sequence[Box] = ()) -> None:
    """Propose and save the model's crop of `candidate` for each of `ratios`, framing the
    subject an editor marked, if any, inside the picture `content` (None: the whole image),
    showing whole photos of a collage of `panels` or fair shares of them, and keeping each
    block of text laid over the picture (`overlays`) whole or leaving it out."""
    crops_store(candidate=candidate, crops=cropping.propose_crops(
        foreground, faces=faces, ratios=ratios, image_size=(candidate.width, candidate.height),
        focus=candidate.focus, content=content, panels=panels, overlays=overlays))


def stored_panels(assessment: Assessment) -> list[Box]:
    """The photos of the collage the assessment found; [] for one photo, or an assessment from
    before collages were looked for."""
    return [Box.from_list(panel) for panel in assessment.panels or []]


def stored_overlays(assessment: Assessment) -> list[Box]:
    """The blocks of text laid over the picture that the assessment found; [] for none, or an
    assessment from before such text was looked for."""
    return [Box.from_list(block) for block in assessment.overlays or []]


def crops_propose_stored(*, assessment: Assessment, ratios: Sequence[str]) -> None:
    """`crops_propose` from what the done `assessment` stored: its mask, faces, picture,
    collage and text laid over the picture."""
    crops_propose(candidate=assessment.candidate, foreground=stored_foreground(assessment),
                  faces=[Box(*face) for face in assessment.faces],
                  content=stored_content(assessment), panels=stored_panels(assessment),
                  overlays=stored_overlays(assessment), ratios=ratios)


def candidate_focus(*, candidate: CandidateImage,
                    point: Sequence[float] | None) -> CandidateImage:
    """Mark the subject of `candidate` at `point` = [x, y] (pixels of the upright image), or
    clear the mark with None, and propose the model's crop for every slot ratio again: around
    the mask's part under the point (or the point itself where the mask has nothing), faces
    elsewhere kept uncut. An editor's own crops stay in force; a cover showing a model crop
    shows the new one. Refused (`ValidationError`) before the assessment is done, or for a
    point outside the image."""
    with transaction.atomic():
        # The assessment, then the article: the order workers and removals lock them in.
        assessment = Assessment.objects.select_for_update().filter(candidate=candidate).first()
        if assessment is None or assessment.status != Assessment.Status.DONE:
            raise ValidationError(f"candidate {candidate.pk} is not assessed yet: mark its "
                                  "subject once its assessment is done")
        ratios = (Article.objects.select_for_update().values_list("slot_ratios", flat=True)
                  .get(pk=candidate.article_id))
        if point is not None:
            try:
                point = list(check_point(point, (candidate.width, candidate.height)))
            except ValueError as error:
                raise ValidationError(str(error)) from error
        candidate.focus = point
        candidate.save(update_fields=["focus"])
        crops_propose_stored(assessment=assessment, ratios=ratios)
        if CoverChoice.objects.filter(candidate=candidate,
                                      crop__source=CropProposal.Source.MODEL).exists():
            cover_changed_announce(article=candidate.article)
    return candidate


def crop_override(*, candidate: CandidateImage, ratio: str, box: Sequence[int],
                  edited_by: AbstractBaseUser | None) -> CropProposal:
    """Store an editor's crop `box` = [x, y, w, h] (pixels of the upright image) for `ratio`,
    replacing any earlier override; the model's proposal is kept for "reset". Its reasons say
    what it keeps of the assessed subject and faces, as a proposal's do ("1 face cut")."""
    _check_ratio_of(candidate.article, ratio)
    x, y, w, h = _check_box(candidate, ratio, box)
    reasons = ["chosen by an editor", *_editor_crop_reasons(candidate, Box(x, y, w, h))]
    with transaction.atomic():
        crop, _ = CropProposal.objects.update_or_create(
            candidate=candidate, ratio=ratio, source=CropProposal.Source.EDITOR,
            defaults={"x": x, "y": y, "width": w, "height": h, "score": None,
                      "reasons": reasons, "created_by": edited_by},
        )
        # A cover already showing this candidate shows the edited crop from now on.
        if CoverChoice.objects.filter(candidate=candidate, ratio=ratio).update(crop=crop):
            cover_changed_announce(article=candidate.article)
    return crop


def _editor_crop_reasons(candidate: CandidateImage, box: Box) -> tuple[str, ...]:
    assessment = Assessment.objects.filter(candidate=candidate).first()
    if assessment is None or not assessment.mask:
        return ()
    return cropping.describe_crop(stored_foreground(assessment),
                                  faces=[Box(*face) for face in assessment.faces], box=box,
                                  image_size=(candidate.width, candidate.height),
                                  panels=stored_panels(assessment),
                                  overlays=stored_overlays(assessment))


def crop_reset(*, candidate: CandidateImage, ratio: str) -> None:
    """Drop the editor's override for `ratio`, so the model's proposal applies again (also to a
    cover already showing this candidate; without a proposal that slot's choice is dropped)."""
    _check_ratio_of(candidate.article, ratio)
    with transaction.atomic():
        proposal = CropProposal.objects.filter(candidate=candidate, ratio=ratio,
                                               source=CropProposal.Source.MODEL).first()
        covers = CoverChoice.objects.filter(candidate=candidate, ratio=ratio)
        if covers.exists():
            cover_changed_announce(article=candidate.article)
        if proposal is None:
            covers.delete()
        else:
            covers.update(crop=proposal)
        CropProposal.objects.filter(candidate=candidate, ratio=ratio,
                                    source=CropProposal.Source.EDITOR).delete()


class CannotUndo(Exception):
    """Undo has nothing to put back, or a candidate it would put back has been removed; the
    message says which."""


def cover_choose(*, article: Article, candidate: CandidateImage,
                 ratios: Sequence[str] | None = None,
                 chosen_by: AbstractBaseUser | None, record: bool = True) -> list[CoverChoice]:
    """Make `candidate`, with its current crop, the cover of `article` for each of `ratios`
    (default: all the article's slot ratios). `record` writes the change to the cover history
    (not when a slot added is filled with the cover it already has)."""
    if candidate.article_id != article.pk:
        raise ValidationError("that candidate belongs to another article")
    ratios = list(ratios or article.slot_ratios)
    for ratio in ratios:
        _check_ratio_of(article, ratio)
    with transaction.atomic():
        before = _cover_state(article, ratios)
        choices = []
        for ratio in ratios:
            crop = candidate_current_crop(candidate, ratio)
            if crop is None:
                raise ValidationError(
                    f"candidate {candidate.pk} has no {ratio} crop yet: wait for its assessment "
                    "to finish or set a crop first")
            choice, _ = CoverChoice.objects.update_or_create(
                article=article, ratio=ratio,
                defaults={"candidate": candidate, "crop": crop, "chosen_by": chosen_by})
            choices.append(choice)
        after = _cover_state(article, ratios)
        if record and before != after:
            _cover_record(article, CoverChange.Action.CHOSEN, before, after, chosen_by)
        cover_changed_announce(article=article)
    return choices


def cover_choose_suggested(*, article: Article,
                           chosen_by: AbstractBaseUser | None) -> list[CoverChoice]:
    """Make the ranking's top candidate the cover of every slot, as an editor on deadline who
    trusts the ranking would; `ValidationError` before any candidate is assessed."""
    top = suggested_candidates().filter(article=article).first()
    if top is None:
        raise ValidationError(f"“{article.title}” has no assessed candidate to suggest yet")
    return cover_choose(article=article, candidate=top, chosen_by=chosen_by)


def cover_clear(*, article: Article, ratios: Sequence[str] | None = None,
                cleared_by: AbstractBaseUser | None) -> None:
    """Leave each of `ratios` (default: all the article's slot ratios) without a cover."""
    ratios = list(ratios or article.slot_ratios)
    for ratio in ratios:
        _check_ratio_of(article, ratio)
    with transaction.atomic():
        before = _cover_state(article, ratios)
        deleted, _ = CoverChoice.objects.filter(article=article, ratio__in=ratios).delete()
        if deleted:
            _cover_record(article, CoverChange.Action.CLEARED, before,
                          dict.fromkeys(before), cleared_by)
            cover_changed_announce(article=article)


def cover_undo(*, article: Article, undone_by: AbstractBaseUser | None) -> CoverChange:
    """Put back what the latest change not yet undone replaced, in the slots it touched that the
    article still has; undo again goes one change further back (an undo is not itself undone).
    `CannotUndo` when no change is left, or when a candidate it would put back was removed."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)  # one undo at a time
        target = (CoverChange.objects.filter(article=article, undone_by__isnull=True)
                  .exclude(action=CoverChange.Action.UNDONE).first())
        if target is None:
            raise CannotUndo(
                "nothing left to undo: every change to the cover has been undone"
                if article.cover_changes.exists()
                else "nothing to undo: the cover has not been changed yet")
        restore = {ratio: candidate_id for ratio, candidate_id in target.before.items()
                   if ratio in article.slot_ratios}
        before = _cover_state(article, list(restore))
        for ratio, candidate_id in restore.items():
            if candidate_id is None:
                CoverChoice.objects.filter(article=article, ratio=ratio).delete()
                continue
            candidate = article.candidates.filter(pk=candidate_id).first()
            crop = candidate_current_crop(candidate, ratio) if candidate else None
            if crop is None:
                raise CannotUndo(f"the {ratio} cover before that change (candidate "
                                 f"{candidate_id}) has been removed: choose a cover instead")
            CoverChoice.objects.update_or_create(
                article=article, ratio=ratio,
                defaults={"candidate": candidate, "crop": crop, "chosen_by": undone_by})
        change = _cover_record(article, CoverChange.Action.UNDONE, before,
                               _cover_state(article, list(restore)), undone_by, undoes=target)
        cover_changed_announce(article=article)
    return change


def _cover_state(article: Article, ratios: Sequence[str]) -> dict[str, int | None]:
    """Slot ratio -> the id of the candidate it shows, or None, for each of `ratios`."""
    chosen = dict(CoverChoice.objects.filter(article=article, ratio__in=ratios)
                  .values_list("ratio", "candidate_id"))
    return {ratio: chosen.get(ratio) for ratio in ratios}


def _cover_record(article: Article, action: str, before: dict[str, int | None],
                  after: dict[str, int | None], changed_by: AbstractBaseUser | None,
                  undoes: CoverChange | None = None) -> CoverChange:
    return CoverChange.objects.create(article=article, action=action, before=before, after=after,
                                      changed_by=changed_by, undoes=undoes)


def crop_in_force(*, candidate: CandidateImage, ratio: str) -> CropProposal:
    """The crop `candidate` shows in the `ratio` slot; `ValidationError` for a ratio not among
    the slots or with no crop yet."""
    _check_ratio_of(candidate.article, ratio)
    crop = candidate_current_crop(candidate, ratio)
    if crop is None:
        raise ValidationError(f"candidate {candidate.pk} has no {ratio} crop yet: wait for its "
                              "assessment to finish")
    return crop


def crop_render_etag(*, candidate: CandidateImage, crop: CropProposal, width: int | None = None,
                     image_format: str = "jpeg") -> str:
    """The HTTP entity tag of `crop_render`'s file: it changes with the crop, the format and the
    credit, caption and alt text the file carries."""
    texts = "\x00".join((candidate.credit, candidate.caption, candidate.alt_text))
    digest = hashlib.sha256(texts.encode()).hexdigest()[:12]
    return f'"{crop.pk}-{crop.updated_at.timestamp():.6f}-{width or 0}-{image_format}-{digest}"'


def crop_render(*, candidate: CandidateImage, crop: CropProposal, width: int | None = None,
                image_format: str = "jpeg") -> bytes:
    """`crop` of `candidate` as a file of `image_format` (`RENDER_FORMATS`: "jpeg" or "webp"),
    `width` pixels wide at most (never enlarged: a blurred cover is worse than a small one),
    upright and in 8-bit RGB, with the upload's colour profile kept and the candidate's credit,
    caption and alt text in its XMP."""
    return _render(candidate, (crop.x, crop.y, crop.x + crop.width, crop.y + crop.height),
                   width=width, image_format=image_format)


def candidate_as_jpeg(*, candidate: CandidateImage) -> bytes:
    """The whole upright image as a JPEG at its full size, for a browser that cannot show the
    uploaded format (HEIC): the page's crop boxes are in these pixels."""
    return _render(candidate, None, width=None, image_format="jpeg")


def _render(candidate: CandidateImage, box: tuple[int, int, int, int] | None, *,
            width: int | None, image_format: str) -> bytes:
    with candidate.file.open("rb") as stream:
        data = stream.read()
    with Image.open(io.BytesIO(data)) as original:
        profile = original.info.get("icc_profile")
    image = load_rgb(data)
    if box is not None:
        image = image.crop(box)
    if width is not None and width < image.width:
        image = image.resize((width, max(1, round(image.height * width / image.width))),
                             Image.Resampling.LANCZOS, reducing_gap=3.0)
    buffer = io.BytesIO()
    text = PhotoText(credit=candidate.credit, caption=candidate.caption,
                     alt_text=candidate.alt_text)
    image.save(buffer, xmp=xmp_packet(text), **RENDER_FORMATS[image_format],
               **({"icc_profile": profile} if profile else {}))
    return buffer.getvalue()


def _check_ratio_of(article: Article, ratio: str) -> None:
    if ratio not in article.slot_ratios:
        raise ValidationError(f"ratio {ratio!r} is not one of this article's slot ratios "
                              f"{article.slot_ratios}")


def _check_box(candidate: CandidateImage, ratio: str, box: Sequence[int]) -> tuple[int, ...]:
    if len(box) != 4:
        raise ValidationError("box must be [x, y, width, height] in pixels")
    x, y, w, h = (int(value) for value in box)
    if w <= 0 or h <= 0 or x < 0 or y < 0:
        raise ValidationError("box needs x, y >= 0 and a positive width and height")
    if x + w > candidate.width or y + h > candidate.height:
        raise ValidationError(f"box [{x}, {y}, {w}, {h}] reaches outside the "
                              f"{candidate.width}×{candidate.height} image")
    wanted = parse_ratio(ratio)
    if wanted is not None:
        target = wanted.value
        near_exact = abs(w - h * target) <= 1.0 or abs(h - w / target) <= 1.0
        if not near_exact and abs(w / h - target) > RATIO_TOLERANCE * target:
            raise ValidationError(f"box is {w}×{h} = {w / h:.3f}:1, not {ratio} "
                                  f"({target:.3f}:1)")
    return x, y, w, h
