"""Clarity of one or more checkpoints on the degraded val photos, with 95 % intervals.

    .venv/bin/python benchmarks/clarity.py CHECKPOINT [CHECKPOINT ...] [--photos N]
        [--resamples N] [--device cpu|cuda]

The clarity cases of `python -m assessment evaluate` (every val photo, or the first `--photos`,
at each damage kind and level; the same damage on every run), scored by each checkpoint as the
app scores them (clarity comes from the image alone). Prints one row per checkpoint: SROCC per
kind, the mean of kinds and pooled, and 95 % bootstrap intervals of the last two over draws of
the photos (each photo with all its cases); for every checkpoint after the first, also the
interval of its difference from the first on the same draws (paired): above 0, it ranks damage
better beyond the luck of the photos. A checkpoint's masks play no part.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.degrade import KINDS
from assessment.metrics import (
    BOOTSTRAP_RESAMPLES,
    clarity_intervals,
    clarity_report,
    format_interval,
)
from assessment.predictor import load_predictor
from assessment.sources import data_dir
from assessment.validation import clarity_scores, load_validation


def scores_of(path: str, data, device: str) -> list[float]:
    """The clarity `path` gives each case of `data`, in order."""
    predictor = load_predictor(path, device=device, mirror=False, refine=False)
    return clarity_scores(predictor.predict_arrays, data, progress=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoints", nargs="+")
    parser.add_argument("--photos", type=int, default=None, help="the first N val photos (all)")
    parser.add_argument("--resamples", type=int, default=BOOTSTRAP_RESAMPLES)
    parser.add_argument("--device", default="cpu", help="cpu or cuda (bf16 autocast)")
    args = parser.parse_args(argv)
    if args.resamples < 1:
        parser.error("--resamples must be at least 1")
    data = load_validation(data_dir(), photo_limit=args.photos)
    labels = [c.level for c in data.cases]
    kinds = [c.kind for c in data.cases]
    photos = [c.photo for c in data.cases]
    scored = {path: scores_of(path, data, args.device) for path in args.checkpoints}
    print(f"{len(data.clarity_photos)} val photos, {len(data.cases)} cases; 95 % intervals over "
          f"{args.resamples} draws of the photos")
    header = [f"SROCC {k}" for k in KINDS] + ["mean of kinds", "pooled"]
    print("| checkpoint | " + " | ".join(header) + " |")
    print("|---|" + "---:|" * len(header))
    first = args.checkpoints[0]
    for path, scores in scored.items():
        report = clarity_report(scores, labels, kinds)
        alone = clarity_intervals(scores, labels, kinds, photos, resamples=args.resamples)
        paired = (
            clarity_intervals(
                scores, labels, kinds, photos, scored[first], resamples=args.resamples
            )
            if path != first
            else None
        )
        cells = [f"{report[f'srocc/{k}']:.3f}" for k in KINDS]
        for name in ("srocc/mean", "srocc/pooled"):
            cell = f"{report[name]:.3f} {format_interval(alone[name])}"
            if paired:
                cell += f"; minus the first {format_interval(paired[name], signed=True)}"
            cells.append(cell)
        print(f"| {path} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
