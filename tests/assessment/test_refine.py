import numpy as np
import pytest

from assessment.faces import face_cores, torso_cores
from assessment.geometry import Box
from assessment.refine import grabcut_refine


def disc_scene(height: int = 120, width: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """A red disc on a textured green ground, and the disc's mask."""
    yy, xx = np.mgrid[:height, :width]
    disc = (yy - height / 2) ** 2 + (xx - width / 2) ** 2 < (height / 3) ** 2
    rng = np.random.default_rng(0)
    image = np.where(disc[..., None], (200, 40, 30), (40, 150, 60)).astype(np.int16)
    image = np.clip(image + rng.integers(-20, 20, image.shape), 0, 255).astype(np.uint8)
    return image, disc


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / (a | b).sum())


def half_marked_disc() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The network's typical miss: sure of the ground and of part of the subject, unsure of the
    rest of it (below 0.5); and a patch in the ground's colours marked as subject (above 0.5)."""
    image, disc = disc_scene()
    probability = np.full(disc.shape, 0.01, np.float32)
    probability[disc] = 0.99
    half = disc & (np.arange(disc.shape[1]) > 100)[None, :]
    probability[half] = 0.3
    patch = np.zeros_like(disc)
    patch[5:25, 5:40] = True
    probability[patch] = 0.6
    return image, disc, probability, half, patch


def test_a_half_marked_subject_is_marked_whole_and_a_patch_of_ground_is_lowered():
    image, disc, probability, half, patch = half_marked_disc()
    refined = grabcut_refine(image, probability)
    assert refined.shape == disc.shape and refined.dtype == np.float32
    assert iou(probability > 0.5, disc) < 0.7
    assert iou(refined > 0.5, disc) > 0.95
    np.testing.assert_allclose(refined[half], 0.65, atol=1e-6)  # halfway from 0.3 to 1
    np.testing.assert_allclose(refined[patch], 0.3, atol=1e-6)  # the cut says ground: 0.6 halved
    assert refined.min() >= 0.0 and refined.max() <= 1.0


def test_a_cut_that_only_adds_leaves_the_ground_as_it_was():
    image, disc, probability, half, patch = half_marked_disc()
    refined = grabcut_refine(image, probability, lower=0.0)
    assert np.all(refined >= probability)
    assert iou(refined > 0.5, disc | patch) > 0.95
    np.testing.assert_array_equal(refined[patch], probability[patch])


def test_the_cut_never_lowers_a_known_face_or_the_chest_under_it():
    image, disc, probability, half, patch = half_marked_disc()
    face = Box(14, 2, 12, 12)  # a face in the patch of ground colours; its chest ellipse below it
    guarded = face_cores(disc.shape, [face]) | torso_cores(disc.shape, [face])
    assert (guarded & patch).sum() > 100
    without = grabcut_refine(image, probability)
    assert np.all(without[guarded & patch] < probability[guarded & patch])  # lowered, unknown
    refined = grabcut_refine(image, probability, faces=[face])
    assert np.all(refined[guarded] >= probability[guarded])


def test_the_same_input_gives_the_same_map_at_any_size():
    image, disc = disc_scene(600, 900)  # shrunk to the 256-px working side, cut brought back up
    probability = np.where(disc, 0.7, 0.2).astype(np.float32)
    first = grabcut_refine(image, probability)
    assert first.shape == (600, 900)
    np.testing.assert_array_equal(first, grabcut_refine(image, probability))
    assert iou(first > 0.5, disc) > 0.95


def four_subject_pixels() -> np.ndarray:
    probability = np.zeros((40, 60), np.float32)
    probability[0, :4] = 1.0
    return probability


@pytest.mark.parametrize(
    "probability",
    [np.zeros((40, 60), np.float32), np.ones((40, 60), np.float32), four_subject_pixels()],
    ids=["all ground", "all subject", "four subject pixels"],
)
def test_a_map_without_enough_pixels_on_either_side_comes_back_unchanged(probability):
    image = np.random.default_rng(2).integers(0, 255, (40, 60, 3), dtype=np.uint8)
    np.testing.assert_array_equal(grabcut_refine(image, probability), probability)


def test_a_one_pixel_image_comes_back_unchanged():
    probability = np.full((1, 1), 0.8, np.float32)
    assert grabcut_refine(np.zeros((1, 1, 3), np.uint8), probability) == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("image_shape", "map_shape", "sure", "message"),
    [
        ((40, 60, 3), (40, 61), 0.02, "need an"),
        ((40, 60), (40, 60), 0.02, "need an"),
        ((40, 60, 3), (40, 60), 0.5, "sure"),
    ],
)
def test_bad_arguments_are_refused(image_shape, map_shape, sure, message):
    with pytest.raises(ValueError, match=message):
        grabcut_refine(np.zeros(image_shape, np.uint8), np.zeros(map_shape, np.float32), sure=sure)


@pytest.mark.parametrize("lower", [-0.1, 1.5])
def test_a_lowering_outside_0_to_1_is_refused(lower):
    with pytest.raises(ValueError, match="lower"):
        grabcut_refine(np.zeros((40, 60, 3), np.uint8), np.zeros((40, 60), np.float32), lower=lower)


def test_a_face_the_map_missed_is_kept_and_grows_to_its_colours():
    image, disc = disc_scene()
    probability = np.where(disc, 0.99, 0.01).astype(np.float32)
    face_region = np.zeros_like(disc)
    face_region[10:40, 150:190] = True  # a face in its own colour the network left out, unsure
    image[face_region] = (230, 190, 160)
    probability[face_region] = 0.1
    face = Box(162, 16, 16, 18)  # a detector's box, smaller than the face's whole region
    without = grabcut_refine(image, probability)
    refined = grabcut_refine(image, probability, faces=[face])
    assert (without[face_region] > 0.5).mean() < 0.05
    assert np.all(refined[face_cores(disc.shape, [face])] == 1.0)  # its core is sure subject
    assert (refined[face_region] > 0.5).mean() > 0.9  # the cut grew from it to the whole face
    assert iou(refined > 0.5, disc | face_region) > 0.95
