"""Copy-paste compositing (Ghiasi et al., CVPR 2021; Dwibedi et al., ICCV 2017): cut an object out by
its human mask and paste it onto another clean photo. The pasted object's mask is the composite's
label, so every unlabelled photo can also teach segmentation.

The object is scaled to cover `AREA_RANGE` of the background, flipped with probability 0.5 and
placed uniformly where it fits whole; its alpha is feathered by a σ = 1 px Gaussian so that the
seam does not become a cue the network could learn instead of the object.
"""

from __future__ import annotations

import cv2
import numpy as np

AREA_RANGE = (0.04, 0.35)
FEATHER_SIGMA = 1.0


def paste_object(
    background: np.ndarray,
    obj_image: np.ndarray,
    obj_mask: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Paste the object `obj_mask` marks in `obj_image` onto `background`.

    `background`: (H, W, 3) uint8; `obj_image`: (h, w, 3) uint8; `obj_mask`: (h, w) uint8 {0, 255}
    or bool. Returns the composite (H, W, 3) uint8 and its mask (H, W) uint8 {0, 255}: the pasted
    object's pixels only. If the mask is empty the background comes back with an empty mask.
    """
    height, width = background.shape[:2]
    ys, xs = np.nonzero(obj_mask)
    if len(ys) == 0:
        return background.copy(), np.zeros((height, width), np.uint8)
    top, bottom, left, right = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    cut_image = obj_image[top:bottom, left:right]
    cut_alpha = (obj_mask[top:bottom, left:right] > 0).astype(np.float32)
    if rng.random() < 0.5:
        cut_image, cut_alpha = cut_image[:, ::-1], cut_alpha[:, ::-1]

    target_area = rng.uniform(*AREA_RANGE) * height * width
    scale = np.sqrt(target_area / max(cut_alpha.sum(), 1.0))
    scale = min(scale, width / cut_alpha.shape[1], height / cut_alpha.shape[0])
    size = (max(1, int(cut_alpha.shape[1] * scale)), max(1, int(cut_alpha.shape[0] * scale)))
    cut_image = cv2.resize(np.ascontiguousarray(cut_image), size, interpolation=cv2.INTER_AREA)
    cut_alpha = cv2.resize(np.ascontiguousarray(cut_alpha), size, interpolation=cv2.INTER_AREA)

    x = int(rng.integers(0, width - size[0] + 1))
    y = int(rng.integers(0, height - size[1] + 1))
    alpha = np.zeros((height, width), np.float32)
    alpha[y : y + size[1], x : x + size[0]] = cut_alpha
    pasted = background.astype(np.float32)
    pasted[y : y + size[1], x : x + size[0]] = cut_image
    soft = cv2.GaussianBlur(alpha, (0, 0), FEATHER_SIGMA)[..., None]
    composite = background * (1.0 - soft) + pasted * soft
    return np.clip(composite + 0.5, 0, 255).astype(np.uint8), np.where(alpha >= 0.5, 255, 0).astype(
        np.uint8
    )
