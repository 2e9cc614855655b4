"""Serving stored files (uploads, masks) through team-checked API views."""

from __future__ import annotations

import mimetypes

from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from rest_framework.renderers import BaseRenderer


class AnyMediaRenderer(BaseRenderer):
    """Lets file views answer whatever an <img> tag's Accept header asks for."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def stream_file(field_file: FieldFile) -> FileResponse:
    """A team-checked file answer that works for any storage backend (disk or S3)."""
    return FileResponse(field_file.storage.open(field_file.name, "rb"),
                        content_type=mimetypes.guess_type(field_file.name)[0])
