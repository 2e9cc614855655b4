import pytest
import torch

from assessment.losses import (
    FACE_POS_WEIGHT,
    LAMBDA,
    boundary_weights,
    cover_loss,
    hard_photo_weights,
    segmentation_gate,
    soft_f_loss,
    soft_iou_loss,
)


def batch(clarity, has_mask, weight=1.0):
    n = len(clarity)
    return {
        "clarity": torch.tensor(clarity, dtype=torch.float32),
        "has_mask": torch.tensor(has_mask, dtype=torch.float32),
        "mask_weight": torch.full((n,), weight),
        "mask": torch.ones(n, 1, 4, 4),
    }


def outputs(clarity):
    n = len(clarity)
    return {
        "clarity": torch.tensor(clarity, dtype=torch.float32),
        "mask_logits": torch.zeros(n, 1, 4, 4),
    }


@pytest.mark.parametrize(
    ("clarity", "has_mask", "gate"),
    [
        (5.0, 1.0, 1.0),
        (2.4, 1.0, 1.0),
        (2.3, 1.0, 0.0),  # the paper's α_k: only clarity above 2.3 teaches segmentation
        (1.0, 1.0, 0.0),
        (9.0, 0.0, 0.0),  # no mask, no segmentation loss
    ],
)
def test_segmentation_gate(clarity, has_mask, gate):
    assert float(segmentation_gate(torch.tensor([clarity]), torch.tensor([has_mask]))[0]) == gate


def test_gated_images_contribute_only_clarity_error():
    labels = [2.0, 8.0]
    loss, parts = cover_loss(outputs(labels), batch(labels, [1.0, 0.0]))
    assert loss.item() == 0.0  # perfect clarity, both images gated out of the mask term
    assert "mask_bce" not in parts


def test_mask_term_is_lambda_times_bce():
    labels = [8.0]
    loss, _ = cover_loss(outputs(labels), batch(labels, [1.0]))
    bce_of_zero_logit = torch.log(torch.tensor(2.0))  # logits 0 against an all-ones mask
    assert loss.item() == pytest.approx(LAMBDA * bce_of_zero_logit.item(), rel=1e-5)
    half, _ = cover_loss(outputs(labels), batch(labels, [1.0], weight=0.5))
    assert half.item() == pytest.approx(loss.item() / 2, rel=1e-5)


def test_clarity_error_is_on_the_unit_scale():
    loss, _ = cover_loss(outputs([10.0]), batch([1.0], [0.0]))
    assert loss.item() == pytest.approx(1.0)


def test_a_sample_without_a_clarity_label_teaches_no_clarity():
    unlabelled = {**batch([1.0, 1.0], [0.0, 0.0]), "clarity_weight": torch.tensor([0.0, 1.0])}
    loss, _ = cover_loss(outputs([10.0, 10.0]), unlabelled)
    assert loss.item() == pytest.approx(0.5)  # only the second image's unit error, halved


def test_tasks_select_terms_for_multi_stage_training():
    loss, parts = cover_loss(outputs([10.0]), batch([8.0], [1.0]), tasks=("mask_logits",))
    assert "clarity_mse" not in parts and loss.item() > 0


def test_iou_term_is_off_by_default_and_gated():
    labels = [8.0]
    paper, _ = cover_loss(outputs(labels), batch(labels, [1.0]))
    with_iou, parts = cover_loss(outputs(labels), batch(labels, [1.0]), iou=1.0)
    # logits 0 give probability 0.5 on an all-ones 4×4 mask: soft IoU (8 + 1) / (16 + 1)
    expected_iou_loss = 1.0 - 9.0 / 17.0
    assert with_iou.item() == pytest.approx(paper.item() + LAMBDA * expected_iou_loss, rel=1e-5)
    assert parts["mask_iou_loss"] == pytest.approx(expected_iou_loss, rel=1e-5)
    gated, parts = cover_loss(outputs([2.0]), batch([2.0], [1.0]), iou=1.0)
    assert gated.item() == 0.0 and "mask_iou_loss" not in parts


def test_soft_iou_loss_is_zero_for_a_confident_exact_mask():
    mask = torch.zeros(1, 1, 8, 8)
    mask[..., 2:6, 2:6] = 1.0
    logits = (mask * 2 - 1) * 50
    assert soft_iou_loss(logits, mask).item() == pytest.approx(0.0, abs=1e-6)
    assert soft_iou_loss(-logits, mask).item() == pytest.approx(1.0 - 1.0 / 65.0, rel=1e-5)


def test_f_measure_term_adds_to_iou_and_is_gated():
    labels = [8.0]
    with_iou, _ = cover_loss(outputs(labels), batch(labels, [1.0]), iou=1.0)
    both, parts = cover_loss(outputs(labels), batch(labels, [1.0]), iou=1.0, fmeasure=2.0)
    # probability 0.5 on an all-ones 4×4 mask: 8 hits, 8 misses, no false alarms
    expected_f_loss = 1.0 - (1.3 * 8 + 1) / (1.3 * 8 + 0.3 * 8 + 1)
    assert both.item() == pytest.approx(with_iou.item() + LAMBDA * 2.0 * expected_f_loss, rel=1e-5)
    assert parts["mask_f_loss"] == pytest.approx(expected_f_loss, rel=1e-5)
    gated, parts = cover_loss(outputs([2.0]), batch([2.0], [1.0]), fmeasure=1.0)
    assert gated.item() == 0.0 and "mask_f_loss" not in parts


def test_soft_f_loss_punishes_false_alarms_more_than_misses():
    mask = torch.zeros(1, 1, 8, 8)
    mask[..., 2:6, 2:6] = 1.0  # 16 object pixels
    exact = (mask * 2 - 1) * 50
    assert soft_f_loss(exact, mask).item() == pytest.approx(0.0, abs=1e-6)
    half_missed = exact.clone()
    half_missed[..., 2:4, 2:6] = -50.0  # 8 object pixels missed
    eight_false = exact.clone()
    eight_false[..., 0, 0:8] = 50.0  # 8 background pixels claimed
    assert soft_f_loss(eight_false, mask).item() > soft_f_loss(half_missed, mask).item()


@pytest.mark.parametrize(
    ("name", "options", "per_pixel"),
    [
        ("object", {}, 1.0),  # the objectness map: the mask's weight
        ("face", {"face": 2.0}, 2.0 * FACE_POS_WEIGHT),  # every pixel here is a face pixel
    ],
)
def test_an_auxiliary_map_learns_only_where_its_labels_are(name, options, per_pixel):
    labels = [8.0, 8.0, 2.0]
    labelled = {
        **batch(labels, [0.0, 0.0, 0.0]),
        f"{name}_mask": torch.ones(3, 1, 4, 4),
        f"has_{name}": torch.tensor([1.0, 0.0, 1.0]),  # the third is gated by its clarity
    }
    out = {**outputs(labels), f"{name}_logits": torch.zeros(3, 1, 4, 4)}
    loss, parts = cover_loss(out, labelled, **options)
    bce_of_zero_logit = torch.log(torch.tensor(2.0)).item()
    assert loss.item() == pytest.approx(LAMBDA * per_pixel * bce_of_zero_logit / 3, rel=1e-5)
    term = parts[f"{name}_loss"]  # unweighted by the map's weight, weighted by its pixels'
    assert term * options.get("face", 1.0) == pytest.approx(per_pixel * bce_of_zero_logit, rel=1e-5)
    assert set(parts) & {"mask_bce", "object_loss", "face_loss"} == {f"{name}_loss"}
    clarity_stage, _ = cover_loss(out, labelled, tasks=("clarity",), **options)
    assert clarity_stage.item() == 0.0


def test_hint_term_teaches_subject_only_inside_the_hint_and_is_gated():
    labels = [8.0, 8.0, 2.0]
    hint = torch.zeros(3, 1, 4, 4)
    hint[..., 1:3, 1:3] = 1.0  # 4 face pixels of 16
    hinted = {
        **batch(labels, [0.0, 0.0, 0.0]),
        "hint": hint,
        "has_hint": torch.tensor([1.0, 0.0, 1.0]),  # the third is gated by its clarity
    }
    logits = torch.full((3, 1, 4, 4), 50.0)  # sure subject outside the hint: no cost there
    logits[..., 1:3, 1:3] = 0.0
    out = {**outputs(labels), "mask_logits": logits}
    loss, parts = cover_loss(out, hinted, hint=0.5)
    bce_of_zero_logit = torch.log(torch.tensor(2.0)).item()
    assert loss.item() == pytest.approx(LAMBDA * 0.5 * bce_of_zero_logit / 3, rel=1e-5)
    assert parts["hint_loss"] == pytest.approx(bce_of_zero_logit, rel=1e-5)
    off, _ = cover_loss(out, hinted)
    assert off.item() == 0.0  # the hint term is off by default
    clarity_stage, _ = cover_loss(out, hinted, hint=0.5, tasks=("clarity",))
    assert clarity_stage.item() == 0.0


def test_background_term_teaches_not_subject_only_in_the_background_map_and_is_gated():
    labels = [8.0, 8.0, 2.0]
    scene = torch.zeros(3, 1, 4, 4)
    scene[..., :, :2] = 1.0  # 8 pixels of 16 beyond the people
    hinted = {
        **batch(labels, [0.0, 0.0, 0.0]),
        "background": scene,
        "has_background": torch.tensor([1.0, 0.0, 1.0]),  # the third is gated by its clarity
    }
    logits = torch.full((3, 1, 4, 4), 50.0)  # sure subject elsewhere: no cost there
    logits[..., :, :2] = 0.0
    out = {**outputs(labels), "mask_logits": logits}
    loss, parts = cover_loss(out, hinted, background=0.5)
    bce_of_zero_logit = torch.log(torch.tensor(2.0)).item()
    assert loss.item() == pytest.approx(LAMBDA * 0.5 * bce_of_zero_logit / 3, rel=1e-5)
    assert parts["background_loss"] == pytest.approx(bce_of_zero_logit, rel=1e-5)
    logits[..., :, :2] = -50.0  # sure background there: nothing to learn
    assert cover_loss(out, hinted, background=0.5)[0].item() == pytest.approx(0.0, abs=1e-6)
    off, _ = cover_loss(out, hinted)
    assert off.item() == 0.0  # the background term is off by default


def test_boundary_weights_are_one_on_flat_masks_and_peak_at_the_outline():
    assert torch.equal(boundary_weights(torch.zeros(1, 1, 40, 40), 5.0), torch.ones(1, 1, 40, 40))
    assert torch.allclose(boundary_weights(torch.ones(1, 1, 40, 40), 5.0), torch.ones(1, 1, 40, 40))
    half = torch.zeros(1, 1, 64, 64)
    half[..., 32:] = 1.0
    weights = boundary_weights(half, 5.0)[0, 0, 32]
    assert weights[31].item() == pytest.approx(1 + 5 * 15 / 31, rel=1e-4)  # 15 of 31 columns
    assert weights[0].item() == weights[63].item() == 1.0  # 16+ columns from the outline


def test_boundary_weighting_makes_errors_at_the_outline_cost_more_than_inside():
    half = torch.zeros(1, 1, 64, 64)
    half[..., 32:] = 1.0
    right = torch.where(half > 0, 8.0, -8.0)  # confident and correct everywhere
    at_outline, inside = right.clone(), right.clone()
    at_outline[..., 28:32] = 8.0  # 4 columns wrong next to the outline
    inside[..., 0:4] = 8.0  # 4 columns wrong far from it

    def mask_loss(logits, boundary):
        data = {**batch([9.0], [1.0]), "mask": half}
        return cover_loss({"mask_logits": logits}, data, iou=1.0, boundary=boundary)[0].item()

    assert mask_loss(at_outline, 0.0) == pytest.approx(mask_loss(inside, 0.0), rel=1e-5)
    assert mask_loss(at_outline, 5.0) > 1.5 * mask_loss(inside, 5.0)


def test_hard_photo_weights_favour_the_worst_photos_and_keep_the_mean():
    term = torch.tensor([0.1, 0.3, 0.8, 5.0])
    mask = torch.zeros(4, 1, 4, 4)
    mask[:3, :, 1, 1] = 1  # the last photo has no mask: its weight stays 1
    weights = hard_photo_weights(term, mask, 1.0)
    assert weights[:3].mean().item() == pytest.approx(1.0)
    assert weights[0] < weights[1] < weights[2] and weights[3] == 1.0
    assert torch.allclose(hard_photo_weights(term, mask, 0.0), torch.ones(4))
    assert torch.equal(hard_photo_weights(term, mask[:, :, :1] * 0, 2.0), torch.ones(4))


def test_hard_photos_make_the_worst_photo_count_more_and_are_not_differentiated():
    data = {**batch([9.0, 9.0], [1, 1]), "mask": torch.ones(2, 1, 4, 4)}
    logits = torch.tensor([4.0, -4.0]).view(2, 1, 1, 1).expand(2, 1, 4, 4).clone()
    logits.requires_grad_(True)  # the first photo is right, the second wrong
    plain = cover_loss({"mask_logits": logits}, data, iou=1.0)[0]
    hard = cover_loss({"mask_logits": logits}, data, iou=1.0, hard=1.0)[0]
    assert hard.item() > plain.item()
    (gradient,) = torch.autograd.grad(hard, logits)
    (plain_gradient,) = torch.autograd.grad(plain, logits)
    assert gradient[1].abs().sum() > plain_gradient[1].abs().sum()
    assert gradient[0].abs().sum() < plain_gradient[0].abs().sum()
