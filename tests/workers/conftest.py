"""Real Celery worker subprocesses sharing the test database, media folder and Redis broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def worker_database_url() -> str:
    """A DATABASE_URL for the test database pytest-django created (not the dev database)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`celery -A workers.celery worker` in a subprocess, its log kept in a file."""

    def __init__(self, log: Path, env: dict[str, str], *, pool: str) -> None:
        self.log = log
        command = [sys.executable, "-m", "celery", "-A", "workers.celery", "worker",
                   "-Q", "gpu,default", "-P", pool, "-c", "1", "--without-mingle",
                   "--without-gossip", "-n", f"{log.stem}@%h", "--loglevel", "INFO"]
        with log.open("wb") as output:
            self.process = subprocess.Popen(command, cwd=REPO, env=env, stdout=output,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL the worker and every process it started: no chance to clean up."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


class Broker:
    """The Redis the test settings use as Celery broker, seen through this run's key prefix."""

    def __init__(self) -> None:
        self.client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        self.prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"]

    def empty(self) -> None:
        for key in self.client.scan_iter(match=f"{self.prefix}*"):
            self.client.delete(key)

    def holds_no_task(self) -> bool:
        """No task waiting in a queue and none delivered but unacknowledged."""
        return (self.client.hlen(f"{self.prefix}unacked") == 0
                and all(self.client.llen(f"{self.prefix}{queue}") == 0
                        for queue in ("gpu", "default")))


@pytest.fixture
def broker() -> Iterator[Broker]:
    """This run's (emptied) part of the Redis broker, emptied again after; fails loudly when
    Redis is down."""
    broker = Broker()
    try:
        broker.client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis at {settings.CELERY_BROKER_URL} is not reachable ({error}); start it: "
                    "redis-server --daemonize yes --bind 127.0.0.1 --port 6379")
    broker.empty()
    yield broker
    broker.empty()


@pytest.fixture
def start_worker(transactional_db, broker, settings, tmp_path) -> Iterator[Callable[..., Worker]]:
    """Start workers with `start_worker(pool="prefork", **extra_env)`; all are stopped after."""
    started: list[Worker] = []

    def start(*, pool: str = "prefork", **extra_env: str) -> Worker:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "coverapp.settings.test",
               "DATABASE_URL": worker_database_url(),
               "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
               "COVERAPP_BROKER_KEY_PREFIX": broker.prefix,
               "COVERAPP_MEDIA_ROOT": str(settings.MEDIA_ROOT), **extra_env}
        worker = Worker(tmp_path / f"worker{len(started) + 1}.log", env, pool=pool)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str,
              worker: Worker | None = None) -> None:
    """Poll `condition` until true; fail after `timeout` seconds with the worker's log."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            log = f"\nworker log:\n{worker.tail()}" if worker else ""
            pytest.fail(f"gave up waiting {timeout:.0f} s for {what}{log}")
        time.sleep(0.5)
