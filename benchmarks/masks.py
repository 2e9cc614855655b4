"""Mask quality of one or more checkpoints on every human-mask set, val and train side by side.

    .venv/bin/python benchmarks/masks.py CHECKPOINT [CHECKPOINT ...] [--no-mirror] [--no-refine]
        [--no-faces] [--sets ...] [--device cpu|cuda] [--face-photos N] [--resamples N] [--worst N]

Prints a Markdown table, one row per checkpoint: max F (β² = 0.3), MAE and S-measure on each set,
through the same `Predictor` the app serves (mirror averaging and GrabCut refinement on unless
`--no-mirror` / `--no-refine`), given each photo's Haar faces as the app gives them (unless
`--no-faces`; the refinement keeps them, the network alone ignores them). The val
sets are what we report; `objects/val` (COCO instances, not saliency) is never used to choose
anything; the train sets show over-fitting (the gap between them and val). A second table gives
the share of each photo the network marks (probability > 0.5) beside the human masks' share, both
averaged over the set's photos: whether it under- or over-marks. A third table is a people check
on the held-out WIDER photos of `faces/` (every 6th by name, `sources.face_split`, which
`train --face-hints` never sees; the first `--face-photos`): of the human face boxes of at
least 20 px, the share the mask leaves out (under 10 % of the box above 0.5) and the mean share of
a box it marks; a cover's mask must not lose its people. Its last columns say how far the mask
spills onto the scene: the share it marks of each photo's pixels beyond the reach of every boxed
face's person (`faces.person_reach`), averaged over the photos that have such pixels (nan when
none has). The probe tables of docs/training-history.md come from this script. A fourth table
gives 95 % bootstrap intervals of max F and MAE (`--resamples` draws of each set's photos with
replacement; 0 skips it): how far the luck of 30 photos can move them; for each checkpoint after
the first, also of its difference from the first, paired on the same draws. `--worst N` lists, for
each checkpoint and set, the N photos whose F-measure at the set's max-F threshold is lowest, and
the max F were they at the median: whether a max F is held down by a few photos or by all.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image
from tqdm import tqdm

from assessment.data import load_photos
from assessment.faces import detect_faces, person_reach
from assessment.geometry import Box
from assessment.metrics import (
    BOOTSTRAP_RESAMPLES,
    MaskScores,
    bootstrap_intervals,
    format_interval,
    mask_scores,
    photos_at_max_f,
)
from assessment.predictor import load_predictor
from assessment.sources import data_dir, face_split, shared_sources

SETS = ("sod/val", "fg/val", "objects/val", "sod/train", "fg/train")
MIN_FACE = 20


def maps_of(predictor, images: list[np.ndarray], faces: bool) -> list[np.ndarray]:
    """The predictor's foreground maps of `images`; with `faces`, given the Haar faces of each as
    the app gives them (the refinement keeps them)."""
    found = [detect_faces(image) for image in images] if faces else None
    return predictor.predict_arrays(images, found)[1]


def scores(predictor, sets: list[str], faces: bool) -> dict[str, dict]:
    """`mask_report` of `predictor` on each `kind/split` of `sets`, with the mean share of the
    photo marked (`marked`, probability > 0.5) and covered by the human mask (`human`), and the
    per-photo `MaskScores` (`scores`) the intervals resample, with the photos' `names`."""
    report = {}
    for name in sets:
        kind, split = name.split("/")
        sources = shared_sources(data_dir(), split, kinds=(kind,))
        photos = load_photos(sources, min_side=0)
        maps = []
        for start in tqdm(range(0, len(photos), 8), desc=name):
            maps += maps_of(predictor, [p.image for p in photos[start : start + 8]], faces)
        scored = mask_scores(maps, [p.mask for p in photos])
        report[name] = {
            **scored.report,
            "scores": scored,
            "names": [source.image.stem for source in sources],
            "marked": float(np.mean([(m > 0.5).mean() for m in maps])),
            "human": float(np.mean([(p.mask > 0).mean() for p in photos])),
        }
    return report


def face_scores(predictor, photos: int, faces: bool) -> dict[str, float]:
    """Of the human face boxes (>= MIN_FACE px) on the held-out `faces/` photos, the first `photos`:
    the share the mask leaves out (< 10 % of the box marked) and the mean share marked; and the
    mean share marked of each photo's pixels beyond every boxed face's person (`beyond`, over the
    photos that have such pixels: `faces.person_reach`), where the mask spills onto the scene."""
    root = data_dir() / "faces"
    boxes = json.loads((root / "faces.json").read_text())
    marked, beyond = [], []
    for name in tqdm(face_split(list(boxes), "val")[:photos], desc="faces"):
        image = np.asarray(Image.open(root / "images" / f"{name}.jpg").convert("RGB"))
        foreground = maps_of(predictor, [image], faces)[0] > 0.5
        marked += [
            float(foreground[y : y + h, x : x + w].mean())
            for x, y, w, h in boxes[name]
            if min(w, h) >= MIN_FACE
        ]
        scene = ~person_reach(foreground.shape, [Box.from_list(b) for b in boxes[name]])
        if scene.any():
            beyond.append(float(foreground[scene].mean()))
    return {
        "faces": len(marked),
        "left out": float(np.mean(np.array(marked) < 0.1)),
        "marked": float(np.mean(marked)),
        "beyond": float(np.mean(beyond)) if beyond else float("nan"),
        "scenes": len(beyond),
    }


def print_intervals(scored: dict[str, dict[str, MaskScores]], args: argparse.Namespace) -> None:
    """95 % bootstrap intervals of each checkpoint's max F and MAE on each set, and, for every
    checkpoint after the first, of its difference from the first on the same draws of photos."""
    first = next(iter(scored))
    print(f"\n95 % intervals over {args.resamples} draws of each set's photos (with replacement)")
    print("| checkpoint | " + " | ".join(f"{s} maxF / MAE" for s in args.sets) + " |")
    print("|---|" + "---|" * len(args.sets))
    for path, sets in scored.items():
        cells = []
        for name in args.sets:
            alone = bootstrap_intervals(sets[name], resamples=args.resamples)
            cell = f"{format_interval(alone['maxF'])} / {format_interval(alone['mae'])}"
            if path != first:
                paired = bootstrap_intervals(
                    sets[name], scored[first][name], resamples=args.resamples
                )
                cell += (
                    f"; minus the first: {format_interval(paired['maxF'], signed=True)}"
                    f" / {format_interval(paired['mae'], signed=True)}"
                )
            cells.append(cell)
        print(f"| {path} | " + " | ".join(cells) + " |")


def print_worst(rows: dict[str, dict], args: argparse.Namespace) -> None:
    """The `args.worst` photos of each set that hold each checkpoint's max F down most: their
    F-measure at the set's max-F threshold, their own best F at any threshold, and the set's max F
    were they at the set's median."""
    for path, report in rows.items():
        for name in args.sets:
            parts = photos_at_max_f(report[name]["scores"])
            worst = np.argsort(parts, kind="stable")[: args.worst]
            lifted = parts.copy()
            lifted[worst] = np.median(parts)
            print(
                f"\n{path}, {name}: max F {parts.mean():.3f}; {lifted.mean():.3f} with these"
                f" {len(worst)} at the median F ({np.median(parts):.3f})"
            )
            print("| photo | F at the set's threshold | its own best F |\n|---|---:|---:|")
            for index in worst:
                best = report[name]["scores"].f_curves[index].max()
                print(f"| {report[name]['names'][index]} | {parts[index]:.3f} | {best:.3f} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoints", nargs="+")
    parser.add_argument("--no-mirror", dest="mirror", action="store_false")
    parser.add_argument("--no-refine", dest="refine", action="store_false")
    parser.add_argument(
        "--no-faces",
        dest="faces",
        action="store_false",
        help="do not give the refinement the Haar faces the app gives it",
    )
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument("--device", default="cpu", help="cpu or cuda (bf16 autocast)")
    parser.add_argument("--face-photos", type=int, default=120, help="0 skips the people check")
    parser.add_argument(
        "--worst", type=int, default=0, help="list the N photos that hold each max F down most"
    )
    parser.add_argument(
        "--resamples",
        type=int,
        default=BOOTSTRAP_RESAMPLES,
        help="draws of photos for the 95 %% intervals (0 skips them)",
    )
    args = parser.parse_args(argv)
    if args.resamples < 0:
        parser.error("--resamples must be 0 (no intervals) or more")
    if args.worst < 0:
        parser.error("--worst must be 0 (no list) or more")
    predictors = {
        path: load_predictor(path, device=args.device, mirror=args.mirror, refine=args.refine)
        for path in args.checkpoints
    }
    rows = {
        path: scores(predictor, args.sets, args.faces) for path, predictor in predictors.items()
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
    if args.resamples:
        print_intervals({p: {s: r[s]["scores"] for s in args.sets} for p, r in rows.items()}, args)
    if args.worst:
        print_worst(rows, args)
    if args.face_photos:
        print("\n| checkpoint | human faces (>= 20 px) | left out of the mask | mean share marked "
              "| photos with scene beyond the people | share of it marked |")
        print("|---|---:|---:|---:|---:|---:|")
        for path, predictor in predictors.items():
            f = face_scores(predictor, args.face_photos, args.faces)
            print(f"| {path} | {f['faces']} | {f['left out']:.1%} | {f['marked']:.1%} "
                  f"| {f['scenes']} | {f['beyond']:.1%} |")


if __name__ == "__main__":
    main()
