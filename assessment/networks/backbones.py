"""Backbones at output stride 16 that hand named feature maps to the heads.

`low` is the stride-4 map the DeepLabv3+ decoder refines edges with; `high` is the stride-16 map
ASPP reads. Built without weights: nothing is downloaded, the network trains from scratch.
"""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models import mobilenet_v3_large, resnet50


class Backbone(nn.Module):
    """Wraps a feature extractor; `forward` returns `{"low": (B,Cl,H/4,W/4), "high": (B,Ch,H/16,W/16)}`."""

    low_channels: int
    high_channels: int


class MobileNetV3Backbone(Backbone):
    """MobileNetV3-Large (Howard et al., ICCV 2019) with the last stage dilated (OS 16)."""

    def __init__(self, *, width_mult: float = 1.0) -> None:
        super().__init__()
        features = mobilenet_v3_large(weights=None, dilated=True, width_mult=width_mult).features
        # Block 3 is the last at stride 4 (block 4 is the first to downsample to stride 8).
        self.low = features[:4]
        self.high = features[4:]
        self.low_channels = features[3].out_channels
        self.high_channels = features[-1].out_channels

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        low = self.low(x)
        return {"low": low, "high": self.high(low)}


class ResNet50Backbone(Backbone):
    """ResNet-50 (He et al., CVPR 2016) with layer4 dilated (OS 16), the DeepLabv3+ paper's setting."""

    def __init__(self) -> None:
        super().__init__()
        net = resnet50(weights=None, replace_stride_with_dilation=[False, False, True])
        self.stem = nn.Sequential(net.conv1, net.bn1, net.relu, net.maxpool, net.layer1)
        self.body = nn.Sequential(net.layer2, net.layer3, net.layer4)
        self.low_channels = 256
        self.high_channels = 2048

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        low = self.stem(x)
        return {"low": low, "high": self.body(low)}
