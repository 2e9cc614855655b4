import numpy as np
import pytest
import torch
from PIL import Image

from assessment.checkpoint import load_model, read_checkpoint, save_checkpoint
from assessment.faces import FACE_MAP_REGION_GROWTH, face_cores
from assessment.geometry import Box
from assessment.predictor import NetworkPredictor, load_predictor
from assessment.registry import create_model


@pytest.fixture(scope="module")
def predictor(tmp_path_factory):
    path = tmp_path_factory.mktemp("ckpt") / "untrained.pt"
    save_checkpoint(path, create_model("cover-small").eval(), metadata={"version": "t1"}, half=True)
    return load_predictor(path)


def test_results_come_back_in_order_at_each_inputs_size(predictor):
    rng = np.random.default_rng(0)
    # Repeats share a batch; 800 px is shrunk; a 1×1 image and a 4000×20 strip (384×2 once shrunk)
    # are padded up to the smallest side the network runs on.
    sizes = [(97, 61), (800, 450), (97, 61), (33, 120), (1, 1), (4000, 20)]
    images = [Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)) for w, h in sizes]
    predictions = predictor.predict(images)
    assert [p.foreground.shape for p in predictions] == [(h, w) for w, h in sizes]
    for prediction in predictions:
        assert 1.0 <= prediction.clarity <= 10.0
        assert prediction.foreground.dtype == np.float32
        assert 0.0 <= prediction.foreground.min() <= prediction.foreground.max() <= 1.0
        assert prediction.semantics.size == prediction.foreground.shape[::-1]
    alone = predictor.predict(images[2:3])[0]
    assert alone.clarity == pytest.approx(
        predictions[2].clarity, abs=1e-4
    )  # batching changes nothing


def test_mirror_averaging_masks_an_image_and_its_mirror_alike_and_keeps_clarity():
    # The trained network is not symmetric, so this holds only if the mirrored half is flipped back.
    image = np.zeros((70, 101, 3), np.uint8)
    image[20:60, 10:45] = (200, 40, 30)  # an object left of centre on a textured ground
    image[::2] += np.random.default_rng(1).integers(0, 40, (35, 101, 3), dtype=np.uint8)
    pair = [image, image[:, ::-1].copy()]
    averaged = load_predictor(refine=False)  # GrabCut is not mirror-symmetric
    clarity, (f, mirrored_f) = averaged.predict_arrays(pair)
    np.testing.assert_allclose(f, mirrored_f[:, ::-1], atol=1e-4)
    one_pass = NetworkPredictor(averaged.model, metadata={}, mirror=False)
    plain_clarity, (plain_f, _) = one_pass.predict_arrays(pair)
    assert np.abs(plain_f - f).max() > 1e-3  # one pass alone is lopsided
    assert clarity == pytest.approx(plain_clarity, abs=1e-4)  # clarity reads the image alone


def test_version_and_name_come_from_the_checkpoint(predictor):
    assert isinstance(predictor, NetworkPredictor)
    assert (predictor.name, predictor.version) == ("cover-small", "t1")


def test_half_precision_file_loads_as_float32(tmp_path):
    path = save_checkpoint(tmp_path / "m.pt", create_model("mask-small"), metadata={}, half=True)
    model, _ = load_model(path)
    assert all(p.dtype.is_floating_point and p.dtype.itemsize == 4 for p in model.parameters())
    assert model.spec.heads == ("mask_logits",)


def test_damaged_or_foreign_files_are_refused_with_a_reason(tmp_path):
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match="not a readable checkpoint"):
        read_checkpoint(tmp_path / "junk.pt")
    with pytest.raises(FileNotFoundError, match="--checkpoint"):
        read_checkpoint(tmp_path / "missing.pt")


def test_unknown_assessor_kind_is_refused():
    with pytest.raises(ValueError, match="classical"):
        load_predictor(kind="magic")


def test_export_keeps_lineage_and_drops_training_state(tmp_path):
    from assessment.checkpoint import export_checkpoint

    model = create_model("mask-small")
    parent = save_checkpoint(
        tmp_path / "a.pt", model, metadata={"config": {"command": ["first"]}, "epoch": 7}
    )
    child = save_checkpoint(
        tmp_path / "b.pt",
        model,
        metadata={"config": {"command": ["second"], "init": str(parent)}},
        training_state={"progress": {}},
    )
    out = export_checkpoint(child, tmp_path / "served.pt", metrics={"sod/maxF": 0.5}, version="v9")
    payload = read_checkpoint(out)
    assert "training_state" not in payload
    assert payload["metadata"]["lineage"] == [{"command": ["first"], "epoch": 7}]
    assert payload["metadata"]["evaluation"] == {"sod/maxF": 0.5}
    assert payload["metadata"]["version"] == "v9"
    assert all(
        v.dtype.itemsize == 2 for v in payload["state_dict"].values() if v.is_floating_point()
    )


def test_export_continues_an_exported_ancestors_lineage_and_stops_there(tmp_path):
    """A served checkpoint re-exported over its own path names itself as `init`: no endless walk."""
    from assessment.checkpoint import export_checkpoint

    model = create_model("mask-small")
    served = tmp_path / "served.pt"
    save_checkpoint(
        served,
        model,
        metadata={
            "config": {"command": ["phase 2"], "init": str(served)},
            "epoch": 30,
            "lineage": [{"command": ["phase 1"], "epoch": 18}],
        },
    )
    run = save_checkpoint(
        tmp_path / "run.pt", model, metadata={"config": {"command": ["phase 3"], "init": str(served)}}
    )
    payload = read_checkpoint(export_checkpoint(run, served, metrics=None, version="v10"))
    assert payload["metadata"]["lineage"] == [
        {"command": ["phase 2"], "epoch": 30},
        {"command": ["phase 1"], "epoch": 18},
    ]


def test_re_exporting_an_export_keeps_its_lineage_though_its_runs_are_gone(tmp_path):
    from assessment.checkpoint import export_checkpoint

    lineage = [{"command": ["phase 2"], "epoch": 30}, {"command": ["phase 1"], "epoch": 18}]
    served = save_checkpoint(
        tmp_path / "served.pt",
        create_model("mask-small"),
        metadata={"config": {"command": ["phase 2"], "init": "/gone/run.pt"}, "lineage": lineage,
                  "sharpness": 4.0},
        half=True,
    )
    payload = read_checkpoint(export_checkpoint(served, served, metrics=None, version="v11"))
    assert payload["metadata"]["lineage"] == lineage
    assert payload["metadata"]["sharpness"] == 4.0 and payload["metadata"]["version"] == "v11"


@pytest.mark.parametrize(("mirror", "expected"), [(True, 2), (False, 4)])
def test_cpu_batches_hold_a_few_passes_of_one_size(predictor, mirror, expected):
    served = NetworkPredictor(predictor.model, metadata={}, mirror=mirror)
    images = [np.zeros((40, 60, 3), np.uint8)] * 5 + [np.zeros((60, 40, 3), np.uint8)] * 2
    chunks = served._chunks(images)
    assert sorted(i for chunk in chunks for i in chunk) == list(range(7))
    assert max(len(chunk) for chunk in chunks) == expected
    assert all(len({images[i].shape for i in chunk}) == 1 for chunk in chunks)


def test_faces_given_in_the_inputs_pixels_are_kept_in_the_served_mask(predictor):
    image = np.zeros((450, 800, 3), np.uint8)  # shrunk to 384 px wide for the network
    image[100:300, 500:660] = (230, 190, 160)
    face = Box(540, 140, 80, 100)
    plain, with_face = predictor.predict_arrays([image, image], [[], [face]])[1]
    core = face_cores(image.shape[:2], [Box(548, 150, 64, 80)])  # well inside the core
    assert with_face[core].min() > 0.5 and with_face[core].mean() > plain[core].mean()
    with pytest.raises(ValueError, match="1 lists of faces for 2 images"):
        predictor.predict_arrays([image, image], [[face]])


class FaceMapNetwork(torch.nn.Module):
    """A stand-in for a network trained with a face map: as a trained map does, it marks the core
    of `face` grown by `FACE_MAP_REGION_GROWTH` (`face`: a box in the pixels of the 800-px images
    below, which the predictor shrinks to 384 px)."""

    def __init__(self, face: Box) -> None:
        super().__init__()
        self.spec = create_model("cover-small", face_head=True).spec
        grown = face.expanded((FACE_MAP_REGION_GROWTH - 1) / 2)
        self.face = grown.scaled(384 / 800, 384 / 800)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        cores = torch.from_numpy(face_cores(tuple(x.shape[-2:]), [self.face]))
        face_logits = torch.where(cores, 10.0, -10.0).expand(len(x), 1, -1, -1)
        return {
            "clarity": torch.full((len(x),), 7.0),
            "mask_logits": torch.full((len(x), 1, *x.shape[-2:]), -5.0),
            "face_logits": face_logits,
        }


def test_the_networks_faces_join_the_callers_and_are_kept_in_the_mask():
    face, elsewhere = Box(540, 140, 80, 100), Box(40, 40, 60, 60)
    served = NetworkPredictor(FaceMapNetwork(face), metadata={}, mirror=False)
    image = Image.fromarray(np.full((450, 800, 3), 90, np.uint8))
    alone, merged = served.predict([image, image], faces=[[], [Box(545, 150, 70, 90), elsewhere]])
    (found,) = alone.faces  # in the input's pixels
    assert found.intersection(face).area >= 0.8 * max(found.area, face.area)
    assert len(merged.faces) == 2 and merged.faces[1] == elsewhere  # one box for the found face
    core = face_cores((450, 800), [Box(550, 155, 60, 70)])
    assert alone.foreground[core].min() > 0.5  # the refinement keeps the network's face
    assert served.predict_arrays([np.asarray(image)])[1][0][core].min() > 0.5
