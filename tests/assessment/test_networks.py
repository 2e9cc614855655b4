import pytest
import torch
from torch import nn

from assessment.networks.folding import fold_batch_norm
from assessment.networks.heads import ClarityBranch, Decoder
from assessment.registry import create_model, list_models


@pytest.mark.parametrize("name", list_models())
@pytest.mark.parametrize("size", [(37, 53), (64, 64), (97, 31), (1, 1), (2, 384)])
def test_every_variant_keeps_the_input_size(name, size):
    model = create_model(name).eval()
    with torch.no_grad():
        out = model(torch.randn(2, 3, *size))
    assert set(out) == set(model.spec.heads)
    if "clarity" in out:
        assert out["clarity"].shape == (2,)
        assert torch.all((out["clarity"] >= 1) & (out["clarity"] <= 10))
    if "mask_logits" in out:
        assert out["mask_logits"].shape == (2, 1, *size)


def test_unknown_variant_lists_the_valid_names():
    with pytest.raises(KeyError, match="cover-small"):
        create_model("cover-tiny")


def test_unknown_option_names_the_builders_options():
    with pytest.raises(TypeError, match="width_mult"):
        create_model("cover-small", depth=3)


def test_single_task_baselines_lack_the_other_head():
    assert create_model("clarity-small").spec.heads == ("clarity",)
    assert create_model("mask-small").spec.heads == ("mask_logits",)
    assert not hasattr(create_model("clarity-small"), "decoder")


def test_served_weights_stay_channels_last():
    """The NHWC layout (1.5 to 2 times faster on CPU) survives loading a checkpoint."""
    from assessment.predictor import load_predictor

    model = load_predictor(None, device="cpu").model
    convs = [p for p in model.parameters() if p.dim() == 4 and p.shape[-1] > 1]
    assert convs
    assert all(p.is_contiguous(memory_format=torch.channels_last) for p in convs)


def test_decoder_dropout_acts_only_while_training_and_is_kept_in_the_checkpoint(tmp_path):
    from assessment.checkpoint import load_model, save_checkpoint

    torch.manual_seed(0)
    low, context = torch.randn(2, 24, 16, 16), torch.randn(2, 128, 4, 4)
    dropped = Decoder(24, 128, channels=128, dropout=0.5).train()
    assert not torch.allclose(dropped(low, context), dropped(low, context))
    plain = Decoder(24, 128, channels=128).train()
    assert torch.allclose(plain(low, context), plain(low, context))
    dropped.eval()
    assert torch.allclose(dropped(low, context), dropped(low, context))

    model = create_model("cover-small", decoder_dropout=0.5)
    assert model.decoder.dropout == 0.5
    path = save_checkpoint(tmp_path / "d.pt", model, metadata={})
    assert load_model(path)[0].decoder.dropout == 0.5
    with pytest.raises(TypeError, match="decoder_dropout"):
        create_model("clarity-small", decoder_dropout=0.5)


@pytest.mark.parametrize(
    ("option", "name"), [("object_head", "object_logits"), ("face_head", "face_logits")]
)
def test_an_auxiliary_head_adds_a_map_grown_from_a_checkpoint_without_it(tmp_path, option, name):
    from assessment.checkpoint import load_model, save_checkpoint
    from assessment.train import load_initial_weights

    torch.manual_seed(0)
    plain = create_model("cover-small").eval()
    model = create_model("cover-small", **{option: True}).eval()
    load_initial_weights(model, plain.state_dict())
    x = torch.randn(2, 3, 45, 71)
    with torch.no_grad():
        before, out = plain(x), model(x)
    assert set(before) == {"clarity", "mask_logits"}
    assert set(out) == {"clarity", "mask_logits", name}
    assert out[name].shape == out["mask_logits"].shape == (2, 1, 45, 71)
    assert torch.allclose(out["mask_logits"], before["mask_logits"], atol=1e-5)
    if name == "object_logits":
        assert torch.allclose(out[name], out["mask_logits"])  # objectness starts as the mask
    else:
        assert torch.allclose(torch.sigmoid(out[name]), torch.tensor(0.01))  # faces: nowhere yet
    path = save_checkpoint(tmp_path / "o.pt", model, metadata={})
    assert name in load_model(path)[0].logit_names
    with pytest.raises(TypeError, match=option):
        create_model("mask-small", **{option: True})


def test_both_auxiliary_heads_come_after_the_mask_in_order():
    model = create_model("cover-small", object_head=True, face_head=True).eval()
    with torch.no_grad():
        out = model(torch.randn(1, 3, 33, 40))
    assert model.logit_names == ["mask_logits", "object_logits", "face_logits"]
    assert all(out[name].shape == (1, 1, 33, 40) for name in model.logit_names)


@pytest.mark.parametrize("name", list_models())
def test_folded_batch_norms_give_the_eval_outputs_and_leave_the_model_as_it_was(name):
    torch.manual_seed(0)
    model = create_model(name)
    for norm in (m for m in model.modules() if isinstance(m, nn.BatchNorm2d)):
        norm.running_mean.uniform_(-0.5, 0.5)  # statistics a trained network would have
        norm.running_var.uniform_(0.5, 2.0)
        norm.weight.data.uniform_(0.5, 1.5)
        norm.bias.data.uniform_(-0.2, 0.2)
    folded = fold_batch_norm(model)
    assert model.training and any(isinstance(m, nn.BatchNorm2d) for m in model.modules())
    x = torch.randn(2, 3, 45, 67)
    with torch.no_grad():
        expected, got = model.eval()(x), folded(x)
    assert got.keys() == expected.keys()
    for key in expected:
        torch.testing.assert_close(got[key], expected[key], atol=1e-4, rtol=1e-4)


def test_the_small_network_keeps_no_batch_norm_once_folded():
    folded = fold_batch_norm(create_model("cover-small"))
    assert not any(isinstance(m, nn.BatchNorm2d) for m in folded.modules())


@pytest.mark.parametrize("size", [(37, 53), (1, 1), (2, 384)])
def test_clarity_pooled_over_the_subject_keeps_shapes_and_leaves_the_mask_untaught(size):
    model = create_model("cover-small", clarity_subject=1.0)
    assert model.spec.options["clarity_subject"] == 1.0
    out = model(torch.randn(2, 3, *size))
    assert out["clarity"].shape == (2,) and out["mask_logits"].shape == (2, 1, *size)
    out["clarity"].sum().backward()
    # the subject map is the mask's, detached: the clarity loss does not move the mask head
    assert model.decoder.classify.weight.grad is None
    assert model.clarity_head.fc.weight.grad is not None


def test_the_subject_pool_is_the_average_over_the_subject():
    torch.manual_seed(0)
    branch = ClarityBranch(8, channels=4).eval()
    x = torch.randn(1, 8, 64, 64)
    with torch.no_grad():
        whole = branch(x)
        left = torch.zeros(1, 1, 64, 64)
        left[..., :32] = 1.0
        features = branch.features(x)
        expected = branch.fc(features[..., : features.shape[-1] // 2].mean(dim=(2, 3))).squeeze(1)
        assert torch.allclose(branch(x, torch.ones(1, 1, 64, 64), 1.0), whole, atol=1e-6)
        assert torch.allclose(branch(x, torch.zeros(1, 1, 64, 64), 1.0), whole, atol=1e-6)
        assert torch.allclose(branch(x, left, 1.0), expected, atol=1e-3)
        assert torch.allclose(branch(x, left, 0.5), (whole + expected) / 2, atol=1e-3)
        assert torch.equal(branch(x, left, 0.0), whole)


def test_a_subject_share_outside_0_to_1_is_refused():
    with pytest.raises(ValueError, match="clarity_subject"):
        create_model("cover-small", clarity_subject=1.5)


def test_export_sets_the_subject_share_on_the_same_weights(tmp_path, capsys):
    from assessment.checkpoint import load_model, read_checkpoint, save_checkpoint
    from assessment.cli import main

    source = save_checkpoint(tmp_path / "run.pt", create_model("cover-small").eval(),
                             metadata={"config": {"command": ["python"]}})
    out = tmp_path / "served.pt"
    argv = ["export", str(source), "--out", str(out), "--version", "v"]
    assert main([*argv, "--clarity-subject", "0.75"]) == 0
    assert read_checkpoint(out)["spec"]["options"]["clarity_subject"] == 0.75
    model = load_model(out)[0]
    assert model.clarity_subject == 0.75
    before = load_model(source)[0].state_dict()
    assert all(torch.allclose(before[k], v, atol=1e-2) for k, v in model.state_dict().items())
    assert main([*argv, "--clarity-subject", "2"]) == 2
    assert "clarity_subject is a share from 0 to 1" in capsys.readouterr().err
