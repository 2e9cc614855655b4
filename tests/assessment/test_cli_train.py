import assessment.train
from assessment.cli import main


def test_train_flags_reach_the_config(monkeypatch, data_root):
    seen = {}
    monkeypatch.setattr(
        assessment.train, "train", lambda config, data_root: seen.update(config=config) or {}
    )
    argv = [
        "train",
        "--variant",
        "mask-small",
        "--epochs",
        "3",
        "--no-objects",
        "--composite-prob",
        "0",
        "--strategy",
        "multi-stage",
        "--stop-after",
        "2",
        "--lam",
        "1",
        "--init",
        "w.pt",
        "--pseudo",
        "pseudo/",
        "--ema",
        "0.99",
        "--weight-decay",
        "0.05",
        "--fmeasure",
        "0.5",
        "--hard-photos",
        "1.5",
        "--decoder-dropout",
        "0.3",
        "--clarity-subject",
        "0.75",
        "--focus",
        "0.4",
        "--object-head",
        "--face-head",
        "0.25",
        "--face-hints",
        "0.5",
        "--data",
        str(data_root),
    ]
    assert main(argv) == 0
    config = seen["config"]
    assert (config.variant, config.epochs, config.use_objects, config.composite_prob) == (
        "mask-small",
        3,
        False,
        0.0,
    )
    assert (config.strategy, config.stop_after, config.init) == ("multi-stage", 2, "w.pt")
    assert config.lam == 1.0 and config.pseudo == "pseudo/" and config.ema == 0.99
    assert (config.weight_decay, config.fmeasure, config.decoder_dropout) == (0.05, 0.5, 0.3)
    assert config.hard_photos == 1.5 and config.clarity_subject == 0.75 and config.focus == 0.4
    assert config.object_head and config.face_hints == 0.5 and config.face_head == 0.25
    assert config.out == "runs/mask-small" and config.data == str(data_root)
