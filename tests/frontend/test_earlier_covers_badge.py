"""A candidate that is already another article's cover is badged "Used before", with a link to
that article; in real Chromium."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coverapp.covers.services import assessment_run
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.crops import cover_choose
from coverapp.covers.services.uploads import candidate_upload
from tests.conftest import encode, photo
from tests.coverapp.conftest import two_assessed_candidates
from tests.frontend.conftest import sign_in, unnamed_controls

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.usefixtures("classical_assessor",
                                                                             "sent")]


def test_a_picture_already_on_another_story_is_flagged(live_server, page, artifacts, team, editor):
    storm = article_create(team=team, created_by=editor, title="Storm hits the coast")
    cover, _ = two_assessed_candidates(storm, editor)
    cover_choose(article=storm, candidate=cover, chosen_by=editor)
    article = article_create(team=team, created_by=editor, title="Clean-up begins")
    files = [SimpleUploadedFile("agency.jpg", encode(photo(400, 300, seed=0, subject=(0.3, 0.5)),
                                                     quality=60)),
             SimpleUploadedFile("fresh.jpg", encode(photo(400, 300, seed=5, subject=(0.8, 0.2))))]
    for outcome in candidate_upload(article=article, files=files, uploaded_by=editor):
        assessment_run.assessment_run(assessment_id=outcome.candidate.assessment.pk)
    sign_in(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("body[data-ready=true]")

    reused = page.locator(".candidate", has_text="agency.jpg")
    fresh = page.locator(".candidate", has_text="fresh.jpg")
    assert reused.locator(".badge.used-before").is_visible()
    assert fresh.locator(".badge.used-before").is_hidden()
    note = reused.locator(".earlier-covers")
    assert note.inner_text().startswith("Already the cover of “Storm hits the coast” (")
    reused.screenshot(path=str(artifacts / "used-before.png"))
    assert unnamed_controls(page) == []

    note.get_by_role("link", name="“Storm hits the coast”").click()
    page.wait_for_url(f"{live_server.url}/articles/{storm.pk}/")
