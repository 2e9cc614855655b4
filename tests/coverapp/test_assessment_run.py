"""The service that runs the `assessment` package on a candidate, called in-process."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from assessment.collages import collage_flaws
from assessment.degrade import defocus
from assessment.geometry import Box
from assessment.predictor import Prediction
from assessment.semantics import describe_foreground
from assessment.sources import data_dir
from coverapp.covers.models import Assessment, CropProposal
from coverapp.covers.services import assessment_run as service
from coverapp.covers.services.articles import article_create, article_update
from coverapp.covers.services.crops import candidate_focus, crop_override
from coverapp.covers.services.queueing import NOTIFY_ARTICLE
from coverapp.covers.services.uploads import candidate_upload
from coverapp.covers.services.webhooks import webhook_register
from tests.conftest import blurred_in, encode, photo, textured, written
from tests.coverapp.conftest import uploaded_and_assessed

pytestmark = pytest.mark.usefixtures("classical_assessor")


@pytest.fixture
def candidates(team, editor):
    article = article_create(team=team, created_by=editor, title="Harbour",
                             slot_ratios=["16:9", "1:1", "free"])
    files = [SimpleUploadedFile(f"{seed}.jpg", encode(photo(400, 300, seed=seed,
                                                            subject=(0.3 + 0.2 * seed, 0.5))))
             for seed in range(2)]
    return [outcome.candidate for outcome in
            candidate_upload(article=article, files=files, uploaded_by=editor)]


def test_a_candidate_gets_clarity_mask_crops_and_a_rank(candidates):
    assessment = service.assessment_run(assessment_id=candidates[0].assessment.pk)

    assert assessment.status == Assessment.Status.DONE, assessment.error
    assert 1.0 <= assessment.clarity <= 10.0
    assert assessment.model_name == "classical"
    assert assessment.mask.storage.exists(assessment.mask.name)
    assert 0.0 <= assessment.object_proportion <= 1.0
    assert assessment.rank == 1 and assessment.reasons
    crops = CropProposal.objects.filter(candidate=candidates[0])
    assert sorted(crop.ratio for crop in crops) == ["16:9", "1:1", "free"]
    square = crops.get(ratio="1:1")
    assert square.width == square.height and square.x + square.width <= 400


def test_running_twice_does_the_work_once(candidates):
    first = service.assessment_run(assessment_id=candidates[0].assessment.pk)
    again = service.assessment_run(assessment_id=candidates[0].assessment.pk)

    assert (again.attempts, again.finished_at) == (1, first.finished_at)
    assert CropProposal.objects.filter(candidate=candidates[0]).count() == 3


def test_both_done_ranks_them_one_and_two(candidates):
    for candidate in candidates:
        service.assessment_run(assessment_id=candidate.assessment.pk)

    ranks = sorted(Assessment.objects.values_list("rank", flat=True))
    assert ranks == [1, 2]


def test_an_undecodable_file_fails_with_the_reason_and_is_not_retried(candidates):
    candidate = candidates[0]
    candidate.file.save("broken.jpg", ContentFile(b"not an image any more"))

    assessment = service.assessment_run(assessment_id=candidate.assessment.pk)

    assert assessment.status == Assessment.Status.FAILED
    assert "not a readable image" in assessment.error
    assert not CropProposal.objects.filter(candidate=candidate).exists()


def test_webhook_is_queued_only_when_the_last_assessment_finishes(
        candidates, team, django_capture_on_commit_callbacks, monkeypatch):
    webhook_register(team=team, url="http://127.0.0.1:9/hook")
    sent = []
    monkeypatch.setattr("workers.celery.app.send_task",
                        lambda name, args: sent.append((name, args)))

    with django_capture_on_commit_callbacks(execute=True):
        service.assessment_run(assessment_id=candidates[0].assessment.pk)
    assert sent == []
    with django_capture_on_commit_callbacks(execute=True):
        service.assessment_run(assessment_id=candidates[1].assessment.pk)

    assert [name for name, _ in sent] == [NOTIFY_ARTICLE]
    assert sent[0][1][1] == "article.assessed"
    assert sent[0][1][0] == candidates[0].article_id


@pytest.mark.parametrize(("mirror", "refine"), [(True, True), (False, True), (True, False)])
def test_the_mirror_and_refine_settings_reach_the_network(settings, mirror, refine):
    settings.COVERAPP_ASSESSOR = "network"
    settings.COVERAPP_MIRROR, settings.COVERAPP_REFINE = mirror, refine
    assert (service.predictor().mirror, service.predictor().refine) == (mirror, refine)


def test_the_faces_found_in_a_candidate_are_kept_in_its_mask(settings, team, editor):
    settings.COVERAPP_ASSESSOR = "network"  # the committed network, refined with the faces
    name = "13_Interview_Interview_Sequences_13_723"  # one large face the cascade finds
    content = (data_dir() / "faces" / "images" / f"{name}.jpg").read_bytes()
    article = article_create(team=team, created_by=editor, title="Interview", slot_ratios=["1:1"])
    (outcome,) = candidate_upload(article=article, uploaded_by=editor,
                                  files=[SimpleUploadedFile(f"{name}.jpg", content)])
    assessment = service.assessment_run(assessment_id=outcome.candidate.assessment.pk)

    assert assessment.status == Assessment.Status.DONE, assessment.error
    x, y, w, h = assessment.faces[0]
    with assessment.mask.open("rb") as stream:
        mask = np.asarray(Image.open(stream))
    assert mask[y + h // 2 - 2 : y + h // 2 + 3, x + w // 2 - 2 : x + w // 2 + 3].min() >= 250


class FaceFindingAssessor:
    """An assessor whose network found one face more than the caller (see `Prediction.faces`)."""

    name, version = "face-finder", "1"

    def __init__(self, face: Box) -> None:
        self.face = face

    def predict(self, images, faces=None):
        (image,), (given,) = images, faces
        foreground = np.zeros((image.height, image.width), np.float32)
        return [Prediction(clarity=8.0, foreground=foreground,
                           semantics=describe_foreground(foreground), faces=(*given, self.face))]


def test_the_faces_the_assessor_found_are_recorded_and_kept_whole_in_the_crops(
        monkeypatch, team, editor):
    face = Box(300, 60, 60, 80)  # on a plain photo: the cascades find nothing
    monkeypatch.setattr(service, "predictor", cache(lambda: FaceFindingAssessor(face)))
    article = article_create(team=team, created_by=editor, title="Plain", slot_ratios=["1:1"])
    plain = Image.new("RGB", (400, 200), (120, 130, 140))
    (outcome,) = candidate_upload(article=article, uploaded_by=editor,
                                  files=[SimpleUploadedFile("plain.jpg", encode(plain))])
    assessment = service.assessment_run(assessment_id=outcome.candidate.assessment.pk)

    assert assessment.status == Assessment.Status.DONE, assessment.error
    assert assessment.faces == [face.as_list()]
    crop = CropProposal.objects.get(candidate=outcome.candidate, ratio="1:1")
    assert crop.x <= face.x and crop.x + crop.width >= face.right


def test_an_enlarged_photo_is_ranked_by_the_detail_it_holds(team, editor, api):
    """A 400-px photo saved at 1600 px holds the detail of 400: too small for a 1200-px hero,
    which the same photo with detail of its own is not."""
    article = article_create(team=team, created_by=editor, title="Ferry", slot_ratios=["16:9"])
    small = photo(400, 300, seed=3)
    files = [SimpleUploadedFile("enlarged.png", encode(small.resize((1600, 1200), Image.BICUBIC),
                                                      "PNG")),
             SimpleUploadedFile("own.png", encode(photo(1600, 1200, seed=3), "PNG"))]
    enlarged, own = uploaded_and_assessed(article, editor, files)

    assert (enlarged.assessment.detail_scale, own.assessment.detail_scale) == (4.0, 1.0)
    assert enlarged.assessment.reasons[-2:] == [
        "enlarged or soft at full size: the detail of 400 px across",
        "too small for 16:9 at 1200 px"]
    assert not [r for r in own.assessment.reasons if "detail" in r or "too small" in r]
    body = api.get(f"/api/candidates/{enlarged.pk}/").json()
    assert body["assessment"]["detail_scale"] == 4.0


def pngs(**pixels: np.ndarray) -> list[SimpleUploadedFile]:
    """Uploads named `NAME.png` for each keyword's (H, W, 3) uint8 pixels, in order."""
    return [SimpleUploadedFile(f"{name}.png", encode(Image.fromarray(rgb), "PNG"))
            for name, rgb in pixels.items()]


def told_and_ranked_below(api, worse, better, field: str, reason: str) -> None:
    """`worse` ranks under `better` (read sharp), says `reason` first, and the API gives the
    assessment's `field` as measured."""
    assert (worse.assessment.rank, better.assessment.rank) == (2, 1)
    assert (worse.assessment.reasons[0], better.assessment.reasons[0]) == (reason, "sharp")
    body = api.get(f"/api/candidates/{worse.pk}/").json()
    assert body["assessment"][field] == pytest.approx(getattr(worse.assessment, field))


class SquareSubjectAssessor:
    """An assessor that reads every photo as sharp, its subject the square `SUBJECT`."""

    name, version = "square-subject", "1"
    SUBJECT = np.s_[90:270, 150:330]

    def predict(self, images, faces=None):
        predictions = []
        for image in images:
            foreground = np.zeros((image.height, image.width), np.float32)
            foreground[self.SUBJECT] = 1.0
            predictions.append(Prediction(clarity=8.5, foreground=foreground,
                                          semantics=describe_foreground(foreground)))
        return predictions


def test_a_photo_whose_focus_missed_its_subject_is_told_and_ranked_below(monkeypatch, team,
                                                                         editor, api):
    """The same scene twice, both read sharp: in one the subject alone is soft (the autofocus
    found the background). It ranks second and says why; the API gives the contrast."""
    monkeypatch.setattr(service, "predictor", cache(SquareSubjectAssessor))
    article = article_create(team=team, created_by=editor, title="Mayor", slot_ratios=["16:9"])
    scene = textured(480, 360, seed=2)
    subject = np.zeros(scene.shape[:2], np.uint8)
    subject[SquareSubjectAssessor.SUBJECT] = 255
    missed, focused = uploaded_and_assessed(
        article, editor, pngs(missed=defocus(scene, subject, 2.0, 0), focused=scene))

    assert missed.assessment.sharpness_contrast < -2 < focused.assessment.sharpness_contrast
    told_and_ranked_below(api, missed, focused, "sharpness_contrast",
                          "the subject soft, the scene behind it sharp: focus missed")


def test_a_photo_whose_largest_face_is_blurred_is_told_and_ranked_below(monkeypatch, team,
                                                                       editor, api):
    """The same scene twice, both read sharp across the frame, the cascades finding a face in
    each: in one the face alone is soft (the person moved). It ranks second and says why; the
    API gives the face's sharpness. A face only the network's face map found is not judged."""
    face = Box(200, 100, 80, 100)
    monkeypatch.setattr(service, "predictor", cache(SquareSubjectAssessor))
    monkeypatch.setattr(service, "detect_faces", lambda image: [face])
    article = article_create(team=team, created_by=editor, title="Minister", slot_ratios=["16:9"])
    scene = textured(480, 360, seed=9)
    moved_pixels = blurred_in(scene, face, 3.0)
    moved, still = uploaded_and_assessed(article, editor, pngs(moved=moved_pixels, still=scene))

    assert moved.assessment.face_sharpness < -1.5 < still.assessment.face_sharpness
    told_and_ranked_below(api, moved, still, "face_sharpness", "sharp, but the largest face "
                          "blurred (the person moved, or the focus fell elsewhere)")

    monkeypatch.setattr(service, "detect_faces", lambda image: [])
    monkeypatch.setattr(service, "predictor", cache(lambda: FaceFindingAssessor(face)))
    other = article_create(team=team, created_by=editor, title="Minister, later")
    (outcome,) = candidate_upload(article=other, uploaded_by=editor,
                                  files=pngs(mapped=moved_pixels))
    mapped = service.assessment_run(assessment_id=outcome.candidate.assessment.pk)
    assert mapped.faces == [face.as_list()] and mapped.face_sharpness is None


def test_a_letterboxed_photo_is_assessed_and_cropped_inside_its_bars(team, editor, api):
    """A video still with black bars: the picture's box is recorded, the mask is empty on the
    bars, every crop (those proposed later too) stays inside the picture, and the editor reads
    why."""
    article = article_create(team=team, created_by=editor, title="Debate", slot_ratios=["1:1"])
    still = Image.new("RGB", (480, 400), (0, 0, 0))
    still.paste(photo(480, 270, seed=6, subject=(0.5, 0.5)), (0, 65))
    (outcome,) = candidate_upload(article=article, uploaded_by=editor,
                                  files=[SimpleUploadedFile("still.png", encode(still, "PNG"))])
    assessment = service.assessment_run(assessment_id=outcome.candidate.assessment.pk)

    assert assessment.status == Assessment.Status.DONE, assessment.error
    picture = Box(0, 66, 480, 268)  # a row of the picture given up along each bar
    assert assessment.content_box == picture.as_list()
    with assessment.mask.open("rb") as stream:
        mask = np.asarray(Image.open(stream))
    assert mask[:66].max() == 0 and mask[334:].max() == 0
    assert "bars or a blurred fill on the top and bottom edges, left out of the crops" in assessment.reasons
    article_update(article=article, slot_ratios=["1:1", "4:5", "16:9"])
    crops = CropProposal.objects.filter(candidate=outcome.candidate)
    assert sorted(crop.ratio for crop in crops) == ["16:9", "1:1", "4:5"]
    for crop in crops:
        assert picture.contains(Box(crop.x, crop.y, crop.width, crop.height)), crop.ratio
    candidate_focus(candidate=outcome.candidate, point=[400, 20])  # a click on the top bar
    for crop in CropProposal.objects.filter(candidate=outcome.candidate):
        assert picture.contains(Box(crop.x, crop.y, crop.width, crop.height)), crop.ratio
    body = api.get(f"/api/candidates/{outcome.candidate.pk}/").json()
    assert body["assessment"]["content_box"] == [0, 66, 480, 268]


def test_a_dark_photo_is_measured_and_the_editor_told(team, editor, api):
    article = article_create(team=team, created_by=editor, title="Night shift",
                             slot_ratios=["1:1"])
    exposed = photo(400, 300, seed=4, subject=(0.5, 0.5))
    dark = Image.fromarray((np.asarray(exposed, np.float32) * 0.35).astype(np.uint8))
    files = [SimpleUploadedFile("dark.png", encode(dark, "PNG")),
             SimpleUploadedFile("exposed.png", encode(exposed, "PNG"))]
    dim, bright = uploaded_and_assessed(article, editor, files)

    assert dim.assessment.exposure["highlights"] < 0.55 <= bright.assessment.exposure["highlights"]
    assert "dark: even its brightest parts are dim" in dim.assessment.reasons
    assert not any(reason.startswith("dark") for reason in bright.assessment.reasons)
    body = api.get(f"/api/candidates/{dim.pk}/").json()
    assert body["assessment"]["exposure"] == dim.assessment.exposure
    assert set(body["assessment"]["exposure"]) == {"highlights", "blown", "subject_clipped"}


def test_an_overexposed_copy_is_measured_and_the_editor_told(team, editor):
    article = article_create(team=team, created_by=editor, title="Heatwave", slot_ratios=["1:1"])
    exposed = photo(400, 300, seed=4, subject=(0.5, 0.5))
    burnt = Image.fromarray(np.clip(np.asarray(exposed, np.float32) * 3.0, 0, 255).astype(np.uint8))
    files = [SimpleUploadedFile("burnt.png", encode(burnt, "PNG")),
             SimpleUploadedFile("exposed.png", encode(exposed, "PNG"))]
    over, well = uploaded_and_assessed(article, editor, files)

    assert over.assessment.exposure["subject_clipped"] >= 0.25
    assert well.assessment.exposure["subject_clipped"] < 0.03
    assert any(reason.startswith("overexposed: ") for reason in over.assessment.reasons)
    assert not any(reason.startswith("overexposed") for reason in well.assessment.reasons)


def test_a_news_card_is_taken_for_a_graphic_and_the_editor_told(team, editor, api):
    article = article_create(team=team, created_by=editor, title="Storm", slot_ratios=["16:9"])
    card = Image.new("RGB", (960, 540), (40, 60, 110))
    ImageDraw.Draw(card).text((60, 200), "Storm closes the harbour", fill="white",
                              font=ImageFont.load_default(size=70))
    (outcome,) = candidate_upload(article=article, uploaded_by=editor,
                                  files=[SimpleUploadedFile("card.png", encode(card, "PNG"))])
    assessment = service.assessment_run(assessment_id=outcome.candidate.assessment.pk)

    assert assessment.graphic
    assert ("a graphic (chart, text or drawing): clarity read from its edges, ranked below photos"
            in assessment.reasons)
    body = api.get(f"/api/candidates/{outcome.candidate.pk}/").json()
    assert body["assessment"]["graphic"] is True


def test_a_collage_is_assessed_and_cropped_without_a_sliver_of_a_photo(team, editor, api):
    """Two photos side by side with a white line between: the photos are recorded, every crop
    (those proposed later too) shows whole photos or fair shares, the editor reads why, and an
    editor's crop with a sliver of the second photo says so."""
    article = article_create(team=team, created_by=editor, title="Rivals",
                             slot_ratios=["1:1", "16:9", "free"])
    collage = Image.new("RGB", (608, 400), (255, 255, 255))
    collage.paste(photo(300, 400, seed=3, subject=(0.45, 0.5)), (0, 0))
    collage.paste(photo(300, 400, seed=5, subject=(0.15, 0.7)), (308, 0))
    (outcome,) = candidate_upload(article=article, uploaded_by=editor,
                                  files=[SimpleUploadedFile("pair.png", encode(collage, "PNG"))])
    assessment = service.assessment_run(assessment_id=outcome.candidate.assessment.pk)

    assert assessment.status == Assessment.Status.DONE, assessment.error
    panels = [Box(0, 0, 299, 400), Box(309, 0, 299, 400)]  # a column given up along the gutter
    assert assessment.panels == [p.as_list() for p in panels]
    assert "a collage of 2 photos: no crop shows a sliver of one" in assessment.reasons
    article_update(article=article, slot_ratios=["1:1", "16:9", "free", "4:5", "3:1"])
    crops = CropProposal.objects.filter(candidate=outcome.candidate)
    assert len(crops) == 5
    for crop in crops:
        assert collage_flaws(Box(crop.x, crop.y, crop.width, crop.height), panels) == 0, crop.ratio
        assert any(r.endswith("photos of the collage") for r in crop.reasons), crop.ratio
    body = api.get(f"/api/candidates/{outcome.candidate.pk}/").json()
    assert body["assessment"]["panels"] == [p.as_list() for p in panels]
    edited = crop_override(candidate=outcome.candidate, ratio="1:1", box=[200, 0, 400, 400],
                           edited_by=editor)
    assert edited.reasons[-2:] == ["shows 2 of the 2 photos of the collage",
                                   "shows a sliver of a photo of the collage"]


def test_a_tv_grab_is_cropped_round_its_caption(team, editor, api):
    """A frame with a lower third: the caption's block is recorded, no crop (those proposed later
    too) cuts through it, each says whether it shows or leaves it out, and an editor's crop
    through it is named."""
    article = article_create(team=team, created_by=editor, title="Storm", slot_ratios=["1:1"])
    grab = photo(640, 360, seed=2, subject=(0.5, 0.4))
    letters = written(grab, "Storm closes the harbour", (24, 300), size=20, band=(20, 40, 110))
    (outcome,) = candidate_upload(article=article, uploaded_by=editor,
                                  files=[SimpleUploadedFile("grab.jpg", encode(grab, "JPEG"))])
    assessment = service.assessment_run(assessment_id=outcome.candidate.assessment.pk)

    assert assessment.status == Assessment.Status.DONE, assessment.error
    (block,) = [Box(*b) for b in assessment.overlays]
    assert block.contains(letters)
    slots = ["1:1", "16:9", "4:5", "free"]
    article_update(article=article, slot_ratios=slots)
    crops = CropProposal.objects.filter(candidate=outcome.candidate)
    assert len(crops) == 4
    for crop in crops:
        share = Box(crop.x, crop.y, crop.width, crop.height).overlap_share(block)
        assert share in (0.0, 1.0), crop.ratio
        assert crop.reasons[-1] == ("shows the text laid over the picture whole" if share
                                    else "leaves out the text laid over the picture"), crop.ratio
    showing = [r for r in slots if r != "free" and crops.get(ratio=r).reasons[-1]
               == "shows the text laid over the picture whole"]
    assessment.refresh_from_db()
    (reason,) = [r for r in assessment.reasons if r.startswith("text laid over the picture")]
    named = [r for r in slots if f" {r}" in reason]
    assert named == showing
    assert reason.endswith("crops" if len(showing) > 1 else "crop" if showing else "every crop")
    body = api.get(f"/api/candidates/{outcome.candidate.pk}/").json()
    assert body["assessment"]["overlays"] == [block.as_list()]
    edited = crop_override(candidate=outcome.candidate, ratio="1:1", box=[100, 0, 360, 360],
                           edited_by=editor)
    assert edited.reasons[-1] == "cuts through text laid over the picture"
