"""Accepting candidate images for an article, and removing them."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile

from coverapp.covers.models import Article, Assessment, CandidateImage, CoverChoice
from coverapp.covers.services.queueing import ASSESS_IMAGE, enqueue_on_commit
from coverapp.covers.services.ranking import article_rank_and_notify
from coverapp.covers.services.upload_checks import CheckedImage, check_upload, phash_distance

FILE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif", "HEIF": "heic"}


@dataclass(frozen=True)
class UploadOutcome:
    """What became of one uploaded file: `created` is False when the same bytes were already
    a candidate of the article (the upload is idempotent)."""

    candidate: CandidateImage
    created: bool


def candidate_upload(*, article: Article, files: Sequence[UploadedFile],
                     uploaded_by: AbstractBaseUser | None,
                     labels: Sequence[str] | None = None) -> list[UploadOutcome]:
    """Store each file as a candidate of `article` and queue its assessment.

    All files are checked first: if any is refused, `UploadRejected` is raised for the first bad
    one and nothing is stored, so the editor can fix that file and send the batch again. The
    refusal names the file by its name, or by its entry of `labels` (e.g. the URL it came from).
    """
    names = labels if labels is not None else [upload.name or "" for upload in files]
    checked = [(upload, check_upload(upload, name=name))
               for upload, name in zip(files, names, strict=True)]
    with transaction.atomic():
        return [_store(article=article, upload=upload, image=image, uploaded_by=uploaded_by)
                for upload, image in checked]


def _store(*, article: Article, upload: UploadedFile, image: CheckedImage,
           uploaded_by: AbstractBaseUser | None) -> UploadOutcome:
    existing = CandidateImage.objects.filter(article=article, sha256=image.sha256).first()
    if existing is not None:
        return UploadOutcome(candidate=existing, created=False)
    candidate = CandidateImage(
        article=article,
        original_name=(upload.name or "")[:255],
        sha256=image.sha256,
        byte_size=len(image.content),
        format=image.format,
        width=image.width,
        height=image.height,
        phash=image.phash,
        credit=image.text.credit,
        caption=image.text.caption,
        alt_text=image.text.alt_text,
        near_duplicate_of=_nearest_duplicate(article, image.phash),
        uploaded_by=uploaded_by,
    )
    candidate.file.save(f"{image.sha256[:16]}.{FILE_EXTENSIONS[image.format]}",
                        ContentFile(image.content), save=False)
    try:
        with transaction.atomic():
            candidate.save()
            assessment = Assessment.objects.create(candidate=candidate)
    except IntegrityError:  # the same bytes arrived in a concurrent request that won the race
        candidate.file.delete(save=False)
        existing = CandidateImage.objects.get(article=article, sha256=image.sha256)
        return UploadOutcome(candidate=existing, created=False)
    enqueue_on_commit(ASSESS_IMAGE, assessment.pk)
    return UploadOutcome(candidate=candidate, created=True)


class CandidateIsCover(Exception):
    """The candidate is the article's chosen cover: it cannot be removed before another is."""

    def __init__(self, candidate: CandidateImage, ratios: Sequence[str]) -> None:
        super().__init__(f"{candidate} is the chosen cover ({', '.join(ratios)}): choose "
                         "another cover first, then remove it")


def candidate_remove(*, candidate: CandidateImage) -> None:
    """Remove a candidate with its assessment, crops and stored files, then rank the rest of the
    article again. Refused (`CandidateIsCover`) while it is the chosen cover of any slot.

    A worker still assessing it finds the row gone and drops its result (`assessment_run`);
    candidates that were flagged as near-duplicates of it point to the earliest lookalike left.
    """
    with transaction.atomic():
        # Lock the assessment: a worker saving its result either finishes first (and its mask
        # is deleted below) or finds the row gone. Then the article, when ranking: the order
        # the worker takes them in, so the two never wait on each other.
        assessment = Assessment.objects.select_for_update().filter(candidate=candidate).first()
        ratios = sorted(CoverChoice.objects.filter(candidate=candidate)
                        .values_list("ratio", flat=True))
        if ratios:
            raise CandidateIsCover(candidate, ratios)
        files = [candidate.file] + ([assessment.mask] if assessment and assessment.mask else [])
        followers = list(CandidateImage.objects.filter(near_duplicate_of=candidate)
                         .order_by("uploaded_at", "id"))
        candidate.delete()
        for follower in followers:
            follower.near_duplicate_of = _nearest_duplicate(candidate.article, follower.phash,
                                                            before=follower)
            follower.save(update_fields=["near_duplicate_of"])
        article_rank_and_notify(article_id=candidate.article_id)
        files_delete_on_commit(files)


def files_delete_on_commit(files: Sequence[FieldFile]) -> None:
    """Delete the stored `files` once the transaction deleting their rows commits (never before:
    a rollback keeps rows that point to them)."""
    for stored in files:
        transaction.on_commit(functools.partial(stored.storage.delete, stored.name))


def _nearest_duplicate(article: Article, phash: str, *,
                       before: CandidateImage | None = None) -> CandidateImage | None:
    """The earliest candidate of `article` (uploaded before `before`, if given) that looks the
    same as `phash`, if any."""
    limit = settings.COVERAPP_NEAR_DUPLICATE_DISTANCE
    for other in CandidateImage.objects.filter(article=article).order_by("uploaded_at", "id"):
        if before is not None and other.pk == before.pk:
            return None
        if phash_distance(other.phash, phash) <= limit:
            return other
    return None
