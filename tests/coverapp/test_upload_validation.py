"""Uploads through the API: every awkward kind of file gets a documented status and a reason."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assessment.imageio import load_rgb
from coverapp.covers.models import CandidateImage
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.assessment_run import assessment_run
from tests.conftest import encode, photo


@pytest.fixture
def article(team, editor):
    return article_create(team=team, created_by=editor, title="Storm", slot_ratios=["16:9"])


def upload(api, article, *files: tuple[str, bytes]):
    payload = {"files": [SimpleUploadedFile(name, content) for name, content in files]}
    return api.post(f"/api/articles/{article.pk}/upload/", payload, format="multipart")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares `width`×`height` pixels but carries almost no data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


def animated(image_format: str) -> bytes:
    frames = [photo(seed=1), photo(seed=2, subject=(0.2, 0.3))]
    return encode(frames[0], image_format, save_all=True, append_images=frames[1:], duration=100)


def exif_rotated_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned; display rotated 90° clockwise
    return encode(photo(320, 240), "JPEG", exif=exif.tobytes())


ACCEPTED = [
    ("plain.jpg", lambda: encode(photo(), "JPEG"), "JPEG", (320, 240)),
    ("cmyk.jpg", lambda: encode(photo().convert("CMYK"), "JPEG"), "JPEG", (320, 240)),
    ("deep.png", lambda: encode(Image.fromarray(
        np.asarray(photo().convert("L"), dtype=np.uint16) * 257), "PNG"),
     "PNG", (320, 240)),
    ("palette-alpha.png", lambda: encode(photo().convert("P"), "PNG", transparency=0),
     "PNG", (320, 240)),
    ("rgba.png", lambda: encode(photo().convert("RGBA"), "PNG"), "PNG", (320, 240)),
    ("animated.webp", lambda: animated("WEBP"), "WEBP", (320, 240)),
    ("rotated.jpg", exif_rotated_jpeg, "JPEG", (240, 320)),
    ("phone.heic", lambda: encode(photo(), "HEIF"), "HEIF", (320, 240)),
    ("modern.avif", lambda: encode(photo(), "AVIF"), "AVIF", (320, 240)),
]


@pytest.mark.parametrize(("name", "build", "image_format", "size"), ACCEPTED,
                         ids=[row[0] for row in ACCEPTED])
def test_accepted_kinds_are_stored_upright_with_their_format(api, article, name, build,
                                                             image_format, size):
    response = upload(api, article, (name, build()))

    assert response.status_code == 201, response.json()
    candidate = response.json()[0]["candidate"]
    assert (candidate["format"], candidate["width"], candidate["height"]) == (image_format, *size)
    assert candidate["assessment"]["status"] == "queued"


REFUSED = [
    ("animated.gif", lambda: animated("GIF"), 415, "GIF"),
    ("notes.jpg", lambda: b"these are my notes, not a photo\n" * 20, 415,
     "JPEG, PNG, WebP, AVIF or HEIC"),
    ("bitmap.bmp", lambda: encode(photo(), "BMP"), 415, "BMP"),
    ("truncated.jpg", lambda: encode(photo(), "JPEG")[:1500], 400, "truncated"),
    ("bomb.png", lambda: png_header_only(20_000, 20_000), 413, "pixels"),
    ("large.png", lambda: png_header_only(8_000, 6_000), 413, "megapixels"),
    ("empty.jpg", lambda: b"", 400, "empty"),
    ("pixel.png", lambda: encode(Image.new("RGB", (1, 1)), "PNG"), 400,
     "1×1 px, too small for a cover (an icon or a tracking pixel?): a candidate is at least 64 px"),
    ("favicon.png", lambda: encode(photo(32, 32), "PNG"), 400, "32×32 px, too small"),
    ("sliver.jpg", lambda: encode(photo(1200, 40), "JPEG"), 400, "1200×40 px, too small"),
]


@pytest.mark.parametrize(("name", "build", "status", "reason"), REFUSED,
                         ids=[row[0] for row in REFUSED])
def test_refused_kinds_get_a_status_and_a_readable_reason(api, article, name, build, status,
                                                          reason):
    response = upload(api, article, (name, build()))

    assert response.status_code == status, response.json()
    assert name in response.json()["detail"]
    assert reason in response.json()["detail"]
    assert not CandidateImage.objects.exists()


def test_a_file_over_the_byte_limit_is_refused_with_413(api, article, settings):
    settings.COVERAPP_MAX_UPLOAD_BYTES = 2_000

    response = upload(api, article, ("big.png", encode(photo(), "PNG")))

    assert response.status_code == 413
    assert "MB limit" in response.json()["detail"]


def test_more_files_than_one_request_may_carry_are_refused_with_a_reason(api, article, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = [(f"p{i}.jpg", encode(photo(seed=i), "JPEG")) for i in range(4)]

    response = upload(api, article, *files)

    assert response.status_code == 400
    assert response.json() == {
        "code": "too_many_files",
        "detail": "at most 3 files in one upload: send the others in another request "
                  "(nothing of this one was stored)"}
    assert not CandidateImage.objects.exists()
    assert upload(api, article, *files[:3]).status_code == 201


def test_one_bad_file_in_a_batch_stores_nothing_and_names_the_file(api, article):
    response = upload(api, article, ("good.jpg", encode(photo(), "JPEG")),
                      ("bad.gif", encode(photo(), "GIF")))

    assert response.status_code == 415
    assert "bad.gif" in response.json()["detail"]
    assert not CandidateImage.objects.exists()


def test_a_letterboxed_screenshot_of_a_photo_is_flagged_as_its_near_duplicate(api, article):
    original = photo(480, 320, seed=3)
    screenshot = Image.new("RGB", (480, 460))
    screenshot.paste(original, (0, 70))  # black bars above and below, as a phone grabs a video

    first = upload(api, article, ("photo.jpg", encode(original, "JPEG")))
    second = upload(api, article, ("grab.png", encode(screenshot, "PNG")))

    assert second.json()[0]["candidate"]["near_duplicate_of"] == first.json()[0]["candidate"]["id"]


def test_the_same_bytes_twice_give_the_same_candidate(api, article):
    content = encode(photo(), "JPEG")

    first = upload(api, article, ("a.jpg", content))
    second = upload(api, article, ("copy-of-a.jpg", content))

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()[0] == {**second.json()[0], "created": False}
    assert second.json()[0]["candidate"]["id"] == first.json()[0]["candidate"]["id"]
    assert CandidateImage.objects.count() == 1


def test_a_re_encoded_copy_is_flagged_as_a_near_duplicate(api, article):
    original = upload(api, article, ("a.jpg", encode(photo(), "JPEG", quality=95)))
    copy = upload(api, article, ("a-small.png", encode(photo().resize((200, 150)), "PNG")))
    different = upload(api, article, ("b.jpg", encode(photo(seed=5, subject=(0.2, 0.7)),
                                                      "JPEG")))

    first_id = original.json()[0]["candidate"]["id"]
    assert copy.json()[0]["candidate"]["near_duplicate_of"] == first_id
    assert different.json()[0]["candidate"]["near_duplicate_of"] is None


@pytest.mark.usefixtures("classical_assessor")
def test_a_heic_photo_is_assessed_cropped_and_shown_to_browsers_as_jpeg(api, article):
    heic = encode(photo(400, 300), "HEIF", quality=90)
    response = upload(api, article, ("phone.heic", heic))
    candidate = response.json()[0]["candidate"]
    assessment_run(assessment_id=CandidateImage.objects.get().assessment.pk)

    shown = api.get(candidate["display_url"])
    kept = api.get(candidate["image_url"])
    rendered = api.get(f"/api/candidates/{candidate['id']}/rendered/", {"ratio": "16:9"})
    refused = api.get(candidate["image_url"], {"type": "png"})

    assert candidate["display_url"].endswith("/image/?type=jpeg")
    assert shown["Content-Type"] == "image/jpeg" and "immutable" in shown["Cache-Control"]
    with Image.open(io.BytesIO(shown.content)) as jpeg:
        assert (jpeg.format, jpeg.size) == ("JPEG", (400, 300))
        decoded = np.asarray(load_rgb(heic), float)
        assert np.abs(np.asarray(jpeg, float) - decoded).mean() < 8  # JPEG q90 of a noisy photo
    assert kept["Content-Type"] == "image/heic"
    assert b"".join(kept.streaming_content)[4:12] == b"ftypheic"  # the bytes as uploaded
    assert rendered.status_code == 200 and rendered["Content-Type"] == "image/jpeg"
    assert refused.status_code == 400 and "jpeg" in refused.json()["detail"]


def test_browser_formats_are_shown_as_uploaded(api, article):
    candidate = upload(api, article, ("modern.avif", encode(photo(), "AVIF"))).json()[0][
        "candidate"]
    assert candidate["display_url"] == candidate["image_url"]
