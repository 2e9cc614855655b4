from pathlib import Path

import pytest
from PIL import Image

from assessment.sources import discover, manifest_hash, paired_sources, shared_sources, user_sources


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
