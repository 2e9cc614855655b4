"""An editor away from the desk, on a phone: the articles list, the forms and an article's page
fit a 390-px wide screen without sideways scrolling; in real Chromium."""

from __future__ import annotations

import pytest

from coverapp.covers.services.articles import article_create
from tests.coverapp.conftest import two_assessed_candidates
from tests.frontend.conftest import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.usefixtures("classical_assessor",
                                                                             "sent")]

PHONE = {"width": 390, "height": 844}
WIDEST = """() => Math.max(...[...document.querySelectorAll("body *")]
  .filter((e) => e.getClientRects().length && !e.closest("dialog:not([open])"))
  .map((e) => e.getBoundingClientRect().right))"""


def test_the_list_and_an_article_fit_a_phone(live_server, page, team, editor, artifacts):
    page.set_viewport_size(PHONE)
    article = article_create(team=team, created_by=editor, title="Harbour reopens after the storm",
                             slot_ratios=["16:9", "1:1"])
    two_assessed_candidates(article, editor)
    sign_in(page, live_server.url, editor.username)

    row = page.locator("tr", has_text="Harbour reopens")
    assert row.get_by_role("button", name="Use suggested cover for Harbour reopens").is_visible()
    assert page.evaluate(WIDEST) <= PHONE["width"]
    page.wait_for_function("[...document.images].every((img) => img.complete && img.naturalWidth)")
    page.screenshot(path=str(artifacts / "phone-articles.png"), full_page=True)

    for path in ("/articles/new/", "/team/settings/", f"/articles/{article.pk}/edit/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(WIDEST) <= PHONE["width"], path

    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("body[data-ready=true]")
    assert page.get_by_role("button", name="Choose as cover").first.is_visible()
    assert page.evaluate(WIDEST) <= PHONE["width"]
