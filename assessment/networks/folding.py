"""Serving-time simplification of a trained network: batch norms folded into their convolutions."""

from __future__ import annotations

import copy

import torch
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval


def fold_batch_norm(model: nn.Module) -> nn.Module:
    """An eval-mode copy of `model` in which every `BatchNorm2d` that directly follows a `Conv2d`
    in an `nn.Sequential` is folded into that convolution's weights and bias (and replaced by an
    identity). The outputs are the eval-mode model's up to float rounding; one operation a layer
    fewer for the CPU to run. `model` itself is left as it was (it may go on training)."""
    folded = copy.deepcopy(model).eval()
    for module in folded.modules():
        if not isinstance(module, nn.Sequential):
            continue
        names = list(module._modules)
        for conv_name, norm_name in zip(names, names[1:], strict=False):
            conv, norm = module._modules[conv_name], module._modules[norm_name]
            if isinstance(conv, nn.Conv2d) and isinstance(norm, nn.BatchNorm2d):
                module._modules[conv_name] = fuse_conv_bn_eval(conv, norm)
                module._modules[norm_name] = nn.Identity()
    return folded.to(memory_format=torch.channels_last)
