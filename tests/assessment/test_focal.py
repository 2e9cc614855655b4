"""The focal point a CMS that crops for itself should keep."""

from __future__ import annotations

import pytest

from assessment.cropping import focal_point
from assessment.geometry import Box


def test_the_editors_marked_subject_wins():
    point = focal_point((400, 200), centroid=(100, 100), faces=[Box(300, 20, 40, 40)],
                        focus=(40, 150))
    assert point == pytest.approx((0.1, 0.75))


def test_the_main_faces_come_before_the_bodys_centroid():
    faces = [Box(100, 20, 40, 40), Box(220, 30, 40, 40), Box(380, 180, 10, 10)]  # two people, a tiny face
    point = focal_point((400, 300), centroid=(180, 200), faces=faces)
    assert point == pytest.approx((180 / 400, 45 / 300))  # between the two people's faces


def test_without_faces_the_subjects_centroid_then_the_middle():
    assert focal_point((400, 300), centroid=(300, 60)) == pytest.approx((0.75, 0.2))
    assert focal_point((400, 300), faces=[Box(0, 0, 0, 0)]) == pytest.approx((0.5, 0.5))


def test_a_point_is_kept_inside_the_picture_and_a_bad_size_is_refused():
    assert focal_point((400, 300), centroid=(420, -5)) == (1.0, 0.0)
    with pytest.raises(ValueError, match="positive size"):
        focal_point((0, 300))
