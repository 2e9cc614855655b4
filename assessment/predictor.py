"""Inference: a checkpoint loaded once, images batched, results at each input's own size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import torch
from PIL import Image
from torch import nn

from assessment.calibration import sharpened
from assessment.checkpoint import DEFAULT_CHECKPOINT, load_model
from assessment.data import normalise
from assessment.faces import faces_from_map, merge_faces
from assessment.geometry import Box
from assessment.graphics import is_graphic
from assessment.networks.folding import fold_batch_norm
from assessment.pixels import shrunk
from assessment.refine import grabcut_refine
from assessment.semantics import Semantics, describe_foreground

# Network passes a forward runs at once on the CPU. On this 2-core machine passes/s peaked at 4
# a batch and fell with more (2: 35, 4: 47, 8: 34, 16: 31, 32: 22 passes/s at 256 × 384; the
# activations of a large batch outgrow the caches), so a batch is 2 images with their mirrors.
CPU_PASSES = 4
CUDA_BATCH = 32


@dataclass(frozen=True)
class Prediction:
    """What the assessor says of one image.

    `clarity`: 1..10 (10 = pristine); `foreground`: (H, W) float32 in [0, 1], the probability that
    each pixel of the input belongs to the salient object; `semantics`: derived from `foreground`;
    `faces`: every face known, in the input's pixels, largest first: those the caller found and
    those the network's face map found (a network trained with `train --face-head`);
    `content`: the picture inside plain bars, a frame, a blurred fill or a caption strip
    (`framing.predict_framed`), which the clarity, the semantics and the faces are of; None for
    the whole image;
    `graphic`: a chart, text card or drawing (`assessment.graphics`), whose clarity is that of
    its edges (`classical.laplacian_clarity`), not the network's;
    `panels`: the photos of a collage in the picture, in the input's pixels
    (`assessment.collages`, found by `framing.predict_framed`); () for one photo;
    `overlays`: blocks of text laid over the picture (a caption, subtitles, a logo, a watermark),
    in the input's pixels (`assessment.overlays`, found by `framing.predict_framed`).
    """

    clarity: float
    foreground: np.ndarray
    semantics: Semantics
    faces: tuple[Box, ...] = ()
    content: Box | None = None
    graphic: bool = False
    panels: tuple[Box, ...] = ()
    overlays: tuple[Box, ...] = ()


class NetworkPredictor:
    """Runs a trained `CoverNet` on CPU or CUDA (bf16 autocast there), in batches.

    Images are shrunk (never enlarged) so their long side is at most the variant's
    `input_long_side`, grouped by size into batches, and the mask is resized back to the input.
    With `mirror` (the default) each image's mirror image runs in the same batch and the two masks
    are averaged (see `mirror_average`), at twice the compute. With `refine` (the default) each mask
    is then completed from the photo's colours by GrabCut, which raises and lowers it but never
    lowers a known face (`assessment.refine`), at ~0.1 s of one CPU core per image, and sharpened
    by the checkpoint's fitted `sharpness` (`assessment.calibration`; none without one); training
    validation turns both off to measure the network.
    A network with a face map (`face_logits`) also finds faces (`faces.faces_from_map`); they join
    the caller's faces, in the refinement and in each `Prediction.faces`.
    """

    def __init__(
        self,
        model: nn.Module,
        *,
        metadata: dict,
        device: str = "cpu",
        batch_size: int | None = None,
        mirror: bool = True,
        refine: bool = True,
    ) -> None:
        self.device = torch.device(device)
        self.model = fold_batch_norm(model).to(self.device)
        self.spec = model.spec
        self.metadata = metadata
        self.batch_size = batch_size
        self.mirror = mirror
        self.refine = refine
        self.sharpness = float(metadata.get("sharpness", 1.0))
        self.name = self.spec.variant
        self.version = str(metadata.get("version", metadata.get("date", "untrained")))

    def predict(
        self, images: Sequence[Image.Image], faces: Sequence[Sequence[Box]] | None = None
    ) -> list[Prediction]:
        """Assess `images` (RGB PIL images of any sizes); one `Prediction` per image, in order.
        `faces`: the faces found in each image (its pixels), which the refinement keeps. A graphic's
        clarity is that of its edges (`Prediction.graphic`)."""
        arrays = [np.asarray(image.convert("RGB")) for image in images]
        clarity, foreground, found = self._run(arrays, faces)
        judged = [graphic_clarity(array, c) for array, c in zip(arrays, clarity, strict=True)]
        return [
            Prediction(
                clarity=c, foreground=f, semantics=describe_foreground(f), faces=tuple(known),
                graphic=drawn,
            )
            for (c, drawn), f, known in zip(judged, foreground, found, strict=True)
        ]

    def predict_arrays(
        self, images: Sequence[np.ndarray], faces: Sequence[Sequence[Box]] | None = None
    ) -> tuple[list[float], list[np.ndarray]]:
        """Clarity scores and (H, W) float32 foreground maps for (H, W, 3) uint8 RGB arrays.
        `faces`, one list of boxes per image in its pixels, are kept by the GrabCut refinement."""
        clarity, foreground, _ = self._run(images, faces)
        return clarity, foreground

    @torch.inference_mode()
    def _run(
        self, images: Sequence[np.ndarray], faces: Sequence[Sequence[Box]] | None
    ) -> tuple[list[float], list[np.ndarray], list[list[Box]]]:
        """Clarity, foreground map and known faces (the caller's and the network's, in the input's
        pixels) of each image."""
        if faces is not None and len(faces) != len(images):
            raise ValueError(f"{len(faces)} lists of faces for {len(images)} images")
        resized = [self._fit(image) for image in images]
        clarity = [float("nan")] * len(images)
        working: list[np.ndarray | None] = [None] * len(images)  # maps at the network's size
        found: list[list[Box]] = [[] for _ in images]  # the network's faces, at its size
        for chunk in self._chunks(resized):
            outputs = self._forward(
                torch.stack([normalise(resized[i], self.spec.mean, self.spec.std) for i in chunk])
            )
            for row, index in enumerate(chunk):
                if "clarity" in outputs:
                    clarity[index] = float(outputs["clarity"][row])
                if "mask_logits" in outputs:
                    working[index] = torch.sigmoid(outputs["mask_logits"][row, 0]).cpu().numpy()
                if "face_logits" in outputs:
                    found[index] = faces_from_map(
                        torch.sigmoid(outputs["face_logits"][row, 0]).cpu().numpy()
                    )
        given = [[] for _ in images] if faces is None else faces
        known = [
            merge_faces(caller, own)
            for caller, own in zip(given, _rescaled(found, resized, images), strict=True)
        ]
        if self.refine:
            working = [
                None if probability is None else sharpened(probability, self.sharpness)
                for probability in self._refined(
                    resized, working, _rescaled(known, images, resized)
                )
            ]
        foreground = [
            np.zeros(image.shape[:2], np.float32)
            if probability is None
            else cv2.resize(probability, image.shape[1::-1], interpolation=cv2.INTER_LINEAR)
            for image, probability in zip(images, working, strict=True)
        ]
        return clarity, foreground, known

    def _chunks(self, images: Sequence[np.ndarray]) -> list[list[int]]:
        """Indices of `images` in batches of one size, at most `batch_size` images each (default:
        `CPU_PASSES` network passes a batch on the CPU, mirror images counted, `CUDA_BATCH` images
        on CUDA)."""
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        for index, image in enumerate(images):
            groups[image.shape[:2]].append(index)
        size = self.batch_size or (
            CUDA_BATCH if self.device.type == "cuda" else max(1, CPU_PASSES // (1 + self.mirror))
        )
        return [
            indices[start : start + size]
            for indices in groups.values()
            for start in range(0, len(indices), size)
        ]

    @staticmethod
    def _refined(
        images: Sequence[np.ndarray],
        maps: Sequence[np.ndarray | None],
        faces: Sequence[Sequence[Box]],
    ) -> list[np.ndarray | None]:
        """`grabcut_refine` of each map on its image, keeping its faces, as many at a time as
        torch has threads (OpenCV lets go of the GIL, and the network waits meanwhile)."""
        todo = [index for index, probability in enumerate(maps) if probability is not None]
        refined = list(maps)
        with ThreadPoolExecutor(max(1, min(len(todo), torch.get_num_threads()))) as pool:
            done = pool.map(
                lambda index: grabcut_refine(images[index], maps[index], faces=faces[index]), todo
            )
            for index, probability in zip(todo, done, strict=True):
                refined[index] = probability
        return refined

    def _fit(self, image: np.ndarray) -> np.ndarray:
        return shrunk(image, self.spec.input_long_side)[0]

    def _forward(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        batch = batch.to(self.device)
        if self.mirror:
            batch = torch.cat([batch, batch.flip(-1)])
        if self.device.type == "cuda":
            with torch.autocast("cuda", dtype=torch.bfloat16):
                outputs = self.model(batch)
        else:
            outputs = self.model(batch)
        outputs = {key: value.float() for key, value in outputs.items()}
        return mirror_average(outputs) if self.mirror else outputs


def _rescaled(
    faces: Sequence[Sequence[Box]], images: Sequence[np.ndarray], targets: Sequence[np.ndarray]
) -> list[list[Box]]:
    """Each image's faces, given in the pixels of `images`, in those of the same image's copy in
    `targets` (another size)."""
    return [
        [
            box.scaled(target.shape[1] / image.shape[1], target.shape[0] / image.shape[0]).clamp(
                target.shape[1], target.shape[0]
            )
            for box in boxes
        ]
        for image, target, boxes in zip(images, targets, faces, strict=True)
    ]


def graphic_clarity(rgb: np.ndarray, clarity: float) -> tuple[float, bool]:
    """(clarity, graphic) of the (H, W, 3) uint8 image the network gave ``clarity``: a graphic
    (`assessment.graphics`) has the clarity of its edges (`classical.laplacian_clarity`)."""
    if not is_graphic(rgb):
        return clarity, False
    from assessment.classical import laplacian_clarity  # classical imports Prediction

    return laplacian_clarity(rgb), True


def mirror_average(outputs: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """One answer per image from the outputs of a batch `[images, mirrored images]`.

    `mask_logits` and every other map (`face_logits`): the mean of the image's and its flipped-back
    mirror's (phase-4 checkpoint: `sod/val` max F 0.568 → 0.587, `fg/val` 0.529 → 0.569). Every
    other output (clarity) comes from the image alone: JPEG's 8×8 block grid is anchored at the
    top-left corner, mirroring moves it off the grid for widths that are not a multiple of 8, and
    averaging lowered clarity SROCC on JPEG from 0.965 to 0.951 on the 172 val photos.
    """
    answer = {key: value.chunk(2)[0] for key, value in outputs.items()}
    for key in [key for key in outputs if key.endswith("_logits")]:  # the maps: mask, faces
        original, mirrored = outputs[key].chunk(2)
        answer[key] = (original + mirrored.flip(-1)) / 2
    return answer


def load_predictor(
    checkpoint: str | Path | None = None,
    *,
    device: str = "cpu",
    kind: str = "network",
    mirror: bool = True,
    refine: bool = True,
):
    """The assessor the app and CLI use: `kind="network"` loads `checkpoint` (default: the committed
    small model; `mirror` averages each mask with its mirror image's, `refine` completes it from
    the photo's colours with GrabCut), `kind="classical"` the classical baseline (no checkpoint)."""
    if kind == "classical":
        from assessment.classical import ClassicalPredictor

        return ClassicalPredictor()
    if kind != "network":
        raise ValueError(f"unknown assessor kind {kind!r}; choose 'network' or 'classical'")
    model, metadata = load_model(checkpoint or DEFAULT_CHECKPOINT)
    return NetworkPredictor(
        model, metadata=metadata, device=device, mirror=mirror, refine=refine
    )
