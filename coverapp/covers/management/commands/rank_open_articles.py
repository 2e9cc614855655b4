"""`manage.py rank_open_articles`: rank again the articles still waiting for a cover (after an
upgrade that changed the ranking, whose stored scores and reasons would otherwise stay), first
bringing their older assessments up to it (`remeasure.assessments_upgrade`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from coverapp.covers.models import Team
from coverapp.covers.services.ranking import RERANK_DAYS, open_articles_rerank


class Command(BaseCommand):
    help = ("Rank again the articles without a cover created in the last --days, "
            "of one team (--team, its slug) or all; no webhook is sent.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=float, default=RERANK_DAYS,
                            help=f"only articles created this recently (default {RERANK_DAYS})")
        parser.add_argument("--team", help="the slug of the one team to rank (default: all)")

    def handle(self, *args, days: float, team: str | None, **options) -> None:
        if days <= 0:
            raise CommandError(f"--days must be positive, got {days}")
        chosen = None
        if team is not None:
            chosen = Team.objects.filter(slug=team).first()
            if chosen is None:
                raise CommandError(f"no team with the slug {team!r}")
        count, upgraded = open_articles_rerank(team=chosen, days=days, upgrade=True)
        self.stdout.write(f"ranked again: {count} article(s) without a cover "
                          f"from the last {days:g} day(s); {upgraded.measured} older "
                          "assessment(s) measured for exposure, graphics, a collage, text over the picture "
                          "or their subject's or largest face's sharpness, "
                          f"{upgraded.redone} queued again (bars, a blurred fill or a caption strip found anew), "
                          f"model crops proposed again for {upgraded.cropped}")
