"""CutMix consistency with a mean teacher: photos without a mask teach the mask too.

CutMix-Seg (French et al., "Semi-supervised semantic segmentation needs strong, varied
perturbations", BMVC 2020) on a mean teacher (Tarvainen & Valpola, NeurIPS 2017): the teacher,
the exponential moving average of the student's weights (`train --ema`), predicts the masks of
the batch's photos that have none; a box cut out of each such photo is pasted onto the next
one, and the student's mask of the pasted photo must match the teacher's masks pasted the same
way (mean squared error of probabilities). The student learns that a subject stays the subject
when its surroundings change, from the ~1,400 training photos that have no human mask.

`train --consistency W` adds W times this term to the loss (it needs `--ema`). Only photos whose
clarity label passes the segmentation gate (`losses.GATE`) take part: the teacher's mask of a
badly damaged photo teaches nothing. `train --consistency-jitter` perturbs the student's pasted
photos more strongly, as FixMatch-style methods do: their contrast and colour are jittered too
(`jitter`), while the teacher still sees the plain photos. `train --consistency-hard` turns the
teacher's pasted masks into 0/1 targets where it is sure (`CONFIDENT`) and scores the student by
binary cross-entropy on those pixels only, as FixMatch (Sohn et al., NeurIPS 2020) and UniMatch
(Yang et al., CVPR 2023) do: the student is no longer pulled towards the teacher's grey;
`--consistency-confident P` sets how sure (default `CONFIDENT`). `train --consistency-labelled`
lets the photos with a mask take part too, their pasted target being that mask (a human's, or
a composite's or pseudo-label's where those are on) rather than the teacher's: a box of a
labelled photo pasted onto an unlabelled one, and the reverse, teaches the student where one
subject ends and the other photo begins.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from assessment.losses import GATE

#: A pasted box covers this share of the photo, drawn uniformly, with an aspect ratio (h / w)
#: drawn from ASPECT.
AREA = (0.25, 0.5)
ASPECT = (0.5, 2.0)
#: `--consistency-jitter`: each pasted photo's contrast is scaled about its mean by a factor drawn
#: from CONTRAST, and each colour channel shifted by a draw from SHIFT, in units of the input
#: normalisation's standard deviation.
CONTRAST = (0.6, 1.4)
SHIFT = (-0.3, 0.3)
#: `--consistency-hard`: a pixel teaches only when the teacher's probability is at least this
#: far towards 0 or 1.
CONFIDENT = 0.9


def cutmix_boxes(count: int, height: int, width: int) -> torch.Tensor:
    """(count, 1, height, width) float masks, 1 inside one random box each (torch's global
    generator, seeded by training)."""
    boxes = torch.zeros((count, 1, height, width))
    for index in range(count):
        area = float(torch.empty(1).uniform_(*AREA))
        aspect = float(torch.empty(1).uniform_(*ASPECT))
        box_h = min(height, round(height * (area * aspect) ** 0.5))
        box_w = min(width, round(width * (area / aspect) ** 0.5))
        y = int(torch.randint(0, height - box_h + 1, (1,)))
        x = int(torch.randint(0, width - box_w + 1, (1,)))
        boxes[index, :, y:y + box_h, x:x + box_w] = 1
    return boxes


def cutmix(tensor: torch.Tensor, boxes: torch.Tensor) -> torch.Tensor:
    """Each item of ``tensor`` (N, C, H, W) with its box taken from the next item (the last
    from the first): images and their masks pasted with the same boxes stay aligned."""
    partner = torch.roll(torch.arange(tensor.shape[0]), 1)
    boxes = boxes.to(tensor.device, tensor.dtype)
    return tensor * (1 - boxes) + tensor[partner] * boxes


def jitter(images: torch.Tensor) -> torch.Tensor:
    """Normalised images (N, C, H, W) with each one's contrast and colour jittered by draws
    from CONTRAST and SHIFT (torch's global generator); where things are does not change."""
    count, channels = images.shape[:2]
    contrast = torch.empty(count, 1, 1, 1).uniform_(*CONTRAST).to(images)
    shift = torch.empty(count, channels, 1, 1).uniform_(*SHIFT).to(images)
    mean = images.mean(dim=(1, 2, 3), keepdim=True)
    return (images - mean) * contrast + mean + shift


def consistency_loss(student: torch.nn.Module, teacher: torch.nn.Module,
                     batch: dict[str, torch.Tensor],
                     jittered: bool = False, hard: bool = False,
                     confident: float = CONFIDENT, labelled: bool = False,
                     hinted: bool = True) -> torch.Tensor | None:
    """Mean squared error between the student's mask probabilities on the batch's unmasked
    photos pasted into each other (and jittered, if ``jittered``) and the teacher's masks of
    the plain photos pasted the same way; with ``hard``, the binary cross-entropy against the
    teacher's pixels at least ``confident`` sure, as 0/1 (`sure_targets`). With ``labelled``
    the photos with a mask take part too, that mask being their target; without ``hinted``
    the people photos with hints (``has_hint``) do not. None when fewer than two photos take
    part. Only the student gets gradients."""
    clear = batch["clarity"] > GATE
    masked = batch["has_mask"] > 0
    taking_part = clear if labelled else clear & ~masked
    if not hinted and "has_hint" in batch:
        taking_part = taking_part & ~(batch["has_hint"] > 0)
    images = batch["image"][taking_part]
    if images.shape[0] < 2:
        return None
    with torch.no_grad():
        teacher.eval()
        target = torch.sigmoid(teacher(images)["mask_logits"].float())
    if labelled:
        human = masked[taking_part].view(-1, 1, 1, 1)
        target = torch.where(human, batch["mask"][taking_part].to(target), target)
    boxes = cutmix_boxes(images.shape[0], *images.shape[-2:])
    pasted = cutmix(images, boxes)
    if jittered:
        pasted = jitter(pasted)
    pasted = pasted.contiguous(memory_format=torch.channels_last)
    logits = student(pasted)["mask_logits"]
    target = cutmix(target, boxes)
    if hard:
        labels, sure = sure_targets(target, confident)
        loss = F.binary_cross_entropy_with_logits(logits.float(), labels, reduction="none")
        return (loss * sure).mean()
    return F.mse_loss(torch.sigmoid(logits), target)


def sure_targets(probabilities: torch.Tensor,
                 confident: float = CONFIDENT) -> tuple[torch.Tensor, torch.Tensor]:
    """0/1 labels (probability above one half) and a 0/1 weight that is 1 where the
    probability is at least ``confident`` towards 0 or 1."""
    labels = (probabilities > 0.5).float()
    sure = ((probabilities >= confident) | (probabilities <= 1 - confident)).float()
    return labels, sure
