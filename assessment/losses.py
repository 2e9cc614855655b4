"""Eq. 3 of Sun et al. (KDD'19 workshop): L = mean_k [ MSE(clarity_k) + λ·α_k·BCE(mask_k) ].

The clarity error is measured on the unit scale ((score − 1) / 9), so that λ = 0.1 balances the
two terms as the paper's sigmoid output does. α_k = 1 only when image k has a mask AND its clarity
label is above `GATE` (2.3): badly damaged images do not teach segmentation. `mask_weight` scales
the mask term per image (e.g. COCO instance masks count half, see `data.MASK_WEIGHTS`), and an
optional `clarity_weight` the clarity term (0 for enlarged samples, whose label is unknown).
Heads a model lacks (single-task baselines) contribute nothing.

`iou` (default 0: the paper's loss) adds a soft-IoU term to the mask part,
λ·α_k·(BCE + iou·(1 − soft IoU)), as BASNet (Qin et al., CVPR 2019) does: BCE alone lets a
network hedge with grey maps on ambiguous scenes; the IoU term rewards committing to the object.
`fmeasure` (default 0) adds 1 − soft F-measure with β² = 0.3 in the same way, the metric's own
weighting of precision over recall (FLoss, Zhao et al., ICCV 2019).

`boundary` (default 0, `train --boundary W`) weights each pixel of the mask's BCE and soft-IoU
terms by 1 + W·|mean of the mask in the 31 × 31 window around it − mask|, the structure loss of
F3Net (Wei et al., AAAI 2020, W = 5): pixels near the object's outline, where maps go grey and
MAE gathers, count up to W + 1 times; flat regions count once.

A model with an objectness logit (`object_logits`, `train --object-head`) learns it from the batch's
`object_mask` (COCO instances) with the mask's λ, gate and region terms, in the stages that train
the mask.

A model with a face logit (`face_logits`, `train --face-head W`) learns it from the batch's
`face_mask` (the cores of every face of a people photo) with weight W·λ, the clarity gate and the
region terms, in the stages that train the mask. Faces are a few per cent of a photo, so a face
pixel weighs `FACE_POS_WEIGHT` background pixels in its BCE.

`hard` (default 0, `train --hard-photos G`) weighs each photo's mask term by the term itself (not
differentiated) to the power G, divided by the batch's mean of that over its photos with a mask:
the photos the network gets most wrong, such as a wrong region marked, count most, and the weights
average 1 over those photos (image-level hard-example mining; phase 32 in docs/training-history.md).

`hint` (default 0, `train --face-hints`) adds hint·λ·α_k·BCE(mask, 1) averaged over the pixels of
the batch's `hint` maps (the cores of people photos' faces, see `faces.face_cores`): there the
subject is; elsewhere such a photo teaches nothing. `background` (default 0, `train
--background-hints`) adds background·λ·α_k·BCE(mask, 0) averaged over the pixels of the batch's
`background` maps (beyond the reach of every person a people photo's faces place, see
`faces.person_reach`).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from assessment.networks.cover_net import CLARITY_MAX, CLARITY_MIN

LAMBDA = 0.1
GATE = 2.3
BETA2 = 0.3  # the F-measure's β², as salient-object benchmarks weigh precision
# A face pixel counts this many background pixels in the face map's BCE: face cores cover a few
# per cent of a people photo, and unweighted the map settles far below 0.5 on faces too.
FACE_POS_WEIGHT = 10.0


def segmentation_gate(
    clarity: torch.Tensor, has_mask: torch.Tensor, *, gate: float = GATE
) -> torch.Tensor:
    """α_k: 1.0 where the image has a mask and its clarity label exceeds `gate`, else 0.0. Shape (B,)."""
    return ((has_mask > 0) & (clarity > gate)).float()


def cover_loss(
    outputs: dict[str, torch.Tensor],
    batch: dict[str, torch.Tensor],
    *,
    lam: float = LAMBDA,
    tasks: tuple[str, ...] = ("clarity", "mask_logits"),
    iou: float = 0.0,
    fmeasure: float = 0.0,
    hint: float = 0.0,
    background: float = 0.0,
    face: float = 1.0,
    boundary: float = 0.0,
    hard: float = 0.0,
) -> tuple[torch.Tensor, dict[str, float]]:
    """Total loss (scalar) and its parts for logging.

    `outputs`: the model's dict; `batch`: `clarity` (B,) labels 1..10, `mask` (B,1,H,W) in {0,1},
    `has_mask` (B,), `mask_weight` (B,). `tasks` restricts which terms count (multi-stage training).
    `face`: the weight of the face map's term, relative to the mask's.
    """
    per_image = torch.zeros_like(batch["clarity"])
    parts: dict[str, float] = {}
    if "clarity" in outputs and "clarity" in tasks:
        scale = CLARITY_MAX - CLARITY_MIN
        mse = ((outputs["clarity"] - batch["clarity"]) / scale) ** 2
        if "clarity_weight" in batch:
            mse = mse * batch["clarity_weight"]
        per_image = per_image + mse
        parts["clarity_mse"] = float(mse.detach().mean())
    if "mask_logits" in outputs and "mask_logits" in tasks:
        terms = _region_terms(
            outputs["mask_logits"], batch["mask"], iou=iou, fmeasure=fmeasure,
            weights=boundary_weights(batch["mask"], boundary) if boundary else None,
        )
        alpha = segmentation_gate(batch["clarity"], batch["has_mask"]) * batch["mask_weight"]
        mask_term = sum(w * term for w, term in terms.values())
        if hard:
            mask_term = mask_term * hard_photo_weights(mask_term, batch["mask"], hard)
        per_image = per_image + lam * alpha * mask_term
        if alpha.sum() > 0:
            for name, (_, term) in terms.items():
                parts[f"mask_{name}"] = float((alpha * term).detach().sum() / alpha.sum())
    for name, target, present, weight, pos_weight in (
        ("object", "object_mask", "has_object", 1.0, 1.0),
        ("face", "face_mask", "has_face", face, FACE_POS_WEIGHT),
    ):
        if f"{name}_logits" not in outputs or "mask_logits" not in tasks or target not in batch:
            continue
        terms = _region_terms(
            outputs[f"{name}_logits"], batch[target], iou=iou, fmeasure=fmeasure,
            pos_weight=pos_weight,
        )
        term = sum(w * t for w, t in terms.values())
        alpha = segmentation_gate(batch["clarity"], batch[present])
        per_image = per_image + lam * weight * alpha * term
        if alpha.sum() > 0:
            parts[f"{name}_loss"] = float((alpha * term).detach().sum() / alpha.sum())
    teaches_mask = "mask_logits" in outputs and "mask_logits" in tasks
    for name, weight, target in (("hint", hint, 1.0), ("background", background, 0.0)):
        if not (weight and teaches_mask and name in batch):
            continue
        inside = batch[name].flatten(1)
        # BCE against the target: softplus(-logit) against 1, softplus(logit) against 0
        wrong = F.softplus((1.0 - 2.0 * target) * outputs["mask_logits"]).flatten(1)
        term = (wrong * inside).sum(dim=1) / inside.sum(dim=1).clamp(min=1.0)
        alpha = segmentation_gate(batch["clarity"], batch[f"has_{name}"])
        per_image = per_image + lam * weight * alpha * term
        if alpha.sum() > 0:
            parts[f"{name}_loss"] = float((alpha * term).detach().sum() / alpha.sum())
    total = per_image.mean()
    parts["loss"] = float(total.detach())
    return total, parts


def _region_terms(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    iou: float,
    fmeasure: float,
    pos_weight: float = 1.0,
    weights: torch.Tensor | None = None,
) -> dict[str, tuple[float, torch.Tensor]]:
    """(weight, per-image term) of a segmentation output: BCE (its target pixels weighted
    `pos_weight`), and the soft-IoU and soft F terms when their weights are not 0, keyed by the
    names the training log gives them. `weights` (like `target`) weigh the pixels of the BCE and
    soft-IoU terms (`boundary_weights`)."""
    bce = F.binary_cross_entropy_with_logits(
        logits, target, reduction="none", pos_weight=logits.new_tensor(pos_weight)
    ).flatten(1)
    if weights is None:
        terms = {"bce": (1.0, bce.mean(dim=1))}
    else:
        flat = weights.flatten(1)
        terms = {"bce": (1.0, (bce * flat).sum(dim=1) / flat.sum(dim=1))}
    if iou:
        terms["iou_loss"] = iou, soft_iou_loss(logits, target, weights=weights)
    if fmeasure:
        terms["f_loss"] = fmeasure, soft_f_loss(logits, target)
    return terms


def hard_photo_weights(term: torch.Tensor, mask: torch.Tensor, gamma: float) -> torch.Tensor:
    """Per-photo weights `(B,)` of a mask term `(B,)`: term^gamma over its mean among the photos
    whose `mask` (B, 1, H, W) marks a pixel, 1 for the others and for a batch with fewer than two
    such photos. Not differentiated: the weight chooses which photos count, it is not learnt."""
    with torch.no_grad():
        present = mask.flatten(1).amax(dim=1) > 0
        if int(present.sum()) < 2:
            return torch.ones_like(term)
        score = term.clamp(min=1e-6) ** gamma
        return torch.where(present, score / score[present].mean(), torch.ones_like(score))


def boundary_weights(mask: torch.Tensor, strength: float) -> torch.Tensor:
    """Per-pixel weights 1 + strength·|31 × 31 local mean of `mask` − mask|, shaped as `mask`
    (B, 1, H, W): about 1 inside and outside the object, up to 1 + strength at its outline."""
    local = F.avg_pool2d(mask, kernel_size=31, stride=1, padding=15, count_include_pad=False)
    return 1.0 + strength * (local - mask).abs()


def soft_iou_loss(logits: torch.Tensor, mask: torch.Tensor, *,
                  weights: torch.Tensor | None = None) -> torch.Tensor:
    """1 − soft IoU per image, `(B,)`: probabilities stand in for the predicted set; `weights`
    (like `mask`) count each pixel that many times."""
    hits, false_alarms, misses = _soft_counts(logits, mask, weights)
    return 1.0 - (hits + 1.0) / (hits + false_alarms + misses + 1.0)


def soft_f_loss(logits: torch.Tensor, mask: torch.Tensor, *, beta2: float = BETA2) -> torch.Tensor:
    """1 − soft F-measure per image, `(B,)`: probabilities count as fractional hits and misses."""
    hits, false_alarms, misses = _soft_counts(logits, mask)
    f = ((1 + beta2) * hits + 1.0) / ((1 + beta2) * hits + beta2 * misses + false_alarms + 1.0)
    return 1.0 - f


def _soft_counts(
    logits: torch.Tensor, mask: torch.Tensor, weights: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per image, `(B,)` each: soft hits, false alarms and misses of the predicted probabilities
    (each pixel counted `weights` times, once without)."""
    probability = torch.sigmoid(logits).flatten(1)
    target = mask.flatten(1)
    count = torch.ones_like(target) if weights is None else weights.flatten(1)
    hits = (count * probability * target).sum(dim=1)
    predicted, actual = (count * probability).sum(dim=1), (count * target).sum(dim=1)
    return hits, predicted - hits, actual - hits
