"""Plain bars and frames: how often the shared photos have them, and what finding them is worth.

    .venv/bin/python benchmarks/frames.py [--data DIR] [--sheet PATH] [--checkpoint P]

First table: of every photo in the shared data, how many `framing.content_box` finds bars or a
frame in, per folder (`--sheet PATH` saves them as a contact sheet, the box found drawn in magenta:
whether they are real bars is for a person to see). Second table: the 36 `sod/val` and `fg/val`
photos put in five frames (black bars above and below, black bars at the sides, a white mount with
a deeper bottom, a thin dark scan edge, and a blurred fill: the photo itself enlarged to cover a
frame 35 % of its width wider on each side, blurred and darkened, as a phone's vertical video is
shown) and saved as JPEG at quality 85, as a CMS would receive them. For each kind: the share of
pictures found inside the picture and keeping at least 95 % of it; the mask's max F (β² = 0.3) and
MAE on the picture, against its human mask; the mean clarity change from the unframed photo; and
the share of 16:9, 4:3 and 1:1 crops that show more than a pixel's row of bar, for the product
before (`predictor.predict` and `propose_crops` on the whole image) and with the framing
(`predict_framed`, crops inside the picture). The row "none" is the photos as they are.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter
from tqdm import tqdm

from assessment.cropping import propose_crops
from assessment.faces import detect_faces
from assessment.framing import content_box, predict_framed
from assessment.geometry import Box
from assessment.metrics import mask_report
from assessment.predictor import Prediction, load_predictor
from assessment.ranking import CandidateFeatures, picture_features
from assessment.sources import data_dir, shared_sources
from benchmarks.detail import jpeg

FOLDERS = ("sod", "fg", "objects", "photos", "faces")
RATIOS = ("16:9", "4:3", "1:1")
#: Bars as shares of the photo's height (top, bottom) and width (left, right), and their colour
#: (None: a blurred fill, as a phone's vertical video is shown in a landscape frame).
FRAMES = {
    "none": ((0, 0, 0, 0), (0, 0, 0)),
    "letterbox, black": ((0.2, 0.2, 0, 0), (0, 0, 0)),
    "pillarbox, black": ((0, 0, 0.3, 0.3), (0, 0, 0)),
    "mount, white": ((0.06, 0.14, 0.06, 0.06), (255, 255, 255)),
    "scan edge, dark": ((0.015, 0.015, 0.015, 0.015), (25, 25, 25)),
    "blurred fill": ((0, 0, 0.35, 0.35), None),  # the photo itself, enlarged, blurred, darkened
}


def photos_with_bars(root: Path) -> tuple[list[tuple[str, int, int]], list[tuple[Path, Box]]]:
    """Per folder (photos, with bars found), and every photo found with its box."""
    rows, found = [], []
    for folder in FOLDERS:
        paths = sorted(p for p in (root / folder).rglob("*.jpg"))
        count = 0
        for path in tqdm(paths, desc=folder, file=sys.stderr):
            rgb = np.asarray(Image.open(path).convert("RGB"))
            box = content_box(rgb)
            if box != Box(0, 0, rgb.shape[1], rgb.shape[0]):
                count += 1
                found.append((path, box))
        rows.append((folder, len(paths), count))
    return rows, found


def as_served(predictor, image: Image.Image) -> Prediction:
    """``image`` assessed as the product does: Haar faces, then ``predict_framed``."""
    return predict_framed(predictor, [image], faces=[detect_faces(np.asarray(image))])[0]


def served_features(key: str, image: Image.Image, prediction: Prediction,
                    ratios: Sequence[str] = ("16:9", "4:3", "1:1")) -> CandidateFeatures:
    """What the ranking knows of ``image``, as the service gives it: the picture inside any bars,
    its collage's photos, and the crops at ``ratios`` proposed as the product does."""
    proposals = propose_crops(prediction.foreground, faces=prediction.faces, ratios=ratios,
                              image_size=image.size, content=prediction.content,
                              panels=prediction.panels, overlays=prediction.overlays)
    return picture_features(key, prediction.clarity, prediction.foreground,
                            prediction.content or Box(0, 0, *image.size), prediction.faces,
                            overlays=prediction.overlays, panels=prediction.panels,
                            crops={ratio: p.box for ratio, p in proposals.items()})


def crop_keeps(prediction: Prediction, box: Box) -> tuple[float, bool]:
    """The share of ``prediction``'s subject mass that the crop ``box`` keeps, and whether it
    cuts one of its faces."""
    total = max(float(prediction.foreground.sum()), 1e-9)
    kept = float(prediction.foreground[box.y : box.bottom, box.x : box.right].sum()) / total
    return kept, any(0 < box.overlap_share(f) < 1 for f in prediction.faces)


def found_per_folder(root: Path, find: Callable[[np.ndarray], Sequence[Box]]
                     ) -> tuple[list[list[str]], list[tuple[Path, Sequence[Box]]]]:
    """Per folder of the shared photos [folder, photos, photos where ``find`` (an RGB array to
    boxes) found any], and every such photo with its boxes."""
    rows, found = [], []
    for folder in FOLDERS:
        paths = sorted((root / folder).rglob("*.jpg"))
        count = 0
        for path in tqdm(paths, desc=folder, file=sys.stderr):
            boxes = find(np.asarray(Image.open(path).convert("RGB")))
            if boxes:
                count += 1
                found.append((path, boxes))
        rows.append([folder, str(len(paths)), f"{count} ({count / len(paths):.1%})"])
    return rows, found


def save_sheet(found: list[tuple[Path, Sequence[Box]]], path: Path, tile: int = 240) -> None:
    """A contact sheet of the photos ``found``, each with its boxes drawn in magenta."""
    columns = 8
    rows = max(1, -(-len(found) // columns))
    sheet = Image.new("RGB", (columns * (tile + 10), rows * (tile + 24)), "#888")
    draw = ImageDraw.Draw(sheet)
    for index, (photo, boxes) in enumerate(found):
        image = Image.open(photo).convert("RGB")
        scale = tile / max(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)))
        x0, y0 = (index % columns) * (tile + 10) + 5, (index // columns) * (tile + 24) + 5
        sheet.paste(image, (x0, y0))
        for box in boxes:
            draw.rectangle([x0 + box.x * scale, y0 + box.y * scale, x0 + box.right * scale - 1,
                            y0 + box.bottom * scale - 1], outline=(255, 0, 255), width=2)
        draw.text((x0, y0 + tile + 4), photo.name[:36], fill="white")
    sheet.save(path)


def framed(photo: Image.Image, kind: str) -> tuple[Image.Image, Box]:
    """``photo`` in the frame ``kind``, saved as JPEG at quality 85; returns it and its box."""
    (top, bottom, left, right), colour = FRAMES[kind]
    w, h = photo.size
    t, b, lf, r = (round(top * h), round(bottom * h), round(left * w), round(right * w))
    size = (w + lf + r, h + t + b)
    if colour is None:
        cover = max(size[0] / w, size[1] / h)
        canvas = photo.resize((round(w * cover), round(h * cover)), Image.BILINEAR)
        x0, y0 = (canvas.width - size[0]) // 2, (canvas.height - size[1]) // 2
        canvas = canvas.crop((x0, y0, x0 + size[0], y0 + size[1]))
        canvas = ImageEnhance.Brightness(canvas.filter(ImageFilter.GaussianBlur(h / 30)))
        canvas = canvas.enhance(0.8)
    else:
        canvas = Image.new("RGB", size, colour)
    canvas.paste(photo, (lf, t))
    return jpeg(canvas, 85), Box(lf, t, w, h)


def shows_bar(crop: Box, picture: Box) -> bool:
    inside = crop.intersection(picture)
    return inside is None or crop.w - inside.w > 1 or crop.h - inside.h > 1


def frame_rows(root: Path, predictor) -> list[list[str]]:
    sources = shared_sources(root, "val", kinds=("sod", "fg"))
    photos = [Image.open(s.image).convert("RGB") for s in sources]
    truths = [np.asarray(Image.open(s.mask).convert("L")) for s in sources]
    plain = [p.clarity for p in predictor.predict(photos)]
    rows = []
    for kind in FRAMES:
        ways = ("before", "framed")
        exact = 0
        maps = {way: [] for way in ways}
        clarity = {way: [] for way in ways}
        bars = dict.fromkeys(ways, 0)
        for photo, base in tqdm(list(zip(photos, plain, strict=True)), desc=kind, file=sys.stderr):
            image, picture = framed(photo, kind)
            found = content_box(np.asarray(image))
            exact += picture.contains(found) and found.area >= 0.95 * picture.area
            faces = detect_faces(np.asarray(image))
            for way in ways:
                if way == "before":
                    prediction = predictor.predict([image], faces=[faces])[0]
                else:
                    prediction = predict_framed(predictor, [image], faces=[faces])[0]
                maps[way].append(prediction.foreground[picture.y : picture.bottom,
                                                       picture.x : picture.right])
                clarity[way].append(prediction.clarity - base)
                crops = propose_crops(prediction.foreground, faces=list(prediction.faces),
                                      ratios=RATIOS, image_size=image.size,
                                      content=prediction.content)
                bars[way] += sum(shows_bar(c.box, picture) for c in crops.values())
        cases = len(photos)
        for way in ways:
            report = mask_report(maps[way], truths)
            rows.append([kind, way, f"{exact / cases:.0%}", f"{report['maxF']:.3f}",
                         f"{report['mae']:.3f}", f"{np.mean(clarity[way]):+.2f}",
                         f"{bars[way] / (cases * len(RATIOS)):.0%}"])
    return rows


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(lines + ["| " + " | ".join(str(v) for v in row) + " |" for row in rows])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--sheet", type=Path, default=None, help="save the photos found as PNG")
    parser.add_argument("--checkpoint", type=Path, default=None)
    args = parser.parse_args(argv)
    root = data_dir(args.data)
    counts, found = photos_with_bars(root)
    print(table(["folder", "photos", "bars or a frame found"],
                [[f, n, f"{k} ({k / n:.1%})"] for f, n, k in counts]))
    if args.sheet:
        save_sheet([(photo, (box,)) for photo, box in found], args.sheet)
        print(f"\n{len(found)} photos with bars drawn in {args.sheet}")
    print()
    rows = frame_rows(root, load_predictor(args.checkpoint))
    print(table(["frame", "product", "picture found", "max F", "MAE", "clarity change",
                 "crops showing a bar"], rows))


if __name__ == "__main__":
    main()
