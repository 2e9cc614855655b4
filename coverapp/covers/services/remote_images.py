"""Candidate images the CMS names by URL (its media library) instead of sending the bytes."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from urllib.parse import unquote, urljoin, urlsplit

import requests
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile

from coverapp.covers.models import Article
from coverapp.covers.services.addresses import internal_address
from coverapp.covers.services.upload_checks import UploadRejected
from coverapp.covers.services.uploads import UploadOutcome, candidate_upload

MAX_REDIRECTS = 3
CHUNK_BYTES = 64 * 1024


def candidate_upload_urls(*, article: Article, urls: Sequence[str],
                          uploaded_by: AbstractBaseUser | None) -> list[UploadOutcome]:
    """Download each of `urls` and store it as a candidate of `article`, as `candidate_upload`
    does with sent files (same checks, same all-or-nothing batch, same idempotence).

    Raises `UploadRejected` for the first URL that fails, before anything is stored: 400
    `bad_url` (not http(s), or a host on the server's own network unless
    `COVERAPP_FETCH_ALLOW_PRIVATE`), 400 `fetch_failed` (unreachable, too slow, an HTTP error,
    too many redirects), 413 above the upload limit; then the file checks' 415 and 400.
    """
    files = [_fetch(url) for url in urls]
    return candidate_upload(article=article, files=files, uploaded_by=uploaded_by, labels=urls)


def _fetch(url: str) -> SimpleUploadedFile:
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        _check_url(current, given=url)
        try:
            with requests.get(current, stream=True, allow_redirects=False,
                              timeout=settings.COVERAPP_FETCH_TIMEOUT_S,
                              headers={"Accept": "image/jpeg, image/png, image/webp"}) as answer:
                if answer.is_redirect:
                    current = urljoin(current, answer.headers.get("Location", ""))
                    continue
                if answer.status_code != 200:
                    raise _failed(url, f"the server answered {answer.status_code} "
                                       f"{answer.reason}".rstrip())
                return SimpleUploadedFile(_name(current), _read_limited(answer, url))
        except requests.RequestException as error:
            raise _failed(url, _plain(error)) from error
    raise _failed(url, f"more than {MAX_REDIRECTS} redirects")


def _check_url(url: str, *, given: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UploadRejected(status=400, code="bad_url",
                             reason=f"{given}: give an http or https URL of an image")
    if settings.COVERAPP_FETCH_ALLOW_PRIVATE:
        return
    ip = internal_address(parts.hostname)
    if ip is not None:
        raise UploadRejected(
            status=400, code="bad_url",
            reason=f"{given}: host {parts.hostname!r} is an internal address ({ip}); set "
                   "COVERAPP_FETCH_ALLOW_PRIVATE=true when the CMS's images are on this network")


def _read_limited(answer: requests.Response, url: str) -> bytes:
    limit = settings.COVERAPP_MAX_UPLOAD_BYTES
    too_large = UploadRejected(status=413, code="too_many_bytes",
                               reason=f"{url} is larger than the {limit / 2**20:.0f} MB limit")
    if int(answer.headers.get("Content-Length") or 0) > limit:
        raise too_large
    content = bytearray()
    for chunk in answer.iter_content(CHUNK_BYTES):
        content += chunk
        if len(content) > limit:
            raise too_large
    return bytes(content)


def _name(url: str) -> str:
    """The file name a URL's path ends with ("image" when it has none)."""
    return posixpath.basename(unquote(urlsplit(url).path)) or "image"


def _failed(url: str, why: str) -> UploadRejected:
    return UploadRejected(status=400, code="fetch_failed", reason=f"{url}: could not download "
                                                                  f"it: {why}")


def _plain(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return f"no answer within {settings.COVERAPP_FETCH_TIMEOUT_S} s"
    if isinstance(error, requests.ConnectionError):
        return "the server could not be reached"
    return type(error).__name__
