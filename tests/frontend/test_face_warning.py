"""An editor's crop that slices through a face, or is narrower than its slot is shown, is flagged
while the frame moves, and after the save on the slot's preview (and a cut face in the crop's
reasons); in real Chromium."""

from __future__ import annotations

import pytest

from assessment.geometry import Box
from coverapp.covers.models import Assessment, CropProposal
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.crops import crops_propose, stored_foreground
from tests.coverapp.conftest import store_mask, two_assessed_candidates
from tests.frontend.conftest import sign_in, unnamed_controls

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.usefixtures("classical_assessor",
                                                                             "sent")]

FACE = [20, 120, 50, 50]  # near the left edge of the 400 × 300 photo
CLOSE_UP = [130, 20, 150, 260]  # taller than the 225 px of the photo's largest 16:9 crop


def open_crops(live_server, page, team, editor, *, ratio: str = "1:1", face=FACE,
               detail_scale: float = 1.0, content: list[int] | None = None,
               panels: list[list[int]] | None = None, overlays: list[list[int]] | None = None):
    """An article with a `ratio` slot and two candidates with `face` (holding the detail of
    photos `detail_scale` times narrower, their picture `content` inside bars, the photos of a
    collage `panels`, blocks of text laid over them `overlays`); its page open on the first one's
    crops. Returns the candidates and the slot's preview."""
    article = article_create(team=team, created_by=editor, title="Minister resigns",
                             slot_ratios=[ratio])
    candidates = two_assessed_candidates(article, editor)
    for candidate in candidates:
        store_mask(candidate, [(20, 100, 200, 150)])
        Assessment.objects.filter(candidate=candidate).update(
            faces=[face], detail_scale=detail_scale, content_box=content, panels=panels,
            overlays=overlays)
        crops_propose(candidate=candidate, foreground=stored_foreground(candidate.assessment),
                      faces=[Box(*face)], content=content and Box(*content), ratios=[ratio],
                      panels=[Box(*p) for p in panels or []],
                      overlays=[Box(*o) for o in overlays or []])
    sign_in(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("body[data-ready=true]")
    card = page.locator(".candidate", has_text=candidates[0].original_name)
    card.get_by_role("button", name="Show crops").click()
    return candidates, page.locator(f'figure[data-ratio="{ratio}"]')


def test_a_crop_cutting_a_face_is_flagged_before_and_after_the_save(live_server, page, artifacts,
                                                                    team, editor):
    candidates, preview = open_crops(live_server, page, team, editor)
    assert preview.locator(".crop-warning").is_hidden()  # the model keeps the face whole
    assert "1 face kept whole" in preview.locator(".crop-reasons").inner_text()

    preview.get_by_role("button", name="Edit the 1:1 crop").click()
    page.wait_for_selector("dialog[data-ready=true]")
    warning = page.locator("dialog .crop-warning")
    assert warning.is_hidden()
    page.locator("dialog .crop-stage").press("Shift+ArrowRight")  # 40 px: through the face
    warning.wait_for()
    assert warning.inner_text() == (
        "Cuts a face: move or resize the frame to keep it whole, or leave it out.")
    page.screenshot(path=str(artifacts / "face-warning.png"))
    page.locator("dialog .crop-stage").press("Shift+ArrowLeft")
    warning.wait_for(state="hidden")
    page.locator("dialog .crop-stage").press("Shift+ArrowRight")
    warning.wait_for()

    page.get_by_role("button", name="Save crop").click()  # the editor's call: saved, and flagged
    preview.get_by_text("edited").wait_for()
    assert preview.locator(".crop-warning").inner_text() == "Cuts a face"
    assert preview.locator(".crop-reasons").inner_text().startswith("chosen by an editor · ")
    assert preview.locator(".crop-reasons").inner_text().endswith(" · 1 face cut")
    crop = CropProposal.objects.get(candidate=candidates[0], source="editor")
    assert "1 face cut" in crop.reasons
    assert unnamed_controls(page) == []


def test_a_crop_narrower_than_its_slot_is_flagged(live_server, page, team, editor):
    team.slot_widths = {"1:1": 250}
    team.save()
    _, preview = open_crops(live_server, page, team, editor)
    assert preview.locator(".size-warning").is_hidden()  # 300 px for a 250 px slot

    preview.get_by_role("button", name="Edit the 1:1 crop").click()
    page.wait_for_selector("dialog[data-ready=true]")
    small = page.locator("dialog .size-warning")
    assert small.is_hidden()
    for _ in range(4):  # 5 % smaller each: 300 → about 244 px
        page.locator("dialog .crop-stage").press("-")
    small.wait_for()
    assert small.inner_text() == (
        "Narrower than the 250 px the slot is shown at: it will be enlarged and look soft.")
    page.get_by_role("button", name="Save crop").click()
    preview.get_by_text("edited").wait_for()
    width = int(preview.locator(".size-warning").inner_text().split(" px wide")[0])
    assert width < 250
    assert preview.locator(".size-warning").inner_text() == (
        f"{width} px wide for a 250 px slot: it will look soft")


def test_a_crop_with_less_detail_than_its_slot_is_flagged(live_server, page, team, editor):
    """A 300-px crop of a photo enlarged twice holds 150 px of detail: soft in a 250-px slot."""
    team.slot_widths = {"1:1": 250}
    team.save()
    _, preview = open_crops(live_server, page, team, editor, detail_scale=2.0)
    assert preview.locator(".size-warning").inner_text() == (
        "300 px wide with the detail of 150 (enlarged or soft photo) for a 250 px slot: "
        "it will look soft")

    preview.get_by_role("button", name="Edit the 1:1 crop").click()
    page.wait_for_selector("dialog[data-ready=true]")
    assert page.locator("dialog .size-warning").inner_text() == (
        "Less detail than the 250 px the slot is shown at (the photo is enlarged or soft at "
        "full size): it will look soft.")


def test_a_face_too_large_for_the_slot_is_named_not_called_a_fault(live_server, page, team,
                                                                   editor):
    """A close-up's 16:9 proposal is cut across the face (no 16:9 frame holds it): the preview
    and the editor say so, without asking the editor to keep the face whole."""
    _, preview = open_crops(live_server, page, team, editor, ratio="16:9", face=CLOSE_UP)
    expected = "Cut across a face too large for any 16:9 frame"
    assert preview.locator(".crop-warning").inner_text() == expected
    assert ("cut across a face too large for any 16:9 crop"
            in preview.locator(".crop-reasons").inner_text())

    preview.get_by_role("button", name="Edit the 16:9 crop").click()
    page.wait_for_selector("dialog[data-ready=true]")
    warning = page.locator("dialog .crop-warning")
    warning.wait_for()
    assert warning.inner_text() == f"{expected}: no frame of this shape can keep it whole."


def test_a_face_too_large_for_the_picture_inside_bars_is_named_too(live_server, page, team,
                                                                   editor):
    """380 px wide: it fits the 400 × 225 frame of the whole photo, but not the 355 × 200 one of
    the picture between its 50-px bars, which the crops stay inside."""
    _, preview = open_crops(live_server, page, team, editor, ratio="16:9",
                            face=[10, 70, 380, 150], content=[0, 50, 400, 200])
    assert preview.locator(".crop-warning").inner_text() == (
        "Cut across a face too large for any 16:9 frame")


def test_a_crop_showing_a_sliver_of_a_collages_photo_or_its_gutter_is_flagged(
        live_server, page, team, editor):
    """A collage of a wide photo and a narrow one: the proposal holds the wide one; moved right,
    the frame shows a sliver of the narrow one, then back left a strip of the gutter, as the
    preview says after the save."""
    panels = [[0, 0, 296, 300], [304, 0, 96, 300]]
    candidates, preview = open_crops(live_server, page, team, editor, panels=panels,
                                     face=[110, 110, 40, 40])
    assert preview.locator(".crop-warning").is_hidden()
    assert "shows 1 of the 2 photos of the collage" in preview.locator(".crop-reasons").inner_text()
    proposal = CropProposal.objects.get(candidate=candidates[0], source="model")
    assert proposal.x + proposal.width <= 296  # so 40 px right shows 6..86 px of the narrow one

    preview.get_by_role("button", name="Edit the 1:1 crop").click()
    page.wait_for_selector("dialog[data-ready=true]")
    warning = page.locator("dialog .crop-warning")
    assert warning.is_hidden()
    stage = page.locator("dialog .crop-stage")
    stage.press("Shift+ArrowRight")
    warning.wait_for()
    assert warning.inner_text() == ("Shows a sliver of another photo of the collage: move or "
                                    "resize the frame to show whole photos, or fair shares of them.")
    for _ in range(10):  # back 4 px at a time, until its right side is in the gutter
        stage.press("ArrowLeft")
        if warning.inner_text().startswith("Shows a strip"):
            break
    assert warning.inner_text() == (
        "Shows a strip of the gutter between photos: move the frame's edge into a photo.")

    page.get_by_role("button", name="Save crop").click()
    preview.get_by_text("edited").wait_for()
    assert preview.locator(".crop-warning").inner_text() == (
        "Shows a strip of the gutter between photos")
    crop = CropProposal.objects.get(candidate=candidates[0], source="editor")
    assert crop.reasons[-1] == "shows a strip of the gutter between photos"


def test_a_crop_cutting_through_a_caption_is_flagged(live_server, page, team, editor):
    """A caption across the bottom of the photo: the proposal leaves it out; moved down, the
    frame cuts through it, as the preview says after the save."""
    caption = [20, 262, 360, 30]
    candidates, preview = open_crops(live_server, page, team, editor, overlays=[caption],
                                     face=[110, 110, 40, 40])
    assert preview.locator(".crop-warning").is_hidden()
    assert "leaves out the text laid over the picture" in (
        preview.locator(".crop-reasons").inner_text())
    proposal = CropProposal.objects.get(candidate=candidates[0], source="model")
    assert proposal.y + proposal.height <= caption[1]

    preview.get_by_role("button", name="Edit the 1:1 crop").click()
    page.wait_for_selector("dialog[data-ready=true]")
    warning = page.locator("dialog .crop-warning")
    assert warning.is_hidden()
    page.locator("dialog .crop-stage").press("Shift+ArrowDown")
    warning.wait_for()
    assert warning.inner_text() == ("Cuts through text laid over the picture: move or resize the "
                                    "frame to leave the caption or logo out, or keep it whole.")

    page.get_by_role("button", name="Save crop").click()
    preview.get_by_text("edited").wait_for()
    assert preview.locator(".crop-warning").inner_text() == "Cuts through text laid over the picture"
    crop = CropProposal.objects.get(candidate=candidates[0], source="editor")
    assert crop.reasons[-1] == "cuts through text laid over the picture"
