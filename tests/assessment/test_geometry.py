"""Box: the pixel geometry every crop and face goes through."""

import pytest

from assessment.geometry import Box, bounding_box


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (Box(0, 0, 10, 10), Box(5, 5, 10, 10), Box(5, 5, 5, 5)),
        (Box(0, 0, 10, 10), Box(10, 0, 5, 5), None),  # edges touch: no overlap
        (Box(0, 0, 10, 10), Box(2, 3, 4, 4), Box(2, 3, 4, 4)),
        (Box(0, 0, 10, 10), Box(20, 20, 1, 1), None),
    ],
)
def test_intersection(a, b, expected):
    assert a.intersection(b) == expected
    assert b.intersection(a) == expected


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        (Box(0, 0, 10, 10), Box(0, 0, 10, 10), True),
        (Box(0, 0, 10, 10), Box(1, 1, 9, 9), True),
        (Box(0, 0, 10, 10), Box(1, 1, 10, 9), False),
        (Box(5, 5, 10, 10), Box(4, 6, 2, 2), False),
    ],
)
def test_contains(outer, inner, expected):
    assert outer.contains(inner) is expected


@pytest.mark.parametrize(
    ("box", "other", "share"),
    [
        (Box(0, 0, 10, 10), Box(5, 0, 10, 10), 0.5),
        (Box(0, 0, 10, 10), Box(0, 0, 4, 4), 1.0),
        (Box(0, 0, 10, 10), Box(10, 10, 4, 4), 0.0),
        (Box(0, 0, 10, 10), Box(3, 3, 0, 0), 0.0),
    ],
)
def test_overlap_share(box, other, share):
    assert box.overlap_share(other) == pytest.approx(share)


@pytest.mark.parametrize(
    ("box", "other", "iou"),
    [
        (Box(0, 0, 10, 10), Box(0, 0, 10, 10), 1.0),
        (Box(0, 0, 10, 10), Box(5, 0, 10, 10), 50 / 150),
        (Box(0, 0, 10, 10), Box(10, 0, 10, 10), 0.0),  # touching edges
        (Box(0, 0, 10, 10), Box(2, 2, 0, 0), 0.0),  # an empty box
    ],
)
def test_iou(box, other, iou):
    assert box.iou(other) == pytest.approx(iou) == pytest.approx(other.iou(box))


@pytest.mark.parametrize(
    ("box", "size", "expected"),
    [
        (Box(-5, -5, 10, 10), (100, 100), Box(0, 0, 5, 5)),
        (Box(95, 90, 10, 20), (100, 100), Box(95, 90, 5, 10)),
        (Box(200, 200, 10, 10), (100, 100), Box(100, 100, 0, 0)),
    ],
)
def test_clamp(box, size, expected):
    assert box.clamp(*size) == expected


def test_scaled_grows_outwards_and_union_holds_both():
    assert Box(1, 1, 3, 3).scaled(1.5, 0.5) == Box(1, 0, 5, 2)
    assert Box(0, 0, 2, 2).union(Box(5, 6, 1, 1)) == Box(0, 0, 6, 7)
    assert Box(1, 2, 3, 4).area == 12
    assert Box(1, 2, 3, 4).center == (2.5, 4.0)


def test_expanded_grows_every_side_by_a_share_outwards():
    assert Box(10, 20, 40, 60).expanded(0.15) == Box(4, 11, 52, 78)
    assert Box(10, 20, 40, 60).expanded(0.0) == Box(10, 20, 40, 60)
    assert Box(1, 1, 3, 3).expanded(0.1) == Box(0, 0, 5, 5)  # 0.3 px each side: a whole pixel
    assert Box(0, 0, 10, 10).expanded(0.5).clamp(12, 12) == Box(0, 0, 12, 12)
    with pytest.raises(ValueError, match=">= 0"):
        Box(0, 0, 10, 10).expanded(-0.1)


def test_as_list_round_trips():
    box = Box(3, 4, 5, 6)
    assert box.as_list() == [3, 4, 5, 6]
    assert Box.from_list(box.as_list()) == box


@pytest.mark.parametrize("bad", [[1, 2, 3], "1,2,3,4", [1, 2, "w", 4], None])
def test_from_list_rejects_bad_input(bad):
    with pytest.raises(ValueError, match=r"\[x, y, w, h\]"):
        Box.from_list(bad)


def test_negative_size_is_an_error():
    with pytest.raises(ValueError, match="width and height"):
        Box(0, 0, -1, 5)


@pytest.mark.parametrize(
    ("boxes", "expected"),
    [
        ([], None),
        ([Box(1, 2, 3, 4)], Box(1, 2, 3, 4)),
        ([Box(0, 0, 2, 2), Box(5, 6, 1, 1), Box(3, 1, 1, 1)], Box(0, 0, 6, 7)),
    ],
)
def test_bounding_box(boxes, expected):
    assert bounding_box(boxes) == expected


def test_fits_in():
    box = Box(5, 5, 100, 60)
    assert box.fits_in((100, 60))
    assert box.fits_in((200, 200))
    assert not box.fits_in((99, 200))
    assert not box.fits_in((200, 59))
