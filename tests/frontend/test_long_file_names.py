"""Agency file names run long without a space; on an article's page they stay inside the upload
list's name column and inside their candidate's card, in real Chromium."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coverapp.covers.services import assessment_run
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.uploads import candidate_upload
from tests.conftest import encode, photo
from tests.frontend.conftest import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.usefixtures("classical_assessor",
                                                                             "sent")]

LONG_NAME = "AFP_20261204_Interview_People_Visible_Harbour_Storm_Ferry_Routes_Closed_0102.jpg"
#: The right edge of the text drawn inside each element `selector` picks, beyond the element's
#: own right edge (a name spilling out of its box), in CSS pixels; 0 when it all fits.
SPILL = """(selector) => Math.max(0, ...[...document.querySelectorAll(selector)].map((box) => {
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let right = 0;
  while (walker.nextNode()) {
    range.selectNodeContents(walker.currentNode);
    for (const rect of range.getClientRects()) right = Math.max(right, rect.right);
  }
  return right - box.getBoundingClientRect().right;
}))"""


def test_a_long_file_name_stays_in_its_column_and_card(live_server, page, team, editor,
                                                       artifacts):
    article = article_create(team=team, created_by=editor, title="Ferry routes closed",
                             slot_ratios=["16:9"])
    upload = SimpleUploadedFile(LONG_NAME, encode(photo(400, 300, seed=1, subject=(0.5, 0.5))))
    [outcome] = candidate_upload(article=article, files=[upload], uploaded_by=editor)
    assessment_run.assessment_run(assessment_id=outcome.candidate.assessment.pk)
    sign_in(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("body[data-ready=true]")
    page.locator(".candidate .rank", has_text="#1").wait_for()
    assert page.evaluate(SPILL, ".candidate") == 0

    page.get_by_label("Choose files…").set_input_files([{
        "name": LONG_NAME.replace("0102", "0103"), "mimeType": "image/jpeg",
        "buffer": encode(photo(400, 300, seed=2, subject=(0.4, 0.5))),
    }])
    page.locator(".uploads li").wait_for()
    assert page.evaluate(SPILL, ".uploads li span:first-child") == 0
    page.locator(".upload-result", has_text="uploaded").wait_for()
    page.screenshot(path=str(artifacts / "long-file-names.png"), full_page=True)
