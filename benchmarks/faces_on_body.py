"""Faces on a body: do the crops frame a person's face rather than a false face on their body?

    .venv/bin/python benchmarks/faces_on_body.py [--split val|train|all] [--data DIR]
        [--checkpoint P] [--sheet PATH]

The WIDER photos of `faces/` (by default the held-out sixth, `sources.face_split`, that the
network's face map never trained on), assessed as the product does (`frames.as_served`: the
committed network and the Haar cascades), cropped at 16:9, 4:3 and 1:1 twice: as before the rule
(every face steers the crop) and with `faces.on_a_body` (a face on another face's person's body
keeps being never cut, but does not steer). A face found is true where it overlaps a person's
box with IoU >= 0.3, else false. Over the photos with a true face found, per row: the crops that
keep some true face whole, those that keep a false face whole and no true one (a cover framed on a
knee, a backpack or the floor), and the crops the rule changes. First table: the faces found on a
body, true and false. Third table: the same photos ranked alone (slots 16:9, 4:3 and 1:1, their
features built as the service builds them), as before the rule (every face weighed) and with it (a
face on a body neither earns the faces bonus nor costs `face_cut` or `face_fit`): the photos whose
cover score changes, how many rise and fall, and how many of those have a person's face on a body
(a child held, a front row). `--sheet PATH` saves the photos whose crops change, before above
after.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw
from tqdm import tqdm

from assessment import ranking
from assessment.cropping import proposals, propose_crops
from assessment.faces import on_a_body
from assessment.geometry import Box
from assessment.predictor import load_predictor
from assessment.ranking import rank_candidates
from assessment.sources import data_dir, face_split
from benchmarks.frames import as_served, served_features, table

RATIOS = ("16:9", "4:3", "1:1")
ROWS = ("every face steers (before)", "faces on a body do not steer")


def none_on_a_body(faces, panels=()) -> list[bool]:
    """``faces.on_a_body`` as before the rule: no face lies on a body."""
    return [False] * len(faces)


def crops_of(prediction, size: tuple[int, int], rule: bool) -> list[Box]:
    """The 16:9, 4:3 and 1:1 crops of ``prediction``, with the on-a-body rule or without it."""
    steer_all = mock.patch.object(proposals, "on_a_body", none_on_a_body)
    with nullcontext() if rule else steer_all:
        found = propose_crops(prediction.foreground, faces=list(prediction.faces), ratios=RATIOS,
                              image_size=size, content=prediction.content,
                              panels=prediction.panels, overlays=prediction.overlays)
    return [proposal.box for proposal in found.values()]


def score_of(image: Image.Image, prediction, rule: bool) -> float:
    """The cover score of ``image`` ranked alone, with the on-a-body rule or without it."""
    weigh_all = mock.patch.object(ranking, "on_a_body", none_on_a_body)
    with nullcontext() if rule else weigh_all:
        (ranked,) = rank_candidates([served_features("photo", image, prediction, RATIOS)])
    return ranked.score


def strip(image: Image.Image, faces: list[Box], body: list[bool], crops: list[Box]) -> Image.Image:
    """The photo with its faces (red: on a body) and its crops, side by side, 160 px tall."""
    marked = image.copy()
    draw = ImageDraw.Draw(marked)
    for face, on in zip(faces, body, strict=True):
        draw.rectangle([face.x, face.y, face.right - 1, face.bottom - 1], width=2,
                       outline=(255, 0, 0) if on else (0, 255, 0))
    tiles = [marked] + [image.crop((b.x, b.y, b.right, b.bottom)) for b in crops]
    tiles = [t.resize((max(1, round(t.width * 160 / t.height)), 160)) for t in tiles]
    row = Image.new("RGB", (sum(t.width + 6 for t in tiles), 166), "white")
    x = 0
    for tile in tiles:
        row.paste(tile, (x, 0))
        x += tile.width + 6
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("val", "train", "all"), default="val")
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--checkpoint", type=Path, default=None)
    parser.add_argument("--sheet", type=Path, default=None, help="save the photos whose crops change")
    args = parser.parse_args(argv)
    root = data_dir(args.data) / "faces"
    people = json.loads((root / "faces.json").read_text())
    names = sorted(people) if args.split == "all" else face_split(list(people), args.split)
    predictor = load_predictor(args.checkpoint)
    on_body = {True: 0, False: 0}
    found = {True: 0, False: 0}
    keeps_true, only_false = dict.fromkeys(ROWS, 0), dict.fromkeys(ROWS, 0)
    crops = changed = photos = 0
    rises = falls = persons = 0
    strips = []
    for name in tqdm(names, desc="photos", file=sys.stderr):
        image = Image.open(next(root.rglob(f"{name}.jpg"))).convert("RGB")
        prediction = as_served(predictor, image)
        faces = list(prediction.faces)
        truth = [Box(*box) for box in people[name]]
        true = [any(face.iou(t) >= 0.3 for t in truth) for face in faces]
        body = on_a_body(faces, prediction.panels)
        for is_true, on in zip(true, body, strict=True):
            found[is_true] += 1
            on_body[is_true] += on
        if not any(true):
            continue
        photos += 1
        before, after = (crops_of(prediction, image.size, rule) for rule in (False, True))
        was, now = (score_of(image, prediction, rule) for rule in (False, True))
        if abs(now - was) > 1e-9:
            rises += now > was
            falls += now < was
            persons += any(on and t for on, t in zip(body, true, strict=True))
        crops += len(RATIOS)
        changed += sum(a != b for a, b in zip(before, after, strict=True))
        for row, boxes in zip(ROWS, (before, after), strict=True):
            for box in boxes:
                whole = [box.contains(face) for face in faces]
                kept_true = any(w and t for w, t in zip(whole, true, strict=True))
                keeps_true[row] += kept_true
                only_false[row] += not kept_true and any(
                    w and not t for w, t in zip(whole, true, strict=True))
        if before != after and args.sheet:
            strips += [strip(image, faces, body, boxes) for boxes in (before, after)]
    print(f"{len(names)} WIDER photos ({args.split}), faces found as served:")
    print(table(["faces found", "count", "on a body"],
                [[kind, str(found[t]), str(on_body[t])] for kind, t in (("true", True), ("false", False))]))
    print()
    print(f"{photos} photos with a true face found, {crops} crops at {', '.join(RATIOS)}:")
    print(table(["crops", "keep a true face whole", "keep only a false face", "changed"],
                [[row, f"{keeps_true[row]} ({keeps_true[row] / crops:.1%})",
                  f"{only_false[row]} ({only_false[row] / crops:.1%})",
                  "" if row == ROWS[0] else str(changed)] for row in ROWS]))
    print()
    print(f"the same {photos} photos ranked alone, slots {', '.join(RATIOS)}:")
    print(table(["cover score changed", "rises", "falls", "with a person's face on a body"],
                [[str(rises + falls), str(rises), str(falls), str(persons)]]))
    if args.sheet and strips:
        sheet = Image.new("RGB", (max(s.width for s in strips), sum(s.height for s in strips)), "white")
        y = 0
        for s in strips:
            sheet.paste(s, (0, y))
            y += s.height
        sheet.save(args.sheet)


if __name__ == "__main__":
    main()
