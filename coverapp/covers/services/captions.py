"""What the CMS shows beside a candidate: its credit, caption and alt text, as the editor sets
them (the upload filled them from the file's own metadata, `photo_metadata`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from coverapp.covers.models import CandidateImage, CoverChoice
from coverapp.covers.services.webhooks import cover_changed_announce


def candidate_describe(*, candidate: CandidateImage, credit: str | None = None,
                       caption: str | None = None,
                       alt_text: str | None = None) -> CandidateImage:
    """Set the given texts (None leaves one as it is; surrounding spaces are dropped); a text
    over its length limit is refused (`ValidationError`). When the candidate is a chosen cover,
    "article.cover_chosen" is sent: the cover's text changed."""
    changes = {name: value.strip() for name, value in
               (("credit", credit), ("caption", caption), ("alt_text", alt_text))
               if value is not None}
    changed = [name for name, value in changes.items() if getattr(candidate, name) != value]
    if not changed:
        return candidate
    for name in changed:
        limit = CandidateImage._meta.get_field(name).max_length
        if len(changes[name]) > limit:
            raise ValidationError(f"{name.replace('_', ' ')} is {len(changes[name])} characters "
                                  f"long; at most {limit}")
    with transaction.atomic():
        for name in changed:
            setattr(candidate, name, changes[name])
        candidate.save(update_fields=changed)
        if CoverChoice.objects.filter(candidate=candidate).exists():
            cover_changed_announce(article=candidate.article)
    return candidate
