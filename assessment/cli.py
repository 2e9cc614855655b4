"""The command line: `train`, `evaluate`, `predict` (the contract other tools rely on),
`calibrate`, `export`, `pseudo-label`."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import fields
from pathlib import Path

import torch

from assessment.sources import data_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assessment", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    _add_train(commands.add_parser("train", help="train a variant on a data folder"))
    _add_evaluate(
        commands.add_parser("evaluate", help="network vs classical baselines on the val data")
    )
    _add_predict(
        commands.add_parser("predict", help="assess a folder of images: masks, clarity, crops")
    )
    _add_calibrate(
        commands.add_parser(
            "calibrate", help="fit how much the served map is sharpened, on the training masks"
        )
    )
    _add_export(commands.add_parser("export", help="re-save a run's checkpoint for serving"))
    _add_pseudo_label(
        commands.add_parser(
            "pseudo-label", help="a network's confident masks for photos without one (train --pseudo)"
        )
    )
    args = parser.parse_args(argv)
    return args.handler(args)


def _checkpoint_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--checkpoint",
        default=os.environ.get("COVERAPP_CHECKPOINT"),
        help=f"{what} (default: $COVERAPP_CHECKPOINT, else the committed small model)",
    )


def _data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", default=None, help="data folder (default: $COVERAPP_DATA or ../shared/data)"
    )


def _add_train(parser: argparse.ArgumentParser) -> None:
    from assessment.registry import list_models
    from assessment.train import STRATEGIES, TrainConfig

    defaults = TrainConfig()
    parser.add_argument("--variant", default=defaults.variant, choices=list_models())
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parser.add_argument("--lr", type=float, default=defaults.lr)
    parser.add_argument(
        "--weight-decay",
        type=float,
        default=defaults.weight_decay,
        help=f"AdamW's decoupled weight decay (default {defaults.weight_decay})",
    )
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--device", default=defaults.device, help="cpu or cuda")
    parser.add_argument(
        "--strategy",
        default=defaults.strategy,
        choices=STRATEGIES,
        help="end-to-end (the paper's), multi-stage (mask, then clarity), or clarity-branch: "
        "fine-tune the clarity branch of an --init network alone, its masks kept to the bit",
    )
    parser.add_argument(
        "--composite-prob",
        type=float,
        default=defaults.composite_prob,
        help="chance an unlabelled photo gets a pasted object (0 disables compositing)",
    )
    parser.add_argument(
        "--no-objects",
        dest="use_objects",
        action="store_false",
        help="ignore the COCO instance masks of objects/ (their photos still teach clarity)",
    )
    parser.add_argument(
        "--objects-min-share",
        type=float,
        default=defaults.objects_min_share,
        help="only COCO instance masks covering at least this share of their photo teach the "
        "mask, the dominant objects most likely to be the subject (default 0: all)",
    )
    parser.add_argument(
        "--mask-clean",
        type=float,
        default=defaults.mask_clean,
        help="chance a sample with a mask is left undamaged (clarity label 10), so the mask is "
        "learnt more on photos as they are served (default 0: damage drawn as for any photo)",
    )
    parser.add_argument(
        "--focus",
        type=float,
        default=defaults.focus,
        help="chance a sample with a human subject mask has its background alone blurred (a "
        "shallow depth of field: label unchanged) or its subject alone (focus missed: label at "
        "most the blur's level); see degrade.py (default 0: never)",
    )
    parser.add_argument(
        "--zoom",
        type=float,
        default=defaults.zoom,
        help="half the samples that teach the mask come from windows down to 1/ZOOM of the "
        "sample's size, enlarged; they teach no clarity (default 1: never enlarged)",
    )
    parser.add_argument(
        "--rotate",
        type=float,
        default=defaults.rotate,
        help="turn each sample --zoom enlarged by up to ±ROTATE degrees about its centre "
        "(default 0)",
    )
    parser.add_argument(
        "--mask-repeat",
        type=int,
        default=defaults.mask_repeat,
        help="labelled photos come this many times an epoch, each drawn anew (default 1)",
    )
    parser.add_argument(
        "--lam",
        type=float,
        default=defaults.lam,
        help=f"weight of the mask loss, Eq. 3's lambda (default {defaults.lam}, the paper's)",
    )
    parser.add_argument(
        "--iou",
        type=float,
        default=defaults.iou,
        help="weight of a soft-IoU term beside the mask BCE (default 0: the paper's Eq. 3)",
    )
    parser.add_argument(
        "--fmeasure",
        type=float,
        default=defaults.fmeasure,
        help="weight of a soft F-measure term (beta^2 = 0.3, as benchmarks weigh precision) "
        "beside the mask BCE (default 0)",
    )
    parser.add_argument(
        "--boundary",
        type=float,
        default=defaults.boundary,
        help="weigh the mask's BCE and IoU pixels by 1 + W x |31x31 local mean - mask| "
        "(F3Net's structure loss uses 5; default 0: off)",
    )
    parser.add_argument(
        "--hard-photos",
        type=float,
        default=defaults.hard_photos,
        help="weigh each photo's mask term by the term itself to this power, over the batch's "
        "mean: the photos the network gets most wrong count most (default 0: off)",
    )
    parser.add_argument(
        "--decoder-dropout",
        type=float,
        default=defaults.decoder_dropout,
        help="while training, drop this share of the decoder's first refined features "
        "(DeepLabv3+'s reference code drops 0.5; default 0)",
    )
    parser.add_argument(
        "--clarity-subject",
        type=float,
        default=defaults.clarity_subject,
        metavar="SHARE",
        help="pool this share of the clarity branch over the network's own subject map "
        "(default 0: the whole frame; the committed network serves 0.75, README 'Clarity of the "
        "subject')",
    )
    parser.add_argument(
        "--object-head",
        action="store_true",
        help="the COCO instance masks of objects/ teach an auxiliary objectness map from the same "
        "decoder instead of the foreground mask (an object is not always the subject)",
    )
    parser.add_argument(
        "--face-hints",
        type=float,
        default=defaults.face_hints,
        metavar="W",
        help="add the faces/ people photos (not the held-out sixth): inside each prominent human "
        "face box the mask learns 'subject', with this weight (default 0: not used)",
    )
    parser.add_argument(
        "--torso-hints",
        action="store_true",
        help="with --face-hints, the hint also covers an ellipse on the chest under each "
        "prominent face (assessment.faces.torso_cores)",
    )
    parser.add_argument(
        "--background-hints",
        type=float,
        default=defaults.background_hints,
        metavar="W",
        help="with --face-hints, the people photos' pixels beyond every boxed face's person "
        "(assessment.faces.person_reach) teach 'not subject' with this weight (default 0: off)",
    )
    parser.add_argument(
        "--object-hints",
        action="store_true",
        help="with --face-hints, each COCO instance mask of objects/ is a hint (its pixels are "
        "subject, the rest unknown) instead of a mask",
    )
    parser.add_argument(
        "--face-head",
        type=float,
        default=defaults.face_head,
        metavar="W",
        help="the decoder also learns a face map from the same people photos (the core of every "
        "face a person boxed), its term weighted W against the mask's (default 0: no face map)",
    )
    parser.add_argument(
        "--face-negatives",
        action="store_true",
        help="with --face-head, the training photos listed in assessment/labels/no_faces.txt "
        "(a person found no face in them) teach the face map 'no face' everywhere",
    )
    parser.add_argument(
        "--crop",
        type=int,
        default=defaults.crop,
        help=f"short side of the training samples in px (default {defaults.crop}); "
        "photos with a shorter side are skipped",
    )
    parser.add_argument(
        "--keep-aspect",
        action="store_true",
        help="samples keep their photo's shape (3:2 or square, as served) instead of being "
        "squeezed to a square",
    )
    parser.add_argument(
        "--pseudo",
        default=None,
        help="folder of pseudo-label masks written by `pseudo-label`: photos without a "
        "salient-object mask learn from them at half weight",
    )
    parser.add_argument(
        "--ema",
        type=float,
        default=defaults.ema,
        help="keep an exponential moving average of the weights with this decay (e.g. 0.998) "
        "and validate and save it instead of the raw weights (default 0: none)",
    )
    parser.add_argument(
        "--consistency",
        type=float,
        default=defaults.consistency,
        help="weight of the CutMix mean-teacher term: photos without a mask teach the mask "
        "through the --ema teacher (default 0: off; README, \"Phase 21\")",
    )
    parser.add_argument(
        "--consistency-jitter",
        action="store_true",
        help="the consistency term's student also sees its pasted photos with contrast and "
        "colour jittered (README, \"Phase 23\")",
    )
    parser.add_argument(
        "--consistency-hard",
        action="store_true",
        help="the consistency term learns the teacher's sure pixels as 0/1 by binary "
        "cross-entropy instead of its probabilities by squared error (README, \"Phase 23\")",
    )
    parser.add_argument(
        "--consistency-confident",
        type=float,
        default=defaults.consistency_confident,
        help="with --consistency-hard, a teacher's pixel teaches when its probability is at "
        f"least this far towards 0 or 1 (default {defaults.consistency_confident}; "
        "README, \"Phase 24\")",
    )
    parser.add_argument(
        "--consistency-unhinted",
        action="store_true",
        help="the people photos of --face-hints take no part in the consistency term: their "
        "hints, and --background-hints, teach them instead of the teacher's map",
    )
    parser.add_argument(
        "--consistency-labelled",
        action="store_true",
        help="the photos with a mask take part in the consistency term too, that mask "
        "being their pasted target (README, \"Phase 24\")",
    )
    parser.add_argument("--val-every", type=int, default=defaults.val_every)
    parser.add_argument("--val-photos", type=int, default=defaults.val_photos)
    parser.add_argument("--workers", type=int, default=defaults.workers)
    parser.add_argument(
        "--threads", type=int, default=None, help="CPU threads for torch (default: all cores)"
    )
    parser.add_argument(
        "--limit", type=int, default=None, help="train on N photos spread evenly over the folders"
    )
    _data_option(parser)
    parser.add_argument("--out", default=None, help="run folder (default: runs/<variant>)")
    parser.add_argument("--resume", default=None, help="a run's last.pt to continue from")
    parser.add_argument(
        "--init", default=None, help="start from this checkpoint's weights with a fresh schedule"
    )
    parser.add_argument(
        "--stop-after",
        type=int,
        default=None,
        help="end after N epochs of this invocation (continue later with --resume)",
    )
    parser.add_argument(
        "--max-minutes",
        type=float,
        default=defaults.max_minutes,
        help="end after the epoch in which this many minutes run out; the learning rate makes one "
        "cycle over these minutes rather than over --epochs",
    )
    parser.set_defaults(handler=_train)


def _train(args: argparse.Namespace) -> int:
    from assessment.train import TrainConfig, train

    if args.threads:
        torch.set_num_threads(args.threads)
    root = data_dir(args.data)
    given = {f.name: getattr(args, f.name) for f in fields(TrainConfig) if hasattr(args, f.name)}
    given["data"], given["out"] = str(root), args.out or f"runs/{args.variant}"
    given["command"] = ["python", "-m", "assessment", *sys.argv[1:]]  # not the subcommand's name
    config = TrainConfig(**given)
    best = train(config, data_root=root)
    print({k: round(v, 4) for k, v in best.items()})
    return 0


def _add_predict(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image_dir", type=Path, help="folder of images (JPEG, PNG, WebP, …)")
    parser.add_argument(
        "--out", type=Path, required=True, help="folder for X.png masks and X.json results"
    )
    parser.add_argument(
        "--ratios",
        default="16:9,4:3,1:1,free",
        help="comma-separated W:H slot ratios, plus 'free' for the best crop of any shape",
    )
    _checkpoint_option(parser, "checkpoint file")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument(
        "--classical", action="store_true", help="use the classical baseline assessor"
    )
    parser.add_argument(
        "--no-mirror",
        dest="mirror",
        action="store_false",
        help="one pass per image: masks not averaged with the mirror image's, twice as fast",
    )
    parser.add_argument(
        "--no-refine",
        dest="refine",
        action="store_false",
        help="the network's masks as they are, not completed by GrabCut (faster)",
    )
    parser.set_defaults(handler=_predict)


def _predict(args: argparse.Namespace) -> int:
    from assessment.batch_predict import predict_folder
    from assessment.predictor import load_predictor

    ratios = [r.strip() for r in args.ratios.split(",") if r.strip()]
    try:
        predictor = load_predictor(
            args.checkpoint,
            device=args.device,
            kind="classical" if args.classical else "network",
            mirror=args.mirror,
            refine=args.refine,
        )
        processed, skipped = predict_folder(
            args.image_dir, args.out, predictor=predictor, ratios=ratios
        )
    except (ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{processed} image(s) assessed into {args.out}, {skipped} skipped", file=sys.stderr)
    return 0 if processed else 1


def _add_evaluate(parser: argparse.ArgumentParser) -> None:
    _checkpoint_option(parser, "checkpoint file")
    _data_option(parser)
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument(
        "--photos", type=int, default=None, help="use only the first N val photos for clarity"
    )
    parser.add_argument(
        "--json", type=Path, default=None, help="also write the metrics as JSON here"
    )
    parser.set_defaults(handler=_evaluate)


def _evaluate(args: argparse.Namespace) -> int:
    import json

    from assessment.evaluate import classical_arrays, evaluate_all, format_table
    from assessment.predictor import NetworkPredictor, load_predictor
    from assessment.validation import load_validation

    network = load_predictor(args.checkpoint, device=args.device, refine=False)
    served = NetworkPredictor(network.model, metadata=network.metadata, device=args.device)
    data = load_validation(data_dir(args.data), photo_limit=args.photos)
    print(
        f"{len(data.clarity_photos)} val photos x {len(data.cases) // max(len(data.clarity_photos), 1)} "
        f"degradations; mask sets: "
        + ", ".join(f"{k} ({len(v)})" for k, v in data.mask_sets.items()),
        file=sys.stderr,
    )
    refined = f"network + GrabCut ({network.name}, as served; masks only)"
    results = evaluate_all(
        {
            f"network ({network.name})": network.predict_arrays,
            refined: served.predict_arrays,
            "classical (Laplacian / spectral residual)": classical_arrays,
        },
        data,
        masks_only=[refined],
    )
    print(format_table(results, list(data.mask_sets)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


def _add_calibrate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("checkpoint", type=Path, help="a run's best.pt (or a served checkpoint)")
    parser.add_argument(
        "--out", type=Path, default=None, help="write the calibrated file here (default: in place)"
    )
    _data_option(parser)
    parser.add_argument(
        "--sets",
        nargs="+",
        default=["sod/train", "fg/train"],
        help="kind/split mask sets to fit on (default: sod/train fg/train; never val)",
    )
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.set_defaults(handler=_calibrate)


def _calibrate(args: argparse.Namespace) -> int:
    from assessment.calibration import fit_sharpness
    from assessment.checkpoint import load_model, update_metadata
    from assessment.data import load_photos
    from assessment.faces import detect_faces
    from assessment.predictor import NetworkPredictor
    from assessment.sources import shared_sources

    if any(name.endswith("/val") for name in args.sets):
        print("error: calibrate fits on training masks; val is for measuring", file=sys.stderr)
        return 2
    model, metadata = load_model(args.checkpoint)
    unsharpened = {key: value for key, value in metadata.items() if key != "sharpness"}
    served = NetworkPredictor(model, metadata=unsharpened, device=args.device)
    maps, truths = [], []
    for name in args.sets:
        kind, split = name.split("/")
        photos = load_photos(shared_sources(data_dir(args.data), split, kinds=(kind,)), min_side=0)
        images = [photo.image for photo in photos]
        maps += served.predict_arrays(images, [detect_faces(image) for image in images])[1]
        truths += [photo.mask for photo in photos]
    if not maps:
        print(f"error: no human masks in {', '.join(args.sets)}", file=sys.stderr)
        return 2
    sharpness, reports = fit_sharpness(maps, truths)
    print("| sharpness | max F | MAE | S-measure |\n|---:|---:|---:|---:|")
    for value, report in reports.items():
        print(
            f"| {value:g}{' (chosen)' if value == sharpness else ''} | {report['maxF']:.4f} "
            f"| {report['mae']:.4f} | {report['smeasure']:.4f} |"
        )
    calibration = {
        "sets": args.sets,
        "photos": len(maps),
        "reports": {str(value): report for value, report in reports.items()},
    }
    out = update_metadata(
        args.checkpoint,
        args.out or args.checkpoint,
        {"sharpness": sharpness, "calibration": calibration},
    )
    print(f"{out}: sharpness {sharpness:g}, fitted on {len(maps)} photos of {', '.join(args.sets)}")
    return 0


def _add_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("checkpoint", type=Path, help="a run's best.pt")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--metrics", type=Path, default=None, help="JSON written by evaluate --json"
    )
    parser.add_argument("--version", required=True, help="e.g. the date, shown by the app")
    parser.add_argument(
        "--clarity-subject", type=float, default=None, metavar="SHARE",
        help="pool this share of the clarity branch over the network's own subject map (0: the "
             "whole frame; README 'Clarity of the subject')",
    )
    parser.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    import json

    from assessment.checkpoint import export_checkpoint

    metrics = json.loads(args.metrics.read_text()) if args.metrics else None
    options = None if args.clarity_subject is None else {"clarity_subject": args.clarity_subject}
    try:
        path = export_checkpoint(args.checkpoint, args.out, metrics=metrics, version=args.version,
                                 options=options)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{path}: {path.stat().st_size / 1e6:.1f} MB")
    return 0


def _add_pseudo_label(parser: argparse.ArgumentParser) -> None:
    from assessment.pseudo_labels import AREA, MIN_CONFIDENCE

    parser.add_argument("--out", type=Path, required=True, help="folder for the masks")
    _checkpoint_option(parser, "the teacher checkpoint")
    _data_option(parser)
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument(
        "--min-confidence",
        type=float,
        default=MIN_CONFIDENCE,
        help=f"keep masks whose mean |2p-1| is at least this (default {MIN_CONFIDENCE})",
    )
    parser.add_argument(
        "--area",
        type=float,
        nargs=2,
        default=AREA,
        metavar=("MIN", "MAX"),
        help=f"keep masks whose foreground share lies strictly between these (default {AREA})",
    )
    parser.add_argument(
        "--served",
        action="store_true",
        help="write the served map (GrabCut-completed, sharpened) of each photo kept; the network's "
        "own map still decides which are kept",
    )
    parser.set_defaults(handler=_pseudo_label)


def _pseudo_label(args: argparse.Namespace) -> int:
    from assessment.checkpoint import DEFAULT_CHECKPOINT
    from assessment.predictor import load_predictor
    from assessment.pseudo_labels import write_pseudo_labels
    from assessment.sources import discover, lacks_saliency_mask

    sources = [s for s in discover(data_dir(args.data), "train") if lacks_saliency_mask(s)]
    # The network's own maps: the confidence filter was set on them, and GrabCut's 0/1 cut would
    # make every map look confident.
    predictor = load_predictor(args.checkpoint, device=args.device, refine=False)
    served = load_predictor(args.checkpoint, device=args.device) if args.served else None
    entries = write_pseudo_labels(
        sources,
        args.out,
        foreground=predictor.predict_arrays,
        checkpoint=str(args.checkpoint or DEFAULT_CHECKPOINT),
        served=None if served is None else served.predict_arrays,
        min_confidence=args.min_confidence,
        area=tuple(args.area),
    )
    kept = sum(e["kept"] for e in entries.values())
    print(f"{kept} of {len(entries)} photos got a pseudo-label in {args.out}")
    return 0
