"""The credit, caption and alt text of a candidate: read from the upload, edited through the API,
and handed to the CMS with the cover (the article, the webhook, the rendered JPEG)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from coverapp.covers.services.articles import article_create
from coverapp.covers.services.crops import cover_choose
from coverapp.covers.services.photo_metadata import ALT_TEXT_MAX, PhotoText, embedded_text
from coverapp.covers.services.webhooks import COVER_CHOSEN, article_notify, webhook_register
from tests.conftest import encode, photo
from tests.coverapp.conftest import two_assessed_candidates
from tests.coverapp.test_photo_metadata import XMP

pytestmark = pytest.mark.usefixtures("classical_assessor")


@pytest.fixture
def article(team, editor):
    return article_create(team=team, created_by=editor, title="Storm closes the harbour",
                          slot_ratios=["16:9", "1:1"])


@pytest.fixture
def candidates(article, editor):
    return two_assessed_candidates(article, editor)


def test_an_upload_brings_the_texts_embedded_in_the_file(api, article):
    upload = SimpleUploadedFile("quay.jpg", encode(photo(320, 240), xmp=XMP.encode()))

    response = api.post(f"/api/articles/{article.pk}/upload/", {"files": [upload]},
                        format="multipart")

    assert response.status_code == 201
    candidate = response.json()[0]["candidate"]
    assert (candidate["credit"], candidate["caption"], candidate["alt_text"]) == (
        "Zoë Ångström, Li Wei / Reuters", "The harbour under the storm",
        "Waves break over the harbour wall at dusk")


def test_the_editor_sets_each_text_and_the_others_stay(api, candidates):
    url = f"/api/candidates/{candidates[0].pk}/"

    first = api.patch(url, {"credit": " Jane Doe / AP ", "alt_text": "A lighthouse in spray"},
                      format="json")
    second = api.patch(url, {"caption": "The storm reached the coast at noon."}, format="json")

    assert first.status_code == second.status_code == 200
    body = second.json()
    assert (body["credit"], body["caption"], body["alt_text"]) == (
        "Jane Doe / AP", "The storm reached the coast at noon.", "A lighthouse in spray")
    assert body["assessment"]["status"] == "done"  # the whole candidate comes back
    assert api.patch(url, {"alt_text": ""}, format="json").json()["alt_text"] == ""


def test_bad_texts_are_refused_and_nothing_changes(api, candidates):
    url = f"/api/candidates/{candidates[0].pk}/"
    api.patch(url, {"alt_text": "Kept"}, format="json")

    too_long = api.patch(url, {"credit": "Jane", "alt_text": "x" * (ALT_TEXT_MAX + 1)},
                         format="json")
    not_text = api.patch(url, {"credit": ["Jane"]}, format="json")
    replace = api.put(url, {"credit": "Jane"}, format="json")

    assert too_long.status_code == 400
    assert f"no more than {ALT_TEXT_MAX} characters" in too_long.json()["alt_text"][0]
    assert not_text.status_code == 400 and "credit" in not_text.json()
    assert replace.status_code == 405
    candidates[0].refresh_from_db()
    assert (candidates[0].credit, candidates[0].alt_text) == ("", "Kept")


def test_the_cover_carries_its_texts_to_the_cms(api, article, candidates, editor, sent,
                                                 webhook_receiver, team,
                                                 django_capture_on_commit_callbacks):
    cover, other = candidates
    cover_choose(article=article, candidate=cover, chosen_by=editor)
    webhook_register(team=team, url=webhook_receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        api.patch(f"/api/candidates/{other.pk}/", {"alt_text": "Not the cover"}, format="json")
        assert sent == []  # not the cover: nothing to tell
        api.patch(f"/api/candidates/{cover.pk}/", {"credit": "Jane Doe / AP",
                                                   "alt_text": "A lighthouse in spray"},
                  format="json")
        api.patch(f"/api/candidates/{cover.pk}/", {"credit": "Jane Doe / AP"}, format="json")

    [(_, article_id, event, key)] = sent  # the second edit changed nothing
    assert event == COVER_CHOSEN
    article_notify(article_id=article_id, event=event, event_key=key)
    [(_, body)] = webhook_receiver.requests
    slots = json.loads(body)["cover"]
    assert [(s["ratio"], s["credit"], s["alt_text"], s["caption"]) for s in slots] == [
        ("16:9", "Jane Doe / AP", "A lighthouse in spray", ""),
        ("1:1", "Jane Doe / AP", "A lighthouse in spray", "")]
    shown = api.get(f"/api/articles/{article.pk}/").json()["cover"]
    assert {(s["ratio"], s["credit"], s["alt_text"]) for s in shown} == {
        ("16:9", "Jane Doe / AP", "A lighthouse in spray"),
        ("1:1", "Jane Doe / AP", "A lighthouse in spray")}


def test_the_rendered_crop_embeds_the_texts_and_changes_with_them(api, candidates):
    url = f"/api/candidates/{candidates[0].pk}/rendered/?ratio=16:9"
    api.patch(f"/api/candidates/{candidates[0].pk}/", {"credit": "Jane Doe / AP"}, format="json")
    first = api.get(url)

    api.patch(f"/api/candidates/{candidates[0].pk}/", {"alt_text": "A lighthouse in spray"},
              format="json")
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert embedded_text(first.content) == PhotoText(credit="Jane Doe / AP")
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert embedded_text(again.content) == PhotoText(credit="Jane Doe / AP",
                                                     alt_text="A lighthouse in spray")
    assert Image.open(io.BytesIO(again.content)).format == "JPEG"


def test_a_crop_renders_as_webp_with_its_texts(api, candidates):
    api.patch(f"/api/candidates/{candidates[0].pk}/", {"credit": "Jane Doe / AP"}, format="json")
    url = f"/api/candidates/{candidates[0].pk}/rendered/"
    jpeg = api.get(url, {"ratio": "16:9"})

    webp = api.get(url, {"ratio": "16:9", "type": "webp"})
    unknown = api.get(url, {"ratio": "16:9", "type": "gif"})

    assert webp.status_code == 200 and webp["Content-Type"] == "image/webp"
    assert webp["Content-Disposition"].endswith('.webp"')
    assert webp["ETag"] != jpeg["ETag"]
    with Image.open(io.BytesIO(webp.content)) as image, \
            Image.open(io.BytesIO(jpeg.content)) as reference:
        assert (image.format, image.size) == ("WEBP", reference.size)
    assert embedded_text(webp.content) == PhotoText(credit="Jane Doe / AP")
    assert unknown.status_code == 400 and "gif" in str(unknown.json()["type"])
