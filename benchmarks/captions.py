"""Text in bars: subtitles in a letterbox and a caption strip under a photo; is the picture found?

    .venv/bin/python benchmarks/captions.py [--data DIR]

The 172 val photos of `sod`, `fg`, `objects` and `photos` (seeded lines of text from `LINES` in
Pillow's own font, saved as JPEG at quality 85 as a CMS would receive them) in four layouts: a 3:2
cut of the photo letterboxed (black bars of 14 % of its height above and below) with one or
two lines of white subtitles centred in the lower bar (the font 4.5 % of the frame's height, smaller
where a line would pass 85 % of the width), and a strip of 9 % of the photo's height under it,
white with black text or dark with light text, the text from the left. For each, of
`framing.content_box`: "picture found" (inside the picture, keeping at least 95 % of it; the
picture is the photo's own content box, as two of them have a black frame of their own),
"nothing found" (the whole image) and "picture cut" (less than 95 % of the picture kept: a crop
would lose part of the photo). `benchmarks/frames.py` counts the boxes on the shared photos as
they are.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageFont
from tqdm import tqdm

from assessment.framing import content_box
from assessment.geometry import Box
from assessment.sources import data_dir, shared_sources
from benchmarks.detail import jpeg
from benchmarks.frames import table

LINES = ("I never said that to anyone, you know.", "Breaking: talks resume in Geneva",
         "REUTERS/Jane Smith", "The minister leaves the building on Tuesday.", "Yes. And then?",
         "AFP PHOTO / POOL / JOHN DOE", "We will not stop until it is done.")
LAYOUTS = ("letterbox, 1 subtitle line", "letterbox, 2 subtitle lines", "caption strip, white",
           "caption strip, dark")


def fitted_font(draw: ImageDraw.ImageDraw, lines: list[str], size: int, width: float):
    """The font at ``size`` px, smaller until every line fits ``width`` (down to 8 px)."""
    font = ImageFont.load_default(size)
    while size > 8 and max(draw.textlength(line, font=font) for line in lines) > width:
        size -= 1
        font = ImageFont.load_default(size)
    return font, size


def letterboxed(photo: Image.Image, lines: list[str]) -> tuple[Image.Image, Box]:
    w = photo.width
    h = min(photo.height, w * 2 // 3)
    photo = photo.crop((0, (photo.height - h) // 2, w, (photo.height - h) // 2 + h))
    bar = int(0.14 * h)
    frame = Image.new("RGB", (w, h + 2 * bar), (0, 0, 0))
    frame.paste(photo, (0, bar))
    draw = ImageDraw.Draw(frame)
    font, size = fitted_font(draw, lines, max(10, int(0.045 * frame.height)), 0.85 * w)
    y = h + bar + (bar - len(lines) * int(size * 1.3)) // 2
    for line in lines:
        draw.text(((w - draw.textlength(line, font=font)) / 2, y), line, fill=(255, 255, 255),
                  font=font)
        y += int(size * 1.3)
    return frame, Box(0, bar, w, h)


def captioned(photo: Image.Image, line: str, light: bool) -> tuple[Image.Image, Box]:
    w, h = photo.size
    band = int(0.09 * h)
    ground, ink = ((250, 250, 250), (20, 20, 20)) if light else ((25, 25, 30), (235, 235, 235))
    frame = Image.new("RGB", (w, h + band), ground)
    frame.paste(photo, (0, 0))
    draw = ImageDraw.Draw(frame)
    font, size = fitted_font(draw, [line], max(9, band // 2), 0.94 * w)
    draw.text((int(0.03 * w), h + (band - size) // 2), line, fill=ink, font=font)
    return frame, Box(0, 0, w, h)


def laid_out(photo: Image.Image, layout: str, rng: random.Random) -> tuple[Image.Image, Box]:
    if layout.startswith("letterbox"):
        count = 2 if "2 subtitle" in layout else 1
        return letterboxed(photo, [rng.choice(LINES) for _ in range(count)])
    return captioned(photo, rng.choice(LINES), light=layout.endswith("white"))


def layout_rows(root: Path) -> list[list[str]]:
    photos = [Image.open(s.image).convert("RGB") for s in shared_sources(root, "val")]
    rows = []
    for layout in LAYOUTS:
        rng = random.Random(0)
        found = nothing = cut = 0
        for photo in tqdm(photos, desc=layout, file=sys.stderr):
            image, pasted = laid_out(photo, layout, rng)
            rgb = np.asarray(jpeg(image, 85))
            # the picture is the photo's own (a few val photos have a frame of their own)
            inner = content_box(rgb[pasted.y : pasted.bottom, pasted.x : pasted.right])
            picture = inner.shifted(pasted.x, pasted.y)
            box = content_box(rgb)
            found += picture.contains(box) and box.area >= 0.95 * picture.area
            nothing += box == Box(0, 0, *image.size)
            cut += box.area < 0.95 * picture.area
        rows.append([layout, f"{found}/{len(photos)}", str(nothing), str(cut)])
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args(argv)
    rows = layout_rows(data_dir(args.data))
    print(table(["layout", "picture found", "nothing found", "picture cut"], rows))


if __name__ == "__main__":
    main()
