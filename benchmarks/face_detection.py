"""Face finding against people's face boxes: the Haar cascades, the network's face map, and both.

    .venv/bin/python benchmarks/face_detection.py [--checkpoint P] [--split val|train|all]
        [--data DIR] [--gallery PATH]

A face that is not found cannot be protected by a crop. On the WIDER photos of `faces/` (by
default the held-out sixth, `sources.face_split`, that `train --face-hints/--face-head` never
sees), every human box of >= 20 px (short side) is a face to find, as in `benchmarks/crops.py`.
A face is found when a detection overlaps its box with IoU >= 0.3 (and, stricter, >= 0.5); a
detection is false when it overlaps no human box of any size with IoU >= 0.3. Rows: OpenCV's
frontal + profile Haar cascades (`faces.detect_faces`), the network's face map
(`faces.faces_from_map`, as `NetworkPredictor` reads it, with mirror averaging), and the two
merged (`faces.merge_faces`), which the service and the `predict` CLI protect when the served
network has a face map.
Then, on the val photos of `sod`, `fg`, `objects` and `photos` that a person looked at and found
no face in (the val part of `assessment/labels/no_faces.txt`: animals, food, rooms, places), it
counts the faces each detector reports: every one is false, a patch a crop would keep whole and
the ranking would count as a person.
`--gallery` draws the boxes on 12 people photos: people's (white), Haar's (blue), the network's
(green), and on 16 of the photos without faces where the network found one (`<gallery>-false.jpg`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.faces import detect_faces, merge_faces  # noqa: E402
from assessment.geometry import Box  # noqa: E402
from assessment.predictor import load_predictor  # noqa: E402
from assessment.sources import data_dir, face_split, no_face_paths  # noqa: E402

MIN_FACE = 20
SIZES = ((20, 40), (40, 80), (80, 10_000))  # short-side bands of the faces to find, px
COLOURS = {"people": (255, 255, 255), "Haar": (60, 120, 255), "network": (40, 220, 40)}


def score(truth: list[Box], found: list[Box]) -> dict[str, object]:
    """For one photo: for each face to find (>= `MIN_FACE`), its best IoU with a detection; and
    the number of detections that overlap no human box."""
    targets = [t for t in truth if min(t.w, t.h) >= MIN_FACE]
    best = [max((t.iou(f) for f in found), default=0.0) for t in targets]
    false = sum(all(t.iou(f) < 0.3 for t in truth) for f in found)
    return {"sizes": [min(t.w, t.h) for t in targets], "best": best, "false": false,
            "found": len(found)}


def draw(image: Image.Image, boxes: dict[str, list[Box]]) -> np.ndarray:
    canvas = np.array(image.convert("RGB"))
    for name, found in boxes.items():
        for box in found:
            cv2.rectangle(canvas, (box.x, box.y), (box.right, box.bottom), COLOURS[name], 2)
    return canvas


def gallery(tiles: list[np.ndarray], path: Path, side: int = 320) -> None:
    fitted = []
    for tile in tiles:
        scale = side / max(tile.shape[:2])
        small = cv2.resize(tile, (round(tile.shape[1] * scale), round(tile.shape[0] * scale)))
        frame = np.zeros((side, side, 3), np.uint8)
        frame[: small.shape[0], : small.shape[1]] = small
        fitted.append(frame)
    fitted += [np.zeros_like(fitted[0])] * (-len(fitted) % 4)
    rows = [np.concatenate(fitted[i : i + 4], axis=1) for i in range(0, len(fitted), 4)]
    Image.fromarray(np.concatenate(rows, axis=0)).save(path, quality=88)


def false_faces(root: Path, network, gallery_path: Path | None) -> None:
    """Faces reported on the val photos a person found no face in (`sources.no_face_paths`):
    every one is false."""
    paths = sorted(p for p in no_face_paths() if p.split("/")[1] == "val")
    rows = {label: [] for label in ("Haar (frontal + profile)", "network face map", "merged")}
    tiles = []
    for path in tqdm(paths, desc="photos without faces", unit="photo"):
        photo = Image.open(root / path).convert("RGB")
        haar, own = detect_faces(np.asarray(photo)), list(network.predict([photo])[0].faces)
        for row, found in zip(rows.values(), (haar, own, merge_faces(haar, own)), strict=True):
            row.append(len(found))
        if gallery_path and own and len(tiles) < 16:
            tiles.append(draw(photo, {"Haar": haar, "network": own}))
    if gallery_path and tiles:
        gallery(tiles, gallery_path.with_name(f"{gallery_path.stem}-false{gallery_path.suffix}"))
    print(f"\nFalse faces on the {len(paths)} val photos (sod, fg, objects, photos) in which a "
          "person found no face")
    print("| detector | false faces | photos with a false face | false faces / photo |")
    print("|---|---:|---:|---:|")
    for label, found in rows.items():
        print(f"| {label} | {sum(found)} | {sum(n > 0 for n in found)} "
              f"| {sum(found) / len(paths):.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", type=Path, default=None, help="default: the committed one")
    parser.add_argument("--split", choices=("val", "train", "all"), default="val")
    parser.add_argument("--data", default=None, help="data folder (default: $COVERAPP_DATA)")
    parser.add_argument("--gallery", type=Path, default=None, help="save 12 photos with boxes")
    args = parser.parse_args()
    root = data_dir(args.data)
    folder = root / "faces"
    boxes = json.loads((folder / "faces.json").read_text())
    names = sorted(boxes) if args.split == "all" else face_split(list(boxes), args.split)
    names = [n for n in names if any(min(b[2], b[3]) >= MIN_FACE for b in boxes[n])]
    network = load_predictor(args.checkpoint, refine=False)
    if "face_logits" not in network.model.logit_names:
        raise SystemExit(f"{args.checkpoint or 'the committed checkpoint'} has no face map "
                         "(train it with --face-head)")
    rows = {"Haar (frontal + profile)": [], "network face map": [], "Haar + network, merged": []}
    seconds = {"Haar (frontal + profile)": 0.0, "network face map": 0.0}
    tiles = []
    for index, name in enumerate(tqdm(names, desc="faces/", unit="photo")):
        truth = [Box.from_list(box) for box in boxes[name]]
        photo = Image.open(folder / "images" / f"{name}.jpg").convert("RGB")
        started = time.perf_counter()
        haar = detect_faces(np.asarray(photo))
        seconds["Haar (frontal + profile)"] += time.perf_counter() - started
        started = time.perf_counter()
        own = list(network.predict([photo])[0].faces)
        seconds["network face map"] += time.perf_counter() - started
        for row, found in zip(rows.values(), (haar, own, merge_faces(haar, own)), strict=True):
            row.append(score(truth, found))
        if args.gallery and index % max(1, len(names) // 12) == 0 and len(tiles) < 12:
            tiles.append(draw(photo, {"people": truth, "Haar": haar, "network": own}))
    if args.gallery:
        gallery(tiles, args.gallery)
    n_faces = sum(len(r["sizes"]) for r in rows["Haar + network, merged"])
    print(f"\nFaces found ({args.split}: {len(names)} WIDER photos, {n_faces} human faces "
          f">= {MIN_FACE} px; found = IoU >= 0.3 with a detection)")
    bands = " | ".join(f"{lo}-{hi} px" if hi < 10_000 else f">= {lo} px" for lo, hi in SIZES)
    print(f"| detector | found | found (IoU >= 0.5) | {bands} | false finds / photo "
          "| precision | ms / photo |")
    print("|---|---:|---:|" + "---:|" * len(SIZES) + "---:|---:|---:|")
    for label, row in rows.items():
        sizes = np.array([s for r in row for s in r["sizes"]])
        best = np.array([b for r in row for b in r["best"]])
        false, found = sum(r["false"] for r in row), sum(r["found"] for r in row)
        per_band = " | ".join(
            f"{np.mean(best[(sizes >= lo) & (sizes < hi)] >= 0.3):.1%} of "
            f"{np.sum((sizes >= lo) & (sizes < hi))}"
            for lo, hi in SIZES
        )
        ms = (seconds.get(label) or sum(seconds.values())) * 1000 / len(names)
        print(f"| {label} | {np.mean(best >= 0.3):.1%} | {np.mean(best >= 0.5):.1%} | {per_band} "
              f"| {false / len(names):.2f} | {1 - false / max(found, 1):.1%} | {ms:.0f} |")
    false_faces(root, network, args.gallery)


if __name__ == "__main__":
    main()
