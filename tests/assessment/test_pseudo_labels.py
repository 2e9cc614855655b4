import json

import numpy as np
import pytest
from PIL import Image

from assessment.cli import main
from assessment.data import Photo, TrainingSet
from assessment.pseudo_labels import MANIFEST, accept, confidence, write_pseudo_labels
from assessment.sources import Source, shared_sources, with_pseudo_masks


def square_map(value_in: float = 1.0, value_out: float = 0.0) -> np.ndarray:
    probability = np.full((40, 60), value_out, np.float32)
    probability[10:30, 20:40] = value_in
    return probability


def test_confidence_is_one_for_certain_maps_and_zero_for_grey_ones():
    assert confidence(square_map()) == pytest.approx(1.0)
    assert confidence(np.full((8, 8), 0.5)) == pytest.approx(0.0)
    assert confidence(square_map(0.9, 0.1)) == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("probability", "kept"),
    [
        (square_map(), True),
        (square_map(0.7, 0.3), False),  # unsure
        (np.zeros((40, 60)), False),  # sure, but nothing in it
        (np.ones((40, 60)), False),  # sure, but all of it
    ],
)
def test_only_sure_maps_of_a_plausible_area_are_kept(probability, kept):
    assert accept(probability) is kept


def photo_sources(folder, names):
    folder.mkdir(parents=True, exist_ok=True)
    sources = []
    for name in names:
        Image.new("RGB", (60, 40), (120, 80, 40)).save(folder / f"{name}.jpg")
        sources.append(Source(folder / f"{name}.jpg", None, "photos"))
    return sources


def test_sure_maps_are_written_as_binary_masks_and_unsure_ones_are_not(tmp_path):
    sources = photo_sources(tmp_path / "photos", ["sure", "grey"])
    out = tmp_path / "pseudo"
    out.mkdir()
    Image.new("L", (60, 40), 255).save(out / "grey.png")  # left by an earlier run

    maps = iter([square_map(0.8, 0.05), np.full((40, 60), 0.5, np.float32)])  # in source order
    entries = write_pseudo_labels(
        sources, out, foreground=lambda images: ([5.0], [next(maps)]), checkpoint="teacher.pt"
    )
    assert [entries[n]["kept"] for n in ("sure", "grey")] == [True, False]
    mask = np.asarray(Image.open(out / "sure.png"))
    assert set(np.unique(mask)) == {0, 255} and mask[20, 30] == 255 and mask[0, 0] == 0
    assert not (out / "grey.png").exists()
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["checkpoint"] == "teacher.pt" and manifest["kept"] == 1
    assert manifest["photos"]["sure"]["confidence"] == pytest.approx(0.85)  # (0.6·1 + 0.9·5) / 6


def test_the_network_map_decides_and_the_served_map_is_written(tmp_path):
    sources = photo_sources(tmp_path / "photos", ["sure", "grey"])
    out = tmp_path / "pseudo"
    own = iter([square_map(0.8, 0.05), np.full((40, 60), 0.5, np.float32)])
    served_map = np.zeros((40, 60), np.float32)
    served_map[5:35, 10:50] = 0.9  # the served map completes the subject beyond the network's box
    served_calls = []

    def served(images):
        served_calls.append(len(images))
        return [5.0], [served_map]

    entries = write_pseudo_labels(
        sources,
        out,
        foreground=lambda images: ([5.0], [next(own)]),
        checkpoint="teacher.pt",
        served=served,
    )
    assert [entries[n]["kept"] for n in ("sure", "grey")] == [True, False]
    assert served_calls == [1]  # only the kept photo is served
    mask = np.asarray(Image.open(out / "sure.png"))
    assert mask[6, 12] == 255 and mask[0, 0] == 0  # outside the network's box, inside the served map
    assert entries["sure"]["foreground"] == pytest.approx(1 / 6, abs=1e-4)  # the network's share
    assert json.loads((out / MANIFEST).read_text())["served"] is True


def test_photos_must_have_unique_stems(tmp_path):
    sources = photo_sources(tmp_path / "a", ["x"]) + photo_sources(tmp_path / "b", ["x"])
    with pytest.raises(ValueError, match="unique"):
        write_pseudo_labels(sources, tmp_path / "out", foreground=None, checkpoint="t.pt")


def test_pseudo_masks_go_only_to_photos_without_a_saliency_mask(tmp_path):
    sources = [
        Source(tmp_path / "a.jpg", None, "photos"),
        Source(tmp_path / "b.jpg", tmp_path / "coco/b.png", "objects"),
        Source(tmp_path / "c.jpg", tmp_path / "human/c.png", "sod"),
        Source(tmp_path / "d.jpg", None, "photos"),
    ]
    pseudo = tmp_path / "pseudo"
    pseudo.mkdir()
    for name in "abc":
        Image.new("L", (4, 4)).save(pseudo / f"{name}.png")
    swapped = with_pseudo_masks(sources, pseudo)
    assert [(s.kind, s.mask) for s in swapped] == [
        ("pseudo", pseudo / "a.png"),
        ("pseudo", pseudo / "b.png"),
        ("sod", tmp_path / "human/c.png"),
        ("photos", None),
    ]
    with pytest.raises(FileNotFoundError, match="pseudo-label folder"):
        with_pseudo_masks(sources, tmp_path / "missing")


def test_pseudo_labelled_photos_teach_the_mask_at_half_weight():
    rng = np.random.default_rng(0)
    mask = np.zeros((240, 240), np.uint8)
    mask[60:180, 60:180] = 255
    photo = Photo(rng.integers(0, 255, (240, 240, 3), dtype=np.uint8), mask, "pseudo")
    sample = TrainingSet([photo], seed=0, composite_prob=0.0)[0]
    assert sample["has_mask"] == 1 and sample["mask_weight"] == 0.5 and sample["mask"].any()


def test_pseudo_label_command_labels_the_unlabelled_training_photos(tmp_path, data_root, capsys):
    data = tmp_path / "data"
    for kind in ("sod", "photos"):
        (data / kind / "train").mkdir(parents=True)
    for path in sorted((data_root / "photos" / "train").glob("*.jpg"))[:3]:
        (data / "photos" / "train" / path.name).symlink_to(path)
    for folder in ("images", "masks"):
        (data / "sod" / "train" / folder).symlink_to(data_root / "sod" / "train" / folder)
    out = tmp_path / "pseudo"
    assert main(["pseudo-label", "--data", str(data), "--out", str(out), "--min-confidence", "0"]) == 0
    manifest = json.loads((out / MANIFEST).read_text())
    photos = [s.image.stem for s in shared_sources(data, "train", kinds=("photos",))]
    assert sorted(manifest["photos"]) == sorted(photos)  # no sod photo is pseudo-labelled
    kept = {name for name, entry in manifest["photos"].items() if entry["kept"]}
    assert {p.stem for p in out.glob("*.png")} == kept
    assert f"{len(kept)} of 3 photos got a pseudo-label" in capsys.readouterr().out
