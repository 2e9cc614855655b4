"""Training: end-to-end (the paper's best, Table 3) or multi-stage (mask first, then the clarity
branch on frozen shared features), with periodic validation, best-checkpoint saving, resume and a
JSON-lines log. Deterministic for a given seed (data draws depend on (seed, epoch, index) only).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from torch.utils.data import DataLoader
from tqdm import tqdm

from assessment.checkpoint import read_checkpoint, save_checkpoint
from assessment.consistency import CONFIDENT, consistency_loss
from assessment.data import CROP, ShapeBatches, TrainingSet, load_photos
from assessment.losses import LAMBDA, cover_loss
from assessment.predictor import NetworkPredictor
from assessment.registry import create_model
from assessment.sources import (
    discover,
    face_sources,
    manifest_hash,
    with_face_negatives,
    with_pseudo_masks,
)
from assessment.validation import ValidationData, headline, load_validation, validate

STRATEGIES = ("end-to-end", "multi-stage", "clarity-branch")
# The clock-driven one cycle of a `--max-minutes` run: warm-up share of the minutes, and the
# starting factor (OneCycleLR's default max_lr / 25; it ends 10⁴ times lower, as OneCycleLR does).
CLOCK_WARMUP = 0.05
CLOCK_FLOOR = 1 / 25


@dataclass
class TrainConfig:
    variant: str = "cover-small"
    epochs: int = 30
    batch_size: int = 16
    lr: float = 2e-3
    weight_decay: float = 1e-4
    lam: float = LAMBDA
    iou: float = 0.0  # weight of a soft-IoU term beside the mask BCE (0: the paper's Eq. 3)
    fmeasure: float = 0.0  # weight of a soft F-measure (β² = 0.3) term beside the mask BCE
    boundary: float = 0.0  # F3Net's structure weighting of the mask's BCE and IoU (0: off)
    hard_photos: float = 0.0  # the mask term of each photo weighed by itself to this power (0: off)
    decoder_dropout: float = 0.0  # dropout on the decoder's first refined map (mask variants)
    clarity_subject: float = 0.0  # share of the clarity pool over the mask's subject (cover-*)
    object_head: bool = False  # COCO masks teach an auxiliary objectness map, not the mask
    face_hints: float = 0.0  # weight of the face-hint term; > 0 adds the faces/ people photos
    torso_hints: bool = False  # the hints also cover the chest under each prominent face
    background_hints: float = 0.0  # weight of "not subject" beyond the people photos' persons
    object_hints: bool = False  # COCO instance masks give hints (subject there), not masks
    face_head: float = 0.0  # weight of a face-map head's term; > 0 adds the head and those photos
    face_negatives: bool = False  # the photos listed as showing no face teach the face map too
    seed: int = 0
    device: str = "cpu"
    strategy: str = "end-to-end"
    composite_prob: float = 0.5
    use_objects: bool = True
    objects_min_share: float = 0.0  # COCO masks covering less of their photo teach no mask
    mask_clean: float = 0.0  # chance a sample with a mask is left undamaged (label 10)
    focus: float = 0.0  # chance a subject-masked sample has its background or subject blurred
    zoom: float = 1.0  # largest enlargement of mask-teaching samples (1: never enlarged)
    rotate: float = 0.0  # largest turn of an enlarged sample, in degrees
    mask_repeat: int = 1  # labelled photos come this many times an epoch
    crop: int = CROP  # short side of the training samples; photos with a shorter side are skipped
    keep_aspect: bool = False  # samples keep their photo's shape (3:2 or square), not squeezed
    pseudo: str | None = None  # folder of pseudo-label masks (see pseudo_labels.py)
    consistency: float = 0.0  # weight of the CutMix mean-teacher term (consistency.py); needs ema
    consistency_jitter: bool = False  # the term's student also sees its photos colour-jittered
    consistency_hard: bool = False  # the term learns the teacher's sure pixels as 0/1 by BCE
    consistency_confident: float = CONFIDENT  # how sure a teacher's pixel must be, with hard
    consistency_labelled: bool = False  # photos with a mask take part, with that mask
    consistency_unhinted: bool = False  # the people photos with hints take no part
    ema: float = 0.0  # decay of an exponential moving average of the weights (0: none)
    val_every: int = 2
    val_photos: int = 24
    workers: int = 1
    limit: int | None = None  # train on N photos spread evenly over the sources (tests, ablations)
    data: str = ""
    out: str = "runs/cover-small"
    resume: str | None = None
    init: str | None = (
        None  # start from this checkpoint's weights, with a fresh schedule (fine-tuning)
    )
    stop_after: int | None = None  # end this invocation after N epochs (resume later with --resume)
    max_minutes: float | None = None  # end after the epoch these minutes run out in (a GPU budget);
    # the learning rate then follows the clock (clock_cycle), not the epochs
    command: list[str] = field(default_factory=lambda: list(sys.argv))


def spread_subset(sources: list, limit: int | None) -> list:
    """`limit` sources taken at an even stride, so every folder stays represented."""
    if limit is None or limit >= len(sources):
        return sources
    return [sources[i * len(sources) // limit] for i in range(limit)]


def load_initial_weights(model: torch.nn.Module, state_dict: dict[str, torch.Tensor]) -> None:
    """`state_dict` into `model`; an output layer with more rows than the file's (a decoder that
    gained a map) starts each extra row as a copy of the file's last (the objectness map starts as
    the mask), except the rows the model starts fresh (`CoverNet.fresh_rows`: the face map), which
    keep the model's own start."""
    own = model.state_dict()
    fresh = set(getattr(model, "fresh_rows", ()))
    grown = {}
    for name, tensor in state_dict.items():
        if name in own and own[name].shape != tensor.shape and own[name].shape[1:] == tensor.shape[1:]:
            grown[name] = torch.stack([
                own[name][row] if row in fresh else tensor[min(row, len(tensor) - 1)]
                for row in range(len(own[name]))
            ])
    model.load_state_dict({**state_dict, **grown})


def stages(config: TrainConfig, heads: tuple[str, ...]) -> list[tuple[tuple[str, ...], int]]:
    """(tasks, epochs) per stage. Multi-stage spends half the epochs on the mask, half on clarity;
    `clarity-branch` spends them all on the clarity branch of an `--init` network, the rest frozen."""
    if config.strategy not in STRATEGIES:
        raise ValueError(
            f"unknown strategy {config.strategy!r}; choose one of {', '.join(STRATEGIES)}"
        )
    if config.strategy == "clarity-branch":
        if not config.init or not {"clarity", "mask_logits"} <= set(heads):
            raise ValueError(
                "--strategy clarity-branch fine-tunes the clarity branch of a trained two-head "
                "network: give --init and a variant with both heads"
            )
        return [(("clarity",), config.epochs)]
    if config.strategy == "end-to-end" or len(heads) < 2:
        return [(heads, config.epochs)]
    first = max(1, config.epochs // 2)
    return [(("mask_logits",), first), (("clarity",), config.epochs - first)]


def train(config: TrainConfig, *, data_root: Path) -> dict[str, float]:
    """Train per `config`; writes `<out>/last.pt` (resumable), `<out>/best.pt` (float16, for
    serving), `<out>/log.jsonl`. Returns the best validation metrics."""
    if config.torso_hints and not config.face_hints:
        raise ValueError("--torso-hints extend the face hints: add --face-hints")
    if config.background_hints and not config.face_hints:
        raise ValueError("--background-hints come with the face hints' photos: add --face-hints")
    if config.object_hints and not config.face_hints:
        raise ValueError("--object-hints share the face hints' term and weight: add --face-hints")
    if config.face_negatives and not config.face_head:
        raise ValueError("--face-negatives teach the face map: add --face-head")
    if config.consistency and not config.ema:
        raise ValueError("--consistency learns from a mean teacher: add --ema (e.g. 0.998)")
    if (config.consistency_jitter or config.consistency_hard or config.consistency_labelled
            or config.consistency_unhinted) and not config.consistency:
        raise ValueError("--consistency-jitter, --consistency-hard, --consistency-labelled and "
                         "--consistency-unhinted change the consistency term: add --consistency")
    if config.consistency_confident != CONFIDENT and not config.consistency_hard:
        raise ValueError("--consistency-confident says which teacher pixels are sure: "
                         "add --consistency-hard")
    if not 0.5 <= config.consistency_confident <= 1.0:
        raise ValueError("--consistency-confident is a probability from 0.5 (every pixel) to 1 "
                         f"(none but the certain), not {config.consistency_confident}")
    if config.hard_photos < 0:
        raise ValueError("--hard-photos is a power of each photo's own mask term: 0 (off) or "
                         f"more, not {config.hard_photos}")
    torch.manual_seed(config.seed)
    options: dict[str, object] = (
        {"decoder_dropout": config.decoder_dropout} if config.decoder_dropout else {}
    )
    if config.clarity_subject:
        options["clarity_subject"] = config.clarity_subject
    if config.object_head:
        options["object_head"] = True
    if config.face_head:
        options["face_head"] = True
    model = create_model(config.variant, **options).to(config.device)
    plan = stages(config, model.spec.heads)
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    sources = discover(data_root, "train")
    if config.face_hints or config.face_head:
        sources += face_sources(data_root, "train")
    if config.face_negatives:
        sources = with_face_negatives(sources, data_root)
    if config.pseudo:
        sources = with_pseudo_masks(sources, Path(config.pseudo))
    sources = spread_subset(sources, config.limit)
    dataset = TrainingSet(
        load_photos(sources, min_side=config.crop),
        seed=config.seed,
        composite_prob=config.composite_prob,
        use_objects=config.use_objects,
        mask_repeat=config.mask_repeat,
        crop=config.crop,
        keep_aspect=config.keep_aspect,
        objects_min_share=config.objects_min_share,
        mask_clean=config.mask_clean,
        focus=config.focus,
        zoom=config.zoom,
        rotate=config.rotate,
        object_task=config.object_head,
        face_hints=config.face_hints > 0,
        torso_hints=config.torso_hints,
        background_hints=config.background_hints > 0,
        object_hints=config.object_hints,
        face_task=config.face_head > 0,
    )
    batches = ShapeBatches(dataset.shapes(), config.batch_size, seed=config.seed)
    if len(batches) == 0:
        raise ValueError(
            f"{len(dataset)} training samples in {data_root} make no full batch of "
            f"{config.batch_size} samples of one shape: add photos or lower --batch-size"
        )
    val_data = load_validation(data_root, photo_limit=config.val_photos, levels=(1, 3, 5, 7, 9, 10))
    state = {"stage": 0, "epoch": 0, "best": -math.inf, "best_metrics": {}}
    if config.init:
        load_initial_weights(model, read_checkpoint(config.init)["state_dict"])
    resume = read_checkpoint(config.resume) if config.resume else None
    if resume:
        model.load_state_dict(resume["training_state"].get("raw_state_dict", resume["state_dict"]))
        state = resume["training_state"]["progress"]
    averaged = _averaged(model, config.ema)
    if resume and averaged is not None:
        averaged.load_state_dict(resume["training_state"]["ema"])
    served = averaged.module if averaged is not None else model
    metadata = {
        "config": asdict(config),
        "manifest": manifest_hash(sources),
        "train_photos": len(dataset),
    }
    remaining = config.stop_after if config.stop_after is not None else math.inf
    deadline = time.monotonic() + (config.max_minutes * 60 if config.max_minutes else math.inf)
    ran = 0  # epochs of this invocation
    with (out / "log.jsonl").open("a") as log:
        for stage_index in range(state["stage"], len(plan)):
            optimizer, schedule = _optimiser(model, config, plan, stage_index, len(batches))
            if resume and stage_index == state["stage"] and state["epoch"] > 0:
                optimizer.load_state_dict(resume["training_state"]["optimizer"])
                if not config.max_minutes:  # a clock-driven cycle starts anew over its minutes
                    schedule.load_state_dict(resume["training_state"]["schedule"])
            tasks, epochs = plan[stage_index]
            for epoch in range(state["epoch"], epochs):
                if remaining <= 0 or (ran and time.monotonic() > deadline):
                    return state["best_metrics"]
                remaining -= 1
                ran += 1
                record = _train_epoch(
                    model, dataset, batches, optimizer, schedule, config, tasks, epoch, stage_index,
                    averaged,
                )
                if (epoch + 1) % config.val_every == 0 or epoch == epochs - 1:
                    record["val"] = _validate(served, val_data, config.device)
                    if headline(record["val"]) > state["best"]:
                        state.update(best=headline(record["val"]), best_metrics=record["val"])
                        save_checkpoint(
                            out / "best.pt", served, half=True, metadata=_metadata(metadata, record)
                        )
                finished = epoch + 1 == epochs
                state.update(stage=stage_index + finished, epoch=0 if finished else epoch + 1)
                training_state = {
                    "progress": dict(state),
                    "optimizer": optimizer.state_dict(),
                    "schedule": schedule.state_dict(),
                }
                if averaged is not None:  # last.pt serves the average; training goes on from these
                    training_state.update(
                        raw_state_dict=model.state_dict(), ema=averaged.state_dict()
                    )
                save_checkpoint(
                    out / "last.pt",
                    served,
                    metadata=_metadata(metadata, record),
                    training_state=training_state,
                )
                log.write(json.dumps(record) + "\n")
                log.flush()
                tqdm.write(_summary(record))
    return state["best_metrics"]


def _averaged(model: torch.nn.Module, decay: float) -> AveragedModel | None:
    """An exponential moving average of `model`'s weights and BatchNorm statistics, or None."""
    if not decay:
        return None
    if not 0.0 < decay < 1.0:
        raise ValueError(f"--ema must lie between 0 and 1, not {decay}")
    return AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay), use_buffers=True)


def _optimiser(model, config: TrainConfig, plan, stage_index: int, batches: int):
    """AdamW over the stage's trainable parameters with a one-cycle schedule over the stage."""
    tasks, epochs = plan[stage_index]
    _freeze_for(model, tasks)
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad],
        lr=config.lr,
        weight_decay=config.weight_decay,
    )
    if config.max_minutes:
        return optimizer, torch.optim.lr_scheduler.LambdaLR(
            optimizer, clock_cycle(config.max_minutes * 60)
        )
    # OneCycleLR needs at least two warm-up steps and some steps after them.
    steps = max(epochs * batches, 4)
    warmup = max(min(0.1, 2 / max(epochs, 1)) * steps, 2)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=config.lr, total_steps=steps, pct_start=warmup / steps
    )
    return optimizer, schedule


def clock_cycle(seconds: float, clock=time.monotonic):
    """The one-cycle learning-rate factor over a wall-clock budget rather than a step count (a run
    ended by `--max-minutes` cannot know how many epochs fit): from 1/25 up to 1 over the first 5%
    of `seconds`, then a cosine down to about zero when they run out, where it stays. The clock
    starts at the first call (LambdaLR makes it when built)."""
    start: float | None = None

    def factor(_step: int) -> float:
        nonlocal start
        now = clock()
        start = now if start is None else start
        done = min((now - start) / seconds, 1.0)
        if done < CLOCK_WARMUP:
            return CLOCK_FLOOR + (1 - CLOCK_FLOOR) * done / CLOCK_WARMUP
        cooled = (done - CLOCK_WARMUP) / (1 - CLOCK_WARMUP)
        return CLOCK_FLOOR / 1e4 + (1 - CLOCK_FLOOR / 1e4) * (1 + math.cos(math.pi * cooled)) / 2

    return factor


def _freeze_for(model: torch.nn.Module, tasks: tuple[str, ...]) -> None:
    """When a two-head network learns clarity alone (multi-stage's second stage, the
    `clarity-branch` strategy) only the clarity branch learns."""
    frozen = _clarity_branch_only(model, tasks)
    for name, parameter in model.named_parameters():
        parameter.requires_grad = not frozen or name.startswith("clarity_head.")


def _clarity_branch_only(model: torch.nn.Module, tasks: tuple[str, ...]) -> bool:
    return tasks == ("clarity",) and "mask_logits" in model.spec.heads


def _train_epoch(
    model,
    dataset,
    batches,
    optimizer,
    schedule,
    config: TrainConfig,
    tasks,
    epoch: int,
    stage: int,
    averaged: AveragedModel | None = None,
) -> dict:
    dataset.set_epoch(epoch + 1000 * stage)
    batches.set_epoch(epoch + 1000 * stage)
    loader = DataLoader(dataset, batch_sampler=batches, num_workers=config.workers)
    model.train()
    if _clarity_branch_only(model, tasks):  # frozen layers keep their BatchNorm statistics
        for name, module in model.named_modules():
            if name and not name.startswith("clarity_head"):
                module.eval()
    sums: dict[str, float] = {}
    started = time.perf_counter()
    bar = tqdm(loader, desc=f"stage {stage} epoch {epoch + 1}", leave=False, dynamic_ncols=True)
    for batch in bar:
        batch = {k: v.to(config.device) for k, v in batch.items()}
        loss, parts = cover_loss(
            model(batch["image"]),
            batch,
            lam=config.lam,
            tasks=tasks,
            iou=config.iou,
            fmeasure=config.fmeasure,
            boundary=config.boundary,
            hard=config.hard_photos,
            hint=config.face_hints,
            background=config.background_hints,
            face=config.face_head,
        )
        if config.consistency and "mask_logits" in tasks:
            term = consistency_loss(model, averaged.module, batch, config.consistency_jitter,
                                    config.consistency_hard, config.consistency_confident,
                                    config.consistency_labelled,
                                    hinted=not config.consistency_unhinted)
            if term is not None:
                loss = loss + config.consistency * term
                parts["consistency"] = term.item()
                parts["loss"] = loss.item()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
        if averaged is not None:
            averaged.update_parameters(model)
        for key, value in parts.items():
            sums[key] = sums.get(key, 0.0) + value
        bar.set_postfix(loss=f"{parts['loss']:.4f}")
    batches = max(len(loader), 1)
    return {
        "stage": stage,
        "tasks": list(tasks),
        "epoch": epoch + 1,
        "seconds": round(time.perf_counter() - started, 1),
        "lr": schedule.get_last_lr()[0],
        **{k: v / batches for k, v in sums.items()},
    }


def _validate(model, data: ValidationData, device: str) -> dict[str, float]:
    predictor = NetworkPredictor(model, metadata={}, device=device, refine=False)
    heads = model.spec.heads
    metrics = validate(
        predictor.predict_arrays, data, clarity="clarity" in heads, masks="mask_logits" in heads
    )
    model.train()
    return metrics


def _metadata(base: dict, record: dict) -> dict:
    return {
        **base,
        "epoch": record["epoch"],
        "stage": record["stage"],
        "metrics": record.get("val", {}),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def _summary(record: dict) -> str:
    line = f"stage {record['stage']} epoch {record['epoch']}: loss {record['loss']:.4f} ({record['seconds']} s)"
    val = record.get("val", {})
    keys = ("sod/maxF", "sod/mae", "fg/maxF", "clarity/srocc/mean", "clarity/srocc/pooled")
    return line + "".join(f" {k} {val[k]:.3f}" for k in keys if k in val)
