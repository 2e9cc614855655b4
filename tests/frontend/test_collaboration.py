"""Two editors on one article: what one changes shows on the other's open page without a
reload, and the idle refresh does not repeat itself to a screen reader; in real Chromium."""

from __future__ import annotations

import pytest

from coverapp.covers.services.articles import article_create
from coverapp.covers.services.crops import cover_choose
from tests.coverapp.conftest import two_assessed_candidates
from tests.frontend.conftest import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.usefixtures("classical_assessor",
                                                                             "sent")]


def test_another_editors_cover_choice_shows_on_an_open_page(live_server, page, team, editor,
                                                            settings):
    settings.COVERAPP_IDLE_POLL_S = 0.5
    article = article_create(team=team, created_by=editor, title="Harbour reopens",
                             slot_ratios=["16:9"])
    first, second = two_assessed_candidates(article, editor)
    sign_in(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("body[data-ready=true]")
    status = page.locator("#live-status")
    page.evaluate("document.querySelector('#live-status').textContent = 'Crop saved.'")

    cover_choose(article=article, candidate=second, chosen_by=None)  # someone else, elsewhere

    card = page.locator(".candidate", has_text=second.original_name)
    card.locator(".badge.cover-chosen").wait_for(timeout=10_000)
    assert card.get_by_role("button", name="Chosen cover").is_visible()
    assert status.inner_text() == "Crop saved."  # the idle refresh said nothing
