"""rank_candidates: cover score and reasons; weights configurable per team."""

import numpy as np
import pytest
from PIL import Image, ImageFilter

from assessment.classical import laplacian_clarity
from assessment.exposure import Exposure
from assessment.geometry import Box
from assessment.ranking import CandidateFeatures, RankingWeights, rank_candidates
from assessment.semantics import describe_foreground

SIZE = (320, 240)


def scene(subject: Box, *, blur: float = 0.0) -> tuple[Image.Image, np.ndarray]:
    """A textured photo with a bright square subject, and the subject's mask."""
    width, height = SIZE
    rng = np.random.default_rng(7)
    pixels = rng.normal(100, 20, size=(height, width, 3))
    pixels[subject.y : subject.bottom, subject.x : subject.right] = rng.normal(
        200, 20, size=(subject.h, subject.w, 3)
    )
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    mask = np.zeros((height, width), np.float32)
    mask[subject.y : subject.bottom, subject.x : subject.right] = 1.0
    return image, mask


def candidate(key: str, subject: Box, faces: list[Box], *, blur: float = 0.0, **extra):
    image, mask = scene(subject, blur=blur)
    return CandidateFeatures(
        key=key, clarity=laplacian_clarity(image), semantics=describe_foreground(mask),
        faces=faces, width=SIZE[0], height=SIZE[1], **extra,
    )


def test_sharp_framed_beats_blurred_copy_beats_edge_contact_beats_cut_face():
    candidates = [
        candidate("cut face", Box(100, 0, 120, 120), [Box(140, 0, 40, 30)]),
        # the face is 70 px from the left edge: beyond its shoulders' reach (60 px)
        candidate("touches edge", Box(0, 60, 120, 120), [Box(70, 70, 40, 40)]),
        candidate("blurred copy", Box(100, 60, 120, 120), [Box(140, 70, 40, 40)], blur=0.8),
        candidate("framed", Box(100, 60, 120, 120), [Box(140, 70, 40, 40)]),
    ]
    ranked = rank_candidates(candidates, min_slot_width=200)
    assert [r.key for r in ranked] == ["framed", "blurred copy", "touches edge", "cut face"]
    assert [r.rank for r in ranked] == [1, 2, 3, 4]
    reasons = {r.key: r.reasons for r in ranked}
    assert "sharp" in reasons["framed"]
    assert "slightly soft" in reasons["blurred copy"]
    assert "subject touches the left edge" in reasons["touches edge"]
    assert "1 face, 1 cut by the image border" in reasons["cut face"]


def features(key="a", *, clarity=8.0, mask=None, faces=(), size=(2000, 1500), **extra):
    mask = np.zeros((100, 100), np.float32) if mask is None else mask
    return CandidateFeatures(key, clarity, describe_foreground(mask), list(faces), *size, **extra)


def square_mask(x, y, side, shape=(100, 100)):
    mask = np.zeros(shape, np.float32)
    mask[y : y + side, x : x + side] = 1
    return mask


def bust_mask():
    """A subject filling the lower half of the frame, from the left edge to the right."""
    mask = np.zeros((100, 100), np.float32)
    mask[50:, :] = 1
    return mask


@pytest.mark.parametrize(
    ("candidate", "reason"),
    [
        (features(clarity=9), "sharp"),
        (features(clarity=2), "blurred"),
        (features(), "no clear subject"),
        (features(mask=square_mask(20, 20, 58)), "subject fills 34%"),
        (features(mask=square_mask(0, 30, 40)), "subject touches the left edge"),
        (features(mask=square_mask(60, 60, 40)), "subject touches the right and bottom edges"),
        (features(mask=bust_mask()), "subject touches the left, right and bottom edges"),
        (features(faces=[Box(500, 400, 200, 250), Box(1000, 400, 180, 240)]),
         "2 faces, both whole"),
        (features(faces=[Box(500, 400, 200, 250)]), "1 face, whole"),
        (features(faces=[Box(0, 400, 200, 250), Box(900, 400, 200, 250)]),
         "2 faces, 1 cut by the image border"),
        (features(size=(1000, 800)), "too small for 16:9 at 1200 px"),
        (features(exposure=Exposure(highlights=0.3, blown=0.0)),
         "dark: even its brightest parts are dim"),
        (features(exposure=Exposure(highlights=1.0, blown=0.25)),
         "25% of the picture pure white (blown out, or a white backdrop)"),
        (features(exposure=Exposure(highlights=1.0, blown=0.05, subject_clipped=0.3)),
         "overexposed: 30% of the subject burnt out to white"),
        (features(graphic=True),
         "a graphic (chart, text or drawing): clarity read from its edges, ranked below photos"),
        (features(bars=("top", "bottom")),
         "bars or a blurred fill on the top and bottom edges, left out of the crops"),
        (features(bars=("left", "right", "top", "bottom")),
         "a frame round the picture, left out of the crops"),
        (features(bars=("bottom",)), "a caption strip on the bottom edge, left out of the crops"),
    ],
)
def test_reasons(candidate, reason):
    (ranked,) = rank_candidates([candidate])
    assert reason in ranked.reasons


@pytest.mark.parametrize(
    ("better", "worse"),
    [
        (features("sharp", clarity=9), features("soft", clarity=4)),
        (features("fits", mask=square_mask(30, 30, 40)),
         features("speck", mask=square_mask(48, 48, 3))),
        (features("fits", mask=square_mask(30, 30, 40)),
         features("fills", mask=square_mask(0, 0, 100))),
        (features("big face", faces=[Box(800, 500, 400, 500)]), features("no face")),
        (features("large", size=(4000, 3000)), features("small", size=(640, 480))),
        (features("bright", exposure=Exposure(0.9, 0.0)), features("dim", exposure=Exposure(0.3, 0.0))),
        (features("exposed", exposure=Exposure(0.95, 0.0, 0.01)),
         features("burnt", exposure=Exposure(1.0, 0.2, 0.2))),
    ],
)
def test_each_term_orders_candidates(better, worse):
    ranked = rank_candidates([worse, better])
    assert [r.key for r in ranked] == [better.key, worse.key]


def test_a_body_below_a_whole_face_may_run_off_the_bottom_edge():
    no_face_weight = RankingWeights(faces=0)
    portrait_mask = square_mask(30, 40, 60)  # touches the bottom edge only
    portrait = features("portrait", mask=portrait_mask, faces=[Box(800, 300, 400, 500)])
    crowd = features("crowd", mask=portrait_mask, faces=[Box(900, 50, 40, 50)])  # 6 faces up
    cut = features("cut face", mask=portrait_mask, faces=[Box(800, 0, 400, 500)])
    ranked = {r.key: r for r in rank_candidates([portrait, crowd, cut], weights=no_face_weight)}

    assert "a person runs off the bottom edge, as in a portrait" in ranked["portrait"].reasons
    assert not any("touches" in reason for reason in ranked["portrait"].reasons)
    for key in ("crowd", "cut face"):
        assert "subject touches the bottom edge" in ranked[key].reasons
    border = no_face_weight.border
    assert ranked["portrait"].score - ranked["crowd"].score == pytest.approx(border)
    assert ranked["portrait"].score - ranked["cut face"].score == pytest.approx(
        border + no_face_weight.face_cut)


def test_a_face_far_from_the_sides_excuses_the_bottom_edge_only():
    mask = bust_mask()  # touches the left, right and bottom edges
    (ranked,) = rank_candidates([features(mask=mask, faces=[Box(900, 500, 200, 250)])])
    assert "subject touches the left and right edges" in ranked.reasons
    assert "a person runs off the bottom edge, as in a portrait" in ranked.reasons


def test_a_close_up_persons_head_and_shoulders_may_run_off_the_top_and_sides():
    no_face_weight = RankingWeights(faces=0)
    mask = np.ones((100, 100), np.float32)
    mask[:5, :10] = 0  # a head-and-shoulders close-up: the person touches every edge
    # 2000 x 1500: shoulders reach 1.5 face widths (750 px) to each side, to both edges, and the
    # head 0.5 face heights (250 px) above the box, past the top edge
    close_up = features("close-up", mask=mask, faces=[Box(750, 200, 500, 500)])
    distant = features("distant", mask=mask, faces=[Box(900, 500, 200, 250)])
    ranked = {r.key: r for r in rank_candidates([close_up, distant], weights=no_face_weight)}

    assert ("a person runs off the left, right, top and bottom edges, as in a portrait"
            in ranked["close-up"].reasons)
    assert not any("touches" in reason for reason in ranked["close-up"].reasons)
    assert "subject touches the left, right and top edges" in ranked["distant"].reasons
    assert ranked["close-up"].score - ranked["distant"].score == pytest.approx(
        3 * no_face_weight.border)


def test_near_duplicates_are_demoted_but_the_best_of_them_is_kept():
    ranked = rank_candidates([
        features("copy", clarity=8.5, near_duplicate_of="original"),
        features("original", clarity=9.0),
        features("other", clarity=7.0),
    ])
    assert [r.key for r in ranked] == ["original", "other", "copy"]
    assert "near-duplicate of original" in ranked[-1].reasons


def test_team_weights_change_the_order():
    soft_framed = features("soft framed", clarity=7, mask=square_mask(30, 30, 40))
    sharp_edge = features("sharp edge", clarity=9.5, mask=square_mask(0, 30, 40))
    default = rank_candidates([soft_framed, sharp_edge])
    clarity_first = rank_candidates(
        [soft_framed, sharp_edge], weights=RankingWeights.from_dict({"clarity": 1.0, "border": 0})
    )
    assert default[0].key == "soft framed"
    assert clarity_first[0].key == "sharp edge"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"clarty": 1.0}, "unknown ranking weight"),
        ({"clarity": "high"}, "must be a number"),
        ({"clarity": -1}, ">= 0"),
        ({"ideal_min": 0.7}, "ideal_min < ideal_max"),
    ],
)
def test_bad_weights_are_rejected(values, message):
    with pytest.raises(ValueError, match=message):
        RankingWeights.from_dict(values)


def test_duplicate_keys_are_rejected():
    with pytest.raises(ValueError, match="unique"):
        rank_candidates([features("a"), features("a")])


def test_as_dict_round_trip_of_weights():
    weights = RankingWeights.from_dict({"faces": 0.5})
    assert RankingWeights.from_dict(weights.as_dict()) == weights


def test_integer_keys_and_a_missing_original():
    ranked = rank_candidates([
        features(12, clarity=8.0),
        features(13, clarity=9.0, near_duplicate_of=12),
        features(14, clarity=9.5, near_duplicate_of=99),  # its original is not ranked (yet)
    ])
    assert [r.key for r in ranked] == [14, 13, 12]
    assert "near-duplicate of 13" in ranked[2].reasons
    assert not any("near-duplicate" in reason for reason in ranked[0].reasons)


def test_each_slot_is_judged_at_the_width_it_is_shown():
    photo = features(size=(1000, 800))  # largest crops: 16:9 1000 px wide, 1:1 800 px

    (everywhere,) = rank_candidates([photo], slot_ratios=["16:9", "1:1"])
    (thumbnail,) = rank_candidates([photo], slot_ratios=["16:9", "1:1"],
                                   slot_widths={"1:1": 400})
    (both,) = rank_candidates([photo], slot_ratios=["16:9", "1:1"], min_slot_width=800,
                              slot_widths={"16:9": 1000, "4:3": 5000})

    assert [r for r in everywhere.reasons if r.startswith("too small")] == [
        "too small for 16:9 at 1200 px", "too small for 1:1 at 1200 px"]
    assert [r for r in thumbnail.reasons if r.startswith("too small")] == [
        "too small for 16:9 at 1200 px"]
    assert not [r for r in both.reasons if r.startswith("too small")]
    assert everywhere.score < thumbnail.score < both.score


def test_an_enlarged_or_soft_photo_is_judged_by_the_detail_it_holds():
    sharp = features("sharp", size=(2400, 1600))
    enlarged = features("enlarged", size=(2400, 1600), detail_scale=3.0)  # 800 px of detail

    ranked = {r.key: r for r in rank_candidates([sharp, enlarged], slot_ratios=["16:9", "1:1"],
                                                slot_widths={"1:1": 400})}

    assert [r for r in ranked["sharp"].reasons if "detail" in r or "too small" in r] == []
    assert [r for r in ranked["enlarged"].reasons if "detail" in r or "too small" in r] == [
        "enlarged or soft at full size: the detail of 800 px across",
        "too small for 16:9 at 1200 px"]  # 2400 / 3 = 800 px; the 1:1 thumbnail still fits
    assert ranked["sharp"].rank == 1
    with pytest.raises(ValueError, match="detail_scale must be >= 1"):
        rank_candidates([features(detail_scale=0.5)])


def test_a_face_taller_than_a_slots_crop_costs_that_slot():
    # 2000 x 1500: the largest 16:9 crop is 1125 px tall; 4:3 and 1:1 are 1500 px tall
    close = features("close", faces=[Box(600, 150, 900, 1200)])
    fits = features("fits", faces=[Box(600, 150, 900, 1100)])
    cut = features("cut", faces=[Box(600, 0, 900, 1200)])  # cut by the top: face_cut's case

    ranked = {r.key: r for r in rank_candidates([close, fits, cut])}

    assert "a face too large for the 16:9 crop to hold whole" in ranked["close"].reasons
    for key in ("fits", "cut"):
        assert not any("too large" in reason for reason in ranked[key].reasons)
    assert ranked["fits"].score - ranked["close"].score == pytest.approx(
        RankingWeights().face_fit / 3)
    (square_only,) = rank_candidates([close], slot_ratios=["1:1"])
    assert not any("too large" in reason for reason in square_only.reasons)


def test_a_face_too_tall_for_two_slots_is_named_once_for_both():
    # 1500 x 2000 portrait: 16:9 crops are 844 px tall, 4:3 ones 1125, 1:1 ones 1500 (all 1500
    # wide); a face 1200 px tall fits only the square
    photo = features(size=(1500, 2000), faces=[Box(200, 300, 1000, 1200)])
    (ranked,) = rank_candidates([photo])
    assert "a face too large for the 16:9 and 4:3 crops to hold whole" in ranked.reasons
    (unweighted,) = rank_candidates([photo], weights=RankingWeights(face_fit=0))
    assert unweighted.score - ranked.score == pytest.approx(2 * RankingWeights().face_fit / 3)


def test_a_candidate_measured_before_exposure_was_scores_as_one_exposed_well():
    measured = features("measured", exposure=Exposure(highlights=0.9, blown=0.0))
    before = features("before")
    scores = {r.key: r.score for r in rank_candidates([measured, before])}
    assert scores["measured"] == pytest.approx(scores["before"])


def test_an_overexposed_copy_does_not_take_its_originals_place():
    # brightened, the copy reads a little sharper and loses a face to the glare; its subject is
    # burnt out, and its original stays the best of the two
    original = features("original", clarity=9.6, exposure=Exposure(0.95, 0.01, 0.02),
                        faces=[Box(300, 300, 200, 250), Box(900, 300, 200, 250)])
    copy = features("copy", clarity=9.7, exposure=Exposure(1.0, 0.18, 0.26),
                    faces=[Box(300, 300, 200, 250)], near_duplicate_of="original")
    ranked = rank_candidates([copy, original])
    assert [r.key for r in ranked] == ["original", "copy"]
    assert "near-duplicate of original" in ranked[1].reasons


def test_a_graphics_dark_or_white_ground_is_not_an_exposure_fault():
    dark_card = features("card", graphic=True, exposure=Exposure(highlights=0.3, blown=0.0))
    white_chart = features("chart", graphic=True, exposure=Exposure(highlights=1.0, blown=0.7))
    unmeasured = features("unmeasured", graphic=True)
    ranked = {r.key: r for r in rank_candidates([dark_card, white_chart, unmeasured])}
    for key in ("card", "chart"):
        assert not any("dark" in r or "pure white" in r for r in ranked[key].reasons)
        assert ranked[key].score == pytest.approx(ranked["unmeasured"].score)


def test_a_photo_leads_a_graphic_of_like_quality_unless_a_desk_says_otherwise():
    """A sharp photo with its subject touching one edge (a product check: a circuit board's photo
    beside a screenshot of code), against a sharp chart: the photo leads, but only by its
    quality, so a poor photo still gives way to the chart; at weight 0 the chart leads."""
    chart = features("chart", clarity=10.0, graphic=True, mask=square_mask(30, 30, 40))
    photo = features("photo", clarity=8.5, mask=square_mask(60, 30, 40))
    blurred = features("blurred", clarity=2.0, mask=square_mask(60, 30, 40))
    assert [r.key for r in rank_candidates([chart, photo, blurred])] == ["photo", "chart",
                                                                         "blurred"]
    data_desk = RankingWeights.from_dict({"graphic": 0})
    assert rank_candidates([chart, photo], weights=data_desk)[0].key == "chart"
    (alone,) = rank_candidates([chart], weights=data_desk)
    assert "a graphic (chart, text or drawing): clarity read from its edges" in alone.reasons


def test_a_subject_out_of_focus_before_a_sharp_scene_ranks_below_the_photo_in_focus():
    """Both read sharp across the frame; the one whose focus found the background says so and
    ranks second. A shallow depth of field (contrast above 0), a contrast that could not be
    judged, and a graphic are never called."""
    mask = square_mask(30, 30, 40)
    missed = features("missed", clarity=8.6, mask=mask, sharpness_contrast=-3.0)
    focused = features("focused", clarity=8.4, mask=mask, sharpness_contrast=0.1)
    ranked = rank_candidates([missed, focused])
    assert [r.key for r in ranked] == ["focused", "missed"]
    assert ranked[1].reasons[0] == "the subject soft, the scene behind it sharp: focus missed"
    assert ranked[0].reasons[0] == "sharp"
    unjudged = features("unjudged", clarity=8.6, mask=mask)
    shallow = features("shallow", clarity=8.6, mask=mask, sharpness_contrast=3.0)
    chart = features("chart", clarity=8.6, mask=mask, sharpness_contrast=-3.0, graphic=True)
    scores = {r.key: r.score for r in rank_candidates([unjudged, shallow, missed])}
    assert scores["unjudged"] == scores["shallow"] == pytest.approx(scores["missed"] + 0.15)
    (graphic,) = rank_candidates([chart])
    assert not any("focus" in reason for reason in graphic.reasons)
    lenient = RankingWeights.from_dict({"missed_focus": 0})
    assert rank_candidates([missed, focused], weights=lenient)[0].key == "missed"


def test_a_photo_whose_largest_face_is_blurred_ranks_below_one_whose_face_is_sharp():
    """Both read sharp across the frame; the one whose face is blurred says so and ranks second,
    exactly the weight below one whose face could not be judged. A photo already called blurred,
    one whose focus is called missed, and a graphic take no second demotion."""
    mask, face = square_mask(30, 30, 40), [Box(800, 500, 300, 300)]
    moved = features("moved", clarity=8.6, mask=mask, faces=face, face_sharpness=-2.5)
    still = features("still", clarity=8.4, mask=mask, faces=face, face_sharpness=-0.5)
    ranked = rank_candidates([moved, still])
    assert [r.key for r in ranked] == ["still", "moved"]
    assert ranked[1].reasons[0] == ("sharp, but the largest face blurred (the person moved, or "
                                    "the focus fell elsewhere)")
    assert ranked[0].reasons[0] == "sharp"
    unjudged = features("unjudged", clarity=8.6, mask=mask, faces=face)
    scores = {r.key: r.score for r in rank_candidates([unjudged, moved])}
    assert scores["unjudged"] == pytest.approx(scores["moved"] + 0.15)
    for key, extra in (("blurry", {"clarity": 3.0}), ("missed", {"sharpness_contrast": -3.0}),
                       ("chart", {"graphic": True})):
        plain = features(key, **{"clarity": 8.6, "mask": mask, "faces": face, **extra})
        called = features(key, **{"clarity": 8.6, "mask": mask, "faces": face, **extra,
                                  "face_sharpness": -2.5})
        (before,), (after,) = rank_candidates([plain]), rank_candidates([called])
        assert after.score == before.score and after.reasons == before.reasons
    lenient = RankingWeights.from_dict({"blurred_face": 0})
    assert rank_candidates([moved, still], weights=lenient)[0].key == "moved"


CAPTION = Box(100, 1250, 1800, 200)  # a lower third across the bottom of a 2000 x 1500 grab
ABOVE_CAPTION = {"16:9": Box(0, 0, 2000, 1125), "4:3": Box(150, 0, 1600, 1200),
                 "1:1": Box(400, 0, 1200, 1200)}


def test_text_over_the_picture_costs_each_slot_whose_crop_shows_it():
    clean = features("clean", crops=ABOVE_CAPTION)
    left_out = features("left out", overlays=[CAPTION], crops=ABOVE_CAPTION)
    square_shows = features("square shows", overlays=[CAPTION],
                            crops={**ABOVE_CAPTION, "1:1": Box(400, 300, 1200, 1200)})
    all_show = features("all show", overlays=[CAPTION],
                        crops={ratio: Box(0, 0, 2000, 1500) for ratio in ABOVE_CAPTION})

    ranked = {r.key: r for r in rank_candidates([all_show, square_shows, left_out, clean])}

    cost = RankingWeights().overlay_text
    assert ranked["left out"].score == pytest.approx(ranked["clean"].score)
    assert ranked["clean"].score - ranked["square shows"].score == pytest.approx(cost / 3)
    assert ranked["clean"].score - ranked["all show"].score == pytest.approx(cost)
    assert "text laid over the picture, left out of every crop" in ranked["left out"].reasons
    assert "text laid over the picture shows in the 1:1 crop" in ranked["square shows"].reasons
    assert ("text laid over the picture shows in the 16:9, 4:3 and 1:1 crops"
            in ranked["all show"].reasons)
    assert not any("text laid over" in reason for reason in ranked["clean"].reasons)


def test_a_clean_photo_outranks_a_tv_grab_whose_crops_show_its_caption():
    grab = features("grab", overlays=[CAPTION], crops={r: Box(0, 0, 2000, 1500) for r in ABOVE_CAPTION})
    photo = features("photo", crops=ABOVE_CAPTION)
    assert [r.key for r in rank_candidates([grab, photo])] == ["photo", "grab"]
    unweighted = rank_candidates([grab, photo], weights=RankingWeights(overlay_text=0))
    assert [r.key for r in unweighted] == ["grab", "photo"]  # ties keep the input order


def test_a_slot_without_a_crop_is_not_charged_for_text():
    (ranked,) = rank_candidates([features(overlays=[CAPTION], crops={"16:9": Box(0, 0, 2000, 1500)})],
                               slot_ratios=["16:9", "1:1"])
    assert "text laid over the picture shows in the 16:9 crop" in ranked.reasons
    (clean,) = rank_candidates([features()], slot_ratios=["16:9", "1:1"])
    assert clean.score - ranked.score == pytest.approx(RankingWeights().overlay_text / 2)


def test_a_false_face_on_a_persons_body_is_not_weighed():
    # a seated man's face, and a larger patch of floor between his feet taken for a face
    face, floor = Box(900, 100, 120, 150), Box(880, 900, 160, 170)
    alone = features("alone", faces=[face])
    with_floor = features("with floor", faces=[face, floor])
    ranked = {r.key: r for r in rank_candidates([alone, with_floor])}
    assert ranked["with floor"].score == pytest.approx(ranked["alone"].score)
    assert ("1 face, whole; 1 more on a person's body (a false find, or a child held), not weighed"
            in ranked["with floor"].reasons)
    # without the man's face, the same patch is a face and its size counts
    (floor_only,) = rank_candidates([features("floor only", faces=[floor])])
    assert floor_only.score > ranked["alone"].score


def test_a_false_face_on_a_body_cut_by_the_border_costs_nothing():
    face, boots = Box(900, 300, 150, 180), Box(900, 1400, 140, 100)  # boots run off the bottom
    (cut,) = rank_candidates([features(faces=[face, boots])])
    (alone,) = rank_candidates([features(faces=[face])])
    assert cut.score == pytest.approx(alone.score)
    assert not any("cut by the image border" in reason for reason in cut.reasons)


def test_a_face_in_the_lower_photo_of_a_collage_is_a_persons_face():
    # two photos stacked; the lower one's face lies where the upper one's person's body would
    upper, lower = Box(0, 0, 2000, 740), Box(0, 760, 2000, 740)
    faces = [Box(950, 400, 100, 120), Box(920, 1000, 300, 360)]
    (collage,) = rank_candidates([features(faces=faces, panels=[upper, lower])])
    (one_photo,) = rank_candidates([features(faces=faces)])
    assert "2 faces, both whole" in collage.reasons
    assert collage.score - one_photo.score == pytest.approx(
        RankingWeights().faces * (300 / 1500 / 0.25 - 100 / 1500 / 0.25))
