"""Undoing a cover choice from the article page, and the cover's history; in real Chromium."""

from __future__ import annotations

import pytest

from coverapp.covers.services.articles import article_create
from tests.coverapp.conftest import two_assessed_candidates
from tests.frontend.conftest import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.usefixtures("classical_assessor",
                                                                             "sent")]


def test_a_mistaken_cover_choice_is_undone_in_one_click(live_server, page, team, editor,
                                                        artifacts):
    article = article_create(team=team, created_by=editor, title="Harbour reopens",
                             slot_ratios=["16:9", "1:1"])
    first, second = two_assessed_candidates(article, editor)
    sign_in(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("body[data-ready=true]")
    undo = page.locator("#cover-undo")
    assert undo.is_hidden()  # nothing chosen yet, nothing to undo

    for candidate in (first, second):
        card = page.locator(".candidate", has_text=candidate.original_name)
        card.get_by_role("button", name="Choose as cover").click()
        card.get_by_role("button", name="Chosen cover").wait_for()

    assert undo.inner_text() == (
        f"Undo: {editor.username} chose {second.original_name} (16:9, 1:1)")
    undo.click()

    first_card = page.locator(".candidate", has_text=first.original_name)
    first_card.get_by_role("button", name="Chosen cover").wait_for()
    assert page.locator("#live-status").inner_text().startswith("Undone: ")
    assert undo.inner_text() == (
        f"Undo: {editor.username} chose {first.original_name} (16:9, 1:1)")
    page.get_by_text("Cover history").click()
    lines = page.locator("#cover-history li").all_inner_texts()
    assert len(lines) == 3
    assert lines[0].endswith(f"undid a change, back to {first.original_name} (16:9, 1:1)")
    assert lines[1].endswith(f"chose {second.original_name} (16:9, 1:1) (undone)")
    page.locator("#cover-bar").screenshot(path=artifacts / "cover-history.png")

    undo.click()  # one further back: no cover at all
    page.get_by_role("button", name="Chosen cover").first.wait_for(state="detached")
    assert undo.is_hidden()
    assert page.locator("#cover-summary").is_hidden()
