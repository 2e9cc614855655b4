"""Inference throughput of the committed network (and the classical baseline) at a 384-px long side.

    .venv/bin/python benchmarks/inference.py [--checkpoint P] [--device cpu|cuda] [--images 64]
        [--batches 1,8,16]

Prints a Markdown table: images per second for each batch size (images handed to the predictor at
once; it splits them into the network's own batches), as served (mirror averaging, two
passes per image, then GrabCut refinement of the mask on the CPU), without the refinement, and in
one pass with and without it; decoded images in memory, no crops. On CUDA the network runs under bf16 autocast.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.data import load_photos
from assessment.evaluate import classical_arrays
from assessment.predictor import load_predictor
from assessment.sources import data_dir, shared_sources


def images_at(long_side: int, count: int) -> list[np.ndarray]:
    """`count` val photos resized so their long side is `long_side` px (cycled if too few)."""
    photos = load_photos(shared_sources(data_dir(), "val", kinds=("sod", "objects")), min_side=0)
    resized = []
    for photo in photos[:count]:
        height, width = photo.image.shape[:2]
        scale = long_side / max(height, width)
        size = (round(width * scale), round(height * scale))
        resized.append(cv2.resize(photo.image, size, interpolation=cv2.INTER_AREA))
    return [resized[i % len(resized)] for i in range(count)]


def throughput(predict, images: list[np.ndarray], batch: int) -> float:
    predict(images[:batch])  # warm-up
    started = time.perf_counter()
    for start in range(0, len(images), batch):
        predict(images[start : start + batch])
    return len(images) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checkpoint", default=None)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--images", type=int, default=64)
    parser.add_argument("--long-side", type=int, default=384)
    parser.add_argument(
        "--batches", default="1,8,16", help="comma-separated batch sizes (e.g. 1,16,64 on a GPU)"
    )
    args = parser.parse_args()
    network = load_predictor(args.checkpoint, device=args.device)
    images = images_at(args.long_side, args.images)
    rows = []
    settings = [(True, True), (True, False), (False, True), (False, False)]  # (mirror, refine); served first
    batches = [int(size) for size in args.batches.split(",")]
    runs = [(m, r, b) for m, r in settings for b in batches]
    for mirror, refine, batch in tqdm(runs, desc="runs"):
        network.mirror, network.refine = mirror, refine
        passes = ("image + mirror" if mirror else "image only") + (" + GrabCut" if refine else "")
        rows.append(
            (
                f"network ({network.name}, {args.device}, {passes})",
                batch,
                throughput(network.predict_arrays, images, batch),
            )
        )
    rows.append(
        ("classical (Laplacian + spectral residual)", 1, throughput(classical_arrays, images, 1))
    )
    print(
        f"\n{len(images)} images, long side {args.long_side} px, torch threads {torch.get_num_threads()}\n"
    )
    print("| assessor | batch | images/s |\n|---|---:|---:|")
    for name, batch, speed in rows:
        print(f"| {name} | {batch} | {speed:.1f} |")


if __name__ == "__main__":
    main()
