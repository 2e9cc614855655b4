"""A contact sheet of the network on val images: photo with its proposed crops, the human mask,
the network's foreground map as it comes out and as served (refined by GrabCut and sharpened by
the checkpoint's fitted sharpness), and the spectral-residual baseline's.

    .venv/bin/python benchmarks/val_gallery.py [--checkpoint P] [--count 8] [--worst] [--out docs/val-gallery.png]

`--worst` shows the `--count` photos whose served map scores the lowest F-measure at the set's
max-F threshold (`metrics.photos_at_max_f`), worst first, instead of the set's first photos.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.classical import spectral_residual_saliency  # noqa: E402
from assessment.cropping import propose_crops  # noqa: E402
from assessment.data import Photo, load_photos  # noqa: E402
from assessment.metrics import mask_scores, photos_at_max_f  # noqa: E402
from assessment.predictor import load_predictor  # noqa: E402
from assessment.sources import data_dir, paired_sources  # noqa: E402

TILE = 240
CROP_COLOURS = {"16:9": (255, 200, 0), "1:1": (0, 220, 255), "9:16": (255, 64, 160)}


def tile(image: np.ndarray, label: str) -> np.ndarray:
    """`image` letterboxed into a TILE×TILE square with a caption."""
    if image.ndim == 2:
        image = np.stack([np.clip(image * 255, 0, 255).astype(np.uint8)] * 3, axis=-1)
    scale = TILE / max(image.shape[:2])
    resized = cv2.resize(image, (round(image.shape[1] * scale), round(image.shape[0] * scale)))
    canvas = np.full((TILE, TILE, 3), 32, np.uint8)
    y, x = (TILE - resized.shape[0]) // 2, (TILE - resized.shape[1]) // 2
    canvas[y : y + resized.shape[0], x : x + resized.shape[1]] = resized
    cv2.putText(
        canvas, label, (6, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (255, 255, 0), 1, cv2.LINE_AA
    )
    return canvas


def worst_photos(predictor, photos: list[Photo], count: int) -> list[tuple[Photo, float]]:
    """The `count` of `photos` whose served maps score the lowest F at the set's max-F threshold,
    worst first, each with that F."""
    maps = predictor.predict_arrays([p.image for p in photos])[1]
    parts = photos_at_max_f(mask_scores(maps, [p.mask for p in photos]))
    return [(photos[i], float(parts[i])) for i in np.argsort(parts, kind="stable")[:count]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checkpoint", default=None)
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--set", default="sod", choices=("sod", "fg"))
    parser.add_argument("--worst", action="store_true", help="the photos that hold max F down most")
    parser.add_argument("--out", type=Path, default=Path("docs/val-gallery.png"))
    args = parser.parse_args()
    root = data_dir() / args.set / "val"
    photos = load_photos(paired_sources(root / "images", root / "masks"), min_side=0)
    predictor = load_predictor(args.checkpoint)
    if args.worst:
        chosen = worst_photos(predictor, photos, args.count)
        photos, captions = [p for p, _ in chosen], [f"human mask; F {f:.2f}" for _, f in chosen]
    else:
        photos, captions = photos[: args.count], ["human mask"] * min(args.count, len(photos))
    predictor.refine = False
    clarity, raw_maps = predictor.predict_arrays([p.image for p in photos])
    predictor.refine = True
    maps = predictor.predict_arrays([p.image for p in photos])[1]
    rows = []
    for photo, caption, score, raw, foreground in zip(
        photos, captions, clarity, raw_maps, maps, strict=True
    ):
        framed = photo.image.copy()
        size = (photo.image.shape[1], photo.image.shape[0])
        crops = propose_crops(foreground, faces=[], ratios=list(CROP_COLOURS), image_size=size)
        for ratio, proposal in crops.items():
            x, y, w, h = proposal.box.as_list()
            cv2.rectangle(framed, (x, y), (x + w - 1, y + h - 1), CROP_COLOURS[ratio], 2)
        rows.append(
            np.concatenate(
                [
                    tile(framed, f"clarity {score:.1f}; crops 16:9 1:1 9:16"),
                    tile(photo.mask / 255.0, caption),
                    tile(raw, "network"),
                    tile(foreground, "+ GrabCut, sharpened (served)"),
                    tile(spectral_residual_saliency(photo.image), "spectral residual"),
                ],
                axis=1,
            )
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(args.out), cv2.cvtColor(np.concatenate(rows, axis=0), cv2.COLOR_RGB2BGR))
    print(args.out)


if __name__ == "__main__":
    main()
