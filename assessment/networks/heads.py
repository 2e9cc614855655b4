"""The DeepLabv3+ heads (Chen et al., ECCV 2018) and the clarity branch of Sun et al. (KDD'19 workshop,
"News Cover Assessment via Multi-task Learning").

Convolutions are depthwise-separable where DeepLabv3+ allows it (ASPP and decoder), which keeps
the small variant fast on a CPU.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

#: Weight of a place the subject map calls background, against 1 + this on the subject: keeps an
#: empty map's pool the global average.
SUBJECT_FLOOR = 1e-3


def conv_bn_relu(cin: int, cout: int, *, kernel: int = 1, dilation: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(
            cin, cout, kernel, padding=dilation * (kernel // 2), dilation=dilation, bias=False
        ),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


def separable_conv(cin: int, cout: int, *, dilation: int = 1) -> nn.Sequential:
    """3×3 depthwise (dilated) then 1×1 pointwise, each with BN + ReLU."""
    return nn.Sequential(
        nn.Conv2d(cin, cin, 3, padding=dilation, dilation=dilation, groups=cin, bias=False),
        nn.BatchNorm2d(cin),
        nn.ReLU(inplace=True),
        conv_bn_relu(cin, cout),
    )


class ASPP(nn.Module):
    """Atrous spatial pyramid pooling: 1×1, three dilated 3×3 (rates 6/12/18 at OS 16) and image pooling."""

    def __init__(self, cin: int, cout: int, *, rates: tuple[int, ...] = (6, 12, 18)) -> None:
        super().__init__()
        self.branches = nn.ModuleList(
            [conv_bn_relu(cin, cout)] + [separable_conv(cin, cout, dilation=r) for r in rates]
        )
        # No BatchNorm after global pooling: with batch 1 at inference its statistics are degenerate.
        self.pool = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Conv2d(cin, cout, 1), nn.ReLU(inplace=True)
        )
        self.project = nn.Sequential(conv_bn_relu(cout * (len(rates) + 2), cout), nn.Dropout(0.1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pooled = self.pool(x).expand(-1, -1, *x.shape[-2:])
        return self.project(torch.cat([b(x) for b in self.branches] + [pooled], dim=1))


class Decoder(nn.Module):
    """DeepLabv3+ decoder: upsample ASPP ×4, fuse with 48 projected low-level channels, refine,
    `outputs` logits (1: the foreground mask).

    `dropout`: while training, the chance each feature of the first refined map is dropped (the
    reference implementations drop 0.5 there); 0 drops nothing.
    """

    def __init__(
        self,
        low_channels: int,
        aspp_channels: int,
        *,
        channels: int,
        dropout: float = 0.0,
        outputs: int = 1,
    ) -> None:
        super().__init__()
        self.reduce = conv_bn_relu(low_channels, 48)
        self.refine = nn.Sequential(
            separable_conv(aspp_channels + 48, channels), separable_conv(channels, channels)
        )
        self.classify = nn.Conv2d(channels, outputs, 1)
        self.dropout = dropout

    def forward(self, low: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        context = F.interpolate(context, size=low.shape[-2:], mode="bilinear", align_corners=False)
        refined = self.refine[0](torch.cat([self.reduce(low), context], dim=1))
        refined = F.dropout(refined, self.dropout, self.training)
        return self.classify(self.refine[1](refined))


class ClarityBranch(nn.Module):
    """The paper's clarity head: (conv3 + maxpool) ×3, global average pool, FC-1.

    Returns a logit; the model maps it to the 1..10 clarity scale with a sigmoid. Given a
    ``subject`` map ``(B, 1, h, w)`` in 0..1 and a ``share``, the pool is that share of the
    average weighted by the subject (as SGDNet weighs quality features by predicted saliency)
    and the rest the global average: a photo whose background alone is blurred (a shallow depth
    of field) is as sharp as its subject. An empty map weighs every place alike.
    """

    def __init__(self, cin: int, *, channels: int) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        for i in range(3):
            layers += [
                conv_bn_relu(cin if i == 0 else channels, channels, kernel=3),
                nn.MaxPool2d(2),
            ]
        self.features = nn.Sequential(*layers)
        self.fc = nn.Linear(channels, 1)

    def forward(
        self, x: torch.Tensor, subject: torch.Tensor | None = None, share: float = 0.0
    ) -> torch.Tensor:
        features = self.features(x)
        pooled = features.mean(dim=(2, 3))
        if subject is not None and share > 0:
            weights = F.adaptive_avg_pool2d(subject, features.shape[-2:]) + SUBJECT_FLOOR
            on_subject = (features * weights).sum(dim=(2, 3)) / weights.sum(dim=(2, 3))
            pooled = (1 - share) * pooled + share * on_subject
        return self.fc(pooled).squeeze(1)
