"""`manage.py rank_open_articles`: after an upgrade changes the ranking, the articles still
waiting for a cover get fresh scores and reasons; covered, older and other teams' ones do not."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from coverapp.covers.models import Article, Assessment
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.crops import cover_choose
from tests.coverapp.conftest import two_assessed_candidates

pytestmark = pytest.mark.usefixtures("classical_assessor", "sent")


def article_with_stale_ranking(team, editor, title: str, *, days_old: float = 0) -> Article:
    article = article_create(team=team, created_by=editor, title=title)
    two_assessed_candidates(article, editor)
    Assessment.objects.filter(candidate__article=article).update(reasons=["stale"], rank=9)
    Article.objects.filter(pk=article.pk).update(
        created_at=timezone.now() - timedelta(days=days_old))
    return article


def is_stale(article: Article) -> bool:
    assessments = Assessment.objects.filter(candidate__article=article)
    return all(a.reasons == ["stale"] and a.rank == 9 for a in assessments)


def run(*args: str) -> str:
    out = StringIO()
    call_command("rank_open_articles", *args, stdout=out)
    return out.getvalue()


def test_open_recent_articles_of_every_team_are_ranked_again(team, editor, other_team):
    open_article = article_with_stale_ranking(team, editor, "Open")
    covered = article_with_stale_ranking(team, editor, "Covered")
    cover_choose(article=covered, candidate=covered.candidates.first(), chosen_by=editor)
    Assessment.objects.filter(candidate__article=covered).update(reasons=["stale"], rank=9)
    older = article_with_stale_ranking(team, editor, "Older", days_old=20)
    elsewhere = article_with_stale_ranking(other_team, editor, "Elsewhere")

    assert run() == "ranked again: 2 article(s) without a cover from the last 14 day(s)\n"

    assert not is_stale(open_article) and not is_stale(elsewhere)
    ranks = sorted(Assessment.objects.filter(candidate__article=open_article)
                   .values_list("rank", flat=True))
    assert ranks == [1, 2]
    assert is_stale(covered) and is_stale(older)


def test_one_team_and_a_longer_reach(team, editor, other_team):
    older = article_with_stale_ranking(team, editor, "Older", days_old=20)
    elsewhere = article_with_stale_ranking(other_team, editor, "Elsewhere")

    assert run("--team", team.slug, "--days", "30") == (
        "ranked again: 1 article(s) without a cover from the last 30 day(s)\n")

    assert not is_stale(older) and is_stale(elsewhere)


@pytest.mark.parametrize(("args", "message"), [
    (("--team", "nobody"), "no team with the slug 'nobody'"),
    (("--days", "0"), "--days must be positive"),
])
def test_bad_arguments_are_refused_and_nothing_is_ranked(team, editor, args, message):
    article = article_with_stale_ranking(team, editor, "Open")
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert is_stale(article)
