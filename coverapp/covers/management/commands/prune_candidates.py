"""`manage.py prune_candidates`: remove the candidates old articles did not use (safe from cron)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from coverapp.covers.services.retention import article_prune, prunable_articles


class Command(BaseCommand):
    help = ("Remove the candidates, with their files, that articles whose cover was chosen did "
            "not use, once the article is older than --days. Articles without a cover keep all.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=float, default=90.0,
                            help="only articles created longer ago than this (default 90)")
        parser.add_argument("--dry-run", action="store_true",
                            help="say what would be removed and remove nothing")

    def handle(self, *args, days: float, dry_run: bool, **options) -> None:
        if days < 0:
            raise CommandError(f"--days must be 0 or more, not {days:g}")
        articles = candidates = size = 0
        for article in tqdm(prunable_articles(older_than=timedelta(days=days)).iterator(),
                            desc="articles", unit="article", disable=options["verbosity"] < 1):
            report = article_prune(article=article, dry_run=dry_run)
            articles += report.articles
            candidates += report.candidates
            size += report.bytes
        verb = "would remove" if dry_run else "removed"
        self.stdout.write(f"{verb} {candidates} unused candidate(s) of {articles} article(s) "
                          f"older than {days:g} days, {size / 1e6:.1f} MB of originals")
