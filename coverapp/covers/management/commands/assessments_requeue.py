"""`manage.py assessments_requeue`: send lost assessment tasks again (safe to run from cron)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand

from coverapp.covers.services.queueing import assessments_requeue


class Command(BaseCommand):
    help = "Queue again assessments stuck in queued/running for longer than --minutes."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--minutes", type=float, default=30.0,
                            help="only assessments waiting longer than this (default 30)")

    def handle(self, *args, minutes: float, **options) -> None:
        ids = assessments_requeue(older_than=timedelta(minutes=minutes))
        self.stdout.write(f"queued again: {len(ids)} assessment(s) {ids}")
