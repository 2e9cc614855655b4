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
