"""Settings come from the environment; each case imports them afresh in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
READ = """
import json, django
from django.conf import settings
django.setup()
from django.core.files.storage import storages
default_storage = storages["default"]
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "broker": settings.CELERY_BROKER_URL,
    "broker_options": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "storage": type(default_storage).__name__,
    "url": default_storage.url("masks/1.png"),
}))
"""
UNSET = ("DATABASE_URL", "CELERY_BROKER_URL", "COVERAPP_STORAGE", "DJANGO_SECRET_KEY")


def run_settings(module: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in UNSET}
    clean.update(DJANGO_SETTINGS_MODULE=module, COVERAPP_VAR_DIR=str(tmp_path / "var"), **env)
    return subprocess.run([sys.executable, "-c", READ], cwd=REPO, env=clean, text=True,
                          capture_output=True, timeout=120)


def read_settings(tmp_path: Path, module: str = "coverapp.settings.base", **env: str) -> dict:
    result = run_settings(module, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_defaults_need_no_services(tmp_path):
    values = read_settings(tmp_path)

    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["db_name"] == str(tmp_path / "var" / "coverapp.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["broker_options"]["data_folder_in"] == str(tmp_path / "var/broker/queue")
    assert (tmp_path / "var/broker/queue").is_dir()
    assert values["storage"] == "FileSystemStorage"


def test_postgres_and_redis_from_the_environment(tmp_path):
    values = read_settings(tmp_path, DATABASE_URL="postgres://u:p@db.example:5432/covers",
                           CELERY_BROKER_URL="redis://cache.example:6379/2",
                           COVERAPP_BROKER_VISIBILITY_TIMEOUT_S="90")

    assert (values["engine"], values["db_name"]) == ("django.db.backends.postgresql", "covers")
    assert values["broker"] == "redis://cache.example:6379/2"
    assert values["broker_options"] == {"visibility_timeout": 90, "global_keyprefix": ""}


def test_s3_storage_is_selected_and_signs_urls_for_the_bucket(tmp_path):
    values = read_settings(tmp_path, COVERAPP_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="covers",
                           AWS_S3_ENDPOINT_URL="https://objects.example",
                           AWS_S3_REGION_NAME="eu-west-1", AWS_ACCESS_KEY_ID="AKIATEST",
                           AWS_SECRET_ACCESS_KEY="not-a-real-secret")

    assert values["storage"] == "S3Storage"
    assert values["url"].startswith("https://objects.example/covers/masks/1.png?")
    assert "Signature" in values["url"]


@pytest.mark.parametrize(("module", "env", "message"), [
    ("coverapp.settings.production", {}, "Set DJANGO_SECRET_KEY"),
    ("coverapp.settings.base", {"COVERAPP_STORAGE": "ftp"}, "use 'local' or 's3'"),
])
def test_misconfiguration_says_how_to_fix_it(tmp_path, module, env, message):
    result = run_settings(module, tmp_path, **env)

    assert result.returncode != 0
    assert message in result.stderr
