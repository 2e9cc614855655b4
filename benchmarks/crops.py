"""Crop benchmark: CoverApp's crops vs smartcrop vs a centre crop, on human masks and face boxes.

    .venv/bin/python benchmarks/crops.py [--data DIR] [--face-images N] [--long-side 512]
        [--split val|train] [--face-split all|train|val] [--checkpoint P]

Subject part: the human masks of ``sod/val`` and ``fg/val`` are the foreground (no network).
For 16:9, 4:3, 1:1 and 9:16 it reports the share of crops keeping >= 99% of the subject's mass
among the cases where some crop of that ratio can (the subject "fits"), the mean share of the
subject kept, and the distance from the crop's centre to the subject's mass centroid (% of the
crop's diagonal). Face part: WIDER photos of ``faces/`` with their human face boxes; each
(face >= 20 px, ratio) case is "cut" when the crop keeps 10..90% of the face and "whole" when
it keeps >= 99%; where the face is larger than every crop of the ratio, "half shown" counts
the crops that keep at least half of it. ``--face-split val`` keeps only the WIDER photos that
`train --face-hints` holds out (every 6th by name, ``sources.face_split``), so the network's rows
meet photos it never trained on. CoverApp gets an empty mask there and either the human boxes or the Haar
cascades' detections (its time per image includes the detection). In both parts the last row,
"CoverApp (network + GrabCut + Haar)", is the product end to end: the committed network's mask
refined by GrabCut and the Haar faces, no human label (its time includes all three); the row
before it leaves the mask unrefined. Images are scaled to
``--long-side`` px; times are wall-clock on one core (OpenCV limited to one thread).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path

import cv2
import numpy as np
import smartcrop
from PIL import Image
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.cropping import crop_size, parse_ratio, propose_crops  # noqa: E402
from assessment.faces import detect_faces  # noqa: E402
from assessment.framing import predict_framed  # noqa: E402
from assessment.geometry import Box  # noqa: E402
from assessment.predictor import load_predictor  # noqa: E402
from assessment.sources import data_dir, face_split, paired_sources  # noqa: E402

RATIOS = ("16:9", "4:3", "1:1", "9:16")
MIN_FACE = 20
Cropper = Callable[[Image.Image, np.ndarray, list[Box]], dict[str, Box]]


def centre_crops(image: Image.Image, mask: np.ndarray, faces: list[Box]) -> dict[str, Box]:
    """The largest crop of each ratio, centred."""
    width, height = image.size
    boxes = {}
    for text in RATIOS:
        w, h = crop_size(parse_ratio(text).value, width, height)
        boxes[text] = Box((width - w) // 2, (height - h) // 2, w, h)
    return boxes


_SMARTCROP = smartcrop.SmartCrop()


def smart_crops(image: Image.Image, mask: np.ndarray, faces: list[Box]) -> dict[str, Box]:
    """smartcrop (Jian Li's port of smartcrop.js) asked for the largest crop of each ratio."""
    boxes = {}
    for text in RATIOS:
        w, h = crop_size(parse_ratio(text).value, *image.size)
        top = _SMARTCROP.crop(image, w, h)["top_crop"]
        boxes[text] = Box(top["x"], top["y"], top["width"], top["height"])
    return boxes


def coverapp_crops(image: Image.Image, mask: np.ndarray, faces: list[Box],
                   content: Box | None = None) -> dict[str, Box]:
    proposals = propose_crops(mask, faces=faces, ratios=RATIOS, image_size=image.size,
                              content=content)
    return {text: p.box for text, p in proposals.items()}


def coverapp_haar_crops(image: Image.Image, mask: np.ndarray, faces: list[Box]) -> dict[str, Box]:
    detected = detect_faces(np.asarray(image))
    return coverapp_crops(image, mask, detected)


@cache
def _network(checkpoint: Path | None, refine: bool):
    return load_predictor(checkpoint, refine=refine)


def coverapp_network_crops(
    image: Image.Image,
    mask: np.ndarray,
    faces: list[Box],
    *,
    checkpoint: Path | None = None,
    refine: bool = True,
) -> dict[str, Box]:
    """What the product does: the Haar faces (labels ignored) and the network's own (when it has a
    face map), and the network's mask (`checkpoint`, default the committed one) of the picture
    inside any plain bars (`framing`), refined by GrabCut keeping those faces, unless `refine` is
    false (`COVERAPP_REFINE=false`); the crops stay inside the picture."""
    detected = detect_faces(np.asarray(image))
    prediction = predict_framed(_network(checkpoint, refine), [image], faces=[detected])[0]
    return coverapp_crops(image, prediction.foreground, list(prediction.faces),
                          prediction.content)


def _scaled(image: Image.Image, long_side: int) -> tuple[Image.Image, float]:
    scale = long_side / max(image.size)
    size = (round(image.width * scale), round(image.height * scale))
    return image.resize(size, Image.Resampling.BILINEAR), scale


def _mass_in(integral: np.ndarray, box: Box) -> float:
    return float(
        integral[box.bottom, box.right] - integral[box.y, box.right]
        - integral[box.bottom, box.x] + integral[box.y, box.x]
    )


def _fits(integral: np.ndarray, ratio: float, width: int, height: int) -> bool:
    """True when some largest crop of ``ratio`` keeps >= 99% of the mask's mass."""
    w, h = crop_size(ratio, width, height)
    best = max(
        _mass_in(integral, Box(x, y, w, h))
        for x in range(width - w + 1)
        for y in ((0,) if h == height else range(height - h + 1))
    )
    return best >= 0.99 * integral[-1, -1]


def subject_benchmark(root: Path, methods: dict[str, Cropper], long_side: int, split: str):
    pairs = [
        s for kind in ("sod", "fg")
        for s in paired_sources(root / kind / split / "images", root / kind / split / "masks")
        if s.mask is not None
    ]
    stats = {name: defaultdict(list) for name in methods}
    for source in tqdm(pairs, desc="subject masks", unit="image"):
        image, _ = _scaled(Image.open(source.image).convert("RGB"), long_side)
        mask_image = Image.open(source.mask).convert("L")
        mask_image = mask_image.resize(image.size, Image.Resampling.NEAREST)
        mask = (np.asarray(mask_image) >= 128).astype(np.float32)
        integral = cv2.integral(mask.astype(np.float64))
        total = integral[-1, -1]
        ys, xs = np.nonzero(mask)
        centroid = (xs.mean() + 0.5, ys.mean() + 0.5)
        fits = {t: _fits(integral, parse_ratio(t).value, *image.size) for t in RATIOS}
        for name, method in methods.items():
            start = time.perf_counter()
            boxes = method(image, mask, [])
            stats[name]["ms"].append((time.perf_counter() - start) * 1000)
            for text, box in boxes.items():
                kept = _mass_in(integral, box) / total
                stats[name]["kept"].append(kept)
                if fits[text]:
                    stats[name][f"whole {text}"].append(kept >= 0.99)
                    stats[name]["whole"].append(kept >= 0.99)
                cx, cy = box.center
                distance = np.hypot(cx - centroid[0], cy - centroid[1]) / np.hypot(box.w, box.h)
                stats[name]["distance"].append(distance)
    return stats, len(pairs)


def face_benchmark(
    root: Path, methods: dict[str, Cropper], long_side: int, limit: int | None, split: str
):
    boxes_by_name = json.loads((root / "faces" / "faces.json").read_text())
    chosen = sorted(boxes_by_name) if split == "all" else face_split(list(boxes_by_name), split)
    names = [n for n in chosen if any(min(b[2], b[3]) >= MIN_FACE for b in boxes_by_name[n])]
    names = names[:limit]
    stats = {name: defaultdict(list) for name in methods}
    for name in tqdm(names, desc="faces", unit="image"):
        original = Image.open(root / "faces" / "images" / f"{name}.jpg").convert("RGB")
        image, scale = _scaled(original, long_side)
        faces = [Box(*b).scaled(scale, scale).clamp(*image.size) for b in boxes_by_name[name]]
        sizes = [min(b[2], b[3]) for b in boxes_by_name[name]]
        judged = [f for f, size in zip(faces, sizes, strict=True) if size >= MIN_FACE]
        empty = np.zeros((image.height, image.width), np.float32)
        for method_name, method in methods.items():
            start = time.perf_counter()
            crops = method(image, empty, faces)
            stats[method_name]["ms"].append((time.perf_counter() - start) * 1000)
            for text, box in crops.items():
                w, h = crop_size(parse_ratio(text).value, *image.size)
                for face in judged:
                    kept = box.overlap_share(face)
                    stats[method_name]["cut"].append(0.1 <= kept <= 0.9)
                    stats[method_name]["whole"].append(kept >= 0.99)
                    if face.w <= w and face.h <= h:
                        stats[method_name]["cut where it fits"].append(0.1 <= kept <= 0.9)
                    else:  # no crop holds it whole: does the crop show it, or a chest?
                        stats[method_name]["shown where too large"].append(kept >= 0.5)
    return stats, len(names)


def _pct(values) -> str:
    return f"{100 * np.mean(values):.1f}%" if len(values) else "n/a"


def _pct_of(values) -> str:
    """Share of True with the number of cases: "97.5% of 40"."""
    return f"{_pct(values)} of {len(values)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="data folder (default: $COVERAPP_DATA)")
    parser.add_argument("--face-images", type=int, default=None, help="use only the first N")
    parser.add_argument("--long-side", type=int, default=512, help="image size for all methods")
    parser.add_argument("--split", default="val", choices=("val", "train"), help="mask split")
    parser.add_argument(
        "--face-split", default="all", choices=("all", "train", "val"),
        help="faces/ photos: all, or the face-hint split (val: the photos training holds out)",
    )
    parser.add_argument(
        "--checkpoint", type=Path, default=None,
        help="network for the product rows (default: the committed one)",
    )
    args = parser.parse_args()
    cv2.setNumThreads(1)
    root = data_dir(args.data)
    peers = {"smartcrop": smart_crops, "centre crop": centre_crops}
    product = {
        "CoverApp (network + Haar, unrefined)": partial(
            coverapp_network_crops, checkpoint=args.checkpoint, refine=False
        ),
        "CoverApp (network + GrabCut + Haar)": partial(
            coverapp_network_crops, checkpoint=args.checkpoint
        ),
    }
    methods = {"CoverApp": coverapp_crops, **peers, **product}
    subject, n_pairs = subject_benchmark(root, methods, args.long_side, args.split)
    face_methods = {"CoverApp (human boxes)": coverapp_crops, "CoverApp (Haar faces)":
                    coverapp_haar_crops, **peers, **product}
    faces, n_faces = face_benchmark(
        root, face_methods, args.long_side, args.face_images, args.face_split
    )

    print(f"\nSubject (human masks of sod/{args.split} + fg/{args.split}: {n_pairs} images, "
          f"{args.long_side} px)")
    print("| method | kept whole where it fits | " + " | ".join(RATIOS)
          + " | mean kept | centre to centroid | ms / image | ms / ratio |")
    print("|---" * (6 + len(RATIOS)) + "|")
    for name, s in subject.items():
        per_ratio = " | ".join(_pct_of(s[f"whole {t}"]) for t in RATIOS)
        ms = np.mean(s["ms"])
        print(f"| {name} | {_pct_of(s['whole'])} | {per_ratio} | {_pct(s['kept'])} | "
              f"{_pct(s['distance'])} of diagonal | {ms:.1f} | {ms / len(RATIOS):.2f} |")
    print(f"\nFaces (faces/, {args.face_split}: {n_faces} images, faces >= {MIN_FACE} px, "
          f"ratios {', '.join(RATIOS)})")
    print("| method | (face, ratio) cases | cut (10-90% kept) | cut where the face fits the crop "
          "| kept whole | half shown where too large | ms / image |")
    print("|---|---|---|---|---|---|---|")
    for name, s in faces.items():
        print(f"| {name} | {len(s['cut'])} | {_pct(s['cut'])} | {_pct(s['cut where it fits'])} "
              f"| {_pct(s['whole'])} | {_pct_of(s['shown where too large'])} "
              f"| {np.mean(s['ms']):.1f} |")


if __name__ == "__main__":
    main()
