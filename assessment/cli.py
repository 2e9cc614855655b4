"""The command line: `train`, `evaluate`, `predict` (the contract other tools rely on)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import torch

from assessment.sources import data_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assessment", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    _add_train(commands.add_parser("train", help="train a variant on a data folder"))
    args = parser.parse_args(argv)
    return args.handler(args)


def _add_train(parser: argparse.ArgumentParser) -> None:
    from assessment.registry import list_models
    from assessment.train import STRATEGIES, TrainConfig

    defaults = TrainConfig()
    parser.add_argument("--variant", default=defaults.variant, choices=list_models())
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parser.add_argument("--lr", type=float, default=defaults.lr)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--device", default=defaults.device, help="cpu or cuda")
    parser.add_argument("--strategy", default=defaults.strategy, choices=STRATEGIES)
    parser.add_argument("--composite-prob", type=float, default=defaults.composite_prob,
                        help="chance an unlabelled photo gets a pasted object (0 disables compositing)")
    parser.add_argument("--no-objects", dest="use_objects", action="store_false",
                        help="ignore the COCO instance masks of objects/ (their photos still teach clarity)")
    parser.add_argument("--val-every", type=int, default=defaults.val_every)
    parser.add_argument("--val-photos", type=int, default=defaults.val_photos)
    parser.add_argument("--workers", type=int, default=defaults.workers)
    parser.add_argument("--threads", type=int, default=None, help="CPU threads for torch (default: all cores)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N training photos")
    parser.add_argument("--data", default=None, help="data folder (default: $COVERAPP_DATA or ../shared/data)")
    parser.add_argument("--out", default=None, help="run folder (default: runs/<variant>)")
    parser.add_argument("--resume", default=None, help="a run's last.pt to continue from")
    parser.set_defaults(handler=_train)


def _train(args: argparse.Namespace) -> int:
    from assessment.train import TrainConfig, train

    if args.threads:
        torch.set_num_threads(args.threads)
    root = data_dir(args.data)
    config = TrainConfig(
        variant=args.variant, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
        device=args.device, strategy=args.strategy, composite_prob=args.composite_prob,
        use_objects=args.use_objects, val_every=args.val_every, val_photos=args.val_photos,
        workers=args.workers, limit=args.limit, data=str(root), out=args.out or f"runs/{args.variant}",
        resume=args.resume, command=["python", "-m", "assessment", *sys.argv[1:]],
    )
    best = train(config, data_root=root)
    print({k: round(v, 4) for k, v in best.items()})
    return 0
