"""The chosen cover as one download: every slot's ready JPEG and what to print with it, zipped, for
a desk whose CMS takes files rather than the API."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from coverapp.covers.models import Article, CoverChoice
from coverapp.covers.services.crops import crop_render


def cover_archive(*, article: Article) -> tuple[str, bytes]:
    """(file name, zip bytes): `<candidate>-<W>x<H>.jpg` for each slot, in the article's slot
    order, at full crop size, and `cover.json` listing per slot the file, the candidate, its crop
    box and the credit, caption and alt text. `ValidationError` before a cover is chosen."""
    choices = sorted(CoverChoice.objects.filter(article=article).select_related("candidate", "crop"),
                     key=lambda choice: _slot_place(article, choice.ratio))
    if not choices:
        raise ValidationError(f"“{article.title}” has no cover chosen yet: choose one first")
    buffer = io.BytesIO()
    slots = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:  # JPEGs: stored
        for choice in choices:
            candidate, crop = choice.candidate, choice.crop
            stem = Path(candidate.original_name).stem or f"candidate-{candidate.pk}"
            name = f"{stem}-{choice.ratio.replace(':', 'x')}.jpg"
            archive.writestr(name, crop_render(candidate=candidate, crop=crop))
            slots.append({"ratio": choice.ratio, "file": name, "candidate": candidate.pk,
                          "box": [crop.x, crop.y, crop.width, crop.height],
                          "credit": candidate.credit, "caption": candidate.caption,
                          "alt_text": candidate.alt_text})
        manifest = {"article": article.pk, "title": article.title,
                    "external_id": article.external_id, "slots": slots}
        archive.writestr("cover.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return f"{slugify(article.title) or f'article-{article.pk}'}-cover.zip", buffer.getvalue()


def _slot_place(article: Article, ratio: str) -> int:
    return article.slot_ratios.index(ratio) if ratio in article.slot_ratios else len(article.slot_ratios)
