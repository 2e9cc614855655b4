"""Training curves as a picture: a run's loss per epoch and its validation metrics, or, given
several runs, each validation metric in its own panel with one line per run (to compare probes).

.venv/bin/python benchmarks/training_curves.py runs/cover-small [--out docs/training-cover-small.png]
.venv/bin/python benchmarks/training_curves.py runs/a runs/b [...] --out docs/training-probes.png
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


def _records(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines() if line]


def _val_points(records: list[dict], key: str) -> list[tuple[int, float]]:
    """(epoch count, value) of `key` at every validation of the run."""
    return [(s, r["val"][key]) for s, r in enumerate(records, start=1) if key in r.get("val", {})]


def plot(run: Path, out: Path) -> Path:
    records = _records(run)
    steps = list(range(1, len(records) + 1))
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for key in ("loss", "clarity_mse", "mask_bce", "mask_iou_loss", "mask_f_loss"):
        points = [(s, r[key]) for s, r in zip(steps, records, strict=True) if key in r]
        if points:
            left.plot(*zip(*points, strict=True), label=key)
    left.set(xlabel="epoch", ylabel="training loss", yscale="log", title=f"{run.name}: training")
    left.legend()
    for key, label in VAL_KEYS.items():
        points = _val_points(records, key)
        if points:
            right.plot(*zip(*points, strict=True), marker="o", label=label)
    right.set(xlabel="epoch", ylim=(0, 1), title="validation")
    right.grid(alpha=0.3)
    right.legend(fontsize=8)
    figure.tight_layout()
    return _save(figure, out)


def compare(runs: list[Path], out: Path) -> Path:
    """One panel per validation metric, one line per run."""
    figure, axes = plt.subplots(1, len(VAL_KEYS), figsize=(4 * len(VAL_KEYS), 3.6))
    for run in runs:
        records = _records(run)
        for axis, key in zip(axes, VAL_KEYS, strict=True):
            points = _val_points(records, key)
            if points:
                axis.plot(*zip(*points, strict=True), marker="o", label=run.name)
    for axis, label in zip(axes, VAL_KEYS.values(), strict=True):
        axis.set(xlabel="epoch", title=label)
        axis.grid(alpha=0.3)
    # One legend under the panels, so that no line is hidden behind it.
    figure.legend(
        *axes[0].get_legend_handles_labels(), loc="lower center", ncol=len(runs), fontsize=8
    )
    figure.tight_layout(rect=(0, 0.08, 1, 1))
    return _save(figure, out)


def _save(figure: plt.Figure, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=100)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("runs", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if len(args.runs) > 1:
        print(compare(args.runs, args.out or Path("docs") / "training-probes.png"))
    else:
        run = args.runs[0]
        print(plot(run, args.out or Path("docs") / f"training-{run.name}.png"))


if __name__ == "__main__":
    main()
