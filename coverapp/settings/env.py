"""The one place that reads the process environment.

Every setting that may differ between a laptop, CI and production is read here, with a default
that gives a working single-machine app needing no services: SQLite under `var/`, kombu's
filesystem broker under `var/broker/`, media files under `media/`.
"""

from __future__ import annotations

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()

VAR_DIR = Path(env.str("COVERAPP_VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY: str = env.str("DJANGO_SECRET_KEY", default="")
DEBUG: bool = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Production only: served over HTTPS (secure cookies, redirect, HSTS). False for a plain-HTTP trial.
HTTPS: bool = env.bool("DJANGO_HTTPS", default=True)

DATABASE_URL: str = env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'coverapp.sqlite3'}")
DATABASE = environ.Env.db_url_config(DATABASE_URL)
REDIS_URL: str = env.str("REDIS_URL", default="")

CELERY_BROKER_URL: str = env.str("CELERY_BROKER_URL", default="filesystem://")
# Redis re-delivers an unacknowledged task (its worker died) after this many seconds.
BROKER_VISIBILITY_TIMEOUT_S: int = env.int("COVERAPP_BROKER_VISIBILITY_TIMEOUT_S", default=3600)
# Prepended to every Redis key of the broker, so apps (or test runs) sharing a Redis keep apart.
BROKER_KEY_PREFIX: str = env.str("COVERAPP_BROKER_KEY_PREFIX", default="")
BROKER_FOLDER = VAR_DIR / "broker"
# The test suite's worker tests need a broker that redelivers a dead worker's task: Redis. Used
# when CELERY_BROKER_URL is left at the filesystem default; the suite empties this database.
TEST_BROKER_URL: str = env.str("COVERAPP_TEST_BROKER_URL", default="redis://127.0.0.1:6379/15")

MEDIA_ROOT = Path(env.str("COVERAPP_MEDIA_ROOT", default=str(BASE_DIR / "media")))
STATIC_ROOT = Path(env.str("COVERAPP_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# "local" keeps uploads and masks under MEDIA_ROOT; "s3" uses any S3-compatible object store.
STORAGE: str = env.str("COVERAPP_STORAGE", default="local")
S3_BUCKET: str = env.str("AWS_STORAGE_BUCKET_NAME", default="")
S3_ENDPOINT_URL: str | None = env.str("AWS_S3_ENDPOINT_URL", default="") or None
S3_REGION: str | None = env.str("AWS_S3_REGION_NAME", default="") or None

CHECKPOINT = Path(
    env.str("COVERAPP_CHECKPOINT", default=str(BASE_DIR / "assessment/checkpoints/cover-small.pt"))
)
DEVICE: str = env.str("COVERAPP_DEVICE", default="cpu")
# "auto": the network when the checkpoint file exists, else the classical assessor.
ASSESSOR: str = env.str("COVERAPP_ASSESSOR", default="auto")
# Average each mask with its mirror image's (better masks, twice the compute); off on slow CPUs.
MIRROR: bool = env.bool("COVERAPP_MIRROR", default=True)
# Complete each mask from the photo's colours with GrabCut, raising and lowering it but never a
# known face (~0.1 s of CPU an image).
REFINE: bool = env.bool("COVERAPP_REFINE", default=True)
# Seconds `assessment_run` pauses after marking a row running; only the worker-crash test sets it.
ASSESS_PAUSE_S: float = env.float("COVERAPP_ASSESS_PAUSE_S", default=0.0)

# Webhooks to loopback/private addresses are refused unless allowed (a CMS on the same network).
WEBHOOK_ALLOW_PRIVATE: bool = env.bool("COVERAPP_WEBHOOK_ALLOW_PRIVATE", default=False)
# Image URLs on such addresses are refused too unless allowed (the CMS's media server nearby).
FETCH_ALLOW_PRIVATE: bool = env.bool("COVERAPP_FETCH_ALLOW_PRIVATE", default=False)

# A candidate that looks like the cover of another of the team's articles chosen within this many
# days is flagged, so a feed does not show one picture twice.
EARLIER_COVER_DAYS: int = env.int("COVERAPP_EARLIER_COVER_DAYS", default=30)

# The width in pixels a slot is shown at when its team does not say (`Team.slot_widths`): a
# candidate whose largest crop of the slot's ratio is narrower would be enlarged.
SLOT_WIDTH: int = env.int("COVERAPP_SLOT_WIDTH", default=1200)

MAX_UPLOAD_BYTES: int = env.int("COVERAPP_MAX_UPLOAD_MB", default=25) * 1024 * 1024
MAX_IMAGE_PIXELS: int = env.int("COVERAPP_MAX_IMAGE_MEGAPIXELS", default=40) * 1_000_000
# An upload narrower or shorter than this is an icon, a logo's favicon or a tracking pixel picked
# up with the photos, not a candidate cover.
MIN_IMAGE_SIDE: int = env.int("COVERAPP_MIN_IMAGE_SIDE", default=64)
