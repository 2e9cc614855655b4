"""docker-compose.yml cannot run here; read it and check what production relies on."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def command_of(service: str) -> str:
    command = SERVICES[service]["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_the_five_services_are_there():
    assert set(SERVICES) == {"postgres", "redis", "web", "worker-gpu", "worker-default"}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_service_has_a_healthcheck(service):
    assert SERVICES[service]["healthcheck"]["test"]


def test_web_runs_migrations_then_gunicorn_on_the_wsgi_module():
    command = command_of("web")
    assert command.index("migrate") < command.index("gunicorn coverapp.wsgi")
    assert importlib.import_module("coverapp.wsgi").application is not None
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])


def test_static_files_are_served_by_whitenoise(settings):
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
    assert "collectstatic" in (REPO / "Dockerfile").read_text()


def test_gpu_worker_takes_the_gpu_queue_on_a_reserved_nvidia_device():
    assert "-A workers.celery worker -Q gpu " in command_of("worker-gpu")
    [device] = SERVICES["worker-gpu"]["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and "gpu" in device["capabilities"]
    assert SERVICES["worker-gpu"]["environment"]["COVERAPP_DEVICE"] == "cuda"


def test_default_worker_takes_the_default_queue():
    assert "-A workers.celery worker -Q default " in command_of("worker-default")
    assert "deploy" not in SERVICES["worker-default"]


def test_the_queues_named_are_the_queues_tasks_are_routed_to(settings):
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed == {"gpu", "default"}


@pytest.mark.parametrize("service", ["web", "worker-gpu", "worker-default"])
def test_app_services_share_media_and_reach_postgres_and_redis(service):
    spec = SERVICES[service]
    environment = spec["environment"]
    assert "media:/data/media" in spec["volumes"]
    assert environment["COVERAPP_MEDIA_ROOT"] == "/data/media"
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
    assert environment["DJANGO_SETTINGS_MODULE"] == "coverapp.settings.production"
    assert spec["depends_on"] == {"postgres": {"condition": "service_healthy"},
                                  "redis": {"condition": "service_healthy"}}


def test_named_volumes_are_declared():
    assert {"pgdata", "media"} <= set(COMPOSE["volumes"])
