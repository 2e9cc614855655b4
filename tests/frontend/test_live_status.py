"""The article page follows each candidate's assessment live, without reloading: the ranked
endpoint is scripted (queued → running → done / failed) so every state is seen deterministically;
a failure can be retried; uploads (picked, pasted or named by URL) go to the real server, which
refuses a file that is not an image and says why a URL could not be downloaded."""

from __future__ import annotations

import base64
import json
import re

import pytest

from coverapp.covers.services.articles import article_create
from tests.conftest import encode, photo
from tests.frontend.conftest import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser]

THUMBNAIL = "data:image/png;base64," + base64.b64encode(encode(photo(160, 90), "PNG")).decode()


def candidate(pk: int, name: str, status: str, **assessment) -> dict:
    """A candidate as the ranked endpoint shapes it (coverapp.covers.api.serializers)."""
    done = status == "done"
    return {
        "id": pk, "original_name": name, "image_url": THUMBNAIL, "width": 160, "height": 90,
        "near_duplicate_of": None,
        "assessment": {"status": status, "error": "", "clarity": None, "cover_score": None,
                       "rank": None, "reasons": [], "mask_url": None, **assessment},
        "crops": [{"ratio": "16:9", "box": [0, 0, 160, 90], "source": "model", "score": 0.9}]
        if done else [],
    }


STEPS = [
    [candidate(1, "quay.jpg", "queued"), candidate(2, "broken.jpg", "queued")],
    [candidate(1, "quay.jpg", "running"), candidate(2, "broken.jpg", "queued")],
    [candidate(2, "broken.jpg", "failed", error="the file is truncated: upload it again"),
     candidate(1, "quay.jpg", "done", clarity=8.4, cover_score=0.71, rank=1,
               reasons=["sharp", "subject fills 21%"])],
]

AFTER_RETRY = [STEPS[2][1], candidate(2, "broken.jpg", "queued")]

PASTE_IMAGE = """(data) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "image.png", { type: "image/jpeg" }));
  document.body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true }));
}"""


def test_candidate_status_updates_live_and_bad_uploads_explain_why(
        live_server, page, artifacts, team, editor, expected_console_errors, media):
    article = article_create(team=team, created_by=editor, title="Quay collapse",
                             slot_ratios=["16:9"])
    served: list[int] = []
    retried: list[str] = []

    def ranked(route) -> None:
        step = min(len(served), len(STEPS) - 1)
        served.append(step)
        results = AFTER_RETRY if retried else STEPS[step]
        route.fulfill(status=200, content_type="application/json",
                      body=json.dumps({"count": 2, "next": None, "previous": None,
                                       "results": results}))

    def retry(route) -> None:
        retried.append(route.request.method)
        route.fulfill(status=202, content_type="application/json",
                      body=json.dumps(AFTER_RETRY[1]))

    page.route(f"**/api/articles/{article.pk}/ranked/**", ranked)
    page.route("**/api/candidates/2/retry/", retry)
    sign_in(page, live_server.url, editor.username)
    assert page.locator("tr", has_text="Quay collapse").get_by_text("Waiting").is_visible()
    page.screenshot(path=str(artifacts / "articles.png"))
    page.get_by_role("link", name="Quay collapse").click()

    cards = page.locator(".candidate")
    cards.first.get_by_text("Queued").wait_for()
    assert cards.count() == 2
    assert page.title() == "(0/2 assessed) Quay collapse · CoverApp"  # the tab shows progress
    page.get_by_text("Assessing…").wait_for()
    quay = page.locator(".candidate", has_text="quay.jpg")
    quay.get_by_text("Assessed").wait_for()

    assert page.url.endswith(f"/articles/{article.pk}/")  # same page all along: no reload
    assert page.title() == "Quay collapse · CoverApp"
    assert served[:3] == [0, 1, 2]
    assert quay.locator(".rank").inner_text() == "#1"
    assert quay.locator(".badge.suggested").is_visible()
    assert quay.locator(".score").inner_text() == "0.71"
    assert quay.locator(".reasons li").all_inner_texts() == ["sharp", "subject fills 21%"]
    broken = page.locator(".candidate", has_text="broken.jpg")
    assert broken.locator(".status-line").inner_text() == (
        "Could not assess: the file is truncated: upload it again")
    assert broken.get_by_role("button", name="Choose as cover").is_disabled()
    assert cards.last.locator(".badge.status").inner_text() == "Failed"  # failures sort last
    assert page.locator("#live-status").inner_text() == "All 2 candidates assessed, 1 failed."

    assert quay.get_by_role("button", name="Retry").is_hidden()  # only failures are retried
    broken.get_by_role("button", name="Retry").click()
    page.locator("#live-status", has_text="broken.jpg queued again.").wait_for()
    assert retried == ["POST"]
    assert broken.locator(".badge.status").inner_text() == "Queued"
    assert broken.get_by_role("button", name="Retry").is_hidden()

    expected_console_errors.append("status of 415")
    page.get_by_label("Choose files…").set_input_files(
        [{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a photo"}])
    result = page.locator(".uploads li", has_text="notes.txt").locator(".upload-result")
    result.get_by_text("failed:").wait_for()
    assert "JPEG, PNG, WebP, AVIF or HEIC" in result.inner_text()

    page.evaluate(PASTE_IMAGE, base64.b64encode(encode(photo(seed=7))).decode())
    pasted = page.locator(".uploads li", has_text="pasted-")
    pasted.get_by_text("uploaded").wait_for()
    [stored] = article.candidates.all()
    assert re.fullmatch(r"pasted-\d{6}-1\.jpeg", stored.original_name)
    assert pasted.locator("span").first.inner_text() == stored.original_name

    # An image from its web address: the server downloads it; a dead link says why.
    page.get_by_label("Or add an image from its web address").fill(f"{media.base}/media/quay.jpg")
    page.get_by_role("button", name="Add image").click()
    added = page.locator(".uploads li", has_text="/media/quay.jpg")
    added.get_by_text("uploaded").wait_for()
    assert article.candidates.filter(original_name="quay.jpg").exists()
    assert page.get_by_label("Or add an image from its web address").input_value() == ""
    expected_console_errors.append("status of 400")
    page.get_by_label("Or add an image from its web address").fill(f"{media.base}/gone.jpg")
    page.get_by_role("button", name="Add image").click()
    dead = page.locator(".uploads li", has_text="/gone.jpg").locator(".upload-result")
    dead.get_by_text("failed:").wait_for()
    assert "the server answered 404" in dead.inner_text()
    assert article.candidates.count() == 2
