"""Settings for pytest: the base settings with fast hashing and a shareable SQLite test file."""

import os

from coverapp.settings import env
from coverapp.settings.base import *  # noqa: F403
from coverapp.settings.base import CELERY_BROKER_URL, DATABASES

DEBUG = False
# No persistent connections: a test thread's idle session would block dropping the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so a worker subprocess in the end-to-end tests sees the same rows;
    # one per test run, so runs in the same checkout do not delete each other's database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(env.VAR_DIR / f"test-coverapp-{os.getpid()}.sqlite3")}
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_URL = env.TEST_BROKER_URL
# Keys of this run only (its worker subprocesses are given the same prefix): test runs sharing
# a Redis never take each other's tasks.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.BROKER_VISIBILITY_TIMEOUT_S,
    "global_keyprefix": env.BROKER_KEY_PREFIX or f"coverapp-test-{os.getpid()}:",
}
# The tests' webhook receiver listens on 127.0.0.1.
COVERAPP_WEBHOOK_ALLOW_PRIVATE = True
COVERAPP_FETCH_ALLOW_PRIVATE = True  # and the image server of the URL-upload tests
# Static files are served from the apps' folders, not a collected STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
