"""Training and validation samples: clean photos made into (degraded image, clarity label, mask).

Every photo teaches clarity; only photos with a mask teach segmentation. A training sample is
drawn deterministically from `(seed, epoch, index)`:

1. geometry: a random window shrunk (never enlarged: an enlarged pristine photo would look
   blurred) to the sample shape, then a horizontal flip. Square samples (the default) are
   crop×crop (`CROP` by default, `--crop` in training) from a window of crop..H rows and
   max(crop, MIN_WIDTH_SHARE·W)..W columns, so the network sees most of the scene (saliency is a
   property of the whole picture; small crops trained the mask far more slowly) squeezed to a
   square. With `keep_aspect` (`--keep-aspect`) nothing is squeezed: a photo gives samples of
   the shape in `ASPECTS` nearest its own (crop×1.5·crop for a 3:2 landscape, its transpose for
   a portrait) from windows of that shape, as a photo is seen when served; batches then group
   samples of one shape (`ShapeBatches`). With `zoom` Z > 1 (`--zoom`), half the samples that
   teach the mask come from windows down to 1/Z of the sample's size, enlarged: the few masks
   are seen at more scales and positions. An enlarged photo looks blurred, so such a sample
   teaches no clarity (`clarity_weight` 0). With `rotate` R (`--rotate`), an enlarged sample is
   also turned by up to ±R degrees about its centre (reflected at the borders, the mask with it);
2. with `composite_prob`, an unlabelled photo gets an object pasted from another photo's human
   mask (see `compositing.py`);
3. photometric jitter (brightness, contrast, saturation, hue, 5 % greyscale) on the clean image;
4. with `focus`, a sample whose human subject mask (`SUBJECT_KINDS`) covers at least
   `FOCUS_MIN_SHARE` of it has, with that probability, its background or its subject alone
   blurred (`degrade.defocus`): a blurred background is no damage, a blurred subject lowers the
   label to its blur's level;
5. damage of a uniformly drawn kind and level 1..10 (see `degrade.py`); the level is the label.
   With `mask_clean` a sample with a mask is left pristine (label 10) with that probability.

COCO instance masks (`objects`) teach the mask unless `use_objects` is off; `objects_min_share`
keeps only those covering at least that share of their photo (the dominant objects). With
`object_task` they teach the objectness map instead (`object_mask`, `has_object`), never the mask.

With `face_hints`, a people photo with face boxes (`faces/`, see `sources.face_sources`) gives a
`hint` map instead of a mask: the core of each prominent face (`faces.face_cores`), carried through
the same geometry. Only the hint's pixels teach (the subject is there); the rest of the photo is
unknown, so it teaches nothing. With `torso_hints` the hint also covers the chest under each
such face (`faces.torso_cores`): a cover's person is more than a face. With `background_hints`
such a photo also gives a `background` map: the pixels beyond every boxed face's person
(`faces.person_reach`, the crowd's faces too) show no person and teach "not subject"; the
rest stays unknown. With `object_hints` a COCO
instance mask gives a hint too, never a mask: its pixels are subject, the rest unknown (an object
is not always the subject, but it is seldom background). WIDER photos are not
clean, so they teach no clarity and get no pasted object. With `face_task` the same photos teach
the face map (`face_mask`, `has_face`): the core of every face a person boxed, the crowd's too,
and "no face" elsewhere (WIDER boxes every face), carried through the same geometry as the hint;
a photo in which a person found no face (`Photo.faceless`, see `sources.with_face_negatives`)
teaches "no face" everywhere.

Validation is deterministic: fixed degradations of whole val photos, no augmentation.
Photos whose short side is under the crop are skipped (they would have to be enlarged).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import torch
from torch.utils.data import Dataset, Sampler

from assessment.compositing import paste_object
from assessment.degrade import (
    BACKGROUND_SIGMAS,
    KINDS,
    LEVELS,
    PRISTINE,
    SCHEDULES,
    defocus,
    degrade,
)
from assessment.faces import face_cores, person_reach, torso_cores
from assessment.geometry import Box
from assessment.imageio import load_rgb
from assessment.networks.spec import IMAGENET_MEAN, IMAGENET_STD
from assessment.sources import Source

CROP = 224
MIN_WIDTH_SHARE = 0.6
ZOOM_SHARE = 0.5  # with `zoom`, the share of mask-teaching samples drawn from smaller windows
ASPECTS = (1.0, 1.5)  # long/short side ratios of `keep_aspect` samples
# COCO instance masks mark one object, not always the subject, and pseudo-labels are a network's
# own guesses: both teach segmentation at half weight.
MASK_WEIGHTS = {"sod": 1.0, "fg": 1.0, "user": 1.0, "objects": 0.5, "pseudo": 0.5}
# Masks drawn by people around a photo's subject: those whose focus samples mean what they say
# (a COCO instance is one object, not always the subject).
SUBJECT_KINDS = frozenset({"sod", "fg", "user"})
FOCUS_MIN_SHARE = 0.05  # a focus sample's subject covers at least this share of it


@dataclass
class Photo:
    image: np.ndarray  # (H, W, 3) uint8 RGB
    mask: np.ndarray | None  # (H, W) uint8 {0, 255}
    kind: str
    faces: tuple[Box, ...] = ()
    every_face: tuple[Box, ...] = ()
    faceless: bool = False


def load_photos(sources: Sequence[Source], *, min_side: int = CROP) -> list[Photo]:
    """Decode `sources` into memory, skipping photos whose short side is under `min_side`."""
    photos = []
    for source in sources:
        image = np.asarray(load_rgb(source.image))
        if min(image.shape[:2]) < min_side:
            continue
        mask = None
        if source.mask is not None:
            mask = _binary(np.asarray(load_rgb(source.mask).convert("L")))
            if mask.shape != image.shape[:2]:
                raise ValueError(
                    f"mask {source.mask} is {mask.shape[::-1]}, its image {image.shape[1::-1]}"
                )
        photos.append(
            Photo(image, mask, source.kind, source.faces, source.every_face, source.faceless)
        )
    return photos


def normalise(
    image: np.ndarray, mean: Sequence[float] = IMAGENET_MEAN, std: Sequence[float] = IMAGENET_STD
) -> torch.Tensor:
    """(H, W, 3) uint8 RGB → (3, H, W) float32 tensor normalised by `mean`/`std` (0..1 scale)."""
    tensor = torch.tensor(image).permute(2, 0, 1).float().div_(255.0)
    return tensor.sub_(torch.tensor(mean)[:, None, None]).div_(torch.tensor(std)[:, None, None])


class TrainingSet(Dataset):
    """Augmented, degraded samples; `set_epoch` changes the draw, `(seed, epoch, index)` fixes it."""

    def __init__(
        self,
        photos: list[Photo],
        *,
        seed: int,
        composite_prob: float = 0.5,
        use_objects: bool = True,
        mask_repeat: int = 1,
        crop: int = CROP,
        keep_aspect: bool = False,
        objects_min_share: float = 0.0,
        mask_clean: float = 0.0,
        zoom: float = 1.0,
        rotate: float = 0.0,
        object_task: bool = False,
        face_hints: bool = False,
        torso_hints: bool = False,
        background_hints: bool = False,
        object_hints: bool = False,
        face_task: bool = False,
        focus: float = 0.0,
    ) -> None:
        if mask_repeat < 1:
            raise ValueError(f"mask_repeat must be at least 1, not {mask_repeat}")
        if not 0.0 <= mask_clean <= 1.0:
            raise ValueError(f"mask_clean is a probability in 0..1, not {mask_clean}")
        if not 0.0 <= focus <= 1.0:
            raise ValueError(f"focus is a probability in 0..1, not {focus}")
        if zoom < 1.0:
            raise ValueError(f"zoom is the largest enlargement, at least 1, not {zoom}")
        if not 0.0 <= rotate <= 45.0:
            raise ValueError(f"rotate is the largest turn in degrees, 0..45, not {rotate}")
        self.photos = photos
        self.seed = seed
        self.composite_prob = composite_prob
        self.crop = crop
        self.keep_aspect = keep_aspect
        self.mask_clean = mask_clean
        self.focus = focus
        self.zoom = zoom
        self.rotate = rotate
        self.object_task = object_task
        self.face_hints = face_hints
        self.torso_hints = torso_hints
        self.background_hints = background_hints
        self.teaches_hint = {
            i
            for i, p in enumerate(photos)
            if face_hints
            and (p.faces or (object_hints and p.kind == "objects" and p.mask is not None))
        }
        self.face_task = face_task
        self.teaches_face = {
            i for i, p in enumerate(photos) if face_task and (p.every_face or p.faceless)
        }
        self.teaches_object = {
            i
            for i, p in enumerate(photos)
            if object_task and p.mask is not None and p.kind == "objects"
        }
        labelled = [
            i
            for i, p in enumerate(photos)
            if p.mask is not None
            and i not in self.teaches_object
            and i not in self.teaches_hint
            and (
                p.kind != "objects" or (use_objects and _share(p.mask) >= objects_min_share)
            )
        ]
        self.teaches_mask = set(labelled)
        self.donors = [photos[i] for i in labelled]
        # Photos whose mask teaches segmentation come `mask_repeat` times an epoch, each draw
        # augmented and damaged anew: masks are few, and every draw still teaches clarity too.
        self.order = list(range(len(photos))) + labelled * (mask_repeat - 1)
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def shapes(self) -> list[tuple[int, int]]:
        """The (height, width) of every sample, in index order."""
        return [self._shape_of(self.photos[i]) for i in self.order]

    def _shape_of(self, photo: Photo) -> tuple[int, int]:
        if not self.keep_aspect:
            return self.crop, self.crop
        return sample_shape(*photo.image.shape[:2], self.crop)

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        rng = np.random.default_rng([self.seed, self.epoch, index])
        photo = self.photos[self.order[index]]
        is_object = self.order[index] in self.teaches_object
        is_hint = self.order[index] in self.teaches_hint
        mask = photo.mask if is_object or self.order[index] in self.teaches_mask else None
        shape = photo.image.shape[:2]
        background = None
        if is_hint and photo.faces:
            mask = face_cores(shape, photo.faces)
            if self.torso_hints:
                mask |= torso_cores(shape, photo.faces)
            mask = mask.astype(np.uint8) * 255
            if self.background_hints:
                background = (~person_reach(shape, photo.every_face)).astype(np.uint8) * 255
        elif is_hint:
            mask = photo.mask
        face_map = None
        if self.order[index] in self.teaches_face:
            face_map = face_cores(shape, photo.every_face).astype(np.uint8) * 255
        zoomed = self.zoom > 1.0 and mask is not None and rng.random() < ZOOM_SHARE
        maps = {"mask": mask, "face": face_map, "background": background}
        carried = [name for name, m in maps.items() if m is not None]  # one geometry for all
        image, layers, enlarged = _random_geometry(
            photo.image,
            np.dstack([maps[name] for name in carried]) if carried else None,
            rng,
            self._shape_of(photo),
            squeeze=not self.keep_aspect,
            min_scale=1.0 / self.zoom if zoomed else 1.0,
            max_turn=self.rotate,
        )
        if layers is not None:
            layers = layers.reshape(*image.shape[:2], len(carried))
            for i, name in enumerate(carried):
                maps[name] = np.ascontiguousarray(layers[..., i])
            mask, face_map, background = maps["mask"], maps["face"], maps["background"]
        weight = MASK_WEIGHTS.get(photo.kind, 1.0)
        object_mask, mask = (mask, None) if is_object else (None, mask)
        hint, mask = (mask, None) if is_hint else (None, mask)
        pasteable = not (is_object or is_hint or face_map is not None)
        if mask is None and pasteable and self.donors and rng.random() < self.composite_prob:
            donor = self.donors[int(rng.integers(len(self.donors)))]
            image, mask = paste_object(image, donor.image, donor.mask, rng)
            weight = MASK_WEIGHTS.get(donor.kind, 1.0)
        image = _photometric(image, rng)
        subject_level = PRISTINE
        if (
            self.focus
            and mask is not None
            and photo.kind in SUBJECT_KINDS
            and _share(mask) >= FOCUS_MIN_SHARE
            and rng.random() < self.focus
        ):
            image, subject_level = _focus(image, mask, rng)
        level = int(rng.choice(LEVELS))
        if self.mask_clean and mask is not None and rng.random() < self.mask_clean:
            level = PRISTINE  # pristine: the mask is learnt on the photo as served
        image = degrade(image, KINDS[int(rng.integers(len(KINDS)))], level, rng)
        level = min(level, subject_level)
        has_mask = mask is not None
        sample = {
            "image": normalise(image),
            "mask": _target(mask, image.shape[:2]),
            "has_mask": torch.tensor(float(has_mask)),
            "mask_weight": torch.tensor(weight if has_mask else 0.0),
            "clarity": torch.tensor(float(level)),
            "clarity_weight": torch.tensor(0.0 if enlarged or photo.faces else 1.0),
        }
        if self.object_task:
            sample["object_mask"] = _target(object_mask, image.shape[:2])
            sample["has_object"] = torch.tensor(float(object_mask is not None))
        if self.face_hints:
            sample["hint"] = _target(hint, image.shape[:2])
            sample["has_hint"] = torch.tensor(float(hint is not None and bool(hint.any())))
        if self.background_hints:
            sample["background"] = _target(background, image.shape[:2])
            sample["has_background"] = torch.tensor(
                float(background is not None and bool(background.any())))
        if self.face_task:
            sample["face_mask"] = _target(face_map, image.shape[:2])
            sample["has_face"] = torch.tensor(float(face_map is not None))
        return sample


def _focus(
    image: np.ndarray, subject: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, int]:
    """`image` with its background or (as often) its subject alone blurred, and the clarity
    level of its subject: pristine behind a blurred background, the blur's level on a blurred
    subject (the `gaussian_blur` schedule's)."""
    if rng.random() < 0.5:
        return defocus(image, subject, 0.0, float(rng.uniform(*BACKGROUND_SIGMAS))), PRISTINE
    level = int(rng.integers(1, PRISTINE))
    return defocus(image, subject, SCHEDULES["gaussian_blur"][level - 1], 0.0), level


def _target(mask: np.ndarray | None, shape: tuple[int, int]) -> torch.Tensor:
    """A (1, H, W) float {0, 1} training target; all zeros where there is no mask."""
    if mask is None:
        return torch.zeros(1, *shape)
    return torch.from_numpy((mask > 0).astype(np.float32))[None]


def _binary(mask: np.ndarray) -> np.ndarray:
    """A {0, 255} uint8 mask from a resampled or decoded one, cut at half intensity."""
    return np.where(mask >= 128, 255, 0).astype(np.uint8)


def _share(mask: np.ndarray) -> float:
    return float(np.count_nonzero(mask)) / mask.size


def sample_shape(height: int, width: int, crop: int) -> tuple[int, int]:
    """The (height, width) of the aspect-keeping samples of a height×width photo: the shape of
    `ASPECTS` nearest the photo's (in log ratio) among those it holds without enlarging, short
    side `crop`, in the photo's orientation. Photos with a short side under `crop` hold none."""
    short, long = sorted((height, width))
    if short < crop:
        raise ValueError(f"a {width}×{height} photo is smaller than {crop}-px samples")
    held = [a for a in ASPECTS if long >= round(a * crop)]
    aspect = min(held, key=lambda a: abs(math.log(long / short / a)))
    sample_long = round(aspect * crop)
    return (crop, sample_long) if width >= height else (sample_long, crop)


class ShapeBatches(Sampler[list[int]]):
    """Batches of `batch_size` samples of one shape, drawn anew for each `(seed, epoch)`; the
    incomplete last batch of each shape is dropped."""

    def __init__(self, shapes: Sequence[tuple[int, int]], batch_size: int, *, seed: int) -> None:
        self.groups = [
            [i for i, s in enumerate(shapes) if s == shape] for shape in sorted(set(shapes))
        ]
        self.batch_size = batch_size
        self.seed = seed
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return sum(len(group) // self.batch_size for group in self.groups)

    def __iter__(self) -> Iterator[list[int]]:
        rng = np.random.default_rng([self.seed, self.epoch])
        batches = []
        for group in self.groups:
            members = rng.permutation(group).tolist()
            full = len(members) - len(members) % self.batch_size
            batches += [members[i : i + self.batch_size] for i in range(0, full, self.batch_size)]
        for i in rng.permutation(len(batches)):
            yield batches[i]


def _random_geometry(
    image: np.ndarray,
    mask: np.ndarray | None,
    rng: np.random.Generator,
    shape: tuple[int, int],
    *,
    squeeze: bool,
    min_scale: float = 1.0,
    max_turn: float = 0.0,
) -> tuple[np.ndarray, np.ndarray | None, bool]:
    """The sample's image and mask, and whether the window had to be enlarged to fill it (an
    enlarged one is also turned by up to ±`max_turn` degrees)."""
    y, x, window_h, window_w = _window(
        image.shape[:2], shape, rng, squeeze=squeeze, min_scale=min_scale
    )
    size = (shape[1], shape[0])
    enlarged = window_h < shape[0] or window_w < shape[1]
    interpolation = cv2.INTER_LINEAR if enlarged else cv2.INTER_AREA
    image = cv2.resize(image[y : y + window_h, x : x + window_w], size, interpolation=interpolation)
    if mask is not None:
        mask = cv2.resize(
            mask[y : y + window_h, x : x + window_w], size, interpolation=interpolation
        )
        mask = _binary(mask)
    if enlarged and max_turn > 0.0:
        image, mask = _turn(image, mask, float(rng.uniform(-max_turn, max_turn)))
    if rng.random() < 0.5:
        image = image[:, ::-1]
        mask = None if mask is None else mask[:, ::-1]
    mask = None if mask is None else np.ascontiguousarray(mask)
    return np.ascontiguousarray(image), mask, enlarged


def _turn(
    image: np.ndarray, mask: np.ndarray | None, degrees: float
) -> tuple[np.ndarray, np.ndarray | None]:
    """`image` and `mask` turned by `degrees` about their centre, reflected at the borders."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)

    def warp(pixels: np.ndarray) -> np.ndarray:
        return cv2.warpAffine(
            pixels, matrix, (width, height), flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REFLECT_101,
        )

    image = warp(image)
    if mask is not None:
        mask = _binary(warp(mask))
    return image, mask


def _window(
    photo: tuple[int, int],
    shape: tuple[int, int],
    rng: np.random.Generator,
    *,
    squeeze: bool,
    min_scale: float = 1.0,
) -> tuple[int, int, int, int]:
    """(y, x, height, width) of a random window of `photo` no smaller than `min_scale` × the
    sample `shape`: of any shape in the squeezed mode, else of the sample's shape."""
    (height, width), (sample_h, sample_w) = photo, shape
    if squeeze:
        low_h = round(min_scale * sample_h)
        low_w = max(round(min_scale * sample_w), round(min_scale * MIN_WIDTH_SHARE * width))
        window_h = int(rng.integers(low_h, height + 1))
        window_w = int(rng.integers(low_w, width + 1))
    else:
        fit = min(height / sample_h, width / sample_w)  # the largest window is `fit` × the sample
        scale = rng.uniform(min_scale, fit)
        window_h = min(height, round(scale * sample_h))
        window_w = min(width, round(scale * sample_w))
    y, x = int(rng.integers(0, height - window_h + 1)), int(rng.integers(0, width - window_w + 1))
    return y, x, window_h, window_w


def _photometric(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    pixels = image.astype(np.float32)
    pixels *= rng.uniform(0.75, 1.25)  # brightness
    mean = pixels.mean()
    pixels = (pixels - mean) * rng.uniform(0.75, 1.25) + mean  # contrast
    grey = pixels @ np.array([0.299, 0.587, 0.114], np.float32)
    saturation = 0.0 if rng.random() < 0.05 else rng.uniform(0.7, 1.3)
    pixels = grey[..., None] + (pixels - grey[..., None]) * saturation
    pixels = np.clip(pixels, 0, 255).astype(np.uint8)
    hsv = cv2.cvtColor(pixels, cv2.COLOR_RGB2HSV)
    hsv[..., 0] = ((hsv[..., 0].astype(np.int16) + int(rng.integers(-5, 6))) % 180).astype(np.uint8)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)


@dataclass(frozen=True)
class ClarityCase:
    photo: int
    kind: str
    level: int


def clarity_cases(n_photos: int, *, levels: Sequence[int] = LEVELS) -> list[ClarityCase]:
    """Every (photo, kind, level) of the deterministic clarity validation."""
    return [ClarityCase(p, k, lv) for p in range(n_photos) for k in KINDS for lv in levels]


def degraded_case(photos: Sequence[Photo], case: ClarityCase, *, seed: int = 0) -> np.ndarray:
    """The validation image of `case`, the same on every run."""
    rng = np.random.default_rng([seed, case.photo, KINDS.index(case.kind), case.level])
    return degrade(photos[case.photo].image, case.kind, case.level, rng)
