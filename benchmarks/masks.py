"""Mask quality of one or more checkpoints on every human-mask set, val and train side by side.

    .venv/bin/python benchmarks/masks.py CHECKPOINT [CHECKPOINT ...] [--no-mirror] [--no-refine]
        [--sets ...]

Prints a Markdown table, one row per checkpoint: max F (β² = 0.3), MAE and S-measure on each set,
through the same `Predictor` the app serves (mirror averaging and GrabCut refinement on unless
`--no-mirror` / `--no-refine`). The val
sets are what we report; `objects/val` (COCO instances, not saliency) is never used to choose
anything; the train sets show over-fitting (the gap between them and val). A second table gives
the share of each photo the network marks (probability > 0.5) beside the human masks' share, both
averaged over the set's photos: whether it under- or over-marks. The README's probe tables come
from this script.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tqdm import tqdm

from assessment.data import load_photos
from assessment.metrics import mask_report
from assessment.predictor import load_predictor
from assessment.sources import data_dir, shared_sources

SETS = ("sod/val", "fg/val", "objects/val", "sod/train", "fg/train")


def scores(
    checkpoint: str, sets: list[str], *, mirror: bool, refine: bool
) -> dict[str, dict[str, float]]:
    """`mask_report` of `checkpoint` on each `kind/split` of `sets`, with the mean share of the
    photo marked (`marked`, probability > 0.5) and covered by the human mask (`human`)."""
    predictor = load_predictor(checkpoint, mirror=mirror, refine=refine)
    report = {}
    for name in sets:
        kind, split = name.split("/")
        photos = load_photos(shared_sources(data_dir(), split, kinds=(kind,)), min_side=0)
        maps = []
        for start in tqdm(range(0, len(photos), 8), desc=f"{Path(checkpoint).name} {name}"):
            maps += predictor.predict_arrays([p.image for p in photos[start : start + 8]])[1]
        report[name] = {
            **mask_report(maps, [p.mask for p in photos]),
            "marked": float(np.mean([(m > 0.5).mean() for m in maps])),
            "human": float(np.mean([(p.mask > 0).mean() for p in photos])),
        }
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoints", nargs="+")
    parser.add_argument("--no-mirror", dest="mirror", action="store_false")
    parser.add_argument("--no-refine", dest="refine", action="store_false")
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    args = parser.parse_args(argv)
    rows = {
        path: scores(path, args.sets, mirror=args.mirror, refine=args.refine)
        for path in args.checkpoints
    }
    print("| checkpoint | " + " | ".join(f"{s} maxF / MAE / S" for s in args.sets) + " |")
    print("|---|" + "---|" * len(args.sets))
    for path, report in rows.items():
        cells = [
            f"{m['maxF']:.3f} / {m['mae']:.3f} / {m['smeasure']:.3f}"
            for m in (report[s] for s in args.sets)
        ]
        print(f"| {path} | " + " | ".join(cells) + " |")
    print("\n| checkpoint | " + " | ".join(f"{s} marked (human)" for s in args.sets) + " |")
    print("|---|" + "---:|" * len(args.sets))
    for path, report in rows.items():
        cells = [f"{m['marked']:.3f} ({m['human']:.3f})" for m in (report[s] for s in args.sets)]
        print(f"| {path} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
