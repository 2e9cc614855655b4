"""Team settings checked on write, so a bad value never breaks a ranking later."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from coverapp.covers.admin import TeamForm
from coverapp.covers.services.teams import ranking_weights_clean, slot_widths_clean


@pytest.mark.parametrize(("values", "message"), [
    ({"sharpness": 1.0}, "unknown ranking weight"),
    ({"clarity": "high"}, "must be a number"),
    ({"clarity": -1}, ">= 0"),
    (["clarity"], "must be an object"),
])
def test_bad_ranking_weights_are_refused_with_the_reason(values, message):
    with pytest.raises(ValidationError, match=message):
        ranking_weights_clean(values)


def test_good_ranking_weights_are_kept():
    assert ranking_weights_clean({"clarity": 0.5}) == {"clarity": 0.5}
    assert ranking_weights_clean(None) == {}


@pytest.mark.parametrize(("values", "message"), [
    ({"wide": 1200}, "not a ratio"),
    ({"0:1": 1200}, "not a ratio"),
    ({"16:9": "1200"}, "whole pixels"),
    ({"1:1": 8}, "from 16 to 20000"),
    ({"1:1": 400.5}, "whole pixels"),
    ({"1:1": True}, "whole pixels"),
    ([1200], "must be an object"),
])
def test_bad_slot_widths_are_refused_with_the_reason(values, message):
    with pytest.raises(ValidationError, match=message):
        slot_widths_clean(values)


def test_good_slot_widths_are_kept():
    widths = {"16:9": 1200, "4:3": 800, "1:1": 400, "free": 1000}
    assert slot_widths_clean(widths) == widths
    assert slot_widths_clean(None) == {}


def test_the_admin_form_uses_the_checks(db):
    form = TeamForm(data={"name": "Sun", "slug": "sun", "ranking_weights": '{"sharpness": 1}',
                          "slot_widths": '{"1:1": 8}', "slot_ratios": '["16:9", "wide"]'})

    assert not form.is_valid()
    assert "valid names" in str(form.errors["ranking_weights"])
    assert "from 16 to 20000" in str(form.errors["slot_widths"])
    assert "slot ratio &#x27;wide&#x27;" in str(form.errors["slot_ratios"])
    assert TeamForm(data={"name": "Sun", "slug": "sun", "ranking_weights": "{}",
                          "slot_widths": "{}", "slot_ratios": "[]"}).is_valid()


def test_demo_setup_prints_a_working_sign_in_and_token_and_can_run_twice(db, capsys):
    from django.core.management import call_command
    from rest_framework.test import APIClient

    call_command("demo_setup")
    call_command("demo_setup", url="http://127.0.0.1:8765/")

    output = capsys.readouterr().out
    assert output.rstrip().endswith("http://127.0.0.1:8765/api/articles/")
    token = output.split("API token: ")[-1].split()[0]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    [demo] = client.get("/api/teams/").json()
    assert demo["slug"] == "demo-newsroom" and demo["slot_widths"]["1:1"] == 400
    assert APIClient().login(username="editor", password="coverapp-demo")
