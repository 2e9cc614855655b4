"""Focus missed: how well `assessment.missed_focus` tells a soft subject before a sharp scene,
and how often it speaks up on photos as shot.

    .venv/bin/python benchmarks/missed_focus.py [--data DIR] [--sheet PATH]

First table: the `sod/val` and `fg/val` photos, each as shot, with its background alone blurred
(a shallow depth of field) and with its subject alone blurred (focus missed), through its human
mask (`degrade.defocus`, Gaussian sigma in px of the photo). For each case, the share called
"focus missed" measured through the human mask and through the map the product serves (Haar
faces, `predict_framed`, as the service assesses an upload), and the median contrast through the
served map. Second table: every photo of the shared data as shot, per folder, with the served map:
how many are called "focus missed" and how many cannot be judged (no subject, or a plain
background); `--sheet PATH` saves those called as a contact sheet, for a person to judge whether
their focus did miss.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image
from tqdm import tqdm

from assessment.degrade import defocus
from assessment.missed_focus import focus_missed, sharpness_contrast
from assessment.predictor import load_predictor
from assessment.sources import data_dir
from benchmarks.clarity import subject_photos
from benchmarks.exposure import FOLDERS, contact_sheet
from benchmarks.frames import as_served, table

#: (name, sigma on the subject, sigma on the background)
CASES = (("as shot", 0, 0), ("background blurred, sigma 6", 0, 6),
         ("subject blurred, sigma 1", 1, 0), ("subject blurred, sigma 1.5", 1.5, 0),
         ("subject blurred, sigma 2", 2, 0), ("subject blurred, sigma 3", 3, 0),
         ("subject blurred, sigma 6", 6, 0))


def served_contrast(predictor, rgb: np.ndarray) -> float | None:
    """`sharpness_contrast` of `rgb` through the map the product serves, inside any bars."""
    prediction = as_served(predictor, Image.fromarray(rgb))
    box = prediction.content
    inside = np.s_[box.y : box.bottom, box.x : box.right] if box else np.s_[:, :]
    return sharpness_contrast(rgb[inside], prediction.foreground[inside])


def cases_table(predictor, root: Path) -> str:
    pairs = subject_photos(root)
    rows = []
    for name, on_subject, on_background in tqdm(CASES, desc="cases", file=sys.stderr):
        human, served = [], []
        for rgb, mask in pairs:
            image = defocus(rgb, mask, on_subject, on_background)
            human.append(sharpness_contrast(image, mask / 255.0))
            served.append(served_contrast(predictor, image))
        judged = [c for c in served if c is not None]
        rows.append([name, str(len(pairs)), _share_missed(human), _share_missed(served),
                     f"{np.median(judged):+.2f}" if judged else "–"])
    return table(["case", "photos", "focus missed, human mask", "focus missed, served map",
                  "median contrast, served"], rows)


def _share_missed(contrasts: list[float | None]) -> str:
    called = sum(focus_missed(c) for c in contrasts)
    return f"{called / len(contrasts):.0%}"


def folders_table(predictor, root: Path) -> tuple[str, list[Path]]:
    rows, called_paths = [], []
    for folder in FOLDERS:
        paths = sorted((root / folder).rglob("*.jpg"))
        called = unjudged = 0
        for path in tqdm(paths, desc=folder, file=sys.stderr):
            contrast = served_contrast(predictor, np.asarray(Image.open(path).convert("RGB")))
            unjudged += contrast is None
            if focus_missed(contrast):
                called += 1
                called_paths.append(path)
        count = max(len(paths), 1)
        rows.append([folder, str(len(paths)), f"{called} ({called / count:.1%})",
                     f"{unjudged} ({unjudged / count:.0%})"])
    return table(["folder", "photos", "called focus missed", "not judged"], rows), called_paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder")
    parser.add_argument("--sheet", type=Path, default=None,
                        help="save the photos called focus missed as a contact sheet (PNG)")
    args = parser.parse_args()
    root = data_dir(args.data)
    predictor = load_predictor(None)
    print(cases_table(predictor, root))
    print()
    rows, called = folders_table(predictor, root)
    print(rows)
    if args.sheet and called:
        contact_sheet(called, args.sheet)
        print(f"\n{len(called)} photos called focus missed: {args.sheet}")


if __name__ == "__main__":
    main()
