"""Registered variants. `cover-*` are the paper's multi-task network; `clarity-*` and `mask-*` are the
single-task baselines of its Table 2, identical but for the missing head."""

from __future__ import annotations

from assessment.networks.backbones import MobileNetV3Backbone, ResNet50Backbone
from assessment.networks.cover_net import CoverNet
from assessment.networks.spec import ModelSpec
from assessment.registry import register_model

BOTH_HEADS = ("clarity", "mask_logits")


def _small(
    name: str,
    heads: tuple[str, ...],
    width_mult: float,
    head_channels: int,
    decoder_dropout: float = 0.0,
    object_head: bool = False,
    face_head: bool = False,
    clarity_subject: float = 0.0,
) -> CoverNet:
    options: dict[str, object] = {"width_mult": width_mult, "head_channels": head_channels}
    if clarity_subject:
        options["clarity_subject"] = clarity_subject
    if "mask_logits" in heads:
        options["decoder_dropout"] = decoder_dropout
    if object_head:
        options["object_head"] = True
    if face_head:
        options["face_head"] = True
    return CoverNet(
        MobileNetV3Backbone(width_mult=width_mult),
        spec=ModelSpec(variant=name, heads=heads, options=options),
        head_channels=head_channels,
        clarity_channels=64,
        decoder_dropout=decoder_dropout,
        object_head=object_head,
        face_head=face_head,
        clarity_subject=clarity_subject,
    )


@register_model("cover-small")
def cover_small(
    *,
    width_mult: float = 0.75,
    head_channels: int = 128,
    decoder_dropout: float = 0.0,
    object_head: bool = False,
    face_head: bool = False,
    clarity_subject: float = 0.0,
) -> CoverNet:
    """MobileNetV3-Large ×0.75 backbone, 128-channel heads: trains on 2 CPU cores; ≈ 2.5 M
    parameters. `object_head`: the decoder also learns COCO objectness (an auxiliary task);
    `face_head`: it also learns where faces are, from people's face boxes; `clarity_subject`:
    the share of the clarity branch's pool taken over the mask's subject (`ClarityBranch`)."""
    return _small(
        "cover-small", BOTH_HEADS, width_mult, head_channels, decoder_dropout, object_head,
        face_head, clarity_subject,
    )


@register_model("clarity-small")
def clarity_small(*, width_mult: float = 0.75, head_channels: int = 128) -> CoverNet:
    """Single-task baseline: `cover-small` without the mask head."""
    return _small("clarity-small", ("clarity",), width_mult, head_channels)


@register_model("mask-small")
def mask_small(
    *, width_mult: float = 0.75, head_channels: int = 128, decoder_dropout: float = 0.0
) -> CoverNet:
    """Single-task baseline: `cover-small` without the clarity branch."""
    return _small("mask-small", ("mask_logits",), width_mult, head_channels, decoder_dropout)


@register_model("cover-resnet50")
def cover_resnet50(*, head_channels: int = 256, decoder_dropout: float = 0.0) -> CoverNet:
    """The paper's scale: ResNet-50 backbone, 256-channel ASPP/decoder and clarity branch (for a GPU)."""
    spec = ModelSpec(
        variant="cover-resnet50",
        heads=BOTH_HEADS,
        options={"head_channels": head_channels, "decoder_dropout": decoder_dropout},
    )
    return CoverNet(
        ResNet50Backbone(),
        spec=spec,
        head_channels=head_channels,
        clarity_channels=256,
        decoder_dropout=decoder_dropout,
    )
