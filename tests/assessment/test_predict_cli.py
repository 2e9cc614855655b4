"""The `python -m assessment predict` contract, end to end in a subprocess."""

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from assessment.checkpoint import save_checkpoint
from assessment.collages import collage_flaws
from assessment.faces import detect_faces
from assessment.geometry import Box
from assessment.registry import create_model
from tests.conftest import photo, written


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    """An untrained checkpoint: the contract does not depend on what the network learnt."""
    path = tmp_path_factory.mktemp("ckpt") / "untrained.pt"
    return save_checkpoint(
        path, create_model("cover-small").eval(), metadata={"version": "test"}, half=True
    )


def run_predict(*args):
    return subprocess.run(
        [sys.executable, "-m", "assessment", "predict", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_writes_mask_and_json_per_image(tmp_path, checkpoint):
    images = tmp_path / "in"
    images.mkdir()
    rng = np.random.default_rng(0)
    sizes = {"odd.jpg": (97, 61), "tall.png": (45, 130), "wide.webp": (501, 77),
             "dot.png": (1, 1), "strip.png": (3000, 12)}
    for name, (w, h) in sizes.items():
        Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(images / name)
    (images / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    out = tmp_path / "out"
    result = run_predict(
        images, "--out", out, "--checkpoint", checkpoint, "--ratios", "16:9,1:1,9:16,free"
    )
    assert result.returncode == 0, result.stderr
    assert "broken.jpg" in result.stderr
    assert not (out / "broken.json").exists()
    for name, (w, h) in sizes.items():
        stem = name.rsplit(".", 1)[0]
        record = json.loads((out / f"{stem}.json").read_text())
        assert record["image"] == name and (record["width"], record["height"]) == (w, h)
        assert record["mask"] == f"{stem}.png" and 1.0 <= record["clarity"] <= 10.0
        mask = Image.open(out / record["mask"])
        assert mask.mode == "L" and mask.size == (w, h)
        assert set(record["crops"]) == {"16:9", "1:1", "9:16", "free"}
        for ratio, (x, y, cw, ch) in record["crops"].items():
            assert x >= 0 and y >= 0 and x + cw <= w and y + ch <= h and cw > 0 and ch > 0
            if ratio != "free" and min(w, h) > 1:
                a, b = map(int, ratio.split(":"))
                assert abs(cw * b / a - ch) <= 1.0


def test_exit_code_is_non_zero_when_nothing_could_be_read(tmp_path, checkpoint):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text("hello")
    result = run_predict(tmp_path / "in", "--out", tmp_path / "out", "--checkpoint", checkpoint)
    assert result.returncode == 1 and "notes.txt" in result.stderr


def test_bad_ratio_is_refused_before_any_work(tmp_path, checkpoint):
    (tmp_path / "in").mkdir()
    result = run_predict(
        tmp_path / "in",
        "--out",
        tmp_path / "out",
        "--checkpoint",
        checkpoint,
        "--ratios",
        "16:9,wide",
    )
    assert result.returncode == 2 and "wide" in result.stderr


def test_the_image_folder_is_refused_as_the_output_folder(tmp_path, checkpoint):
    # a PNG photo would be replaced by its own mask, and a notes.json by a record
    images = tmp_path / "in"
    images.mkdir()
    photo(64, 48, seed=1).save(images / "front.png")
    (images / "front.json").write_text("{}")
    before = {p.name: p.read_bytes() for p in images.iterdir()}
    result = run_predict(images, "--out", tmp_path / "in" / ".." / "in", "--checkpoint", checkpoint)
    assert result.returncode == 2 and "image folder" in result.stderr
    assert {p.name: p.read_bytes() for p in images.iterdir()} == before


def test_no_mirror_serves_one_pass_masks_and_the_same_clarity(tmp_path):
    """The committed network; an off-centre subject, so the mirror pass sees a different scene."""
    images = tmp_path / "in"
    images.mkdir()
    yy, xx = np.mgrid[:180, :320]
    scene = np.full((180, 320, 3), 60, np.uint8)
    scene[(yy - 80) ** 2 + (xx - 90) ** 2 < 45**2] = (230, 180, 40)
    Image.fromarray(scene).save(images / "subject.png")
    outputs = {}
    for name, flags in {"mirror": (), "one-pass": ("--no-mirror",)}.items():
        result = run_predict(images, "--out", tmp_path / name, *flags)
        assert result.returncode == 0, result.stderr
        outputs[name] = (
            json.loads((tmp_path / name / "subject.json").read_text())["clarity"],
            np.asarray(Image.open(tmp_path / name / "subject.png"), np.int16),
        )
    assert outputs["mirror"][0] == outputs["one-pass"][0]
    assert np.abs(outputs["mirror"][1] - outputs["one-pass"][1]).max() > 0


def test_no_refine_serves_the_networks_own_masks_and_refining_finds_more_of_the_subject(
    tmp_path, data_root
):
    """The committed network on a val photo (a starfish on weed) whose arms it half-finds."""
    images = tmp_path / "in"
    images.mkdir()
    shutil.copy(data_root / "sod/val/images/12003.jpg", images)
    human = np.asarray(Image.open(data_root / "sod/val/masks/12003.png")) > 127
    ious = {}
    for name, flags in {"refined": (), "raw": ("--no-refine",)}.items():
        result = run_predict(images, "--out", tmp_path / name, *flags)
        assert result.returncode == 0, result.stderr
        marked = np.asarray(Image.open(tmp_path / name / "12003.png")) > 127
        ious[name] = (marked & human).sum() / (marked | human).sum()
    assert ious["refined"] > ious["raw"] + 0.05, ious  # phase 16: 0.39 → 0.46


def test_the_faces_it_finds_are_kept_in_the_mask(tmp_path, checkpoint, data_root):
    name = "13_Interview_Interview_Sequences_13_723"  # one large face the cascade finds
    images = tmp_path / "in"
    images.mkdir()
    shutil.copy(data_root / "faces" / "images" / f"{name}.jpg", images)
    result = run_predict(images, "--out", tmp_path / "out", "--checkpoint", checkpoint)
    assert result.returncode == 0, result.stderr
    image = np.asarray(Image.open(images / f"{name}.jpg").convert("RGB"))
    (face, *_) = detect_faces(image)
    mask = np.asarray(Image.open(tmp_path / "out" / f"{name}.png"))
    centre = mask[face.y + face.h // 2 - 2 : face.y + face.h // 2 + 3,
                  face.x + face.w // 2 - 2 : face.x + face.w // 2 + 3]
    assert centre.min() >= 250  # the untrained network knows nothing; the face is sure subject


def test_the_crops_of_a_collage_show_no_sliver_of_a_photo(tmp_path, checkpoint):
    """A wide photo beside a narrow one, a white line between: whatever the (untrained) mask, no
    crop shows a sliver of either photo or a strip of the line (a centred 1:1 or 4:5 crop
    would show a sliver of the narrow one)."""
    images = tmp_path / "in"
    images.mkdir()
    pair = Image.new("RGB", (608, 400), (255, 255, 255))
    pair.paste(photo(400, 400, seed=3, subject=(0.45, 0.5)), (0, 0))
    pair.paste(photo(200, 400, seed=5, subject=(0.5, 0.7)), (408, 0))
    pair.save(images / "pair.png")
    result = run_predict(images, "--out", tmp_path / "out", "--checkpoint", checkpoint,
                         "--ratios", "16:9,4:3,1:1,4:5,3:1,free")
    assert result.returncode == 0, result.stderr
    record = json.loads((tmp_path / "out" / "pair.json").read_text())
    panels = [Box(0, 0, 399, 400), Box(409, 0, 199, 400)]
    for ratio, box in record["crops"].items():
        assert collage_flaws(Box(*box), panels) == 0, ratio


def test_the_crops_cut_through_no_caption(tmp_path, checkpoint):
    """A frame with a lower third across most of its width: whatever the (untrained) mask, every
    crop keeps the caption whole or leaves it out (a centred 1:1 or 4:5 crop would cut it)."""
    images = tmp_path / "in"
    images.mkdir()
    grab = photo(640, 360, seed=2, subject=(0.5, 0.4))
    letters = written(grab, "Storm closes the harbour", (24, 300), size=20, band=(20, 40, 110))
    grab.save(images / "grab.png")
    result = run_predict(images, "--out", tmp_path / "out", "--checkpoint", checkpoint,
                         "--ratios", "16:9,4:3,1:1,4:5,free")
    assert result.returncode == 0, result.stderr
    record = json.loads((tmp_path / "out" / "grab.json").read_text())
    for ratio, box in record["crops"].items():
        assert Box(*box).overlap_share(letters) in (0.0, 1.0), ratio
