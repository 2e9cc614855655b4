"""The multi-task cover-assessment network of Sun et al., "News Cover Assessment via Multi-task
Learning" (KDD'19 workshop): a DeepLabv3+ segmenter whose backbone also feeds a clarity branch.

`forward(x)` takes a normalised batch `(B, 3, H, W)` of any size and returns a dict:
  - `clarity`: `(B,)`, the clarity score on the 1..10 scale (10 = pristine), when the clarity head exists
    (with `clarity_subject`, pooled partly over the mask head's subject: `ClarityBranch`);
  - `mask_logits`: `(B, 1, H, W)`, foreground logits at the input's size, when the mask head exists;
  - `object_logits`: `(B, 1, H, W)`, logits of an auxiliary objectness map (COCO instance masks:
    an object, not always the subject) from the same decoder, with `object_head`;
  - `face_logits`: `(B, 1, H, W)`, logits of a face map (the core of every face, as
    `faces.face_cores` draws it from people's face boxes) from the same decoder, with `face_head`.
Inputs are padded (edge-replicated) to the output stride, and to `MIN_SIDE` when smaller, inside
`forward` and the mask is unpadded, so no caller has to warp an image to a fixed shape.

Weights and activations are kept channels-last (NHWC): the same numbers, and on this 2-core CPU
about twice as fast to train and 1.5 to 1.9 times as fast to serve as the default NCHW layout,
whose depthwise and 1×1 convolutions oneDNN has to reorder at every layer.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from assessment.networks.backbones import Backbone
from assessment.networks.heads import ASPP, ClarityBranch, Decoder
from assessment.networks.spec import ModelSpec

CLARITY_MIN, CLARITY_MAX = 1.0, 10.0
#: Maps that start as "nowhere" (zero weights, this probability everywhere) rather than as a copy
#: of the mask: faces cover a few per cent of a photo (the prior start of RetinaNet, Lin et al.).
FRESH_MAPS = {"face_logits": 0.01}
#: Smallest side the network runs on: the clarity branch halves the stride-4 features three times.
MIN_SIDE = 4 * 2**3


class CoverNet(nn.Module):
    """Backbone (OS 16) + optional DeepLabv3+ mask head + optional clarity branch."""

    def __init__(
        self,
        backbone: Backbone,
        *,
        spec: ModelSpec,
        head_channels: int,
        clarity_channels: int,
        decoder_dropout: float = 0.0,
        object_head: bool = False,
        face_head: bool = False,
        clarity_subject: float = 0.0,
    ) -> None:
        super().__init__()
        if not 0.0 <= clarity_subject <= 1.0:
            raise ValueError(f"clarity_subject is a share from 0 to 1, got {clarity_subject}")
        self.spec = spec
        #: The share of the clarity branch's pool taken over the network's own subject map
        #: (`ClarityBranch`); 0: the paper's global average.
        self.clarity_subject = clarity_subject if "mask_logits" in spec.heads else 0.0
        # The decoder's logits, in the order of its output channels.
        self.logit_names = (
            ["mask_logits"] + ["object_logits"] * object_head + ["face_logits"] * face_head
        )
        self.backbone = backbone
        if "mask_logits" in spec.heads:
            self.aspp = ASPP(backbone.high_channels, head_channels)
            self.decoder = Decoder(
                backbone.low_channels,
                head_channels,
                channels=head_channels,
                dropout=decoder_dropout,
                outputs=len(self.logit_names),
            )
            for row in self.fresh_rows:
                prior = FRESH_MAPS[self.logit_names[row]]
                nn.init.zeros_(self.decoder.classify.weight[row])
                nn.init.constant_(self.decoder.classify.bias[row], math.log(prior / (1 - prior)))
        if "clarity" in spec.heads:
            # The branch reads the stride-4 features: blur, noise and blocking are high-frequency
            # damage that the stride-16 map has already averaged away.
            self.clarity_head = ClarityBranch(backbone.low_channels, channels=clarity_channels)
        self.to(memory_format=torch.channels_last)

    @property
    def fresh_rows(self) -> list[int]:
        """The decoder's output channels that start fresh (`FRESH_MAPS`), also when the rest of the
        network comes from a checkpoint without them (`train.load_initial_weights`)."""
        return [row for row, name in enumerate(self.logit_names) if name in FRESH_MAPS]

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        height, width = x.shape[-2:]
        stride = self.spec.stride
        pad_h = max(MIN_SIDE, height + (-height) % stride) - height
        pad_w = max(MIN_SIDE, width + (-width) % stride) - width
        if pad_h or pad_w:
            x = F.pad(x, (0, pad_w, 0, pad_h), mode="replicate")
        features = self.backbone(x.contiguous(memory_format=torch.channels_last))
        out: dict[str, torch.Tensor] = {}
        if "mask_logits" in self.spec.heads:
            logits = self.decoder(features["low"], self.aspp(features["high"]))
            logits = F.interpolate(logits, size=x.shape[-2:], mode="bilinear", align_corners=False)
            for channel, name in enumerate(self.logit_names):
                out[name] = logits[:, channel : channel + 1, :height, :width]
        if "clarity" in self.spec.heads:
            subject = None
            if self.clarity_subject > 0:  # the subject of the image, not of its padding
                subject = F.pad(torch.sigmoid(out["mask_logits"].detach()), (0, pad_w, 0, pad_h))
            logit = self.clarity_head(features["low"], subject, self.clarity_subject)
            out["clarity"] = CLARITY_MIN + (CLARITY_MAX - CLARITY_MIN) * torch.sigmoid(logit)
        return out
