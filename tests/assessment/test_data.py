import cv2
import numpy as np
import pytest
import torch

from assessment.data import (
    CROP,
    Photo,
    ShapeBatches,
    TrainingSet,
    clarity_cases,
    degraded_case,
    sample_shape,
)
from assessment.geometry import Box


@pytest.fixture
def photos():
    rng = np.random.default_rng(0)
    masked = np.zeros((260, 300), np.uint8)
    masked[60:200, 80:220] = 255
    return [
        Photo(rng.integers(0, 255, (260, 300, 3), dtype=np.uint8), masked, "sod"),
        Photo(rng.integers(0, 255, (240, 330, 3), dtype=np.uint8), None, "photos"),
    ]


def test_samples_are_fixed_by_seed_epoch_and_index(photos):
    dataset = TrainingSet(photos, seed=3)
    first, again = dataset[0], dataset[0]
    assert first["image"].shape == (3, CROP, CROP) and first["mask"].shape == (1, CROP, CROP)
    assert all(np.array_equal(first[k], again[k]) for k in first)
    dataset.set_epoch(1)
    assert not np.array_equal(first["image"], dataset[0]["image"])


def test_crop_sets_the_sample_side_of_image_and_mask(photos):
    sample = TrainingSet(photos, seed=3, crop=240, composite_prob=0.0)[0]
    assert sample["image"].shape == (3, 240, 240) and sample["mask"].shape == (1, 240, 240)
    assert 0 < sample["mask"].mean() < 1  # the square object is still in the window


@pytest.mark.parametrize(
    ("photo", "shape"),
    [
        ((256, 384), (256, 384)),  # a 3:2 landscape keeps its shape
        ((384, 256), (384, 256)),  # and a portrait its own
        ((288, 384), (256, 384)),  # 4:3 is nearer 3:2 than square
        ((300, 330), (256, 256)),  # nearly square
        ((260, 300), (256, 256)),  # too narrow for 3:2 without enlarging
    ],
)
def test_aspect_keeping_samples_take_the_nearest_shape_the_photo_holds(photo, shape):
    assert sample_shape(*photo, 256) == shape


def test_a_photo_smaller_than_the_samples_has_no_shape():
    with pytest.raises(ValueError, match="smaller than 256-px samples"):
        sample_shape(250, 400, 256)


def test_aspect_keeping_samples_are_not_squeezed():
    rng = np.random.default_rng(0)
    disc = np.zeros((256, 384), np.uint8)  # a circle stays a circle: its box stays square
    yy, xx = np.mgrid[:256, :384]
    disc[(yy - 128) ** 2 + (xx - 192) ** 2 <= 60**2] = 255
    photo = Photo(rng.integers(0, 255, (256, 384, 3), dtype=np.uint8), disc, "sod")
    dataset = TrainingSet([photo], seed=0, crop=224, keep_aspect=True, composite_prob=0.0)
    assert dataset.shapes() == [(224, 336)]
    for epoch in range(4):
        dataset.set_epoch(epoch)
        sample = dataset[0]
        assert sample["image"].shape == (3, 224, 336) and sample["mask"].shape == (1, 224, 336)
        ys, xs = np.nonzero(sample["mask"][0].numpy())
        assert abs((ys.max() - ys.min()) - (xs.max() - xs.min())) <= 2


def test_batches_hold_one_shape_and_change_with_the_epoch():
    shapes = [(256, 384)] * 5 + [(384, 256)] * 3 + [(256, 256)]
    batches = ShapeBatches(shapes, 2, seed=0)
    drawn = list(batches)
    assert len(drawn) == len(batches) == 3  # 2 + 1 full batches; the odd ones are dropped
    assert all(len({shapes[i] for i in batch}) == 1 and len(batch) == 2 for batch in drawn)
    assert drawn == list(batches)
    batches.set_epoch(1)
    assert list(batches) != drawn


def test_photos_without_masks_teach_only_clarity_unless_composited(photos):
    plain = TrainingSet(photos, seed=0, composite_prob=0.0)[1]
    assert plain["has_mask"] == 0 and plain["mask_weight"] == 0 and not plain["mask"].any()
    pasted = TrainingSet(photos, seed=0, composite_prob=1.0)[1]
    assert pasted["has_mask"] == 1 and pasted["mask"].any()


def test_labels_cover_all_levels(photos):
    dataset = TrainingSet(photos, seed=0)
    levels = set()
    for epoch in range(40):
        dataset.set_epoch(epoch)
        levels.add(int(dataset[0]["clarity"]))
    assert levels == set(range(1, 11))


def test_validation_cases_are_deterministic(photos):
    cases = clarity_cases(2, levels=(1, 10))
    assert len(cases) == 2 * 5 * 2
    assert np.array_equal(degraded_case(photos, cases[0]), degraded_case(photos, cases[0]))


def test_mask_repeat_draws_labelled_photos_again_with_new_augmentation(photos):
    dataset = TrainingSet(photos, seed=0, composite_prob=0.0, mask_repeat=3)
    assert len(dataset) == 4  # the labelled photo three times, the unlabelled one once
    draws = [dataset[i] for i in (0, 2, 3)]
    assert all(d["has_mask"] == 1 for d in draws)
    assert not np.array_equal(draws[1]["image"], draws[2]["image"])
    assert dataset[1]["has_mask"] == 0


def test_mask_repeat_must_be_positive(photos):
    with pytest.raises(ValueError, match="mask_repeat"):
        TrainingSet(photos, seed=0, mask_repeat=0)


def test_mask_clean_leaves_masked_samples_pristine_and_others_damaged(photos):
    dataset = TrainingSet(photos, seed=0, composite_prob=0.0, mask_clean=1.0)
    masked, plain = [], []
    for epoch in range(8):
        dataset.set_epoch(epoch)
        masked.append(float(dataset[0]["clarity"]))
        plain.append(float(dataset[1]["clarity"]))
    assert masked == [10.0] * 8
    assert len(set(plain)) > 1  # photos without a mask still draw every level


def _detail(sample: dict[str, torch.Tensor], where: torch.Tensor) -> float:
    """Mean squared Laplacian of the sample image's first channel over `where`."""
    channel = sample["image"][0].numpy()
    laplacian = cv2.Laplacian(channel, cv2.CV_32F)
    return float((laplacian**2)[where.numpy()].mean())


def focus_set(kind: str) -> TrainingSet:
    """Focus samples of one noise photo with a square subject mask of `kind`, undamaged but
    for focus (`mask_clean`)."""
    image = np.random.default_rng(1).integers(0, 255, (260, 300, 3), dtype=np.uint8)
    mask = np.zeros((260, 300), np.uint8)
    mask[50:210, 70:230] = 255
    return TrainingSet(
        [Photo(image, mask, kind)], seed=0, composite_prob=0.0, mask_clean=1.0, focus=1.0
    )


def test_focus_blurs_background_as_no_damage_and_subject_as_damage():
    dataset = focus_set("sod")
    labels = set()
    for epoch in range(12):
        dataset.set_epoch(epoch)
        sample = dataset[0]
        subject = torch.from_numpy(cv2.erode(sample["mask"][0].numpy(), np.ones((9, 9)))) > 0
        background = torch.from_numpy(cv2.dilate(sample["mask"][0].numpy(), np.ones((9, 9)))) == 0
        sharp_subject = _detail(sample, subject) > 10 * _detail(sample, background)
        sharp_background = _detail(sample, background) > 10 * _detail(sample, subject)
        label = float(sample["clarity"])
        labels.add(label)
        # A blurred background leaves the label pristine; a blurred subject lowers it.
        assert (sharp_subject, sharp_background) == ((True, False) if label == 10 else (False, True))
    assert 10.0 in labels and len(labels) > 2


def test_focus_draws_only_on_a_subject_drawn_by_people():
    dataset = focus_set("objects")
    for epoch in range(6):
        dataset.set_epoch(epoch)
        assert float(dataset[0]["clarity"]) == 10.0  # a COCO instance: never blurred apart


def test_focus_must_be_a_probability(photos):
    with pytest.raises(ValueError, match="focus is a probability"):
        TrainingSet(photos, seed=0, focus=-0.1)


def test_mask_clean_must_be_a_probability(photos):
    with pytest.raises(ValueError, match="probability"):
        TrainingSet(photos, seed=0, mask_clean=1.5)


def test_objects_min_share_keeps_only_dominant_coco_masks():
    rng = np.random.default_rng(0)
    small, large = np.zeros((256, 300), np.uint8), np.zeros((256, 300), np.uint8)
    small[100:120, 100:120] = 255  # 0.5 % of the photo
    large[40:220, 50:250] = 255  # 47 %
    photos = [
        Photo(rng.integers(0, 255, (256, 300, 3), dtype=np.uint8), small, "objects"),
        Photo(rng.integers(0, 255, (256, 300, 3), dtype=np.uint8), large, "objects"),
    ]
    dataset = TrainingSet(photos, seed=0, composite_prob=0.0, objects_min_share=0.1)
    assert [float(dataset[i]["has_mask"]) for i in range(2)] == [0.0, 1.0]
    assert float(dataset[1]["mask_weight"]) == 0.5
    everything = TrainingSet(photos, seed=0, composite_prob=0.0)
    assert [float(everything[i]["has_mask"]) for i in range(2)] == [1.0, 1.0]


def test_zoom_enlarges_some_masked_samples_keeping_image_and_mask_aligned():
    image = np.zeros((260, 300, 3), np.uint8)
    mask = np.zeros((260, 300), np.uint8)
    image[60:200, 80:220], mask[60:200, 80:220] = 255, 255  # a white object and its mask
    dataset = TrainingSet(
        [Photo(image, mask, "sod")], seed=0, composite_prob=0.0, zoom=2.0, mask_clean=1.0
    )
    enlarged = 0
    for epoch in range(12):
        dataset.set_epoch(epoch)
        sample = dataset[0]
        enlarged += float(sample["clarity_weight"]) == 0.0
        grey = sample["image"].mean(dim=0)
        inside = sample["mask"][0] > 0
        assert grey[inside].mean() > grey[~inside].mean() + 1.0  # the object is under its mask
    assert 0 < enlarged < 12  # about half the masked samples come from smaller windows


def test_zoom_never_enlarges_photos_without_a_mask(photos):
    dataset = TrainingSet(photos, seed=0, composite_prob=0.0, zoom=2.0)
    weights = []
    for epoch in range(8):
        dataset.set_epoch(epoch)
        weights.append(float(dataset[1]["clarity_weight"]))
    assert weights == [1.0] * 8


def test_zoom_must_not_shrink(photos):
    with pytest.raises(ValueError, match="at least 1"):
        TrainingSet(photos, seed=0, zoom=0.5)


def test_rotate_turns_enlarged_samples_keeping_image_and_mask_aligned():
    image = np.zeros((260, 300, 3), np.uint8)
    mask = np.zeros((260, 300), np.uint8)
    image[60:200, 80:220], mask[60:200, 80:220] = 255, 255  # an upright square and its mask
    dataset = TrainingSet(
        [Photo(image, mask, "sod")],
        seed=0,
        composite_prob=0.0,
        zoom=2.0,
        rotate=30.0,
        mask_clean=1.0,
    )
    turned = 0
    for epoch in range(12):
        dataset.set_epoch(epoch)
        sample = dataset[0]
        grey = sample["image"].mean(dim=0)
        inside = sample["mask"][0] > 0
        assert grey[inside].mean() > grey[~inside].mean() + 1.0
        rows, cols = torch.nonzero(inside, as_tuple=True)
        box = (rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1)
        turned += bool(inside.sum() < 0.9 * box)  # a turned square no longer fills its box
        if float(sample["clarity_weight"]) == 1.0:
            assert inside.sum() >= 0.98 * box  # samples that were not enlarged stay upright
    assert turned > 0


def test_rotate_changes_nothing_without_zoom(photos):
    plain = TrainingSet(photos, seed=0, composite_prob=0.0)
    turned = TrainingSet(photos, seed=0, composite_prob=0.0, rotate=30.0)
    for index in range(len(photos)):
        assert torch.equal(plain[index]["image"], turned[index]["image"])


def test_rotate_must_lie_within_45_degrees(photos):
    with pytest.raises(ValueError, match="0..45"):
        TrainingSet(photos, seed=0, rotate=60.0)


def test_object_task_sends_coco_masks_to_the_objectness_map_aligned(photos):
    image = np.zeros((260, 300, 3), np.uint8)
    mask = np.zeros((260, 300), np.uint8)
    image[60:200, 80:220], mask[60:200, 80:220] = 255, 255
    dataset = TrainingSet(
        [*photos, Photo(image, mask, "objects")],
        seed=0,
        composite_prob=0.0,
        object_task=True,
        mask_clean=1.0,
        mask_repeat=2,
    )
    assert len(dataset) == 4  # only the saliency mask comes again; COCO photos are no donors
    assert [p.kind for p in dataset.donors] == ["sod"]
    salient, plain, coco = (dataset[i] for i in range(3))
    assert (float(salient["has_mask"]), float(salient["has_object"])) == (1.0, 0.0)
    assert (float(plain["has_mask"]), float(plain["has_object"])) == (0.0, 0.0)
    assert (float(coco["has_mask"]), float(coco["has_object"])) == (0.0, 1.0)
    assert float(coco["mask"].sum()) == 0.0
    grey, inside = coco["image"].mean(dim=0), coco["object_mask"][0] > 0
    assert grey[inside].mean() > grey[~inside].mean() + 1.0
    assert "object_mask" not in TrainingSet(photos, seed=0)[0]


def test_face_hints_follow_the_face_and_teach_no_clarity_and_take_no_paste(photos):
    image = np.full((260, 300, 3), 20, np.uint8)
    image[80:160, 120:180] = 230  # a bright face
    person = Photo(image, None, "faces", (Box(120, 80, 60, 80),))
    dataset = TrainingSet([*photos, person], seed=0, composite_prob=1.0, face_hints=True)
    for epoch in range(6):
        dataset.set_epoch(epoch)
        sample = dataset[2]
        inside = sample["hint"][0] > 0
        assert float(sample["has_hint"]) == 1.0 and inside.any()
        grey = sample["image"].mean(dim=0)
        assert grey[inside].mean() > grey[~inside].mean() + 1.0  # the hint lies on the face
        assert float(sample["has_mask"]) == 0.0 and not sample["mask"].any()  # no paste either
        assert float(sample["clarity_weight"]) == 0.0  # WIDER photos are not clean
    assert float(dataset[0]["has_hint"]) == 0.0 and not dataset[0]["hint"].any()
    assert "hint" not in TrainingSet(photos, seed=0)[0]


def test_torso_hints_add_the_chest_under_the_face(photos):
    image = np.full((260, 300, 3), 20, np.uint8)
    person = Photo(image, None, "faces", (Box(120, 40, 60, 70),))
    faces_only = TrainingSet([person], seed=0, face_hints=True)[0]["hint"][0] > 0
    with_chest = TrainingSet([person], seed=0, face_hints=True, torso_hints=True)[0]["hint"][0] > 0
    assert bool(with_chest[faces_only].all()) and with_chest.sum() > 2 * faces_only.sum()
    rows = np.nonzero(with_chest.numpy())[0]
    assert rows.max() > np.nonzero(faces_only.numpy())[0].max() + 20  # it reaches down the body


def test_background_hints_lie_beyond_every_person_and_follow_the_geometry(photos):
    image = np.full((260, 300, 3), 230, np.uint8)  # a bright scene
    image[40:, 110:190] = 20  # a dark person: face box (130, 40, 40, 50) reaches columns 70..230
    person = Photo(image, None, "faces", (Box(130, 40, 40, 50),), (Box(130, 40, 40, 50),))
    dataset = TrainingSet([person], seed=0, face_hints=True, torso_hints=True,
                          background_hints=True, zoom=1.5)
    for epoch in range(6):
        dataset.set_epoch(epoch)
        sample = dataset[0]
        scene, hint = sample["background"][0] > 0, sample["hint"][0] > 0
        assert float(sample["has_background"]) == float(scene.any())
        assert not (scene & hint).any()  # never on the subject's face or chest
        grey = sample["image"].mean(dim=0)
        if scene.any():
            assert grey[scene].mean() > grey[hint].mean() + 1.0  # the bright scene, not the person
    assert "background" not in TrainingSet([person], seed=0, face_hints=True)[0]


def test_object_hints_mark_the_object_and_teach_no_mask(photos):
    image = np.full((240, 240, 3), 20, np.uint8)
    mask = np.zeros((240, 240), np.uint8)
    mask[60:180, 80:160] = 255
    image[mask > 0] = 230
    thing = Photo(image, mask, "objects")
    as_mask = TrainingSet([thing], seed=0, composite_prob=0.0, face_hints=True)[0]
    assert float(as_mask["has_mask"]) == 1.0 and float(as_mask["has_hint"]) == 0.0
    dataset = TrainingSet([thing], seed=0, composite_prob=1.0, face_hints=True, object_hints=True)
    for epoch in range(4):
        dataset.set_epoch(epoch)
        sample = dataset[0]
        inside = sample["hint"][0] > 0
        assert float(sample["has_hint"]) == 1.0 and inside.any() and not inside.all()
        grey = sample["image"].mean(dim=0)
        assert grey[inside].mean() > grey[~inside].mean() + 1.0  # the hint lies on the object
        assert float(sample["has_mask"]) == 0.0 and not sample["mask"].any()
        assert float(sample["clarity_weight"]) == 1.0  # a clean COCO photo still teaches clarity


def test_the_face_map_marks_every_face_with_the_geometry_of_the_hint(photos):
    image = np.full((260, 300, 3), 20, np.uint8)
    image[80:160, 40:100] = 230  # the subject's face
    image[100:130, 220:245] = 230  # a face of the crowd, too small to hint at the subject
    subject, crowd = Box(40, 80, 60, 80), Box(220, 100, 25, 30)
    person = Photo(image, None, "faces", (subject,), (subject, crowd))
    dataset = TrainingSet(
        [*photos, person], seed=0, composite_prob=1.0, face_hints=True, face_task=True, zoom=2.0
    )
    crowd_seen = 0
    for epoch in range(6):
        dataset.set_epoch(epoch)
        sample = dataset[2]
        faces, hint = sample["face_mask"][0] > 0, sample["hint"][0] > 0
        assert float(sample["has_face"]) == 1.0 and faces.sum() >= hint.sum() > 0
        crowd_seen += int(faces.sum() > hint.sum())  # unless the window left the crowd out
        assert bool(faces[hint].all())  # the hinted face is one of the faces
        grey = sample["image"].mean(dim=0)
        assert grey[faces].min() > grey[~faces].mean() + 1.0  # every marked pixel lies on a face
        assert float(sample["has_mask"]) == 0.0  # no object pasted over the faces
    assert crowd_seen >= 3
    assert float(dataset[0]["has_face"]) == 0.0 and not dataset[0]["face_mask"].any()
    alone = TrainingSet([person], seed=0, composite_prob=1.0, face_task=True)[0]
    assert "hint" not in alone and float(alone["has_face"]) == 1.0
    assert float(alone["has_mask"]) == 0.0


def test_a_photo_without_faces_teaches_the_face_map_no_face(photos):
    faceless = Photo(photos[0].image, photos[0].mask, "sod", faceless=True)
    dataset = TrainingSet([photos[1], faceless], seed=0, composite_prob=0.0, face_task=True)
    sample = dataset[1]
    assert float(sample["has_face"]) == 1.0 and not sample["face_mask"].any()
    assert float(sample["has_mask"]) == 1.0 and sample["mask"].any()  # its mask still teaches
    assert float(sample["clarity_weight"]) == 1.0  # and so does its clarity
    assert float(dataset[0]["has_face"]) == 0.0  # an unlisted photo says nothing of faces
    assert float(TrainingSet([faceless], seed=0)[0]["has_mask"]) == 1.0  # no face task: as before
