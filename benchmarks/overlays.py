"""Text laid over the picture: are captions, subtitles, a channel's name and banners found, what
is found on the shared photos as they are, and do the crops cut through the text?

    .venv/bin/python benchmarks/overlays.py [--data DIR] [--sheet PATH] [--checkpoint P]

First table: the 172 val photos of `sod`, `fg`, `objects` and `photos`, each with text laid over it
in the four styles of `STYLES` (seeded lines of `benchmarks/captions.py` in Pillow's own font, its
size 4.5 to 7 % of the photo's height, smaller where a line would pass 90 % of the width; saved as
JPEG at quality 85, as a CMS would receive them). For each, of `overlays.overlay_text`: "found"
(the blocks found cover at least 80 % of the text's box) and "other blocks" (photos with a block
found elsewhere: the photo's own texture or signs taken for text). Second table: of every photo in
the shared data as it is, how many have a block found, per folder (`--sheet PATH` saves them as a
contact sheet with the blocks drawn in magenta: some carry a photographer's name or address, some a
sign, some only texture). Third table: the captioned photos assessed as the product does
(`predict_framed` with Haar faces, the committed network unless `--checkpoint`), cropped at 16:9,
4:3 and 1:1 without the blocks (as before such text was looked for), with the blocks found, and
with the text's true box: the share of crops cutting through the text (keeping 1..99 % of its box),
the share leaving it out, of the crops leaving out text set on a band (the lower third's, the
banner's) those still showing a strip of the band, the mean share of the subject's mass kept,
and the share of crops cutting a face. Fourth table: each captioned photo ranked against the same
photo without text (also JPEG q85, assessed alike), its slots 16:9, 4:3 and 1:1 cropped with the
blocks found: the share of the captioned photo's crops that show any of the text's true box, and
how often the clean photo ranks first without the ranking's `overlay_text` term (weight 0, as
before it) and with it.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw
from tqdm import tqdm

from assessment.cropping import propose_crops
from assessment.geometry import Box, boxes_within, shown
from assessment.overlays import overlay_text
from assessment.predictor import load_predictor
from assessment.ranking import RankingWeights, rank_candidates
from assessment.sources import data_dir, shared_sources
from benchmarks.captions import LINES, fitted_font
from benchmarks.detail import jpeg
from benchmarks.frames import (
    as_served,
    crop_keeps,
    found_per_folder,
    save_sheet,
    served_features,
    table,
)

STYLES = ("lower third", "subtitles", "channel's name", "banner")
NAMES = ("NEWS 24", "CNN", "BBC NEWS", "LIVE", "TV5", "SKY")
RATIOS = ("16:9", "4:3", "1:1")


def captioned(photo: Image.Image, style: str, rng: random.Random
              ) -> tuple[Image.Image, Box, Box | None]:
    """``photo`` with text laid over it in ``style``, saved as JPEG at quality 85, the box of the
    text's letters and that of the band behind them (None without one)."""
    image = photo.copy()
    draw = ImageDraw.Draw(image, "RGBA")
    width, height = image.size
    if style == "channel's name":
        text, size = rng.choice(NAMES), round(height * 0.05)
    else:
        text, size = rng.choice(LINES), round(height * rng.uniform(0.045, 0.07))
    text = text.upper() if style == "banner" else text
    font, _ = fitted_font(draw, [text], max(10, size), 0.9 * width)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    w, h = right - left, bottom - top
    x, y = {
        "lower third": (round(0.05 * width), round(0.78 * height)),
        "subtitles": ((width - w) // 2, round(0.86 * height) - h),
        "channel's name": (width - w - round(0.04 * width), round(0.04 * height)),
        "banner": (round(0.05 * width), round(0.08 * height)),
    }[style]
    corners = {"lower third": (0, y - 0.4 * h, x + w + h, y + 1.5 * h),
               "banner": (x - 4, y - 4, x + w + 8, y + h + 8)}.get(style)
    band = None
    if corners is not None:
        fill = (10, 30, 90, 210) if style == "lower third" else (200, 20, 20, 255)
        draw.rectangle(corners, fill=fill)
        x0, y0, x1, y1 = map(int, corners)  # the pixels Pillow fills, both corners included
        band = Box(x0, y0, x1 + 1 - x0, y1 + 1 - y0)
    outline = {"subtitles": 2, "channel's name": 1}.get(style, 0)
    draw.text((x - left, y - top), text, font=font, fill=(255, 255, 255, 230),
              stroke_width=outline, stroke_fill=(0, 0, 0, 200))
    return jpeg(image, 85), Box(x, y, w, h), band


def captioned_photos(photos: list[Image.Image]):
    """(style, image, letters' box, band's box or None) of every val photo in every style,
    seeded."""
    rng = random.Random(0)
    for photo in photos:
        for style in STYLES:
            yield (style, *captioned(photo, style, rng))


def covered(blocks: list[Box], letters: Box) -> float:
    """The share of ``letters`` that the ``blocks`` cover."""
    mask = np.zeros((letters.h, letters.w), bool)
    for block in blocks:
        part = block.intersection(letters)
        if part is not None:
            mask[part.y - letters.y : part.bottom - letters.y,
                 part.x - letters.x : part.right - letters.x] = True
    return float(mask.mean())


def detection_rows(cases) -> list[list[str]]:
    found, elsewhere, count = (dict.fromkeys(STYLES, 0) for _ in range(3))
    for style, image, letters, _ in tqdm(cases, desc="found", file=sys.stderr):
        blocks = overlay_text(np.asarray(image))
        count[style] += 1
        found[style] += covered(blocks, letters) >= 0.8
        elsewhere[style] += any(b.intersection(letters) is None for b in blocks)
    return [[style, f"{found[style]}/{count[style]}", str(elsewhere[style])] for style in STYLES]


def crop_rows(cases, served) -> list[list[str]]:
    ways = ("without the text's blocks", "with the blocks found", "with the text's true box")
    through, out, cut, band_out, strip = (dict.fromkeys(ways, 0) for _ in range(5))
    kept, crops = {way: [] for way in ways}, 0
    for (_, image, letters, band), prediction in zip(cases, served, strict=True):
        crops += len(RATIOS)
        for way in ways:
            overlays = {ways[0]: (), ways[1]: prediction.overlays, ways[2]: (letters,)}[way]
            proposals = propose_crops(prediction.foreground, faces=prediction.faces, ratios=RATIOS,
                                      image_size=image.size, content=prediction.content,
                                      overlays=overlays)
            for proposal in proposals.values():
                b = proposal.box
                share = b.overlap_share(letters)
                through[way] += 0.01 < share < 0.99
                out[way] += share == 0.0
                if band is not None and share == 0.0:
                    band_out[way] += 1
                    strip[way] += b.intersection(band) is not None
                kept_share, face_cut = crop_keeps(prediction, b)
                kept[way].append(kept_share)
                cut[way] += face_cut
    return [[way, f"{through[way] / crops:.1%}", f"{out[way] / crops:.1%}",
             f"{strip[way]}/{band_out[way]}", f"{np.mean(kept[way]):.1%}",
             f"{cut[way] / crops:.1%}"] for way in ways]


def ranking_rows(photos, cases, served, predictor) -> list[list[str]]:
    showing, pairs = dict.fromkeys(STYLES, 0), dict.fromkeys(STYLES, 0)
    first = {(style, on): 0 for style in STYLES for on in (False, True)}
    weights = {False: RankingWeights(overlay_text=0), True: RankingWeights()}
    clean = [served_features("clean", image, as_served(predictor, image))
             for image in tqdm([jpeg(p, 85) for p in photos], desc="clean", file=sys.stderr)]
    for index, ((style, image, letters, _), prediction) in enumerate(zip(cases, served, strict=True)):
        grab = served_features("captioned", image, prediction)
        pairs[style] += 1
        in_picture = boxes_within([letters], prediction.content or Box(0, 0, *image.size))
        showing[style] += sum(shown(box, in_picture) > 0 for box in grab.crops.values())
        for on, w in weights.items():
            ranked = rank_candidates([grab, clean[index // len(STYLES)]], weights=w,
                                     slot_ratios=RATIOS)
            first[style, on] += ranked[0].key == "clean"
    return [[style, f"{showing[style] / (pairs[style] * len(RATIOS)):.1%}",
             f"{first[style, False] / pairs[style]:.1%}", f"{first[style, True] / pairs[style]:.1%}"]
            for style in STYLES]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--sheet", type=Path, default=None, help="save the photos with text found")
    parser.add_argument("--checkpoint", type=Path, default=None)
    args = parser.parse_args(argv)
    root = data_dir(args.data)
    photos = [Image.open(s.image).convert("RGB") for s in shared_sources(root, "val")]
    cases = list(captioned_photos(photos))
    print(table(["text laid over", "found", "other blocks"], detection_rows(cases)))
    print()
    rows, found = found_per_folder(root, overlay_text)
    print(table(["folder", "photos", "with text found"], rows))
    if args.sheet:
        save_sheet(found, args.sheet)
    print()
    predictor = load_predictor(args.checkpoint)
    served = [as_served(predictor, image)
              for _, image, _, _ in tqdm(cases, desc="assess", file=sys.stderr)]
    print(f"{len(cases)} captioned photos, crops at {', '.join(RATIOS)}:")
    print(table(["crops", "cut through the text", "leave it out",
                 "of those on a band, showing a strip of it", "subject kept", "cut a face"],
                crop_rows(cases, served)))
    print()
    print("each captioned photo ranked against the same photo without text:")
    print(table(["text laid over", "its crops showing the text", "clean photo first, before",
                 "with overlay_text"], ranking_rows(photos, cases, served, predictor)))


if __name__ == "__main__":
    main()
