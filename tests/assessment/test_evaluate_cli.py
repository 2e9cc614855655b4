"""`python -m assessment evaluate`: one table, the network as trained and as served, beside the
classical baselines, on the shared val data."""

import json

import pytest

from assessment.cli import main

pytestmark = pytest.mark.slow


def test_one_table_with_the_network_as_trained_and_as_served(tmp_path, data_root, capsys):
    metrics = tmp_path / "metrics.json"
    assert main(["evaluate", "--data", str(data_root), "--photos", "2", "--json", str(metrics)]) == 0
    table = capsys.readouterr().out
    header = table.splitlines()[0]
    assert header.count("|") == 5  # metric + three assessors
    trained, served, classical = json.loads(metrics.read_text()).values()
    assert "network + GrabCut" in header
    # The served column differs only in its masks, so it skips the clarity cases.
    assert "clarity/srocc/pooled" in trained and "clarity/srocc/pooled" not in served
    assert "clarity SROCC pooled" in table
    for mask_set in ("sod", "fg"):
        # GrabCut refinement is on in the app because it finds more of the subject on val.
        assert served[f"{mask_set}/maxF"] > trained[f"{mask_set}/maxF"] > classical[f"{mask_set}/maxF"]
        assert served[f"{mask_set}/mae"] < trained[f"{mask_set}/mae"]
        for name in ("maxF", "mae"):  # how far the luck of the val photos could move each
            low, high = served[f"{mask_set}/{name}/low95"], served[f"{mask_set}/{name}/high95"]
            assert low < served[f"{mask_set}/{name}"] < high
    assert "sod/val max F (β²=0.3), 95 % interval low" in table
    for name in ("mean", "pooled"):  # two photos: half the draws are the two of them again
        low, high = trained[f"clarity/srocc/{name}/low95"], trained[f"clarity/srocc/{name}/high95"]
        assert low <= trained[f"clarity/srocc/{name}"] <= high and low < high
