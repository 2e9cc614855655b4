"""Settings for pytest: the base settings with fast hashing and a shareable SQLite test file."""

from coverapp.settings.base import *  # noqa: F403
from coverapp.settings.base import DATABASES
from coverapp.settings.env import VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so a worker subprocess in the end-to-end tests sees the same rows.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-coverapp.sqlite3")}
# Static files are served from the apps' folders, not a collected STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
