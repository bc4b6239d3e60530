"""Fixtures shared by the tests of several rooms (a fixture used in one room only lives in that
room's conftest.py or test module).

- Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server;
  tests marked `browser` are skipped, with the reason, when Chromium is not installed.
- `commit`, for tests of what happens once a transaction commits.
- `superuser_client`: the test client signed in to the admin as a superuser.
- `story` (tests/web/story.py) and `history` with `report_day` (tests/reports/history.py): the
  data the public pages and the reports are tested on.
"""

import os
import shutil
from functools import partial

import pytest

from tests.admin_helpers import staff_user
from tests.reports.history import TODAY, build_history
from tests.web.story import build_story

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django would then refuse the
    # test's own (synchronous, safe) database calls without this.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(browser, live_server, settings):
    """A fresh browser profile pointed at the live server. The live server speaks plain
    HTTP, so the production Secure flag on cookies would keep the browser from sending them."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs the block as a transaction that commits: its on_commit callbacks (the
    content version's bump, stored counts) run, as they would outside the test's transaction."""
    return partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def superuser_client(client):
    client.force_login(staff_user("chief", superuser=True))
    return client


@pytest.fixture
def story():
    """Published records with a draft beside each (tests/web/story.py)."""
    return build_story()


@pytest.fixture
def history():
    """A known commitment history, its figures derived by hand (tests/reports/history.py)."""
    return build_history()


@pytest.fixture
def report_day(monkeypatch):
    """Today is the day the history's expected figures are for."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
