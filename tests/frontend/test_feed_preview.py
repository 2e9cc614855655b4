""""In the feed": each assessed candidate's crop beside the article's title, best first, for the
slot the editor picks, where one slot can take another candidate than the rest; in real
Chromium."""

from __future__ import annotations

import pytest

from coverapp.covers.models import Assessment
from coverapp.covers.services.articles import article_create
from tests.coverapp.conftest import two_assessed_candidates
from tests.frontend.conftest import sign_in, unnamed_controls

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.usefixtures("classical_assessor",
                                                                             "sent")]

FRAME_RATIOS = """() => [...document.querySelectorAll('#feed .crop-window')].map((frame) => {
  const box = frame.getBoundingClientRect();
  return box.width / box.height;
})"""


def test_the_feed_shows_each_candidate_beside_the_title_for_the_chosen_slot(
        live_server, page, artifacts, team, editor):
    article = article_create(team=team, created_by=editor, title="Storm closes the harbour",
                             slot_ratios=["1:1", "16:9"])
    candidates = two_assessed_candidates(article, editor)
    best_first = [a.candidate.original_name for a in
                  Assessment.objects.filter(candidate__in=candidates).order_by("rank")]
    sign_in(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("body[data-ready=true]")

    feed = page.get_by_role("list", name="In the feed")
    cards = feed.locator("li")
    assert cards.count() == 2
    assert cards.locator(".feed-title").all_inner_texts() == ["Storm closes the harbour"] * 2
    assert [text.split(" · ")[1] for text in cards.locator(".feed-meta").all_inner_texts()] == (
        best_first)
    assert cards.first.get_by_role("img").get_attribute("alt") == f"{best_first[0]} as the 1:1 cover"
    assert all(abs(ratio - 1.0) < 0.02 for ratio in page.evaluate(FRAME_RATIOS))

    page.get_by_label("Feed slot").select_option("16:9")
    page.wait_for_function("document.querySelector('#feed img').alt.endsWith('16:9 cover')")
    assert all(abs(ratio - 16 / 9) < 0.03 for ratio in page.evaluate(FRAME_RATIOS))

    page.locator(".candidate").last.get_by_role("button", name="Choose as cover").click()
    page.locator("#live-status", has_text="Cover chosen.").wait_for()
    assert cards.last.locator(".feed-meta").inner_text().endswith("· the 16:9 cover")
    summary = page.locator("#cover-summary").inner_text()
    assert summary.startswith(f"Cover: {best_first[1]} (1:1, 16:9), chosen by {editor.username} on ")
    assert cards.last.get_by_role("button").is_hidden()  # already this slot's cover
    assert page.get_by_label("Feed slot").input_value() == "16:9"  # the pick survives the refresh

    # Another candidate for the square thumbnail only: the hero keeps the chosen one.
    page.get_by_label("Feed slot").select_option("1:1")
    cards.first.get_by_role("button", name=f"Use {best_first[0]} for the 1:1 slot").click()
    page.locator("#live-status", has_text=f"{best_first[0]} is the 1:1 cover.").wait_for()
    cover = {c.ratio: c.candidate.original_name for c in article.cover_choices.all()}
    assert cover == {"1:1": best_first[0], "16:9": best_first[1]}
    assert page.locator("#cover-summary").inner_text().startswith(
        f"Cover: {best_first[0]} (1:1); {best_first[1]} (16:9), chosen by {editor.username} on ")
    assert cards.first.locator(".feed-meta").inner_text().endswith("· the 1:1 cover")
    review = page.locator(".candidate")
    assert review.first.locator(".badge.cover-chosen").inner_text() == "Cover for 1:1"
    assert review.last.locator(".badge.cover-chosen").inner_text() == "Cover for 16:9"
    assert review.last.get_by_role("button", name="Choose as cover").is_visible()
    feed.screenshot(path=str(artifacts / "feed.png"))
    assert unnamed_controls(page) == []
