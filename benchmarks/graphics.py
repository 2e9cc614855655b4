"""Graphics: whether `assessment.graphics` tells charts, cards and maps from photos, and what
their clarity becomes.

    .venv/bin/python benchmarks/graphics.py [--data DIR] [--seeds N] [--sheet PATH] [--ranking]

First table: every photo of the shared data, the `photos/val` ones 2 and 3 stops darker, and every
degraded val case of `evaluate` (each damage kind at each level): how many are taken for a graphic
(none should be), and the highest share of their 8 most common colours. Second table: drawn
graphics (bar charts, text cards, flat-colour maps; `--seeds` of each) as PNG and as JPEG at
quality 75, sharp and blurred (Gaussian, sigma in pixels of the 1200 × 675 graphic): the share
taken for a graphic, the network's mean clarity and the product's (the edges' clarity for a
graphic), and over all of them the SROCC of each against the blur. `--sheet` saves one of each
kind, sharp. `--ranking` adds a third: each sharp drawing, assessed and ranked as the product
does, against each held-out photo (`sod/val`, `fg/val`, `photos/val` and the held-out WIDER
people photos) on its own: the share of photos it ranks above, with the `graphic` weight at 0
and as served.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from scipy.stats import spearmanr
from tqdm import tqdm

from assessment.degrade import KINDS
from assessment.exposure import exposed
from assessment.graphics import is_graphic, palette_share
from assessment.predictor import load_predictor
from assessment.ranking import RankingWeights, rank_candidates
from assessment.sources import data_dir
from assessment.validation import degraded_case, load_validation
from benchmarks.detail import jpeg
from benchmarks.exposure import people_photos, served_exposure

FOLDERS = ("sod", "fg", "objects", "photos", "faces")
SIZE = (1200, 675)
BLURS = (0.0, 1.0, 2.0, 4.0, 8.0)


def bar_chart(rng: np.random.Generator) -> Image.Image:
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 20), "Unemployment by region, 2026", fill="black",
              font=ImageFont.load_default(size=32))
    for i in range(8):
        height, x = int(rng.uniform(80, 500)), 80 + i * 135
        colour = tuple(int(v) for v in rng.integers(0, 200, 3))
        draw.rectangle([x, 620 - height, x + 90, 620], fill=colour)
        draw.text((x + 20, 630), f"R{i + 1}", fill="black", font=ImageFont.load_default(size=22))
    draw.line([60, 620, 1160, 620], fill="black", width=2)
    return image


def text_card(rng: np.random.Generator) -> Image.Image:
    image = Image.new("RGB", SIZE, tuple(int(v) for v in rng.integers(0, 120, 3)))
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(("BREAKING", "Parliament votes", "on the budget")):
        draw.text((80, 150 + row * 130), line, fill="white", font=ImageFont.load_default(size=90))
    return image


def flat_map(rng: np.random.Generator) -> Image.Image:
    image = Image.new("RGB", SIZE, (200, 225, 240))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        corners = [(int(x), int(y)) for x, y in rng.uniform((0, 0), SIZE, size=(6, 2))]
        draw.polygon(corners, fill=tuple(int(v) for v in rng.integers(120, 250, 3)),
                     outline="black")
    return image


DRAWINGS = {"bar chart": bar_chart, "text card": text_card, "map": flat_map}


def photos_table(root: Path) -> list[str]:
    rows = ["| images | count | taken for a graphic | highest 8-colour share |",
            "|---|---:|---:|---:|"]
    for folder in FOLDERS:
        paths = sorted((root / folder).rglob("*.jpg"))
        arrays = (np.asarray(Image.open(p).convert("RGB")) for p in paths)
        rows.append(_row(f"{folder} photos", tqdm(arrays, desc=folder, total=len(paths),
                                                  file=sys.stderr), len(paths)))
    for stops in (-2.0, -3.0):  # a sky's gradient falls into few colours when dark
        paths = sorted((root / "photos" / "val").glob("*.jpg"))
        arrays = (exposed(np.asarray(Image.open(p).convert("RGB")), stops) for p in paths)
        rows.append(_row(f"photos/val, {-stops:g} stops darker", arrays, len(paths)))
    data = load_validation(root)
    for kind in KINDS:
        cases = [c for c in data.cases if c.kind == kind]
        arrays = (degraded_case(data.clarity_photos, case) for case in cases)
        rows.append(_row(f"val photos, {kind} (all levels)",
                         tqdm(arrays, desc=kind, total=len(cases), file=sys.stderr), len(cases)))
    return rows


def _row(name: str, arrays, count: int) -> str:
    taken, highest = 0, 0.0
    for rgb in arrays:
        taken += is_graphic(rgb)
        highest = max(highest, palette_share(rgb))
    return f"| {name} | {count} | {taken} | {highest:.2f} |"


def drawings_table(seeds: int) -> tuple[list[str], dict[str, Image.Image]]:
    predictor = load_predictor()
    rows = ["| graphic | saved as | blur sigma | taken for a graphic | network clarity | "
            "product clarity |", "|---|---|---:|---:|---:|---:|"]
    blur, network, product, samples = [], [], [], {}
    for name, draw in DRAWINGS.items():
        sharp = [draw(np.random.default_rng(seed)) for seed in range(seeds)]
        samples[name] = sharp[0]
        for saved in ("PNG", "JPEG q75"):
            for sigma in tqdm(BLURS, desc=f"{name}, {saved}", file=sys.stderr):
                images = [image.filter(ImageFilter.GaussianBlur(sigma)) if sigma else image
                          for image in sharp]
                if saved != "PNG":
                    images = [jpeg(image, 75) for image in images]
                arrays = [np.asarray(image) for image in images]
                raw = predictor.predict_arrays(arrays)[0]
                predictions = predictor.predict(images)
                served = [p.clarity for p in predictions]
                taken = np.mean([p.graphic for p in predictions])
                rows.append(f"| {name} | {saved} | {sigma:g} | {taken:.0%} | "
                            f"{np.mean(raw):.1f} | {np.mean(served):.1f} |")
                blur += [sigma] * len(images)
                network += raw
                product += served
    rows.append(f"\nSROCC against the blur (all {len(blur)} drawings): network "
                f"{-spearmanr(blur, network)[0]:.3f}, product {-spearmanr(blur, product)[0]:.3f}")
    return rows, samples


def ranking_table(root: Path, seeds: int) -> list[str]:
    predictor = load_predictor()
    photos = [np.asarray(Image.open(path).convert("RGB"))
              for folder in ("sod/val/images", "fg/val/images", "photos/val")
              for path in sorted((root / folder).glob("*.jpg"))] + people_photos(root)
    scored = [served_exposure(predictor, "photo", rgb)
              for rgb in tqdm(photos, desc="photos", file=sys.stderr)]
    rows = ["| graphic | drawings | taken for a graphic | mean score, served | photos ranked "
            "below it, weight 0 | as served |", "|---|---:|---:|---:|---:|---:|"]
    weights = {"0": RankingWeights(graphic=0.0), "served": RankingWeights()}
    for name, draw in DRAWINGS.items():
        drawn = [served_exposure(predictor, "graphic", np.asarray(draw(np.random.default_rng(s))))
                 for s in tqdm(range(seeds), desc=name, file=sys.stderr)]
        below = {label: np.mean([rank_candidates([photo, graphic], weights=w)[0].key == "graphic"
                                 for graphic in drawn for photo in scored])
                 for label, w in weights.items()}
        score = np.mean([rank_candidates([graphic])[0].score for graphic in drawn])
        rows.append(f"| {name} | {seeds} | {np.mean([g.graphic for g in drawn]):.0%} | "
                    f"{score:.2f} | {below['0']:.0%} | {below['served']:.0%} |")
    rows.append(f"\n{len(scored)} photos; their scores' quartiles (one candidate each): "
                + " / ".join(f"{q:.2f}" for q in np.percentile(
                    [rank_candidates([photo])[0].score for photo in scored], [25, 50, 75])))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder")
    parser.add_argument("--seeds", type=int, default=6, help="drawings of each kind")
    parser.add_argument("--sheet", type=Path, default=None, help="save one drawing of each kind")
    parser.add_argument("--ranking", action="store_true",
                        help="also rank each drawing against each held-out photo")
    args = parser.parse_args()
    print("\n".join(photos_table(data_dir(args.data))))
    print()
    rows, samples = drawings_table(args.seeds)
    print("\n".join(rows))
    if args.sheet is not None:
        sheet = Image.new("RGB", (SIZE[0] // 2 * len(samples), SIZE[1] // 2), "white")
        for i, image in enumerate(samples.values()):
            sheet.paste(image.resize((SIZE[0] // 2, SIZE[1] // 2), Image.LANCZOS),
                        (i * SIZE[0] // 2, 0))
        sheet.save(args.sheet)
    if args.ranking:
        print()
        print("\n".join(ranking_table(data_dir(args.data), args.seeds)))


if __name__ == "__main__":
    main()
