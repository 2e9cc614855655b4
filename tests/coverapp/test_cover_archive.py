"""The chosen cover as one zip: every slot's JPEG and what to print with it."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from PIL import Image

from coverapp.covers.services.articles import article_create
from coverapp.covers.services.captions import candidate_describe
from coverapp.covers.services.crops import cover_choose, crop_override
from tests.coverapp.conftest import two_assessed_candidates

pytestmark = pytest.mark.usefixtures("classical_assessor")


@pytest.fixture
def article(team, editor):
    return article_create(team=team, created_by=editor, title="Storm hits the coast",
                          slot_ratios=["16:9", "1:1"])


def test_every_slot_of_the_cover_in_one_zip(api, article, editor):
    first, second = two_assessed_candidates(article, editor)
    candidate_describe(candidate=first, credit="Jane Doe / Reuters", alt_text="Waves on a wall")
    crop_override(candidate=second, ratio="1:1", box=[100, 50, 200, 200], edited_by=editor)
    cover_choose(article=article, candidate=first, ratios=["16:9"], chosen_by=editor)
    cover_choose(article=article, candidate=second, ratios=["1:1"], chosen_by=editor)

    response = api.get(f"/api/articles/{article.pk}/cover-archive/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="storm-hits-the-coast-cover.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names == [f"{first.original_name[:-4]}-16x9.jpg", f"{second.original_name[:-4]}-1x1.jpg",
                     "cover.json"]
    square = Image.open(io.BytesIO(archive.read(names[1])))
    assert square.size == (200, 200)  # the editor's crop, full size
    wide = Image.open(io.BytesIO(archive.read(names[0])))
    assert abs(wide.width / wide.height - 16 / 9) < 0.02
    manifest = json.loads(archive.read("cover.json"))
    assert manifest["title"] == "Storm hits the coast"
    assert [(s["ratio"], s["file"], s["candidate"]) for s in manifest["slots"]] == [
        ("16:9", names[0], first.pk), ("1:1", names[1], second.pk)]
    assert manifest["slots"][0]["credit"] == "Jane Doe / Reuters"
    assert manifest["slots"][0]["alt_text"] == "Waves on a wall"
    assert manifest["slots"][1]["box"] == [100, 50, 200, 200]


def test_no_cover_yet_is_a_clear_refusal(api, article, other_api):
    response = api.get(f"/api/articles/{article.pk}/cover-archive/")

    assert response.status_code == 400
    assert "has no cover chosen yet" in response.json()["detail"]
    assert other_api.get(f"/api/articles/{article.pk}/cover-archive/").status_code == 404
