import json

import pytest
import torch

from assessment.checkpoint import DEFAULT_CHECKPOINT, load_model
from assessment.data import Photo, TrainingSet
from assessment.losses import cover_loss
from assessment.registry import create_model
from assessment.train import TrainConfig, _optimiser, clock_cycle, stages, train

pytestmark = pytest.mark.slow


def test_a_few_steps_on_a_handful_of_images_lower_the_loss(data_root):
    from assessment.data import load_photos
    from assessment.sources import shared_sources

    torch.manual_seed(0)
    photos: list[Photo] = load_photos(shared_sources(data_root, "train", kinds=("sod",))[:4])
    batch = torch.utils.data.default_collate([TrainingSet(photos, seed=0)[i] for i in range(4)])
    model = create_model("cover-small").train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3)
    losses = []
    for _ in range(25):
        loss, _ = cover_loss(model(batch["image"]), batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def tiny_config(tmp_path, **options) -> TrainConfig:
    """A run small enough for a test: a few photos, batches of 4, one val photo, no workers."""
    defaults = {"batch_size": 4, "limit": 8, "val_photos": 1, "val_every": 1, "workers": 0}
    return TrainConfig(**{**defaults, **options}, out=str(tmp_path / "run"))


def test_training_saves_logs_and_resumes(tmp_path, data_root):
    config = tiny_config(tmp_path, epochs=3, stop_after=2)
    train(config, data_root=data_root)
    records = [
        json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()
    ]
    assert [r["epoch"] for r in records] == [1, 2]
    assert "sod/maxF" in records[-1]["val"] and "clarity/srocc/pooled" in records[-1]["val"]
    model, metadata = load_model(tmp_path / "run" / "best.pt")
    assert metadata["config"]["variant"] == "cover-small" and len(metadata["manifest"]) == 16
    resumed = TrainConfig(
        **{**config.__dict__, "stop_after": None, "resume": str(tmp_path / "run" / "last.pt")}
    )
    train(resumed, data_root=data_root)
    records = [
        json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()
    ]
    assert [r["epoch"] for r in records] == [1, 2, 3]


def test_a_time_budget_ends_the_run_after_the_epoch_it_runs_out_in(tmp_path, data_root):
    train(tiny_config(tmp_path, epochs=3, max_minutes=1e-6), data_root=data_root)
    log = (tmp_path / "run" / "log.jsonl").read_text().splitlines()
    assert [json.loads(line)["epoch"] for line in log] == [1]
    assert (tmp_path / "run" / "last.pt").exists()


def test_a_run_resumed_under_a_time_budget_starts_its_cycle_anew(tmp_path, data_root):
    config = tiny_config(tmp_path, epochs=3, stop_after=1)
    train(config, data_root=data_root)
    resumed = TrainConfig(**{**config.__dict__, "stop_after": None, "max_minutes": 1e-6,
                             "resume": str(tmp_path / "run" / "last.pt")})
    train(resumed, data_root=data_root)  # the one-cycle schedule's state does not fit the clock's
    log = (tmp_path / "run" / "log.jsonl").read_text().splitlines()
    assert [json.loads(line)["epoch"] for line in log] == [1, 2]


def test_face_hints_bring_the_people_photos_and_their_term(tmp_path, data_root):
    train(tiny_config(tmp_path, epochs=1, limit=12, face_hints=0.5), data_root=data_root)
    record = json.loads((tmp_path / "run" / "log.jsonl").read_text().splitlines()[-1])
    assert record["hint_loss"] > 0.0


def test_background_hints_add_their_term(tmp_path, data_root):
    config = tiny_config(tmp_path, epochs=1, limit=16, face_hints=0.5, background_hints=0.5)
    train(config, data_root=data_root)
    record = json.loads((tmp_path / "run" / "log.jsonl").read_text().splitlines()[-1])
    assert record["background_loss"] > 0.0 and record["hint_loss"] > 0.0


def test_a_face_head_learns_from_the_people_photos(tmp_path, data_root):
    train(tiny_config(tmp_path, epochs=1, limit=12, face_head=0.5), data_root=data_root)
    record = json.loads((tmp_path / "run" / "log.jsonl").read_text().splitlines()[-1])
    assert record["face_loss"] > 0.0 and "hint_loss" not in record
    model, metadata = load_model(tmp_path / "run" / "best.pt")
    assert "face_logits" in model.logit_names and metadata["config"]["face_head"] == 0.5


def test_a_weight_average_is_served_and_survives_a_resume(tmp_path, data_root):
    config = tiny_config(tmp_path, epochs=2, stop_after=1, ema=0.5, val_every=2)
    train(config, data_root=data_root)
    last = torch.load(tmp_path / "run" / "last.pt", weights_only=False)
    raw, averaged = last["training_state"]["raw_state_dict"], last["training_state"]["ema"]
    steps = int(averaged["n_averaged"])
    assert steps > 0
    name = next(key for key, value in raw.items() if value.is_floating_point())
    assert torch.equal(last["state_dict"][name], averaged[f"module.{name}"])
    assert not torch.equal(last["state_dict"][name], raw[name])
    resumed = TrainConfig(
        **{**config.__dict__, "stop_after": None, "resume": str(tmp_path / "run" / "last.pt")}
    )
    train(resumed, data_root=data_root)
    last = torch.load(tmp_path / "run" / "last.pt", weights_only=False)
    assert int(last["training_state"]["ema"]["n_averaged"]) == 2 * steps
    with pytest.raises(ValueError, match="--ema must lie between 0 and 1"):
        train(tiny_config(tmp_path, epochs=1, ema=1.5), data_root=data_root)


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        ("end-to-end", [(("clarity", "mask_logits"), 10)]),
        ("multi-stage", [(("mask_logits",), 5), (("clarity",), 5)]),
    ],
)
def test_strategies_split_the_epochs(strategy, expected):
    assert stages(TrainConfig(epochs=10, strategy=strategy), ("clarity", "mask_logits")) == expected


def test_the_clarity_branch_strategy_fine_tunes_a_trained_two_head_network():
    config = TrainConfig(epochs=10, strategy="clarity-branch", init="trained.pt")
    assert stages(config, ("clarity", "mask_logits")) == [(("clarity",), 10)]
    for init, heads in ((None, ("clarity", "mask_logits")), ("trained.pt", ("clarity",))):
        with pytest.raises(ValueError, match="give --init and a variant with both heads"):
            stages(TrainConfig(strategy="clarity-branch", init=init), heads)


@pytest.mark.parametrize("subject", [0.0, 0.75])
def test_the_clarity_branch_learns_and_nothing_else_moves(tmp_path, data_root, subject):
    from assessment.checkpoint import save_checkpoint

    torch.manual_seed(7)
    start = save_checkpoint(tmp_path / "start.pt", create_model("cover-small"), metadata={})
    config = tiny_config(tmp_path, epochs=1, lr=1e-2, strategy="clarity-branch", init=str(start),
                         clarity_subject=subject)
    train(config, data_root=data_root)
    trained, _ = load_model(tmp_path / "run" / "last.pt")
    assert trained.clarity_subject == subject  # kept in the run's checkpoint
    expected, _ = load_model(start)
    moved = set()
    for (name, value), reference in zip(
        trained.state_dict().items(), expected.state_dict().values(), strict=True
    ):
        if not torch.equal(value, reference):
            moved.add(name)
    # BatchNorm statistics included: the masks are the start's to the bit
    assert moved and all(name.startswith("clarity_head.") for name in moved)


def test_init_starts_from_a_checkpoints_weights(tmp_path, data_root):
    from assessment.checkpoint import save_checkpoint

    torch.manual_seed(123)
    start = save_checkpoint(tmp_path / "start.pt", create_model("cover-small"), metadata={})
    config = tiny_config(tmp_path, epochs=1, lr=0.0, limit=4, init=str(start))
    train(config, data_root=data_root)
    trained, _ = load_model(tmp_path / "run" / "last.pt")
    expected, _ = load_model(start)
    for (name, value), reference in zip(
        trained.state_dict().items(), expected.state_dict().values(), strict=True
    ):
        if not name.endswith(("running_mean", "running_var", "num_batches_tracked")):
            assert torch.equal(value, reference), name


@pytest.mark.parametrize(("epochs", "batches"), [(1, 4), (1, 10), (2, 1), (30, 81)])
def test_the_schedule_runs_every_step_of_a_stage(epochs, batches):
    config = TrainConfig(epochs=epochs, batch_size=16)
    model = create_model("cover-small")
    optimizer, schedule = _optimiser(model, config, stages(config, model.spec.heads), 0, batches)
    for _ in range(epochs * batches):
        optimizer.step()
        schedule.step()  # OneCycleLR raises past its last step or on a one-step warm-up


def test_a_time_budget_spans_one_learning_rate_cycle_over_its_minutes():
    now = [100.0]
    factor = clock_cycle(60.0, clock=lambda: now[0])
    seen = []
    for seconds in (0, 3, 30, 59, 60, 90):  # the first call starts the clock
        now[0] = 100.0 + seconds
        seen.append(factor(0))
    assert seen[0] == pytest.approx(1 / 25)
    assert seen[1] == pytest.approx(1.0)  # warm-up over the first 5%
    assert seen[1] > seen[2] > seen[3] > seen[4]
    assert seen[4] == seen[5] == pytest.approx(0.0, abs=1e-5)  # stays low past the budget


def test_a_time_budget_drives_the_schedule_by_the_clock():
    config = TrainConfig(epochs=400, max_minutes=1.0)
    model = create_model("cover-small")
    optimizer, schedule = _optimiser(model, config, stages(config, model.spec.heads), 0, 10)
    assert isinstance(schedule, torch.optim.lr_scheduler.LambdaLR)
    assert optimizer.param_groups[0]["lr"] == pytest.approx(config.lr / 25, rel=0.05)


def test_fewer_samples_than_a_batch_is_a_clear_error(tmp_path, data_root):
    with pytest.raises(ValueError, match="no full batch"):
        train(tiny_config(tmp_path, limit=2, batch_size=8), data_root=data_root)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"torso_hints": True}, "add --face-hints"),
        ({"object_hints": True}, "add --face-hints"),
        ({"background_hints": 0.5}, "add --face-hints"),
        ({"face_negatives": True, "face_hints": 0.5}, "add --face-head"),
        ({"consistency_jitter": True, "ema": 0.9}, "add --consistency"),
        ({"consistency_hard": True, "ema": 0.9}, "add --consistency"),
        ({"consistency_labelled": True, "ema": 0.9}, "add --consistency"),
        ({"consistency_unhinted": True, "ema": 0.9}, "add --consistency"),
        ({"consistency": 1.0, "consistency_confident": 0.8, "ema": 0.9},
         "add --consistency-hard"),
        ({"consistency": 1.0, "consistency_hard": True, "consistency_confident": 0.3,
          "ema": 0.9}, "from 0.5 .* not 0.3"),
        ({"strategy": "clarity-branch"}, "give --init"),
        ({"hard_photos": -1.0}, "0 \\(off\\) or more, not -1.0"),
    ],
)
def test_options_that_extend_another_need_it(tmp_path, options, message):
    with pytest.raises(ValueError, match=message):
        train(tiny_config(tmp_path, epochs=1, **options), data_root=tmp_path)
    assert not (tmp_path / "run").exists()  # refused before anything was written


def test_a_consistency_term_is_learnt_from_the_weight_average(tmp_path, data_root):
    with pytest.raises(ValueError, match="add --ema"):
        train(tiny_config(tmp_path, epochs=1, consistency=1.0), data_root=data_root)
    assert not (tmp_path / "run").exists()
    train(tiny_config(tmp_path, epochs=1, consistency=1000.0, consistency_jitter=True,
                      consistency_hard=True, consistency_confident=0.8,
                      consistency_labelled=True, ema=0.9, limit=24, use_objects=False,
                      init=str(DEFAULT_CHECKPOINT)),  # a teacher sure of some pixels
          data_root=data_root)  # the COCO photos then have no mask: they take part
    [record] = [json.loads(line)
                for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    assert record["consistency"] > 0.0
    assert record["loss"] >= 1000.0 * record["consistency"]  # the logged loss holds the term
