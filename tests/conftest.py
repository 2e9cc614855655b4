"""Shared fixtures: teams, users and API clients for the web tests, and small in-memory images."""

from __future__ import annotations

import http.server
import io
import threading
import time
from collections.abc import Callable

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from assessment.geometry import Box


def photo(width: int = 320, height: int = 240, *, seed: int = 0,
          subject: tuple[float, float] = (0.5, 0.5)) -> Image.Image:
    """A small RGB test photo: a textured background and one bright elliptical subject centred at
    `subject` (fractions of width, height), so saliency and crops have something to find."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:height, 0:width]
    background = np.stack([xs / width * 80 + 40, ys / height * 60 + 60,
                           np.full_like(xs, 90, dtype=float)], axis=-1)
    background += rng.normal(0, 12, size=background.shape)
    cx, cy = subject[0] * width, subject[1] * height
    inside = ((xs - cx) / (width * 0.18)) ** 2 + ((ys - cy) / (height * 0.25)) ** 2 <= 1.0
    background[inside] = np.array([230, 60 + 40 * (seed % 3), 40]) + rng.normal(
        0, 8, size=(int(inside.sum()), 3))
    return Image.fromarray(np.clip(background, 0, 255).astype(np.uint8))


def textured(width: int = 400, height: int = 300, *, seed: int = 0) -> np.ndarray:
    """A grey (height, width, 3) uint8 texture with detail at every scale down to the pixel, as a
    natural scene has: what blur visibly takes away."""
    rng = np.random.default_rng(seed)
    layers = [cv2.resize(rng.normal(0, 1, (max(2, height * s // width), s)), (width, height))
              for s in (16, 53, 200, width)]
    grey = cv2.normalize(sum(layers), None, 20, 235, cv2.NORM_MINMAX)
    return np.dstack([grey] * 3).astype(np.uint8)


def blurred_in(image: np.ndarray, box: Box, sigma: float) -> np.ndarray:
    """`image` ((H, W, 3) uint8) with the inside of `box` alone blurred (Gaussian, `sigma` px): a
    face whose person moved in a sharp scene."""
    out = image.copy()
    inside = np.s_[box.y : box.bottom, box.x : box.right]
    out[inside] = cv2.GaussianBlur(image, (0, 0), sigma)[inside]
    return out


def written(image: Image.Image, text: str, at: tuple[int, int], *, size: int = 16,
            band: tuple[int, int, int] | None = None, outline: bool = False,
            ink: tuple[int, int, int] = (255, 255, 255)) -> Box:
    """``text`` drawn in ``ink`` (white) on ``image`` at ``at`` (on a ``band`` of colour behind
    it, or with a black outline); returns the box of its letters."""
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size)
    left, top, right, bottom = draw.textbbox(at, text, font=font)
    if band is not None:
        draw.rectangle([left - 6, top - 5, right + 6, bottom + 5], fill=band)
    draw.text(at, text, font=font, fill=ink, stroke_width=2 if outline else 0,
              stroke_fill="black")
    return Box(left, top, right - left, bottom - top)


def encode(image: Image.Image, image_format: str = "JPEG", **options) -> bytes:
    """`image` saved in `image_format` (Pillow's name, e.g. "PNG") as bytes."""
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files and masks of each test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def team(db):
    from coverapp.covers.services.teams import team_create

    return team_create(name="Daily Planet")


@pytest.fixture
def other_team(db):
    from coverapp.covers.services.teams import team_create

    return team_create(name="Daily Bugle")


def _member(team, username: str):
    from django.contrib.auth import get_user_model

    from coverapp.covers.services.teams import membership_add

    user = get_user_model().objects.create_user(username=username, password="pw-for-tests-1")
    membership_add(team=team, user=user)
    return user


def _token_client(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def editor(team):
    return _member(team, "lois")


@pytest.fixture
def api(editor):
    """An API client authenticated by token as an editor of `team`."""
    return _token_client(editor)


@pytest.fixture
def other_api(other_team):
    """An API client authenticated as an editor of `other_team`."""
    return _token_client(_member(other_team, "jonah"))


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 (a free port) answering with `handler`; `base` is its
    URL."""

    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class QuietHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class WebhookReceiver(LocalServer):
    """A local HTTP server recording each POST as (headers, body); `status` is what it answers,
    after calling `on_request` (if set) while the sender waits."""

    def __init__(self) -> None:
        receiver = self
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 204
        self.on_request: Callable[[], None] | None = None

        class Handler(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                if receiver.on_request is not None:
                    receiver.on_request()
                self.send_response(receiver.status)
                self.end_headers()

        super().__init__(Handler)
        self.url = f"{self.base}/hook"


@pytest.fixture
def webhook_receiver():
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


QUAY = encode(photo(320, 240, seed=1))
PIER = encode(photo(300, 200, seed=2), "PNG")


class ImageServer(LocalServer):
    """A local HTTP server of a CMS's media library: `paths` maps a path to (status, headers,
    body); `/slow` answers after 2 s."""

    def __init__(self) -> None:
        server = self
        self.paths: dict[str, tuple[int, dict[str, str], bytes]] = {
            "/media/quay.jpg": (200, {"Content-Type": "image/jpeg"}, QUAY),
            "/media/pier%20head.png": (200, {"Content-Type": "image/png"}, PIER),
            "/latest": (302, {"Location": "/media/quay.jpg"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
            "/notes.jpg": (200, {"Content-Type": "image/jpeg"}, b"meeting notes, not a photo"),
        }

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                if self.path == "/slow":
                    time.sleep(2)
                code, headers, body = server.paths.get(self.path, (404, {}, b"not found"))
                self.send_response(code)
                for name, value in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler)


@pytest.fixture
def media():
    """A CMS's media server on 127.0.0.1 (see `ImageServer`)."""
    server = ImageServer()
    yield server
    server.close()
