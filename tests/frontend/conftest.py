"""Browser-test fixtures: Debian's Chromium driven by Playwright, failing on any console error.

The real-worker fixtures come from tests/workers and the in-process assessor and broker stand-in
from tests/coverapp (imported, not copied).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

from tests.coverapp.conftest import classical_assessor, sent  # noqa: F401  (fixtures, re-exported)
from tests.workers.conftest import broker, start_worker  # noqa: F401  (fixtures, re-exported)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAPTOP_VIEWPORT = {"width": 1366, "height": 900}
PASSWORD = "pw-for-tests-1"  # the password tests/conftest.py gives its users


UNNAMED_CONTROLS = """() => [...document.querySelectorAll("a, button, input, select, textarea")]
  .filter((e) => e.type !== "hidden" && e.getClientRects().length)
  .filter((e) => !(e.labels?.length || e.getAttribute("aria-label")
                   || e.getAttribute("aria-labelledby") || e.textContent.trim()))
  .map((e) => e.outerHTML.slice(0, 120))"""


def unnamed_controls(page) -> list[str]:
    """Visible links, buttons and form fields that a screen reader could not name."""
    return page.evaluate(UNNAMED_CONTROLS)


def sign_in(page, base_url: str, username: str) -> None:
    """Sign in through the form, as an editor would; lands on the articles list."""
    page.goto(f"{base_url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Articles").wait_for()


@pytest.fixture
def artifacts() -> Path:
    """Where browser tests save screenshots for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the test item, so `page` knows whether the body failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def expected_console_errors() -> list[str]:
    """Substrings of console errors a test provokes on purpose (e.g. a refused upload's 415)."""
    return []


@pytest.fixture
def page(request, artifacts, monkeypatch, expected_console_errors) -> Iterator:
    """A Chromium page at laptop size. Console errors (other than expected ones) and uncaught
    exceptions fail the test; a screenshot of the last state is kept when the test body fails."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` "
                    "(never `playwright install`)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, which makes Django refuse ORM
    # calls from the test body; they are plain blocking calls, so allow them (Playwright's advice).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport=LAPTOP_VIEWPORT)
        tab.set_default_timeout(60_000)
        tab.on("console", lambda message: problems.append(f"console {message.type}: "
                                                          f"{message.text} ({message.location})")
               if message.type == "error" else None)
        tab.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
        yield tab
        if getattr(request.node, "report_call", None) and request.node.report_call.failed:
            tab.screenshot(path=str(artifacts / f"{request.node.name}-failure.png"), full_page=True)
        browser.close()
        # Connections the test body opened live in the event loop's context, where Django's
        # own teardown cannot see them (PostgreSQL would then refuse to drop the test database).
        connections.close_all()
    unexpected = [problem for problem in problems
                  if not any(expected in problem for expected in expected_console_errors)]
    assert not unexpected, "the browser reported errors:\n" + "\n".join(unexpected)
