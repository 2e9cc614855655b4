"""Turning service errors into API answers with a reason the caller can act on."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import TooManyFilesSent, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from coverapp.covers.services.crops import CannotUndo
from coverapp.covers.services.upload_checks import UploadRejected
from coverapp.covers.services.uploads import CandidateIsCover


def exception_handler(error: Exception, context: dict) -> Response | None:
    """DRF's handler, plus: `UploadRejected` → its status (413/415/400) with `code` and `detail`;
    a Django `ValidationError` raised by a service → 400 with its messages; removing the chosen
    cover, or an undo with nothing to put back → 409; more files in one request than Django
    reads (``DATA_UPLOAD_MAX_NUMBER_FILES``) → 400 saying how many to send at a time."""
    if isinstance(error, UploadRejected):
        return Response({"code": error.code, "detail": error.reason}, status=error.status)
    if isinstance(error, CandidateIsCover):
        return Response({"code": "cover_chosen", "detail": str(error)}, status=409)
    if isinstance(error, CannotUndo):
        return Response({"code": "cannot_undo", "detail": str(error)}, status=409)
    if isinstance(error, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return Response({"code": "too_many_files",
                         "detail": f"at most {limit} files in one upload: send the others in "
                                   "another request (nothing of this one was stored)"},
                        status=400)
    if isinstance(error, ValidationError):
        return Response({"code": "invalid", "detail": " ".join(error.messages)}, status=400)
    return drf_exception_handler(error, context)
