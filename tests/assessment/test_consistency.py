"""CutMix consistency: boxes, pasting that keeps photos and masks aligned, and the term itself."""

import pytest
import torch

from assessment.consistency import (
    AREA,
    CONFIDENT,
    CONTRAST,
    SHIFT,
    consistency_loss,
    cutmix,
    cutmix_boxes,
    jitter,
    sure_targets,
)
from assessment.registry import create_model


def test_boxes_are_one_rectangle_each_of_a_quarter_to_a_half_of_the_photo():
    torch.manual_seed(0)
    boxes = cutmix_boxes(6, 48, 80)
    assert boxes.shape == (6, 1, 48, 80) and set(boxes.unique().tolist()) == {0.0, 1.0}
    for box in boxes[:, 0]:
        rows, cols = box.any(dim=1), box.any(dim=0)
        assert box.sum() == rows.sum() * cols.sum()  # one filled rectangle
        assert AREA[0] - 0.05 <= box.mean() <= AREA[1] + 0.05
    torch.manual_seed(0)
    assert torch.equal(cutmix_boxes(6, 48, 80), boxes)  # seeded


def test_pasting_keeps_each_photo_aligned_with_its_mask():
    torch.manual_seed(1)
    images = torch.rand(3, 3, 20, 30)
    masks = (images.mean(dim=1, keepdim=True) > 0.5).float()  # a mask read off each photo
    boxes = cutmix_boxes(3, 20, 30)
    pasted = cutmix(images, boxes)
    assert torch.equal(cutmix(masks, boxes), (pasted.mean(dim=1, keepdim=True) > 0.5).float())
    inside = boxes[0, 0].bool()
    assert torch.equal(pasted[0][:, inside], images[2][:, inside])  # the first takes the last's
    assert torch.equal(pasted[0][:, ~inside], images[0][:, ~inside])


@pytest.fixture
def batch():
    """Four 64-px photos: two with a mask, one badly damaged, one without a mask."""
    return {"image": torch.rand(4, 3, 64, 64),
            "has_mask": torch.tensor([1.0, 1.0, 0.0, 0.0]),
            "clarity": torch.tensor([10.0, 10.0, 10.0, 2.0])}


def test_the_term_needs_two_clear_photos_without_a_mask(batch):
    model = create_model("cover-small")
    assert consistency_loss(model, model, batch) is None  # one clear unmasked photo
    batch["clarity"][3] = 9.0
    term = consistency_loss(model, model, batch)
    assert term.ndim == 0 and term.item() >= 0.0


def test_only_the_student_learns_from_the_term(batch):
    torch.manual_seed(2)
    batch["clarity"][3] = 9.0
    student, teacher = create_model("cover-small").train(), create_model("cover-small")
    consistency_loss(student, teacher, batch).backward()
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in student.parameters())
    assert all(p.grad is None for p in teacher.parameters())
    assert not teacher.training


def test_jitter_changes_contrast_and_colour_but_not_where_things_are():
    torch.manual_seed(3)
    images = torch.randn(4, 3, 16, 24)
    torch.manual_seed(5)
    jittered = jitter(images)
    assert not torch.allclose(jittered, images)
    for image, changed in zip(images, jittered, strict=True):
        mean = image.mean()
        ratio = changed[0].std() / image[0].std()  # one contrast factor for every channel
        assert CONTRAST[0] - 1e-4 <= ratio <= CONTRAST[1] + 1e-4
        for channel, moved in zip(image, changed, strict=True):
            assert torch.equal(channel.flatten().argsort(), moved.flatten().argsort())  # layout
            shift = moved.mean() - ((channel.mean() - mean) * ratio + mean)
            assert SHIFT[0] - 1e-4 <= shift <= SHIFT[1] + 1e-4
            assert torch.allclose(moved, (channel - mean) * ratio + mean + shift, atol=1e-4)
    torch.manual_seed(5)
    assert torch.equal(jitter(images), jittered)  # seeded


def test_a_jittered_student_sees_other_photos_than_the_plain_one(batch):
    batch["clarity"][3] = 9.0
    model = create_model("cover-small").eval()
    terms = []
    for jittered in (False, True):
        torch.manual_seed(4)
        terms.append(consistency_loss(model, model, batch, jittered).item())
    assert terms[0] != terms[1]


def test_sure_targets_keep_only_the_pixels_the_teacher_is_sure_of():
    probabilities = torch.tensor([0.0, 1 - CONFIDENT, 0.3, 0.5, 0.7, CONFIDENT, 1.0])
    labels, sure = sure_targets(probabilities)
    assert labels.tolist() == [0, 0, 0, 0, 1, 1, 1]
    assert sure.tolist() == [1, 1, 0, 0, 0, 1, 1]
    assert sure_targets(probabilities, 0.7)[1].tolist() == [1, 1, 1, 0, 1, 1, 1]
    assert sure_targets(probabilities, 0.5)[1].tolist() == [1] * 7


class Constant(torch.nn.Module):
    """A network whose mask logit is the same everywhere."""

    def __init__(self, logit: float) -> None:
        super().__init__()
        self.logit = logit

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        return {"mask_logits": torch.full((images.shape[0], 1, *images.shape[-2:]), self.logit)}


def test_a_hard_term_learns_only_from_a_sure_teacher(batch):
    batch["clarity"][3] = 9.0
    student = Constant(2.0)
    assert consistency_loss(student, Constant(0.0), batch, hard=True).item() == 0.0  # unsure
    sure = consistency_loss(student, Constant(10.0), batch, hard=True).item()  # all subject
    assert sure == pytest.approx(torch.nn.functional.softplus(torch.tensor(-2.0)).item())
    soft = consistency_loss(student, Constant(0.0), batch).item()  # pulled towards grey
    assert soft == pytest.approx((torch.sigmoid(torch.tensor(2.0)).item() - 0.5) ** 2)
    lenient = consistency_loss(student, Constant(0.5), batch, hard=True, confident=0.6).item()
    assert lenient == pytest.approx(sure)  # σ(0.5) = 0.62: sure enough at 0.6


def test_labelled_photos_take_part_with_their_human_mask(batch):
    """Photos 0 and 1 have a human mask (all subject); photo 3 is too damaged to take part."""
    batch["mask"] = torch.ones(4, 1, 64, 64)
    student, unsure = Constant(2.0), Constant(0.0)
    assert consistency_loss(student, unsure, batch, hard=True) is None  # one unmasked photo
    torch.manual_seed(6)
    term = consistency_loss(student, unsure, batch, hard=True, labelled=True).item()
    torch.manual_seed(6)
    boxes = cutmix_boxes(3, 64, 64)  # photos 0, 1, 2 take part; 2 pastes onto 0, 0 onto 1
    human = cutmix(torch.tensor([1.0, 1.0, 0.0]).view(3, 1, 1, 1).expand(3, 1, 64, 64), boxes)
    expected = human.mean() * torch.nn.functional.softplus(torch.tensor(-2.0))
    assert term == pytest.approx(expected.item())  # only the human masks' pixels are sure


def test_hinted_people_photos_can_be_left_out(batch):
    """Photos 2 and 3 are clear and unmasked; photo 3 is a people photo with hints."""
    batch["clarity"][3] = 9.0
    batch["has_hint"] = torch.tensor([0.0, 0.0, 0.0, 1.0])
    student, sure = Constant(2.0), Constant(10.0)
    assert consistency_loss(student, sure, batch, hard=True).item() > 0.0  # both take part
    assert consistency_loss(student, sure, batch, hard=True, hinted=False) is None  # one left
    batch["has_hint"][3] = 0.0
    assert consistency_loss(student, sure, batch, hard=True, hinted=False) is not None
