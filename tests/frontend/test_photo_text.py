"""Credit and alt text on the article page: filled in from the photo's metadata, edited, saved,
and never overwritten by a refresh while the editor is typing; in real Chromium."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coverapp.covers.services import assessment_run
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.uploads import candidate_upload
from tests.conftest import encode, photo
from tests.coverapp.test_photo_metadata import XMP
from tests.frontend.conftest import sign_in, unnamed_controls

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.usefixtures("classical_assessor",
                                                                             "sent")]


def test_the_editor_sees_and_edits_the_credit_and_alt_text(live_server, page, artifacts, team,
                                                            editor):
    article = article_create(team=team, created_by=editor, title="Storm closes the harbour",
                             slot_ratios=["16:9", "1:1"])
    upload = SimpleUploadedFile("quay.jpg", encode(photo(400, 300), xmp=XMP.encode()))
    [outcome] = candidate_upload(article=article, files=[upload], uploaded_by=editor)
    candidate = outcome.candidate
    assessment_run.assessment_run(assessment_id=candidate.assessment.pk)
    sign_in(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("body[data-ready=true]")

    form = page.get_by_role("form", name="Credit and alt text")
    credit, alt_text = form.get_by_label("Credit"), form.get_by_label("Alt text")
    assert credit.input_value() == "Zoë Ångström, Li Wei / Reuters"
    assert form.get_by_label("Caption").input_value() == "The harbour under the storm"
    assert alt_text.input_value() == "Waves break over the harbour wall at dusk"
    assert page.locator(".candidate .credit").inner_text() == (
        "Credit: Zoë Ångström, Li Wei / Reuters")
    missing = form.get_by_text("No alt text yet")
    assert missing.is_hidden()

    alt_text.fill("")
    form.get_by_role("button", name="Save texts").click()
    page.locator("#live-status", has_text="Credit and alt text of quay.jpg saved.").wait_for()
    missing.wait_for()
    candidate.refresh_from_db()
    assert candidate.alt_text == ""

    # An edit not saved yet survives the refresh that another action brings.
    credit.fill("Zoë Ångström / Reuters")
    page.get_by_role("button", name="Choose as cover").click()
    page.locator("#live-status", has_text="Cover chosen. It has no alt text yet").wait_for()
    assert credit.input_value() == "Zoë Ångström / Reuters"
    candidate.refresh_from_db()
    assert candidate.credit == "Zoë Ångström, Li Wei / Reuters"

    alt_text.fill("Waves break over the harbour wall; a lighthouse in spray")
    form.get_by_role("button", name="Save texts").click()
    page.locator("#live-status", has_text="Credit and alt text of quay.jpg saved.").wait_for()
    assert missing.is_hidden()
    candidate.refresh_from_db()
    assert (candidate.credit, candidate.alt_text) == (
        "Zoë Ångström / Reuters", "Waves break over the harbour wall; a lighthouse in spray")
    assert page.locator(".candidate .credit").inner_text() == "Credit: Zoë Ångström / Reuters"
    form.screenshot(path=str(artifacts / "photo-text.png"))
    assert unnamed_controls(page) == []
