"""`manage.py rank_open_articles`: after an upgrade changes the ranking, the articles still
waiting for a cover get fresh scores and reasons, their older assessments what the upgrade added
(measures, a picture found inside bars, the model's crops); covered, older and other teams' ones
do not."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from assessment.collages import collage_flaws
from assessment.degrade import defocus
from assessment.framing import EDGE_INSET
from assessment.geometry import Box
from coverapp.covers.models import Article, Assessment, CandidateImage, CropProposal
from coverapp.covers.services import remeasure
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.assessment_run import assessment_run
from coverapp.covers.services.crops import cover_choose, crop_override
from tests.conftest import blurred_in, encode, photo, textured, written
from tests.coverapp.conftest import store_mask, two_assessed_candidates, uploaded_and_assessed

pytestmark = pytest.mark.usefixtures("classical_assessor", "sent")

MEASURED = ("older assessment(s) measured for exposure, graphics, a collage, text over the picture "
            "or their subject's or largest face's sharpness")


def article_with_stale_ranking(team, editor, title: str, *, days_old: float = 0) -> Article:
    article = article_create(team=team, created_by=editor, title=title)
    two_assessed_candidates(article, editor)
    Assessment.objects.filter(candidate__article=article).update(reasons=["stale"], rank=9)
    Article.objects.filter(pk=article.pk).update(
        created_at=timezone.now() - timedelta(days=days_old))
    return article


def is_stale(article: Article) -> bool:
    assessments = Assessment.objects.filter(candidate__article=article)
    return all(a.reasons == ["stale"] and a.rank == 9 for a in assessments)


def run(*args: str) -> str:
    out = StringIO()
    call_command("rank_open_articles", *args, stdout=out)
    return out.getvalue()


def test_open_recent_articles_of_every_team_are_ranked_again(team, editor, other_team):
    open_article = article_with_stale_ranking(team, editor, "Open")
    covered = article_with_stale_ranking(team, editor, "Covered")
    cover_choose(article=covered, candidate=covered.candidates.first(), chosen_by=editor)
    Assessment.objects.filter(candidate__article=covered).update(reasons=["stale"], rank=9)
    older = article_with_stale_ranking(team, editor, "Older", days_old=20)
    elsewhere = article_with_stale_ranking(other_team, editor, "Elsewhere")

    assert run() == ("ranked again: 2 article(s) without a cover from the last 14 day(s); "
                     f"0 {MEASURED}, "
                     "0 queued again (bars, a blurred fill or a caption strip found anew), "
                     "model crops proposed again for 4\n")

    assert not is_stale(open_article) and not is_stale(elsewhere)
    ranks = sorted(Assessment.objects.filter(candidate__article=open_article)
                   .values_list("rank", flat=True))
    assert ranks == [1, 2]
    assert is_stale(covered) and is_stale(older)


def test_one_team_and_a_longer_reach(team, editor, other_team):
    older = article_with_stale_ranking(team, editor, "Older", days_old=20)
    elsewhere = article_with_stale_ranking(other_team, editor, "Elsewhere")

    assert run("--team", team.slug, "--days", "30").startswith(
        "ranked again: 1 article(s) without a cover from the last 30 day(s); ")

    assert not is_stale(older) and is_stale(elsewhere)


@pytest.mark.parametrize(("args", "message"), [
    (("--team", "nobody"), "no team with the slug 'nobody'"),
    (("--days", "0"), "--days must be positive"),
])
def test_bad_arguments_are_refused_and_nothing_is_ranked(team, editor, args, message):
    article = article_with_stale_ranking(team, editor, "Open")
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert is_stale(article)


def test_assessments_made_before_an_upgrade_are_measured_then_ranked(team, editor):
    """An assessment from before exposure and graphics were measured: a text card the network
    called soft. The command reads its picture again: exposure, graphic, the edges' clarity."""
    article = article_create(team=team, created_by=editor, title="Budget")
    card = Image.new("RGB", (960, 540), (40, 60, 110))
    ImageDraw.Draw(card).text((60, 200), "Parliament votes", fill="white",
                              font=ImageFont.load_default(size=80))
    (candidate,) = uploaded_and_assessed(
        article, editor, [SimpleUploadedFile("card.png", encode(card, "PNG"))])
    edges = candidate.assessment.clarity
    Assessment.objects.filter(pk=candidate.assessment.pk).update(
        exposure=None, graphic=False, clarity=6.0, reasons=["stale"])

    assert f"; 1 {MEASURED}, 0 queued" in run()

    candidate.assessment.refresh_from_db()
    assert candidate.assessment.graphic
    assert candidate.assessment.clarity == pytest.approx(edges)
    assert set(candidate.assessment.exposure) == {"highlights", "blown", "subject_clipped"}
    assert ("a graphic (chart, text or drawing): clarity read from its edges, ranked below photos"
            in candidate.assessment.reasons)
    assert f"; 0 {MEASURED}, 0 queued" in run()


def test_an_assessment_made_before_the_burnt_out_subject_was_measured_gets_it(team, editor):
    article = article_create(team=team, created_by=editor, title="Heatwave")
    bright = Image.fromarray(np.clip(np.asarray(photo(400, 300, seed=4), np.float32) * 3.0,
                                     0, 255).astype(np.uint8))
    (candidate,) = uploaded_and_assessed(
        article, editor, [SimpleUploadedFile("bright.png", encode(bright, "PNG"))])
    measured = candidate.assessment.exposure
    Assessment.objects.filter(pk=candidate.assessment.pk).update(
        exposure={"highlights": measured["highlights"], "blown": measured["blown"]},
        clarity=6.0, reasons=["stale"])

    assert f"; 1 {MEASURED}, 0 queued" in run()

    candidate.assessment.refresh_from_db()
    assert candidate.assessment.exposure == measured and measured["subject_clipped"] > 0.1
    assert candidate.assessment.clarity == 6.0  # only what was missing is measured
    assert any(r.startswith("overexposed: ") for r in candidate.assessment.reasons)


def test_an_older_assessment_gets_its_subjects_sharpness_and_a_missed_focus_is_told(
        team, editor):
    """Made before the subject's sharpness was measured: a scene whose subject alone is soft, its
    subject stored as the square. The command measures it under that mask and says why the photo
    ranks lower; a second run has nothing more to measure."""
    article = article_create(team=team, created_by=editor, title="Mayor")
    scene = textured(480, 360, seed=2)
    subject = np.zeros(scene.shape[:2], np.uint8)
    subject[90:270, 150:330] = 255
    missed = Image.fromarray(defocus(scene, subject, 2.0, 0))
    (candidate,) = uploaded_and_assessed(
        article, editor, [SimpleUploadedFile("missed.png", encode(missed, "PNG"))])
    store_mask(candidate, [(150, 90, 180, 180)])
    Assessment.objects.filter(pk=candidate.assessment.pk).update(
        sharpness_contrast=None, reasons=["stale"])

    assert f"; 1 {MEASURED}, 0 queued" in run()

    candidate.assessment.refresh_from_db()
    assert candidate.assessment.sharpness_contrast < -2
    assert ("the subject soft, the scene behind it sharp: focus missed"
            in candidate.assessment.reasons)
    assert f"; 0 {MEASURED}, 0 queued" in run()


def test_an_older_assessment_gets_its_largest_faces_sharpness_and_a_blurred_face_is_told(
        monkeypatch, team, editor):
    """Made before faces' sharpness was measured: a sharp scene whose face alone is soft. The
    command finds the face in the file again, measures it and says why the photo ranks lower; a
    second run has nothing more to measure."""
    article = article_create(team=team, created_by=editor, title="Minister")
    face = Box(200, 100, 80, 100)
    moved = Image.fromarray(blurred_in(textured(480, 360, seed=9), face, 3.0))
    (candidate,) = uploaded_and_assessed(
        article, editor, [SimpleUploadedFile("moved.png", encode(moved, "PNG"))])
    Assessment.objects.filter(pk=candidate.assessment.pk).update(
        faces=[face.as_list()], face_sharpness=None, reasons=["stale"])
    monkeypatch.setattr(remeasure, "detect_faces", lambda image: [face])

    assert f"; 1 {MEASURED}, 0 queued" in run()

    candidate.assessment.refresh_from_db()
    assert candidate.assessment.face_sharpness < -1.5
    assert any("but the largest face blurred" in r for r in candidate.assessment.reasons)
    assert f"; 0 {MEASURED}, 0 queued" in run()


def test_an_older_assessment_whose_file_is_gone_is_left_as_it_was(team, editor):
    article = article_create(team=team, created_by=editor, title="Lost")
    candidate, _ = two_assessed_candidates(article, editor)
    Assessment.objects.filter(candidate__article=article).update(exposure=None)
    candidate.file.storage.delete(candidate.file.name)

    assert f"; 1 {MEASURED}, 0 queued" in run()

    assert Assessment.objects.get(candidate=candidate).exposure is None
    ranks = sorted(Assessment.objects.filter(candidate__article=article)
                   .values_list("rank", flat=True))
    assert ranks == [1, 2]


def test_an_older_assessment_of_a_picture_in_a_caption_strip_is_queued_again(
        team, editor, sent, django_capture_on_commit_callbacks):
    """Assessed before caption strips were found: its picture was the whole image. The command
    finds the strip and queues the assessment again; its file is not otherwise touched."""
    article = article_create(team=team, created_by=editor, title="Minister resigns")
    strip = Image.new("RGB", (400, 330), (250, 250, 250))
    strip.paste(photo(400, 300, seed=8))
    ImageDraw.Draw(strip).text((12, 308), "REUTERS/Jane Smith - The minister leaves on Tuesday",
                               fill=(20, 20, 20), font=ImageFont.load_default(size=13))
    (candidate,) = uploaded_and_assessed(
        article, editor, [SimpleUploadedFile("strip.png", encode(strip, "PNG"))])
    picture = [0, 0, 400, 300 - EDGE_INSET]
    assert candidate.assessment.content_box == picture
    Assessment.objects.filter(pk=candidate.assessment.pk).update(content_box=[0, 0, 400, 330])
    CandidateImage.objects.filter(pk=candidate.pk).update(focus=[200, 150])  # an editor's mark
    sent.clear()

    with django_capture_on_commit_callbacks(execute=True):
        printed = run()

    assert f"0 {MEASURED}, 1 queued again" in printed

    candidate.assessment.refresh_from_db()
    assert candidate.assessment.status == Assessment.Status.QUEUED
    assert sent == [("workers.tasks.assess_image", candidate.assessment.pk)]
    assessment_run(assessment_id=candidate.assessment.pk)  # the worker's redo
    candidate.assessment.refresh_from_db()
    assert candidate.assessment.status == Assessment.Status.DONE
    assert candidate.assessment.content_box == picture
    assert "a caption strip on the bottom edge, left out of the crops" in (
        candidate.assessment.reasons)
    crop = CropProposal.objects.get(candidate=candidate, ratio="16:9", source="model")
    assert crop.reasons[0] == "framed on the subject an editor marked"  # the redo keeps the mark
    assert crop.y + crop.height <= 300


def test_the_models_crops_are_proposed_again_and_an_editors_stay(team, editor):
    """A close-up's 16:9 crop made before faces too large for a slot were cut across; and an
    editor's 4:3 crop, which stays."""
    article = article_create(team=team, created_by=editor, title="Interview",
                             slot_ratios=["16:9", "4:3"])
    candidate, _ = two_assessed_candidates(article, editor)
    Assessment.objects.filter(candidate=candidate).update(faces=[[130, 20, 150, 260]])
    CropProposal.objects.filter(candidate=candidate, ratio="16:9").update(
        x=0, y=75, width=400, height=225, reasons=["stale"])
    crop_override(candidate=candidate, ratio="4:3", box=[0, 0, 400, 300], edited_by=editor)

    assert "model crops proposed again for 2" in run()

    model = CropProposal.objects.get(candidate=candidate, ratio="16:9", source="model")
    assert "cut across a face too large for any 16:9 crop, brows to chin" in model.reasons
    edited = CropProposal.objects.get(candidate=candidate, ratio="4:3", source="editor")
    assert [edited.x, edited.y, edited.width, edited.height] == [0, 0, 400, 300]


def test_an_older_assessment_of_a_collage_gets_its_photos_and_crops_without_a_sliver(
        team, editor):
    """Assessed before collages were looked for: the command finds the two photos and proposes
    the model's crops again, which no longer show a sliver of the second photo."""
    article = article_create(team=team, created_by=editor, title="Rivals", slot_ratios=["1:1"])
    pair = Image.new("RGB", (608, 400), (255, 255, 255))
    pair.paste(photo(300, 400, seed=3, subject=(0.45, 0.5)), (0, 0))
    pair.paste(photo(300, 400, seed=5, subject=(0.15, 0.7)), (308, 0))
    (candidate,) = uploaded_and_assessed(
        article, editor, [SimpleUploadedFile("pair.png", encode(pair, "PNG"))])
    panels = candidate.assessment.panels
    assert len(panels) == 2
    Assessment.objects.filter(pk=candidate.assessment.pk).update(panels=None)
    CropProposal.objects.filter(candidate=candidate, source="model").update(x=190)
    assert collage_flaws(Box(190, 0, 400, 400), [Box(*p) for p in panels]) == 1  # 27 % of one

    assert f"; 1 {MEASURED}, 0 queued" in run()

    candidate.assessment.refresh_from_db()
    assert candidate.assessment.panels == panels
    crop = CropProposal.objects.get(candidate=candidate, ratio="1:1", source="model")
    box = Box(crop.x, crop.y, crop.width, crop.height)
    assert collage_flaws(box, [Box(*p) for p in panels]) == 0
    assert f"; 0 {MEASURED}, 0 queued" in run()


def test_an_older_assessment_gets_the_text_over_its_picture_and_crops_round_it(team, editor):
    """Assessed before text over the picture was looked for: the command finds the caption and
    proposes the model's crop again, which no longer cuts through it."""
    article = article_create(team=team, created_by=editor, title="Storm", slot_ratios=["1:1"])
    grab = photo(640, 360, seed=2, subject=(0.5, 0.4))
    written(grab, "Storm closes the harbour", (24, 300), size=20, band=(20, 40, 110))
    (candidate,) = uploaded_and_assessed(
        article, editor, [SimpleUploadedFile("grab.jpg", encode(grab, "JPEG"))])
    overlays = candidate.assessment.overlays
    assert len(overlays) == 1
    Assessment.objects.filter(pk=candidate.assessment.pk).update(overlays=None)
    CropProposal.objects.filter(candidate=candidate, source="model").update(x=140, y=0, width=360,
                                                                            height=360)
    assert 0 < Box(140, 0, 360, 360).overlap_share(Box(*overlays[0])) < 1

    assert f"; 1 {MEASURED}, 0 queued" in run()

    candidate.assessment.refresh_from_db()
    assert candidate.assessment.overlays == overlays
    crop = CropProposal.objects.get(candidate=candidate, ratio="1:1", source="model")
    assert Box(crop.x, crop.y, crop.width, crop.height).overlap_share(Box(*overlays[0])) in (0, 1)
    assert f"; 0 {MEASURED}, 0 queued" in run()
