"""`python -m assessment predict`: assess every image of a folder and write the contract's files.

For each `X.*` in the folder: `OUT/X.png`, the foreground probability as 8-bit greyscale at the
input's size (255 = certain foreground), and `OUT/X.json`:
`{"image": "X.jpg", "width": W, "height": H, "clarity": c, "mask": "X.png", "crops": {"16:9": [x, y, w, h], …}}`
with boxes in the input's pixels. Unreadable files are reported on stderr and skipped.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import numpy as np
from PIL import Image
from tqdm import tqdm

from assessment.cropping import parse_ratio, propose_crops
from assessment.faces import detect_faces
from assessment.framing import predict_framed
from assessment.imageio import UnreadableImage, load_rgb

BATCH = 8


def predict_folder(
    image_dir: Path, out_dir: Path, *, predictor, ratios: Sequence[str], errors: TextIO = sys.stderr
) -> tuple[int, int]:
    """Assess the files of `image_dir` into `out_dir`; returns (processed, skipped) counts."""
    for ratio in ratios:
        parse_ratio(ratio)  # a bad ratio fails before any work
    if not image_dir.is_dir():
        raise FileNotFoundError(f"{image_dir} is not a folder of images")
    if out_dir.resolve() == image_dir.resolve():
        raise ValueError(
            f"--out {out_dir} is the image folder: each X.png and X.json written would replace a "
            "file of the same name there (a PNG photo by its own mask); choose another folder"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in image_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    processed, skipped, seen = 0, 0, set()
    batch: list[tuple[Path, Image.Image]] = []
    for path in tqdm(files, desc="predict", unit="image", file=sys.stderr, disable=len(files) < 20):
        if path.stem in seen:
            print(
                f"{path.name}: skipped, another file already wrote {path.stem}.png/.json",
                file=errors,
            )
            skipped += 1
            continue
        try:
            batch.append((path, load_rgb(path)))
            seen.add(path.stem)
        except UnreadableImage as error:
            print(f"{path.name}: skipped, {error}", file=errors)
            skipped += 1
        if len(batch) == BATCH:
            processed += _write_batch(batch, out_dir, predictor, ratios)
            batch = []
    processed += _write_batch(batch, out_dir, predictor, ratios)
    return processed, skipped


def _write_batch(
    batch: list[tuple[Path, Image.Image]], out_dir: Path, predictor, ratios: Sequence[str]
) -> int:
    if not batch:
        return 0
    faces = [detect_faces(np.asarray(image)) for _, image in batch]
    predictions = predict_framed(predictor, [image for _, image in batch], faces=faces)
    for (path, image), prediction in zip(batch, predictions, strict=True):
        mask_name = f"{path.stem}.png"
        probability = np.clip(prediction.foreground * 255.0 + 0.5, 0, 255).astype(np.uint8)
        Image.fromarray(probability, mode="L").save(out_dir / mask_name)
        crops = propose_crops(
            prediction.foreground, faces=prediction.faces, ratios=ratios, image_size=image.size,
            content=prediction.content, panels=prediction.panels, overlays=prediction.overlays,
        )
        record = {
            "image": path.name,
            "width": image.width,
            "height": image.height,
            "clarity": round(float(prediction.clarity), 3),
            "mask": mask_name,
            "crops": {ratio: proposal.box.as_list() for ratio, proposal in crops.items()},
        }
        (out_dir / f"{path.stem}.json").write_text(json.dumps(record, indent=1))
    return len(batch)
