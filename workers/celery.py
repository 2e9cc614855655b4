"""The Celery app. Run a worker with `celery -A workers.celery worker -Q gpu,default`.

Configuration comes from Django settings (`CELERY_*`), i.e. from the environment: the broker is
Redis when `CELERY_BROKER_URL` says so, else kombu's filesystem transport under `var/broker/`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coverapp.settings.base")

app = Celery("coverapp", include=["workers.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
