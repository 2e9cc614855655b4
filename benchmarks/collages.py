"""Collages: are the photos of a collage found, are the shared photos left whole, and what do the
crops show?

    .venv/bin/python benchmarks/collages.py [--data DIR] [--sheet PATH] [--checkpoint P]

First table: the 172 val photos of `sod`, `fg`, `objects` and `photos`, put together (seeded: each
collage takes the next photos of a shuffled list, every photo cut to the layout's shape about its
centre) in the layouts of `LAYOUTS` and saved as JPEG at quality 85, as a CMS would receive them.
For each, of `collages.collage_panels`: "found" (as many panels as photos, each within 0.97
intersection over union of its photo), "nothing found" and "wrong" (any other answer). Second
table: of every photo in the shared data (one photo each, none a collage), how many are split into
panels, per folder (`--sheet PATH` saves them as a contact sheet with the panels drawn in magenta).
Third table: the collages of the first, assessed as the product does (`predict_framed` with Haar
faces, the committed network unless `--checkpoint`), cropped at 16:9, 4:3 and 1:1 without the
panels (as before collages were looked for), with the panels found, and with the true photos (what
the crops can do where every collage is found): the share of crops showing
a sliver of a photo or a strip of gutter (`collages.collage_flaws` against the true photos), the
mean share of the subject's mass the crops keep, and the share of crops cutting a face.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image
from tqdm import tqdm

from assessment.collages import collage_flaws, collage_panels
from assessment.cropping import propose_crops
from assessment.geometry import Box
from assessment.predictor import load_predictor
from assessment.sources import data_dir, shared_sources
from benchmarks.detail import jpeg
from benchmarks.frames import as_served, crop_keeps, found_per_folder, save_sheet, table

WHITE, BLACK = (255, 255, 255), (0, 0, 0)
#: name: (columns of (photo aspect w/h, photos stacked), gutter colour or None, gutter px).
LAYOUTS = {
    "2 side by side, white gutter": (((0.75, 1), (0.75, 1)), WHITE, 8),
    "2 side by side, black gutter": (((0.75, 1), (0.75, 1)), BLACK, 4),
    "2 side by side, no gutter": (((0.75, 1), (0.75, 1)), None, 0),
    "2 side by side, no gutter, landscape": (((1.5, 1), (1.5, 1)), None, 0),
    "3 side by side, white gutter": (((0.6, 1), (0.6, 1), (0.6, 1)), WHITE, 6),
    "2 stacked, white gutter": (((1.5, 2),), WHITE, 8),
    "2 × 2, white gutter": (((1.2, 2), (1.2, 2)), WHITE, 6),
    "1 beside 2 stacked, white gutter": (((0.9, 1), (0.9, 2)), WHITE, 6),
}
RATIOS = ("16:9", "4:3", "1:1")
#: The collage's height in pixels.
HEIGHT = 540


def cut_to(photo: Image.Image, aspect: float, size: tuple[int, int]) -> Image.Image:
    """``photo`` cut about its centre to ``aspect`` (w/h) and resized to ``size``."""
    w, h = photo.size
    cw, ch = (round(h * aspect), h) if w / h > aspect else (w, round(w / aspect))
    x0, y0 = (w - cw) // 2, (h - ch) // 2
    return photo.crop((x0, y0, x0 + cw, y0 + ch)).resize(size, Image.LANCZOS)


def layout_boxes(layout: str) -> tuple[list[Box], int]:
    """Each photo's box in the collage of ``layout``, and the collage's width."""
    columns, _, gutter = LAYOUTS[layout]
    boxes = []
    x = 0
    for aspect, stacked in columns:
        h = (HEIGHT - gutter * (stacked - 1)) // stacked
        w = round(h * aspect)
        boxes += [Box(x, row * (h + gutter), w, h) for row in range(stacked)]
        x += w + gutter
    return boxes, x - gutter


def collage(photos: list[Image.Image], layout: str) -> tuple[Image.Image, list[Box]]:
    """The collage of ``layout`` from ``photos`` (one per box), and each photo's box."""
    boxes, width = layout_boxes(layout)
    colour = LAYOUTS[layout][1]
    canvas = Image.new("RGB", (width, HEIGHT), colour or BLACK)
    for photo, box in zip(photos, boxes, strict=True):
        canvas.paste(cut_to(photo, box.w / box.h, (box.w, box.h)), (box.x, box.y))
    return jpeg(canvas, 85), boxes


def collages_of(photos: list[Image.Image], layout: str):
    """(image, true boxes) of every collage of ``layout`` the photos make, seeded."""
    order = list(range(len(photos)))
    random.Random(0).shuffle(order)
    n = len(layout_boxes(layout)[0])
    for k in range(len(photos) // n):
        yield collage([photos[i] for i in order[k * n : (k + 1) * n]], layout)


def layout_rows(photos: list[Image.Image]) -> list[list[str]]:
    rows = []
    for layout in LAYOUTS:
        found = nothing = wrong = count = 0
        for image, truth in tqdm(list(collages_of(photos, layout)), desc=layout, file=sys.stderr):
            count += 1
            panels = collage_panels(np.asarray(image))
            if not panels:
                nothing += 1
            elif len(panels) == len(truth) and all(
                max(t.iou(p) for p in panels) >= 0.97 for t in truth
            ):
                found += 1
            else:
                wrong += 1
        rows.append([layout, f"{found}/{count}", str(nothing), str(wrong)])
    return rows


def crop_rows(photos: list[Image.Image], predictor) -> list[list[str]]:
    ways = ("without panels", "with the panels found", "with the true panels")
    flawed, kept, cut, crops = dict.fromkeys(ways, 0), {w: [] for w in ways}, dict.fromkeys(ways, 0), 0
    for layout in LAYOUTS:
        for image, truth in tqdm(list(collages_of(photos, layout)), desc=layout, file=sys.stderr):
            prediction = as_served(predictor, image)
            crops += len(RATIOS)
            for way in ways:
                proposals = propose_crops(
                    prediction.foreground, faces=prediction.faces, ratios=RATIOS,
                    image_size=image.size, content=prediction.content,
                    panels={ways[0]: (), ways[1]: prediction.panels, ways[2]: truth}[way])
                for proposal in proposals.values():
                    b = proposal.box
                    flawed[way] += collage_flaws(b, truth) > 0
                    kept_share, face_cut = crop_keeps(prediction, b)
                    kept[way].append(kept_share)
                    cut[way] += face_cut
    return [[way, f"{flawed[way] / crops:.1%}", f"{np.mean(kept[way]):.1%}",
             f"{cut[way] / crops:.1%}"] for way in ways]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--sheet", type=Path, default=None, help="save the split photos as PNG")
    parser.add_argument("--checkpoint", type=Path, default=None)
    args = parser.parse_args(argv)
    root = data_dir(args.data)
    photos = [Image.open(s.image).convert("RGB") for s in shared_sources(root, "val")]
    print(table(["layout", "found", "nothing found", "wrong"], layout_rows(photos)))
    print()
    rows, split = found_per_folder(root, collage_panels)
    print(table(["folder", "photos", "split into panels"], rows))
    if args.sheet:
        save_sheet(split, args.sheet)
    print()
    count = sum(len(list(collages_of(photos, layout))) for layout in LAYOUTS)
    print(f"{count} collages, crops at {', '.join(RATIOS)}:")
    print(table(["crops", "show a sliver or gutter", "subject kept", "cut a face"],
                crop_rows(photos, load_predictor(args.checkpoint))))


if __name__ == "__main__":
    main()
