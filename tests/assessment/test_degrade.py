import cv2
import numpy as np
import pytest

from assessment.degrade import KINDS, LEVELS, PRISTINE, defocus, degrade


@pytest.fixture(scope="module")
def photo():
    # Fine random texture in every direction: detail that each kind of damage destroys.
    noise = np.random.default_rng(7).integers(0, 255, (96, 128, 3)).astype(np.uint8)
    return cv2.normalize(cv2.GaussianBlur(noise, (0, 0), 1.0), None, 0, 255, cv2.NORM_MINMAX)


@pytest.mark.parametrize("kind", KINDS)
def test_damage_grows_as_the_level_falls(kind, photo):
    errors = []
    for level in sorted(LEVELS, reverse=True):
        damaged = degrade(photo, kind, level, np.random.default_rng(0))
        errors.append(((damaged.astype(float) - photo) ** 2).mean())
    assert errors[0] == 0.0  # level 10 is pristine
    assert all(b > a for a, b in zip(errors, errors[1:], strict=False)), errors


@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_damage(kind, photo):
    first = degrade(photo, kind, 4, np.random.default_rng(3))
    second = degrade(photo, kind, 4, np.random.default_rng(3))
    assert first.shape == photo.shape and first.dtype == np.uint8
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize(
    ("kind", "level", "message"),
    [
        ("fog", 3, "unknown damage kind"),
        ("jpeg", 0, "1..10"),
        ("jpeg", PRISTINE + 1, "1..10"),
    ],
)
def test_bad_arguments_say_what_is_allowed(kind, level, message, photo):
    with pytest.raises(ValueError, match=message):
        degrade(photo, kind, level, np.random.default_rng(0))


def detail(image: np.ndarray, where: np.ndarray) -> float:
    """Mean squared Laplacian of `image`'s grey over `where`: what blur takes away."""
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    return float((cv2.Laplacian(grey, cv2.CV_32F) ** 2)[where].mean())


@pytest.fixture(scope="module")
def subject():
    mask = np.zeros((96, 128), np.uint8)
    mask[24:72, 32:96] = 255
    return mask


def test_defocus_blurs_the_background_or_the_subject_alone(photo, subject):
    inside = np.zeros(subject.shape, bool)
    inside[30:66, 38:90] = True  # the subject, away from the softened edge
    outside = np.ones(subject.shape, bool)
    outside[16:80, 24:104] = False
    shallow = defocus(photo, subject, 0, 4)
    missed = defocus(photo, subject, 4, 0)
    assert shallow.dtype == np.uint8 and shallow.shape == photo.shape
    np.testing.assert_allclose(detail(shallow, inside), detail(photo, inside), rtol=0.01)
    assert detail(shallow, outside) < 0.05 * detail(photo, outside)
    np.testing.assert_allclose(detail(missed, outside), detail(photo, outside), rtol=0.01)
    assert detail(missed, inside) < 0.05 * detail(photo, inside)
    np.testing.assert_array_equal(defocus(photo, subject, 0, 0), photo)


def test_defocus_needs_a_subject_map_of_the_image_size(photo):
    with pytest.raises(ValueError, match="subject map"):
        defocus(photo, np.zeros((10, 10), np.uint8), 2, 0)
