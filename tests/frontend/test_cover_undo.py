"""Undoing a cover choice from the article page, and the cover's history; in real Chromium."""

from __future__ import annotations

import zipfile

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
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Download the cover (every slot, zip)").click()
    archive = zipfile.ZipFile(downloaded.value.path())
    assert downloaded.value.suggested_filename == "harbour-reopens-cover.zip"
    assert archive.namelist() == [f"{second.original_name[:-4]}-16x9.jpg",
                                  f"{second.original_name[:-4]}-1x1.jpg", "cover.json"]
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
    assert page.locator("#cover-download").is_hidden()  # no cover, nothing to download


def test_the_list_offers_the_suggested_cover_and_its_page_can_undo_it(live_server, page, team,
                                                                      editor, artifacts):
    article = article_create(team=team, created_by=editor, title="Harbour reopens",
                             slot_ratios=["16:9", "1:1"])
    two_assessed_candidates(article, editor)
    top = article.candidates.get(assessment__rank=1)
    sign_in(page, live_server.url, editor.username)
    row = page.locator("tr", has_text="Harbour reopens")
    suggested = row.get_by_role("img", name="Suggested cover of Harbour reopens")
    suggested.wait_for()
    page.wait_for_function("[...document.images].every((img) => img.complete && img.naturalWidth)")
    page.locator("table.articles").screenshot(path=artifacts / "articles-suggested.png")

    row.get_by_role("button", name="Use suggested cover for Harbour reopens").click()

    page.get_by_text(f"its suggested cover, {top.original_name}, is chosen").wait_for()
    assert row.get_by_text("Cover chosen").is_visible()
    assert row.get_by_role("img", name="Cover of Harbour reopens").is_visible()
    row.get_by_role("link", name="Harbour reopens").click()
    undo = page.get_by_role("button", name=f"Undo: {editor.username} chose {top.original_name}")
    undo.click()
    undo.wait_for(state="detached")
    assert page.get_by_role("button", name="Chosen cover").count() == 0
