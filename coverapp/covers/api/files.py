"""Serving stored files (uploads, masks) through team-checked API views."""

from __future__ import annotations

import mimetypes

from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from rest_framework.renderers import BaseRenderer, JSONRenderer


class AnyMediaRenderer(BaseRenderer):
    """Lets file views answer whatever an <img> tag's Accept header asks for. Files go out as
    they are (the views return them directly); only errors come here, and they go out as JSON,
    `{"code", "detail"}`, whatever was asked."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data)


#: Cache-Control of what never changes under its URL.
IMMUTABLE = "private, max-age=31536000, immutable"


def stream_file(field_file: FieldFile) -> FileResponse:
    """A team-checked file answer that works for any storage backend (disk or S3).

    Browsers may keep it (privately) for good: the files served this way never change under
    their URL (a candidate's bytes are fixed at upload, its mask is written once, when its
    assessment finishes), so the review page does not fetch them again on every visit."""
    response = FileResponse(field_file.storage.open(field_file.name, "rb"),
                            content_type=mimetypes.guess_type(field_file.name)[0])
    response["Cache-Control"] = IMMUTABLE
    return response
