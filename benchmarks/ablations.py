"""The paper's Table 2 (multi-task vs each single task) and Table 3 (end-to-end vs multi-stage),
plus copy-paste compositing on/off, the COCO object masks on/off and Eq. 3's λ at 1 instead of
0.1: every run with the same budget (photos, epochs, seed), `--jobs` of them at a time, then one
table.

    .venv/bin/python benchmarks/ablations.py [--photos 600] [--epochs 20] [--jobs 2] [--threads 1]
        [--gallery docs/ablation-masks.png]

Runs land in runs/ablation-<name>/ (progress in its train.log); a run whose log already has its
last epoch is not redone. On 2 cores, two one-thread runs side by side train ~1.5x faster than one
two-thread run after the other.
Metrics are the final epoch's validation (not the best), so every row had the same budget.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.data import load_photos  # noqa: E402
from assessment.predictor import load_predictor  # noqa: E402
from assessment.sources import data_dir, paired_sources  # noqa: E402
from benchmarks.val_gallery import tile  # noqa: E402

RUNS = {
    "multi-task (end-to-end)": ["--variant", "cover-small"],
    "clarity only": ["--variant", "clarity-small"],
    "mask only": ["--variant", "mask-small"],
    "multi-task (multi-stage)": ["--variant", "cover-small", "--strategy", "multi-stage"],
    "no compositing": ["--variant", "cover-small", "--composite-prob", "0"],
    "no COCO object masks": ["--variant", "cover-small", "--no-objects"],
    "multi-task (lambda 1)": ["--variant", "cover-small", "--lam", "1"],
}
COLUMNS = {
    "sod/maxF": "sod maxF",
    "sod/mae": "sod MAE",
    "sod/smeasure": "sod S",
    "fg/maxF": "fg maxF",
    "clarity/srocc/mean": "clarity SROCC mean",
    "clarity/srocc/pooled": "clarity SROCC pooled",
}


def run_folder(name: str) -> Path:
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return Path("runs") / f"ablation-{slug.replace('--', '-')}"


def final_record(folder: Path, epochs: int) -> dict | None:
    log = folder / "log.jsonl"
    if not log.exists():
        return None
    records = [json.loads(line) for line in log.read_text().splitlines() if line]
    done = [r for r in records if "val" in r]
    return done[-1] if done and len(records) >= epochs else None


def mask_gallery(names: list[str], out: Path, count: int = 6) -> None:
    """One row per sod/val photo: the photo, the human mask, then each run's foreground map."""
    root = data_dir() / "sod" / "val"
    photos = load_photos(paired_sources(root / "images", root / "masks"), min_side=0)[:count]
    maps = {
        name: load_predictor(run_folder(name) / "best.pt", refine=False).predict_arrays(
            [p.image for p in photos]
        )[1]
        for name in names
    }
    rows = [
        np.concatenate(
            [tile(photo.image, "photo"), tile(photo.mask / 255.0, "human mask")]
            + [tile(maps[name][i], name) for name in names],
            axis=1,
        )
        for i, photo in enumerate(photos)
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(out), cv2.cvtColor(np.concatenate(rows, axis=0), cv2.COLOR_RGB2BGR))
    print(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=600)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2, help="runs trained at the same time")
    parser.add_argument("--threads", type=int, default=1, help="torch threads of each run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--gallery", type=Path, help="also draw every run's masks on sod/val here")
    args = parser.parse_args()
    budget = [
        "--epochs",
        str(args.epochs),
        "--limit",
        str(args.photos),
        "--seed",
        str(args.seed),
        "--val-every",
        str(args.epochs),
        "--val-photos",
        "16",
        "--threads",
        str(args.threads),
    ]

    def run(name: str) -> None:
        folder = run_folder(name)
        if final_record(folder, args.epochs) is not None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "assessment", "train", *RUNS[name], *budget]
        command += ["--out", str(folder)]
        print("$", " ".join(command[1:]), f"> {folder}/train.log", flush=True)
        with (folder / "train.log").open("w") as output:
            subprocess.run(command, check=True, stdout=output, stderr=subprocess.STDOUT)
        print(f"done: {name}", flush=True)

    with ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(run, RUNS))  # list() re-raises a failed run's error
    rows = {name: final_record(run_folder(name), args.epochs)["val"] for name in RUNS}
    print(
        f"\n{args.photos} training photos, {args.epochs} epochs, seed {args.seed}; final-epoch validation\n"
    )
    print("| run | " + " | ".join(COLUMNS.values()) + " |\n|---|" + "---:|" * len(COLUMNS))
    for name, metrics in rows.items():
        cells = [f"{metrics[k]:.3f}" if k in metrics else "–" for k in COLUMNS]
        print(f"| {name} | " + " | ".join(cells) + " |")
    if args.gallery:
        mask_gallery(
            [name for name, metrics in rows.items() if "sod/maxF" in metrics], args.gallery
        )


if __name__ == "__main__":
    main()
