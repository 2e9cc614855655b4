"""Training curves of a run as a picture: loss per epoch and the validation metrics.

.venv/bin/python benchmarks/training_curves.py runs/cover-small [--out docs/training-cover-small.png]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

VAL_KEYS = {
    "sod/maxF": "sod/val max F",
    "sod/mae": "sod/val MAE",
    "fg/maxF": "fg/val max F",
    "clarity/srocc/mean": "clarity SROCC (mean of kinds)",
    "clarity/srocc/pooled": "clarity SROCC (pooled)",
}


def plot(run: Path, out: Path) -> Path:
    records = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines() if line]
    steps = list(range(1, len(records) + 1))
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for key in ("loss", "clarity_mse", "mask_bce", "mask_iou_loss"):
        points = [(s, r[key]) for s, r in zip(steps, records, strict=True) if key in r]
        if points:
            left.plot(*zip(*points, strict=True), label=key)
    left.set(xlabel="epoch", ylabel="training loss", yscale="log", title=f"{run.name}: training")
    left.legend()
    for key, label in VAL_KEYS.items():
        points = [
            (s, r["val"][key])
            for s, r in zip(steps, records, strict=True)
            if key in r.get("val", {})
        ]
        if points:
            right.plot(*zip(*points, strict=True), marker="o", label=label)
    right.set(xlabel="epoch", ylim=(0, 1), title="validation")
    right.grid(alpha=0.3)
    right.legend(fontsize=8)
    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=100)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("run", type=Path)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    print(plot(args.run, args.out or Path("docs") / f"training-{args.run.name}.png"))


if __name__ == "__main__":
    main()
