"""How well `assessment.detail.detail_scale` tells enlarged and soft photos from sharp ones.

    .venv/bin/python benchmarks/detail.py [--data DIR] [--photos N]

On the clean val photos of `../shared/data` (those of `sod`, `fg` and `photos`, each with detail
of its own pixels' worth: they were shrunk from camera originals), it measures the estimated
factor k for the photo as it is, saved again as JPEG, and enlarged by a known factor (bilinear,
bicubic and Lanczos, as image editors and CMSs enlarge; saved as PNG or as JPEG at quality 80),
and for the photo blurred at its own size, evenly or along a line (motion blur, `degrade`'s
kernel in a random direction) (no true factor: the table shows what is reported).
Rows give the share of photos reported as enlarged (k > 1), the share whose k lies within one
tried factor of the truth (the next lower or higher of `detail.SCALES`, or the truth itself),
the median k and the time per photo.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.degrade import SCHEDULES, degrade  # noqa: E402
from assessment.detail import SCALES, detail_scale  # noqa: E402
from assessment.sources import data_dir  # noqa: E402

KERNELS = {"bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC, "Lanczos": Image.LANCZOS}
FACTORS = (1.5, 2.0, 3.0, 4.0, 6.0)
BLURS = (1.0, 2.0, 3.0)  # Gaussian sigma in pixels
MOTIONS = (5, 9, 15)  # motion blur lengths in pixels (`degrade`'s kernel, a random direction)


def val_photos(root: Path, limit: int | None) -> list[Path]:
    paths = sorted([*(root / "sod/val/images").glob("*.jpg"), *(root / "fg/val/images").glob("*"),
                    *(root / "photos/val").glob("*.jpg")])
    return paths[:limit] if limit else paths


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def cases(photo: Image.Image, seed: int):
    """(case name, true factor or None, image) for one photo."""
    yield "as it is", 1.0, photo
    yield "as it is, JPEG q60", 1.0, jpeg(photo, 60)
    for factor in FACTORS:
        size = (round(photo.width * factor), round(photo.height * factor))
        for name, kernel in KERNELS.items():
            enlarged = photo.resize(size, kernel)
            yield f"enlarged x{factor:g} ({name})", factor, enlarged
            yield f"enlarged x{factor:g} ({name}), JPEG q80", factor, jpeg(enlarged, 80)
    for sigma in BLURS:
        yield f"blurred, sigma {sigma:g} px", None, Image.fromarray(
            cv2.GaussianBlur(np.asarray(photo), (0, 0), sigma))
    for length in MOTIONS:
        level = SCHEDULES["motion_blur"].index(length) + 1
        yield f"motion-blurred, {length} px", None, Image.fromarray(
            degrade(np.asarray(photo), "motion_blur", level, np.random.default_rng(seed)))


def near(found: float, truth: float) -> bool:
    """Within one tried factor of the truth (1 counts as the factor below the first)."""
    ladder = (1.0, *SCALES)
    below = max((s for s in ladder if s <= truth), default=1.0)
    index = ladder.index(below)
    return ladder[max(0, index - 1)] <= found <= ladder[min(len(ladder) - 1, index + 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=None)
    parser.add_argument("--photos", type=int, default=None, help="at most this many val photos")
    args = parser.parse_args()
    rows: dict[str, dict] = {}
    paths = val_photos(data_dir(args.data), args.photos)
    for seed, path in enumerate(tqdm(paths, desc="photos", unit="photo")):
        photo = Image.open(path).convert("RGB")
        for name, truth, image in cases(photo, seed):
            array = np.asarray(image)
            started = time.perf_counter()
            found = detail_scale(array)
            row = rows.setdefault(name, {"truth": truth, "k": [], "ms": [], "px": array.shape})
            row["k"].append(found)
            row["ms"].append((time.perf_counter() - started) * 1000)
    print("| photos | true k | reported enlarged (k > 1) | k within a step of the truth | "
          "median k | ms / photo |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, row in rows.items():
        ks, truth = row["k"], row["truth"]
        enlarged = sum(k > 1 for k in ks) / len(ks)
        close = "–" if truth is None else f"{sum(near(k, truth) for k in ks) / len(ks):.0%}"
        print(f"| {name} | {'–' if truth is None else f'{truth:g}'} | {enlarged:.0%} | {close} | "
              f"{statistics.median(ks):g} | {statistics.median(row['ms']):.1f} |")
    print(f"\n{len(rows['as it is']['k'])} val photos")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
