"""Team settings checked on write, so a bad value never breaks a ranking later."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from coverapp.covers.admin import TeamForm
from coverapp.covers.services.teams import ranking_weights_clean


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


def test_the_admin_form_uses_the_check(db):
    form = TeamForm(data={"name": "Sun", "slug": "sun", "ranking_weights": '{"sharpness": 1}'})

    assert not form.is_valid()
    assert "valid names" in str(form.errors["ranking_weights"])


def test_demo_setup_prints_a_working_sign_in_and_token_and_can_run_twice(db, capsys):
    from django.core.management import call_command
    from rest_framework.test import APIClient

    call_command("demo_setup")
    call_command("demo_setup")

    output = capsys.readouterr().out
    token = output.split("API token: ")[-1].split()[0]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/teams/").json()[0]["slug"] == "demo-newsroom"
    assert APIClient().login(username="editor", password="coverapp-demo")
