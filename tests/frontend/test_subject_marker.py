"""The editor marks the story's subject on the photo, with the mouse or the keyboard, in real
Chromium: every slot's proposed crop frames it at once, and clearing the mark brings the
model's framing back."""

from __future__ import annotations

import pytest

from coverapp.covers.services.articles import article_create
from tests.coverapp.conftest import store_mask, two_assessed_candidates
from tests.frontend.conftest import sign_in, unnamed_controls

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.usefixtures("classical_assessor",
                                                                             "sent")]

LEFT, RIGHT = (20, 100, 60, 80), (260, 80, 120, 140)  # mask parts of the 400 × 300 photo


def square_box(page) -> list[int]:
    """The 1:1 preview's box, from the API the page reads."""
    return page.evaluate("""async () => {
      const answer = await fetch(document.querySelector(".subject-stage img").src
        .replace(/image\\/$/, ""), { headers: { Accept: "application/json" } });
      const candidate = await answer.json();
      return candidate.crops.find((crop) => crop.ratio === "1:1").box;
    }""")


def holds(box: list[int], part: tuple[int, int, int, int]) -> bool:
    x, y, w, h = box
    return x <= part[0] and y <= part[1] and part[0] + part[2] <= x + w and part[1] + part[3] <= y + h


def test_marking_the_subject_reframes_every_slot(live_server, page, artifacts, team, editor):
    article = article_create(team=team, created_by=editor, title="Ferry strike",
                             slot_ratios=["1:1", "16:9"])
    candidates = two_assessed_candidates(article, editor)
    for candidate in candidates:
        store_mask(candidate, [LEFT, RIGHT])
    sign_in(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("body[data-ready=true]")
    card = page.locator(".candidate", has_text=candidates[0].original_name)
    card.get_by_role("button", name="Show crops").click()
    stage = page.get_by_role("group", name="Subject")
    focal = [round(share * 100) for share in page.evaluate(
        "async (id) => (await (await fetch(location.pathname.replace('/articles/', '/api/articles/')"
        " + 'ranked/')).json()).results.find((c) => c.id === id).focal_point", candidates[0].pk)]
    assert page.locator(".subject-readout").inner_text() == (
        "No subject marked: the crops frame what the model found. Focal point for the CMS: "
        f"{focal[0]}% across, {focal[1]}% down.")
    assert page.locator(".focal-marker").is_visible()
    page.wait_for_function("document.querySelector('.subject-stage img').naturalWidth > 0")
    page.locator("#subject").screenshot(path=str(artifacts / "focal-point.png"))
    assert holds(square_box(page), RIGHT)  # the larger part, as the model proposes

    # A click on the smaller part: both slots are proposed again around it.
    photo = stage.locator("img")
    photo.wait_for()
    page.wait_for_function("document.querySelector('.subject-stage img').naturalWidth > 0")
    size = photo.bounding_box()
    photo.click(position={"x": size["width"] * 50 / 400, "y": size["height"] * 140 / 300})
    page.locator("#live-status", has_text="Subject marked").wait_for()
    candidates[0].refresh_from_db()
    x, y = candidates[0].focus
    assert abs(x - 50) <= 2 and abs(y - 140) <= 2
    square = square_box(page)
    assert holds(square, LEFT) and not holds(square, RIGHT)
    assert page.locator(".subject-marker").is_visible()
    assert page.locator(".focal-marker").is_hidden()  # the mark is the focal point now
    assert page.locator(".subject-readout").inner_text() == f"Subject marked at x {x:.0f}, y {y:.0f}."
    page.screenshot(path=str(artifacts / "subject.png"), full_page=True)
    assert unnamed_controls(page) == []

    # The keyboard: arrows move the mark onto the larger part, Enter saves it.
    stage.focus()
    for _ in range(5):
        stage.press("Shift+ArrowRight")  # 5 × 10 % of the width
    assert page.locator(".subject-readout").inner_text().startswith("Press Enter")
    stage.press("Enter")
    page.locator(".subject-readout", has_text=f"Subject marked at x {x + 200:.0f},").wait_for()
    assert holds(square_box(page), RIGHT)

    page.get_by_role("button", name="Clear subject").click()
    page.locator("#live-status", has_text="Subject cleared").wait_for()
    candidates[0].refresh_from_db()
    assert candidates[0].focus is None
    assert page.locator(".subject-marker").is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('subject-stage')")
