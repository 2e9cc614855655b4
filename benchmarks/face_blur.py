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

A second table is that of `assessment.face_sharpness`, which the product uses to call the largest
face of a candidate blurred: every labelled face of `MIN_FACE` px or more (not only each photo's
largest), on the WIDER photos `train --face-hints` learns from (whose clear faces set
`FACE_BLURRED`) and on those it holds out: how many of each label it calls blurred, and its AUC.
`--faces-only` prints that table alone (a few seconds).

`--served` adds the product's view: in every shared photo the largest face the Haar cascades find
(`faces.detect_faces`, as the service judges it), judged. On the WIDER photos that face is matched
to the people's box it overlaps most (IoU >= 0.3) for its label, or to none (a false face, or one
nobody boxed); on the other folders no face was labelled, so the count is of those called;
`--sheet PATH` saves those called as a contact sheet, for a person to judge (5 min on 2 cores).
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

from assessment.face_sharpness import (  # noqa: E402
    MIN_FACE,
    face_blurred,
    face_sharpness,
    main_face_sharpness,
)
from assessment.faces import detect_faces  # noqa: E402
from assessment.geometry import Box  # noqa: E402
from assessment.predictor import load_predictor  # noqa: E402
from assessment.sources import data_dir, face_split  # noqa: E402
from benchmarks.exposure import FOLDERS, contact_sheet  # noqa: E402

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
    parser.add_argument("--faces-only", action="store_true",
                        help="only the table of assessment.face_sharpness")
    parser.add_argument("--served", action="store_true",
                        help="also the largest face the product finds in every shared photo")
    parser.add_argument("--sheet", type=Path, default=None,
                        help="with --served: save the photos called as a contact sheet (PNG)")
    args = parser.parse_args()
    folder = data_dir(args.data) / "faces"
    boxes = json.loads((folder / "faces.json").read_text())
    blur = json.loads((folder / "face_attributes.json").read_text())
    if not args.faces_only:
        clarity_table(folder, boxes, blur, args)
    print(face_sharpness_table(folder, boxes, blur))
    if args.served:
        rows, called = served_tables(folder.parent, boxes, blur)
        print(rows)
        if args.sheet and called:
            contact_sheet(called, args.sheet)
            print(f"\n{len(called)} photos called: {args.sheet}")


def clarity_table(folder: Path, boxes: dict, blur: dict, args: argparse.Namespace) -> None:
    """The clarity of the network and of the Laplacian against the largest face's label."""
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


def face_sharpness_table(folder: Path, boxes: dict, blur: dict) -> str:
    """`face_sharpness` of every labelled face of `MIN_FACE` px or more, by split and label."""
    held_out = set(face_split(sorted(boxes), "val"))
    measured = {True: [], False: []}  # held out -> [(label, sharpness)]
    for name in tqdm(sorted(boxes), desc="faces/ sharpness", unit="photo"):
        image = np.asarray(Image.open(folder / "images" / f"{name}.jpg").convert("RGB"))
        for box, label in zip(boxes[name], blur[name]["blur"], strict=True):
            sharpness = face_sharpness(image, Box.from_list(box))
            if sharpness is not None:
                measured[name in held_out].append((label, sharpness))
    lines = [f"\nassessment.face_sharpness on every labelled face of {MIN_FACE} px or more",
             "| photos | faces clear / normal / heavy | called blurred: clear | normal | heavy "
             "| AUC clear > heavy |", "|---|---|---:|---:|---:|---:|"]
    for held, name in ((False, "learnt from (set the threshold)"), (True, "held out")):
        label = np.array([row[0] for row in measured[held]])
        value = np.array([row[1] for row in measured[held]])
        counts = " / ".join(str(np.sum(label == k)) for k in range(len(LABELS)))
        called = [f"{np.mean([face_blurred(v) for v in value[label == k]]):.1%}"
                  if np.any(label == k) else "–" for k in range(len(LABELS))]
        heavy = value[label == 2]
        area = f"{auc(value[label == 0], heavy):.3f}" if len(heavy) else "–"
        lines.append(f"| {name} | {counts} | {' | '.join(called)} | {area} |")
    return "\n".join(lines)


def served_tables(root: Path, boxes: dict, blur: dict) -> tuple[str, list[Path]]:
    """The largest face the product judges in every shared photo: on the WIDER photos by the
    label of the people's box it matches, elsewhere as a count."""
    held_out = set(face_split(sorted(boxes), "val"))
    kinds = (*LABELS, "no person's box")
    judged = {(held, kind): [] for held in (False, True) for kind in kinds}
    folders, called_paths = [], []
    for name in FOLDERS:
        paths = sorted((root / name).rglob("*.jpg"))
        called = face_judged = 0
        for path in tqdm(paths, desc=f"{name}/ served", unit="photo"):
            image = np.asarray(Image.open(path).convert("RGB"))
            faces = detect_faces(image)
            sharpness = main_face_sharpness(image, faces)
            if sharpness is None:
                continue
            face_judged += 1
            called += face_blurred(sharpness)
            if face_blurred(sharpness):
                called_paths.append(path)
            if name == "faces":
                largest = max(faces, key=lambda face: face.area)
                people = [Box.from_list(box) for box in boxes[path.stem]]
                best = max(range(len(people)), key=lambda i: people[i].iou(largest))
                kind = (LABELS[blur[path.stem]["blur"][best]]
                        if people[best].iou(largest) >= 0.3 else kinds[-1])
                judged[path.stem in held_out, kind].append(face_blurred(sharpness))
        folders.append(f"| {name} | {len(paths)} | {face_judged} | {called} |")
    lines = ["\nThe largest face the Haar cascades find, as the product judges it, WIDER photos: "
             "called blurred, by the label of the people's box it matches",
             "| photos | " + " | ".join(kinds) + " |", "|---|" + "---:|" * len(kinds)]
    for held, name in ((False, "learnt from"), (True, "held out")):
        cells = [f"{sum(v)} of {len(v)}" for v in (judged[held, kind] for kind in kinds)]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    lines += ["\nEvery shared photo as shot", "| folder | photos | a face judged | called blurred |",
              "|---|---:|---:|---:|", *folders]
    return "\n".join(lines), called_paths


if __name__ == "__main__":
    main()
