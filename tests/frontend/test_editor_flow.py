"""An editor's whole day in real Chromium against the live server and a real Celery worker:
sign in, create an article, upload 3 images (file picker and drag-and-drop), watch them get
assessed, toggle a mask overlay, drag the 16:9 crop, choose the cover, and read it back from the
API the CMS uses; then add a slot ratio, and remove a candidate (not the cover, which is refused
with the reason)."""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from coverapp.covers.services.teams import membership_add, team_create
from tests.conftest import encode, photo
from tests.frontend.conftest import PASSWORD, sign_in, unnamed_controls

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ASSESSMENT_TIMEOUT_MS = 480_000  # generous: CI shares its cores with other work
DROP_FILE = """([name, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "image/jpeg" }));
  const zone = document.getElementById("dropzone");
  for (const type of ["dragenter", "dragover", "drop"]) {
    const init = { bubbles: true, cancelable: true, dataTransfer: transfer };
    zone.dispatchEvent(new DragEvent(type, init));
  }
}"""

ALL_UPLOADED = """(count) => {
  const results = [...document.querySelectorAll(".upload-result")];
  return results.length === count && results.every((e) => e.textContent === "uploaded");
}"""


def jpeg(seed: int, subject: tuple[float, float], quality: int = 92) -> bytes:
    return encode(photo(720, 480, seed=seed, subject=subject), quality=quality)


def drag(page, locator, dx: float, dy: float) -> None:
    """Press the mouse on the middle of `locator` and move it by (dx, dy) CSS pixels."""
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=10)
    page.mouse.up()


def readout_box(page) -> list[int]:
    """The editor's live "x X, y Y, W × H px" readout as [x, y, w, h]."""
    text = page.locator("dialog .box-readout").inner_text()
    return [int(number) for number in re.findall(r"\d+", text)]


def test_editor_uploads_reviews_crops_and_chooses_a_cover(live_server, start_worker, page,
                                                         artifacts, expected_console_errors):
    team = team_create(name="Gotham Gazette")
    user = get_user_model().objects.create_user("vicki", password=PASSWORD)
    membership_add(team=team, user=user)
    worker = start_worker(pool="solo")

    sign_in(page, live_server.url, "vicki")
    page.get_by_role("link", name="New article").click()
    page.get_by_label("Title").fill("Harbour storm closes ferry routes")
    page.get_by_label("Slot ratios").fill("16:9, 1:1")
    page.get_by_role("button", name="Create article").click()
    page.wait_for_selector("body[data-ready=true]")
    article_id = int(re.search(r"/articles/(\d+)/", page.url).group(1))

    # Two through the file picker; then a near-duplicate of the first, dropped on the zone (once
    # the first is stored: near-duplicates are found among the candidates already uploaded).
    page.get_by_label("Choose files…").set_input_files([
        {"name": "harbour.jpg", "mimeType": "image/jpeg", "buffer": jpeg(0, (0.3, 0.5))},
        {"name": "pier.jpg", "mimeType": "image/jpeg", "buffer": jpeg(1, (0.7, 0.45))},
    ])
    page.wait_for_function(ALL_UPLOADED, arg=2)
    page.evaluate(DROP_FILE, ["harbour-copy.jpg",
                              base64.b64encode(jpeg(0, (0.3, 0.5), quality=70)).decode()])
    page.wait_for_function(ALL_UPLOADED, arg=3)
    bars = page.locator(".uploads li progress")
    assert [bars.nth(row).get_attribute("value") for row in range(3)] == ["100"] * 3
    try:
        page.wait_for_function("document.querySelectorAll('.candidate .badge.status.done')"
                               ".length === 3", timeout=ASSESSMENT_TIMEOUT_MS)
    except Exception:
        pytest.fail(f"the 3 candidates were not assessed in time; worker log:\n{worker.tail()}")

    cards = page.locator(".candidate")
    assert cards.first.locator(".rank").inner_text() == "#1"
    assert cards.first.locator(".badge.suggested").is_visible()
    assert page.locator(".candidate .badge.suggested:visible").count() == 1
    assert page.locator(".candidate .badge.duplicate:visible").count() >= 1
    demoted = page.locator(".candidate .reasons li", has_text="near-duplicate of ")
    assert demoted.inner_text() in ("near-duplicate of harbour.jpg, ranked below it",
                                    "near-duplicate of harbour-copy.jpg, ranked below it")
    assert cards.first.locator(".reasons li").count() > 0
    top_name = cards.first.locator(".status-line").inner_text()

    overlay = cards.first.locator(".mask-overlay")
    assert overlay.is_hidden()
    cards.first.get_by_label("Show salient mask").check()
    assert overlay.is_visible()
    assert "/mask" in overlay.evaluate("(element) => getComputedStyle(element).maskImage")
    page.screenshot(path=str(artifacts / "review.png"), full_page=True)
    assert unnamed_controls(page) == []

    preview = page.locator('figure[data-ratio="16:9"]')
    assert page.locator("#crops-heading").inner_text() == f"Crops of {top_name}"
    preview.get_by_role("button", name="Edit the 16:9 crop").click()
    page.wait_for_selector("dialog[data-ready=true]")
    proposed = readout_box(page)
    drag(page, page.locator("dialog .cropper-point.point-se"), -120, -90)
    drag(page, page.locator("dialog .cropper-move"), 60, 30)
    dragged = readout_box(page)
    page.locator("dialog .crop-stage").press("ArrowLeft")  # keyboard users can move it too
    edited = readout_box(page)
    assert edited[0] < dragged[0] and edited[1:] == dragged[1:]
    assert edited != proposed
    assert abs(edited[2] / edited[3] - 16 / 9) < 0.02
    page.screenshot(path=str(artifacts / "crop-editor.png"))
    assert unnamed_controls(page) == []
    page.get_by_role("button", name="Save crop").click()
    preview.get_by_text("edited").wait_for()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Edit the 16:9 crop")
    with page.expect_download() as download:  # the edited crop, ready for any CMS
        preview.get_by_role("link", name="Download the 16:9 crop").click()
    assert download.value.suggested_filename == top_name.replace(".jpg", "-16x9.jpg")
    with Image.open(download.value.path()) as rendered:
        assert (rendered.format, list(rendered.size)) == ("JPEG", edited[2:])

    cards.first.get_by_role("button", name="Choose as cover").click()
    page.wait_for_selector(".candidate.chosen >> text=Chosen cover")
    page.locator("#live-status", has_text="Cover chosen.").wait_for()
    page.screenshot(path=str(artifacts / "cover-chosen.png"), full_page=True)

    cms = APIClient()
    cms.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    article = cms.get(f"/api/articles/{article_id}/").json()
    assert article["progress"] == "cover_chosen"
    cover = {choice["ratio"]: choice for choice in article["cover"]}
    assert sorted(cover) == ["16:9", "1:1"]
    ranked = cms.get(f"/api/articles/{article_id}/ranked/").json()["results"]
    assert cover["16:9"]["candidate"] == ranked[0]["id"] == cover["1:1"]["candidate"]
    assert cover["16:9"]["crop"]["source"] == "editor"
    assert cover["16:9"]["crop"]["box"] == edited
    assert cover["1:1"]["crop"]["source"] == "model"

    # Back to the proposal: the chosen cover follows.
    preview.get_by_role("button", name="Reset the 16:9 crop to the proposal").click()
    preview.get_by_text("proposed").wait_for()
    cover = {c["ratio"]: c for c in cms.get(f"/api/articles/{article_id}/").json()["cover"]}
    assert cover["16:9"]["crop"]["source"] == "model"
    assert cover["16:9"]["crop"]["box"] == proposed

    # A slot added later: every assessed candidate gets its crop at once.
    page.get_by_role("link", name="Edit article").click()
    page.get_by_label("Slot ratios").fill("16:9, 1:1, 4:3")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_selector("body[data-ready=true]")
    assert page.get_by_text("Article saved.").is_visible()
    page.locator('figure[data-ratio="4:3"]').wait_for()
    ranked = cms.get(f"/api/articles/{article_id}/ranked/").json()["results"]
    assert all(sorted(c["ratio"] for c in row["crops"]) == ["16:9", "1:1", "4:3"]
               for row in ranked)
    cover = {c["ratio"]: c["candidate"] for c in cms.get(f"/api/articles/{article_id}/").json()["cover"]}
    assert cover == dict.fromkeys(["16:9", "1:1", "4:3"], ranked[0]["id"])  # the cover fills it

    # Removing: the cover is refused with the server's reason; another candidate goes, after a
    # confirmation, and the page and the API both lose it.
    expected_console_errors.append("status of 409")
    page.once("dialog", lambda dialog: dialog.accept())
    cards.first.get_by_role("button", name="Remove").click()
    page.locator("#live-status", has_text="choose another cover first").wait_for()
    assert cards.count() == 3
    last = cards.last
    last_name = last.locator(".status-line").inner_text()
    page.once("dialog", lambda dialog: dialog.dismiss())  # changing one's mind keeps it
    last.get_by_role("button", name="Remove").click()
    assert cards.count() == 3
    page.once("dialog", lambda dialog: dialog.accept())
    last.get_by_role("button", name="Remove").click()
    page.locator("#live-status", has_text=f"{last_name} removed.").wait_for()
    assert cards.count() == 2
    remaining = cms.get(f"/api/articles/{article_id}/ranked/").json()["results"]
    assert [row["assessment"]["rank"] for row in remaining] == [1, 2]
    assert last_name not in [row["original_name"] for row in remaining]

    # The articles list shows the chosen cover.
    page.get_by_role("link", name="← All articles").click()
    thumbnail = page.get_by_role("img", name="Cover of Harbour storm closes ferry routes")
    thumbnail.wait_for()
    page.wait_for_function("document.querySelector('img.cover-thumbnail').naturalWidth > 0")
    page.screenshot(path=str(artifacts / "articles-cover.png"))
