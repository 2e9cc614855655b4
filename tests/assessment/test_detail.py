"""`detail_scale`: a photo's own detail, a photo enlarged k times, a photo soft at full size."""

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from assessment.detail import detail_scale


@pytest.fixture(scope="module")
def shared_photo(data_root) -> Image.Image:
    """One clean val photo of the shared data (shrunk from a camera original: sharp)."""
    return Image.open(sorted((data_root / "sod/val/images").glob("*.jpg"))[0]).convert("RGB")


def enlarged(image: Image.Image, factor: float, kernel=Image.BICUBIC) -> np.ndarray:
    return np.asarray(image.resize((round(image.width * factor), round(image.height * factor)),
                                   kernel))


def test_a_photo_with_its_own_detail_is_not_called_enlarged(shared_photo):
    assert detail_scale(np.asarray(shared_photo)) == 1.0
    buffer = io.BytesIO()
    shared_photo.save(buffer, "JPEG", quality=60)
    assert detail_scale(np.asarray(Image.open(buffer))) == 1.0


@pytest.mark.parametrize("factor", [2.0, 3.0, 4.0])
@pytest.mark.parametrize("kernel", [Image.BILINEAR, Image.BICUBIC, Image.LANCZOS])
def test_an_enlarged_photo_reports_its_factor(shared_photo, factor, kernel):
    assert detail_scale(enlarged(shared_photo, factor, kernel)) == factor


def test_an_enlarged_photo_saved_as_jpeg_still_reports_its_factor(shared_photo):
    buffer = io.BytesIO()
    Image.fromarray(enlarged(shared_photo, 3.0)).save(buffer, "JPEG", quality=80)
    assert detail_scale(np.asarray(Image.open(buffer))) == 3.0


def test_softness_at_full_size_counts_as_lost_detail(shared_photo):
    scales = [detail_scale(cv2.GaussianBlur(np.asarray(shared_photo), (0, 0), sigma))
              for sigma in (1.0, 2.0, 3.0)]
    assert 1.0 < scales[0] < scales[1] <= scales[2]


def test_a_large_photo_is_judged_where_it_is_sharp(shared_photo):
    """A sharp subject on a background soft on purpose (shallow focus) keeps its detail."""
    texture = np.tile(np.asarray(shared_photo), (5, 5, 1))[:1500, :2200]
    shallow = texture.copy()
    shallow[:, 900:] = cv2.GaussianBlur(texture[:, 900:], (0, 0), 3.0)
    assert detail_scale(shallow) == 1.0
    assert detail_scale(cv2.GaussianBlur(texture, (0, 0), 3.0)) > 2.0


@pytest.mark.parametrize("image", [np.full((300, 400, 3), 128, np.uint8),
                                   np.zeros((10, 10), np.uint8),
                                   np.zeros((1, 1, 3), np.uint8)])
def test_plain_or_tiny_images_cannot_tell_and_report_one(image):
    assert detail_scale(image) == 1.0


def test_grey_and_rgba_photos_are_read(shared_photo):
    assert detail_scale(np.asarray(shared_photo.convert("L").resize(
        (shared_photo.width * 2, shared_photo.height * 2), Image.BICUBIC))) == 2.0
    assert detail_scale(np.asarray(shared_photo.convert("RGBA"))) == 1.0
    assert detail_scale(np.asarray(shared_photo.convert("L"))[..., None]) == 1.0


def test_a_malformed_array_is_refused():
    with pytest.raises(ValueError, match="H x W"):
        detail_scale(np.zeros((4, 4, 3, 2), np.uint8))
