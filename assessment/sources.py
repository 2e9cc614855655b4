"""Finding training and validation files: CoverApp's shared data layout, a user's folder of images
plus a folder of masks paired by file stem, or DUTS's `DUTS-TR-Image/` + `DUTS-TR-Mask/` layout.

A `Source` is one clean photo, with its human mask when it has one; `kind` says where it came from
(`sod`, `fg`, `objects`, `photos`, `user`, or `pseudo` for a network's own mask, see
`pseudo_labels.py`), which the training weights by (see `data.py`). The WIDER people photos of
`faces/` (kind `faces`) are not clean and have no mask; their human face boxes are hints of where
the subject is (`face_sources`, `train --face-hints`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

from assessment.geometry import Box

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}
MASK_KINDS = ("sod", "fg", "objects")
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
# Every 6th `faces/` photo by name is held out: the people check of `benchmarks/masks.py`.
FACE_CHECK_EVERY = 6
# A face is a hint of the subject when its short side is at least this many pixels and its box at
# least this share of the photo's largest face's: WIDER boxes every face, crowds' included.
HINT_FACE_MIN_SIDE = 16
HINT_FACE_MIN_SHARE = 0.25
# Photos of the shared layout in which a person looked for a human face and found none, one path
# under the data root a line: the train ones teach the face map "no face" (`train
# --face-negatives`), the val ones count false faces (`benchmarks/face_detection.py`).
NO_FACE_LIST = Path(__file__).resolve().parent / "labels" / "no_faces.txt"


@dataclass(frozen=True)
class Source:
    image: Path
    mask: Path | None
    kind: str
    faces: tuple[Box, ...] = ()  # human face boxes that hint at the subject (kind `faces`)
    every_face: tuple[Box, ...] = ()  # every face a person boxed, the crowd's too (kind `faces`)
    faceless: bool = False  # a person found no face in it (see `with_face_negatives`)


def data_dir(explicit: str | Path | None = None) -> Path:
    """The data root: `explicit`, else `$COVERAPP_DATA`, else `../shared/data` beside the repository."""
    root = Path(explicit or os.environ.get("COVERAPP_DATA") or DEFAULT_DATA_DIR)
    if not root.is_dir():
        raise FileNotFoundError(
            f"data folder {root} does not exist: pass --data DIR or set COVERAPP_DATA"
        )
    return root


def shared_sources(
    root: Path, split: str, *, kinds: tuple[str, ...] = (*MASK_KINDS, "photos")
) -> list[Source]:
    """Sources of `split` ("train" or "val") in the shared layout (see `../shared/data/README.md`)."""
    sources: list[Source] = []
    for kind in kinds:
        if kind == "photos":
            sources += [Source(p, None, "photos") for p in _images(root / "photos" / split)]
        else:
            split_dir = root / kind / split
            sources += paired_sources(split_dir / "images", split_dir / "masks", kind=kind)
    return sources


def face_split(names: list[str], split: str) -> list[str]:
    """The `faces/` photo names of `split`, sorted: "val" is every `FACE_CHECK_EVERY`th, "train"
    the rest."""
    if split not in ("train", "val"):
        raise ValueError(f"split is 'train' or 'val', not {split!r}")
    ordered = sorted(names)
    if split == "val":
        return ordered[::FACE_CHECK_EVERY]
    return [name for i, name in enumerate(ordered) if i % FACE_CHECK_EVERY]


def prominent_faces(boxes: list[Box]) -> tuple[Box, ...]:
    """The boxes of `boxes` big enough to be the photo's subject, not its crowd."""
    largest = max((box.area for box in boxes), default=0)
    return tuple(
        box
        for box in boxes
        if min(box.w, box.h) >= HINT_FACE_MIN_SIDE and box.area >= HINT_FACE_MIN_SHARE * largest
    )


def face_sources(root: Path, split: str) -> list[Source]:
    """The `faces/` photos of `split` with at least one prominent face, those faces attached (and
    every face of the photo, for the face map)."""
    folder = root / "faces"
    if not (folder / "faces.json").is_file():
        raise FileNotFoundError(f"{folder} has no faces.json: face hints need the faces/ folder")
    boxes = json.loads((folder / "faces.json").read_text())
    sources = []
    for name in face_split(list(boxes), split):
        every_face = tuple(Box.from_list(box) for box in boxes[name])
        faces = prominent_faces(list(every_face))
        if faces:
            image = folder / "images" / f"{name}.jpg"
            sources.append(Source(image, None, "faces", faces, every_face))
    return sources


def no_face_paths(path: Path = NO_FACE_LIST) -> set[str]:
    """The photos (paths under the data root) listed in `path` as showing no human face."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return {line for line in lines if line}


def with_face_negatives(
    sources: list[Source], root: Path, listed: set[str] | None = None
) -> list[Source]:
    """`sources`, those among the photos `listed` (default: `no_face_paths()`) marked faceless."""
    listed = no_face_paths() if listed is None else listed
    return [
        replace(source, faceless=True) if _under(source.image, root) in listed else source
        for source in sources
    ]


def _under(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return ""


def paired_sources(images: Path, masks: Path, *, kind: str = "user") -> list[Source]:
    """Every image in `images` with the mask of the same stem in `masks` (unpaired images are kept,
    without a mask: they still teach clarity)."""
    by_stem = {p.stem: p for p in _images(masks)} if masks.is_dir() else {}
    return [Source(p, by_stem.get(p.stem), kind) for p in _images(images)]


def user_sources(root: Path, split: str, *, val_fraction: float = 0.1) -> list[Source]:
    """A user's data set: DUTS (`DUTS-TR-Image/`, `DUTS-TR-Mask/`) or `images/` + `masks/`; val is a
    stable hash-chosen `val_fraction` of the stems."""
    if (root / "DUTS-TR-Image").is_dir():
        everything = paired_sources(root / "DUTS-TR-Image", root / "DUTS-TR-Mask")
    elif (root / "images").is_dir():
        everything = paired_sources(root / "images", root / "masks")
    else:
        raise FileNotFoundError(
            f"{root} has neither DUTS-TR-Image/ + DUTS-TR-Mask/ nor images/ + masks/ folders"
        )
    return [s for s in everything if (_split_of(s.image.stem, val_fraction) == split)]


def discover(root: Path, split: str) -> list[Source]:
    """The shared layout when `root` has it, else a user's layout."""
    if any((root / kind).is_dir() for kind in (*MASK_KINDS, "photos")):
        return shared_sources(root, split)
    return user_sources(root, split)


def lacks_saliency_mask(source: Source) -> bool:
    """True for a plain photo and for a COCO instance-mask photo (one object, not the subject)."""
    return source.mask is None or source.kind == "objects"


def with_pseudo_masks(sources: list[Source], folder: Path) -> list[Source]:
    """`sources` where each photo without a salient-object mask (plain, or a COCO instance mask)
    that has a mask of its stem in `folder` gets that mask, as kind `pseudo` (see
    `pseudo_labels.py`)."""
    if not folder.is_dir():
        raise FileNotFoundError(f"pseudo-label folder {folder} does not exist")
    masks = {p.stem: p for p in _images(folder)}
    return [
        Source(s.image, masks[s.image.stem], "pseudo")
        if lacks_saliency_mask(s) and s.image.stem in masks
        else s
        for s in sources
    ]


def manifest_hash(sources: list[Source]) -> str:
    """A short hash of the file names and sizes used, recorded in checkpoints."""
    digest = hashlib.sha256()
    for source in sorted(sources, key=lambda s: str(s.image)):
        for path in (source.image, source.mask):
            if path is not None:
                digest.update(f"{path.parent.name}/{path.name}:{path.stat().st_size};".encode())
    return digest.hexdigest()[:16]


def _images(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


def _split_of(stem: str, val_fraction: float) -> str:
    value = (
        int(hashlib.sha256(f"coverapp-user-v1:{stem}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    )
    return "val" if value < val_fraction else "train"
