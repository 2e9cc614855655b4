import json
from pathlib import Path

import pytest
from PIL import Image

from assessment.geometry import Box
from assessment.sources import (
    discover,
    face_sources,
    face_split,
    manifest_hash,
    no_face_paths,
    paired_sources,
    prominent_faces,
    shared_sources,
    user_sources,
    with_face_negatives,
)


def make(folder: Path, names: list[str], suffix: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        Image.new("RGB", (8, 8)).save(folder / f"{name}{suffix}")


def test_images_pair_with_masks_by_stem(tmp_path):
    make(tmp_path / "img", ["a", "b", "c"], ".jpg")
    make(tmp_path / "msk", ["a", "c"], ".png")
    sources = paired_sources(tmp_path / "img", tmp_path / "msk")
    assert [(s.image.stem, s.mask and s.mask.stem) for s in sources] == [
        ("a", "a"),
        ("b", None),
        ("c", "c"),
    ]


@pytest.mark.parametrize(
    ("images", "masks"), [("DUTS-TR-Image", "DUTS-TR-Mask"), ("images", "masks")]
)
def test_user_layouts_split_train_and_val(tmp_path, images, masks):
    names = [f"n{i}" for i in range(40)]
    make(tmp_path / images, names, ".jpg")
    make(tmp_path / masks, names, ".png")
    train, val = discover(tmp_path, "train"), user_sources(tmp_path, "val")
    assert len(train) + len(val) == 40 and val and train
    assert {s.image.stem for s in train}.isdisjoint({s.image.stem for s in val})
    assert all(s.mask is not None for s in train + val)


def test_unknown_layout_says_what_it_expects(tmp_path):
    with pytest.raises(FileNotFoundError, match="DUTS-TR-Image"):
        discover(tmp_path, "train")


def test_shared_layout_has_masks_and_photos(data_root):
    sources = shared_sources(data_root, "val")
    kinds = {s.kind for s in sources}
    assert kinds == {"sod", "fg", "objects", "photos"}
    assert all((s.mask is None) == (s.kind == "photos") for s in sources)
    assert len(manifest_hash(sources)) == 16


def test_face_split_holds_out_every_sixth_photo_by_name():
    names = [f"p{i:02d}" for i in range(20)][::-1]
    val, train = face_split(names, "val"), face_split(names, "train")
    assert val == ["p00", "p06", "p12", "p18"]
    assert sorted(val + train) == sorted(names) and not set(val) & set(train)
    with pytest.raises(ValueError, match="'train' or 'val'"):
        face_split(names, "test")


def test_prominent_faces_leave_out_the_crowd_and_the_tiny():
    subject, beside = Box(10, 10, 60, 80), Box(90, 10, 40, 50)
    crowd, tiny = Box(5, 5, 20, 20), Box(0, 0, 8, 8)
    assert prominent_faces([subject, beside, crowd, tiny]) == (subject, beside)
    assert prominent_faces([tiny]) == ()


def test_face_sources_attach_the_prominent_faces_of_the_split(tmp_path):
    folder = tmp_path / "faces"
    (folder / "images").mkdir(parents=True)
    boxes = {f"p{i}": [[10, 10, 40, 40], [0, 0, 9, 9]] for i in range(7)}
    boxes["p3"] = [[0, 0, 9, 9]]  # no face a subject could have: left out
    (folder / "faces.json").write_text(json.dumps(boxes))
    train = face_sources(tmp_path, "train")
    assert [s.image.name for s in train] == ["p1.jpg", "p2.jpg", "p4.jpg", "p5.jpg"]
    assert all(s.kind == "faces" and s.mask is None for s in train)
    assert train[0].faces == (Box(10, 10, 40, 40),)
    assert [s.image.stem for s in face_sources(tmp_path, "val")] == ["p0", "p6"]
    with pytest.raises(FileNotFoundError, match="faces.json"):
        face_sources(tmp_path / "elsewhere", "train")


def test_face_negatives_mark_the_listed_photos_only(tmp_path):
    make(tmp_path / "sod" / "train" / "images", ["a", "b"], ".jpg")
    make(tmp_path / "photos" / "train", ["c"], ".jpg")
    listed = tmp_path / "no_faces.txt"
    listed.write_text("# seen by eye\nsod/train/images/b.jpg\n\nphotos/train/c.jpg  # a wall\n")
    assert no_face_paths(listed) == {"sod/train/images/b.jpg", "photos/train/c.jpg"}
    sources = shared_sources(tmp_path, "train", kinds=("sod", "photos"))
    marked = with_face_negatives(sources, tmp_path, no_face_paths(listed))
    assert [(s.image.stem, s.faceless) for s in marked] == [("a", False), ("b", True), ("c", True)]
    assert not any(s.faceless for s in with_face_negatives(sources, tmp_path / "other", {"b.jpg"}))


def test_the_committed_no_face_list_names_photos_of_the_shared_data(data_root):
    listed = no_face_paths()
    splits = [path.split("/")[1] for path in listed]
    assert splits.count("train") >= 100 and splits.count("val") >= 100
    assert set(splits) == {"train", "val"}
    assert not any(path.startswith("faces/") for path in listed)
    assert all((data_root / path).is_file() for path in listed)
