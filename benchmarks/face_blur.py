"""Clarity against people's blur labels: WIDER's label of each `faces/` photo's largest face.

    .venv/bin/python benchmarks/face_blur.py [--checkpoint P] [--data DIR] [--context 1.5]

The clarity targets are measured on synthetic damage; this is the one check on blur that people
judged. WIDER FACE labels every face clear (0), normally blurred (1) or heavily blurred (2)
(`faces/face_attributes.json`); the label of a photo's largest face, its likely subject, is the
label here. No `faces/` photo teaches clarity (`train --face-hints` gives them clarity weight 0).
For the network and the classical baseline (variance of the Laplacian) it prints the AUC that a
clear face's score is above a blurred one's (normal or heavy; 0.5 is chance) and above a heavily
blurred one's, and the mean score of each label: once on the whole photo, as the app scores a
candidate, and once on a square around the face (`--context` times its longer side on each side
of its centre), as a subject-clarity score would.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from scipy.stats import mannwhitneyu
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.geometry import Box  # noqa: E402
from assessment.predictor import load_predictor  # noqa: E402
from assessment.sources import data_dir  # noqa: E402

LABELS = ("clear", "normal", "heavy")


def around(image: Image.Image, face: Box, context: float) -> Image.Image:
    """The square of half-side `context` × the face's longer side about its centre, inside
    `image`."""
    half = round(context * max(face.w, face.h))
    cx, cy = (round(v) for v in face.center)
    square = Box(cx - half, cy - half, 2 * half, 2 * half).clamp(*image.size)
    return image.crop((square.x, square.y, square.right, square.bottom))


def auc(higher: np.ndarray, lower: np.ndarray) -> float:
    """P(a score of `higher` > one of `lower`), ties counting half (Mann–Whitney U / n·m)."""
    return float(mannwhitneyu(higher, lower).statistic / (len(higher) * len(lower)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", type=Path, default=None, help="default: the committed one")
    parser.add_argument("--data", default=None, help="data folder (default: $COVERAPP_DATA)")
    parser.add_argument("--context", type=float, default=1.5, help="face square's half-side")
    args = parser.parse_args()
    folder = data_dir(args.data) / "faces"
    boxes = json.loads((folder / "faces.json").read_text())
    blur = json.loads((folder / "face_attributes.json").read_text())
    assessors = {
        "network": load_predictor(args.checkpoint, mirror=False, refine=False),
        "Laplacian": load_predictor(kind="classical"),
    }
    labels, scores = [], {(a, v): [] for a in assessors for v in ("photo", "face")}
    for name in tqdm(sorted(boxes), desc="faces/", unit="photo"):
        faces = [Box.from_list(box) for box in boxes[name]]
        largest = max(range(len(faces)), key=lambda i: faces[i].area)
        labels.append(blur[name]["blur"][largest])
        photo = Image.open(folder / "images" / f"{name}.jpg").convert("RGB")
        views = {"photo": photo, "face": around(photo, faces[largest], args.context)}
        for (assessor, view), values in scores.items():
            values.append(assessors[assessor].predict([views[view]])[0].clarity)
    label = np.array(labels)
    counts = ", ".join(f"{np.sum(label == k)} {text}" for k, text in enumerate(LABELS))
    print(f"\nClarity against WIDER's blur label of the largest face ({len(label)} photos: "
          f"{counts})")
    print("| assessor | scored on | AUC clear > blurred | AUC clear > heavy "
          "| mean clear / normal / heavy |")
    print("|---|---|---:|---:|---|")
    for (assessor, view), values in scores.items():
        score = np.array(values)
        means = " / ".join(f"{score[label == k].mean():.2f}" for k in range(len(LABELS)))
        print(f"| {assessor} | {view} | {auc(score[label == 0], score[label > 0]):.3f} | "
              f"{auc(score[label == 0], score[label == 2]):.3f} | {means} |")


if __name__ == "__main__":
    main()
