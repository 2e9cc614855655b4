"""A chosen cover always shows its candidate's crop in force: editing or resetting that crop
after choosing the cover updates the cover, and resetting never fails on the cover's reference."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from coverapp.covers.models import CandidateImage, CoverChoice, CropProposal
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.crops import cover_choose, crop_override, crop_reset


@pytest.fixture
def candidate(team, editor):
    """A 200×100 candidate of a 1:1 + 16:9 article with the model's proposal for 1:1 only."""
    article = article_create(team=team, created_by=editor, title="Ferry strike",
                             slot_ratios=["1:1", "16:9"])
    candidate = CandidateImage.objects.create(
        article=article, file=ContentFile(b"bytes", name="ferry.jpg"), sha256="0" * 64,
        byte_size=5, format="JPEG", width=200, height=100, phash="0" * 16)
    CropProposal.objects.create(candidate=candidate, ratio="1:1", x=50, y=0, width=100,
                                height=100, source=CropProposal.Source.MODEL)
    return candidate


def cover_box(candidate, ratio: str) -> list[int]:
    crop = CoverChoice.objects.get(article=candidate.article, ratio=ratio).crop
    return [crop.x, crop.y, crop.width, crop.height]


def test_editing_the_chosen_candidates_crop_updates_the_cover(candidate, editor):
    cover_choose(article=candidate.article, candidate=candidate, ratios=["1:1"], chosen_by=editor)
    crop_override(candidate=candidate, ratio="1:1", box=[0, 0, 80, 80], edited_by=editor)
    assert cover_box(candidate, "1:1") == [0, 0, 80, 80]


def test_resetting_the_covers_edited_crop_returns_the_cover_to_the_proposal(candidate, editor):
    crop_override(candidate=candidate, ratio="1:1", box=[0, 0, 80, 80], edited_by=editor)
    cover_choose(article=candidate.article, candidate=candidate, ratios=["1:1"], chosen_by=editor)
    crop_reset(candidate=candidate, ratio="1:1")
    assert cover_box(candidate, "1:1") == [50, 0, 100, 100]
    assert not CropProposal.objects.filter(source=CropProposal.Source.EDITOR).exists()


def test_resetting_a_crop_without_a_proposal_drops_that_slots_choice(candidate, editor):
    crop_override(candidate=candidate, ratio="16:9", box=[0, 0, 160, 90], edited_by=editor)
    cover_choose(article=candidate.article, candidate=candidate, chosen_by=editor)
    crop_reset(candidate=candidate, ratio="16:9")
    assert list(CoverChoice.objects.values_list("ratio", flat=True)) == ["1:1"]
