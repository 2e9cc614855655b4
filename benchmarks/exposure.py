"""Exposure: how well `assessment.exposure` tells a dark photo, and how often it speaks up.

    .venv/bin/python benchmarks/exposure.py [--data DIR] [--sheet PATH]

First table: the clean val photos of `sod`, `fg` and `photos`, each as it is and as a camera set
up to 3 stops darker or 2 brighter would have recorded it (`exposure.exposed`: linear light,
clipped to white). For each: the share called dark, the share named for pure white, the mean
exposure term of the ranking and the median highlights. Second table: every photo of the shared
data, measured inside any plain bars as the product does, per folder: how many are called dark or
named for pure white (`--sheet PATH` saves those called dark as a contact sheet, for a person to
judge). Third table (`--pairs`, about 5 minutes): those val photos and the held-out WIDER people
photos (`sources.face_split`), each assessed as the product does (Haar faces, `predict_framed`,
the exposure measured under the served mask) as it is and as copies 0.5 to 2 stops brighter; for
each copy, the share of the copies whose subject is named burnt out, and how often the photo as
it is ranks above its brighter copy with the ranking as it was (no `subject_clipped`) and as
served.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw
from tqdm import tqdm

from assessment.exposure import (
    CLIPPED_SHARE,
    DIM_HIGHLIGHTS,
    WHITE_SHARE,
    exposed,
    exposure_term,
    measure_exposure,
)
from assessment.framing import content_box
from assessment.geometry import Box
from assessment.predictor import load_predictor
from assessment.ranking import rank_candidates
from assessment.sources import data_dir, face_split, shared_sources
from benchmarks.frames import as_served, served_features, table

STOPS = (-3.0, -2.0, -1.5, -1.0, 0.0, 1.0, 1.5, 2.0)
BRIGHTER = (0.5, 1.0, 1.5, 2.0)
FOLDERS = ("sod", "fg", "objects", "photos", "faces")
THUMB = (240, 180)


def val_photos(root: Path) -> list[np.ndarray]:
    sources = shared_sources(root, "val", kinds=("sod", "fg", "photos"))
    return [np.asarray(Image.open(s.image).convert("RGB")) for s in sources]


def stops_table(photos: list[np.ndarray]) -> list[str]:
    rows = ["| exposure | photos | called dark | named for pure white | mean term | "
            "median highlights |", "|---|---:|---:|---:|---:|---:|"]
    for stops in tqdm(STOPS, desc="stops", file=sys.stderr):
        measured = [measure_exposure(exposed(rgb, stops)) for rgb in photos]
        dark = np.mean([m.highlights < DIM_HIGHLIGHTS for m in measured])
        white = np.mean([m.blown >= WHITE_SHARE for m in measured])
        term = np.mean([exposure_term(m) for m in measured])
        highlights = np.median([m.highlights for m in measured])
        name = "as it is" if stops == 0 else f"{stops:+g} stops"
        rows.append(f"| {name} | {len(measured)} | {dark:.0%} | {white:.0%} | {term:.2f} | "
                    f"{highlights:.2f} |")
    return rows


def folders_table(root: Path) -> tuple[list[str], list[Path]]:
    rows = ["| folder | photos | called dark | named for pure white |", "|---|---:|---:|---:|"]
    dark_paths = []
    for folder in FOLDERS:
        paths = sorted((root / folder).rglob("*.jpg"))
        dark = white = 0
        for path in tqdm(paths, desc=folder, file=sys.stderr):
            rgb = np.asarray(Image.open(path).convert("RGB"))
            box = content_box(rgb)
            measured = measure_exposure(rgb[box.y : box.bottom, box.x : box.right])
            if measured.highlights < DIM_HIGHLIGHTS:
                dark += 1
                dark_paths.append(path)
            white += measured.blown >= WHITE_SHARE
        rows.append(f"| {folder} | {len(paths)} | {dark} ({dark / max(len(paths), 1):.1%}) | "
                    f"{white} ({white / max(len(paths), 1):.1%}) |")
    return rows, dark_paths


def people_photos(root: Path) -> list[np.ndarray]:
    names = face_split(sorted(json.loads((root / "faces" / "faces.json").read_text())), "val")
    return [np.asarray(Image.open(root / "faces" / "images" / f"{name}.jpg").convert("RGB"))
            for name in names]


def served_exposure(predictor, key: str, rgb: np.ndarray):
    """The ranking's features of ``rgb`` as the service gives them, its exposure (and whether it
    is a graphic) included."""
    image = Image.fromarray(rgb)
    prediction = as_served(predictor, image)
    box = prediction.content or Box(0, 0, *image.size)
    inside = np.s_[box.y : box.bottom, box.x : box.right]
    exposure = measure_exposure(rgb[inside], subject=prediction.foreground[inside])
    return replace(served_features(key, image, prediction), exposure=exposure,
                   graphic=prediction.graphic)


def pairs_table(photos: dict[str, list[np.ndarray]]) -> str:
    """Each photo against its brighter copies: named burnt out, and which ranks first."""
    predictor = load_predictor(None)
    rows = []
    for name, group in photos.items():
        tallies = {stops: {"named": 0, "before": 0, "served": 0} for stops in (0.0, *BRIGHTER)}
        for rgb in tqdm(group, desc=name, file=sys.stderr):
            original = served_exposure(predictor, "original", rgb)
            tallies[0.0]["named"] += original.exposure.subject_clipped >= CLIPPED_SHARE
            unscored = replace(original.exposure, subject_clipped=None)
            for stops in BRIGHTER:
                copy = served_exposure(predictor, "copy", exposed(rgb, stops))
                tally = tallies[stops]
                tally["named"] += copy.exposure.subject_clipped >= CLIPPED_SHARE
                tally["served"] += rank_candidates([copy, original])[0].key == "original"
                before = [replace(copy, exposure=replace(copy.exposure, subject_clipped=None)),
                          replace(original, exposure=unscored)]
                tally["before"] += rank_candidates(before)[0].key == "original"
        count = len(group)
        for stops, tally in tallies.items():
            label = "as it is" if stops == 0 else f"{stops:+g} stops"
            ranked = ("–", "–") if stops == 0 else (
                f"{tally['before'] / count:.0%}", f"{tally['served'] / count:.0%}")
            rows.append([name, label, str(count), f"{tally['named'] / count:.0%}", *ranked])
    return table(["photos", "exposure", "count", "subject named burnt out",
                  "as it is first, before", "as it is first, served"], rows)


def contact_sheet(paths: list[Path], out: Path, columns: int = 5) -> None:
    rows = max(1, -(-len(paths) // columns))
    sheet = Image.new("RGB", (columns * THUMB[0], rows * (THUMB[1] + 14)), "grey")
    draw = ImageDraw.Draw(sheet)
    for i, path in enumerate(paths):
        thumb = Image.open(path).convert("RGB")
        thumb.thumbnail(THUMB)
        x, y = (i % columns) * THUMB[0], (i // columns) * (THUMB[1] + 14)
        sheet.paste(thumb, (x, y))
        draw.text((x + 2, y + THUMB[1]), path.name[:38], fill="white")
    sheet.save(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder")
    parser.add_argument("--sheet", type=Path, default=None,
                        help="save the photos called dark as a contact sheet (PNG)")
    parser.add_argument("--pairs", action="store_true",
                        help="also rank each photo against its brighter copies (about 5 min)")
    args = parser.parse_args()
    root = data_dir(args.data)
    if args.pairs:
        print(pairs_table({"val (sod, fg, photos)": val_photos(root),
                           "held-out people (faces)": people_photos(root)}))
        print()
    print("\n".join(stops_table(val_photos(root))))
    print()
    rows, dark_paths = folders_table(root)
    print("\n".join(rows))
    if args.sheet is not None:
        contact_sheet(dark_paths, args.sheet)
        print(f"\n{len(dark_paths)} photos called dark: {args.sheet}")


if __name__ == "__main__":
    main()
