"""The team settings page as a team admin sees it, in real Chromium: every control named, the
webhook's ping answered, its removal a second step."""

from __future__ import annotations

import pytest

from coverapp.covers.models import Membership, Webhook
from coverapp.covers.services.webhooks import webhook_register
from tests.frontend.conftest import sign_in, unnamed_controls

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_an_admin_pings_a_webhook_from_the_settings_page(live_server, page, artifacts, team,
                                                         editor, webhook_receiver):
    Membership.objects.filter(user=editor).update(role=Membership.Role.ADMIN)
    team.slot_widths = {"1:1": 400, "16:9": 1200}
    team.save()
    webhook_register(team=team, url=webhook_receiver.url)
    sign_in(page, live_server.url, editor.username)

    page.get_by_role("link", name="Team settings").click()
    assert page.get_by_role("textbox", name="Slot widths").input_value() == "16:9 1200\n1:1 400"
    page.get_by_role("button", name=f"Ping {webhook_receiver.url}").click()

    page.get_by_text(f"Ping delivered: {webhook_receiver.url} answered 204.").wait_for()
    page.get_by_text("Remove…").click()  # a second step, so a slip removes nothing
    page.screenshot(path=str(artifacts / "team-settings.png"), full_page=True)
    assert unnamed_controls(page) == []
    page.get_by_role("button", name=f"Remove {webhook_receiver.url} for good").click()
    page.get_by_text(f"Webhook {webhook_receiver.url} removed.").wait_for()
    assert not Webhook.objects.exists()
