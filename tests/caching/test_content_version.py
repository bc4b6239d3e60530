"""The content version (caching/content_version.py), which every public cache keys on: it rises
once per committed transaction that changed tracker data, for bulk changes too, and never goes
back; history rows and other apps leave it alone.

pytest-django keeps each test inside a transaction that never commits; `commit()` runs a block
as one, so its on_commit callbacks (the version bump among them) run.
"""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cooperation.caching import content_version
from cooperation.devdata.generator import DemoDataGenerator
from cooperation.tracker.models import Commitment, ContentVersion
from tests import factories
from tests.admin_helpers import staff_user

pytestmark = pytest.mark.django_db


def version_updates(queries) -> int:
    return len([query for query in queries if query["sql"].startswith("UPDATE") and "contentversion" in query["sql"]])


def test_a_transaction_raises_the_version_once_however_much_it_changes(commit):
    before = content_version.current()
    with CaptureQueriesContext(connection) as queries, commit():
        for number in range(5):
            factories.commitment(title=f"Promise {number}", sectors=[factories.sector()])
    assert content_version.current() > before
    assert version_updates(queries) == 1


def test_a_rolled_back_savepoint_raises_nothing(commit):
    factories.commitment()
    with commit():
        pass
    before = content_version.current()
    with commit():
        try:
            with transaction.atomic():
                factories.commitment(title="Never happened")
                raise RuntimeError
        except RuntimeError:
            pass
    assert content_version.current() == before


@pytest.mark.django_db(transaction=True)
def test_real_transactions_raise_it_on_commit_and_autocommit_at_once():
    before = content_version.current()
    with transaction.atomic():
        factories.commitment(title="Inside a transaction")
        assert content_version.current() == before  # not yet: the change is not committed
    after_commit = content_version.current()
    assert after_commit > before
    Commitment.objects.update(title="Raw update: no signal")  # unseen: expires after PAGE_CACHE_SECONDS
    assert content_version.current() == after_commit
    factories.sector("Autocommitted")
    assert content_version.current() > after_commit


def test_the_version_never_goes_back_even_when_its_row_is_emptied(commit):
    content_version.bump()
    first = content_version.current()
    ContentVersion.objects.all().delete()  # a flush, or a restore of an old dump
    assert content_version.current() == 0
    content_version.bump()
    assert content_version.current() > first


def test_history_rows_and_other_apps_do_not_raise_it(commit):
    with commit():
        commitment = factories.commitment()
    before = content_version.current()
    with commit():
        commitment.history.first().save()  # a historical row
        staff_user("someone")
    assert content_version.current() == before


def test_loading_fixtures_and_demo_data_raise_it(commit, tmp_path):
    before = content_version.current()
    with commit():
        DemoDataGenerator(commitments=40, seed=3, log=lambda *args: None).run()
    after_demo = content_version.current()
    assert after_demo > before
    fixture = tmp_path / "sector.json"
    fixture.write_text('[{"model": "tracker.sector", "pk": 9001, "fields": {"name": "Fixture sector", "slug": "fx"}}]')
    with commit():
        call_command("loaddata", str(fixture), verbosity=0)
    assert content_version.current() > after_demo


def test_refresh_counts_raises_it():
    before = content_version.current()
    call_command("refresh_counts", verbosity=0)
    assert content_version.current() > before
