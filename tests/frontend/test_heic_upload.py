"""A phone's HEIC photo, which Chromium cannot show, is uploaded from the page and shown on its
card (as the JPEG the server converts it to); in real Chromium."""

from __future__ import annotations

import pytest

from coverapp.covers.services.articles import article_create
from tests.conftest import encode, photo
from tests.frontend.conftest import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.usefixtures("sent")]


def test_a_heic_upload_shows_on_its_card(live_server, page, team, editor):
    article = article_create(team=team, created_by=editor, title="Reporter's photos",
                             slot_ratios=["16:9"])
    sign_in(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("body[data-ready=true]")

    page.get_by_label("Choose files…").set_input_files(
        [{"name": "IMG_0042.HEIC", "mimeType": "image/heic",
          "buffer": encode(photo(400, 300), "HEIF")}])
    page.locator(".uploads li", has_text="IMG_0042.HEIC").get_by_text("uploaded").wait_for()

    thumbnail = page.locator(".candidate", has_text="IMG_0042.HEIC").locator("img.photo")
    thumbnail.wait_for()
    page.wait_for_function("document.querySelector('.candidate img.photo').complete")
    assert thumbnail.evaluate("(image) => [image.naturalWidth, image.naturalHeight]") == [400, 300]
    assert thumbnail.get_attribute("src").endswith("/image/?type=jpeg")
