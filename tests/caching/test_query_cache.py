"""The query cache (remember(QUERIES, …) in caching/remember.py): list counts and filter choices
are read once per content version, shared where the rows are the same, and a committed change,
above all an unpublication, is counted on the next request.

pytest-django keeps each test inside a transaction that never commits; `commit()` runs a block as
one, so its on_commit callbacks (the version bump among them) run.
"""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.tracker.models import Commitment, CommitmentStatus
from tests import factories

pytestmark = pytest.mark.django_db
RESULTS = re.compile(r"(\d+) results?")


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.QUERY_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def get(client, url) -> tuple[str, list[str]]:
    """The page's text and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def shown_count(text: str) -> int:
    return int(RESULTS.search(text).group(1))


def counts(statements) -> list[str]:
    return [sql for sql in statements if "COUNT(" in sql.upper()]


def choice_queries(statements) -> list[str]:
    """The filter form's queries for its sector and country choices."""
    # Their columns (slug or code, and the name in the page's language) in either order.
    starts = ('SELECT "tracker_sector".', 'SELECT "tracker_country".')
    return [sql for sql in statements if sql.startswith(starts)]


@pytest.fixture
def commitments():
    digital = factories.sector("Digital")
    records = [
        factories.commitment(title=f"Open data portal {n}", status=CommitmentStatus.DELAYED, sectors=[digital])
        for n in range(3)
    ]
    records.append(factories.commitment(title="Joint satellite", status=CommitmentStatus.COMPLETED))
    return records


def test_a_list_counts_its_rows_and_reads_its_choices_once(client, commitments):
    first_text, first = get(client, "/commitments/")
    again_text, again = get(client, "/commitments/")
    assert len(counts(first)) == 1
    assert len(choice_queries(first)) == 2
    assert counts(again) == []
    assert choice_queries(again) == []
    assert shown_count(again_text) == shown_count(first_text) == 4
    assert len(again) == len(first) - 3  # the count and the two choice lists
    assert "Digital" in again_text  # the cached choice is still offered


def test_every_page_and_order_of_one_filter_shares_its_count(client, commitments):
    text, statements = get(client, "/commitments/?status=delayed")
    assert shown_count(text) == 3 and len(counts(statements)) == 1
    for url in (
        "/commitments/?status=delayed&sort=-title",
        "/commitments/?status=delayed&per_page=10",
        "/commitments/?sort=progress&status=delayed&page=1",
    ):
        text, statements = get(client, url)
        assert counts(statements) == [], url
        assert shown_count(text) == 3, url


def test_different_filters_have_their_own_counts(client, commitments):
    assert shown_count(get(client, "/commitments/?status=delayed")[0]) == 3
    assert shown_count(get(client, "/commitments/?status=completed")[0]) == 1
    assert shown_count(get(client, "/commitments/?q=satellite")[0]) == 1
    assert shown_count(get(client, "/commitments/?sector=digital")[0]) == 3
    assert shown_count(get(client, "/documents/")[0]) == 0


def test_a_committed_new_record_is_counted_on_the_next_request(client, commit, commitments):
    assert shown_count(get(client, "/commitments/?status=delayed")[0]) == 3
    with commit():
        factories.commitment(title="Visa-free transit", status=CommitmentStatus.DELAYED)
    text, statements = get(client, "/commitments/?status=delayed")
    assert len(counts(statements)) == 1
    assert shown_count(text) == 4


def test_an_unpublication_leaves_counts_and_choices_at_once(client, commit):
    space = factories.sector("Space")
    draft_to_be = factories.commitment(title="Launch a Kazakh satellite from Serbia", sectors=[space])
    factories.commitment(title="Exchange of students")
    text = get(client, "/commitments/")[0]
    assert shown_count(text) == 2 and 'value="space"' in text
    with commit():
        Commitment.objects.filter(pk=draft_to_be.pk).unpublish()
    text = get(client, "/commitments/")[0]
    assert shown_count(text) == 1
    assert 'value="space"' not in text  # no published commitment is in that sector any more
    assert "Launch a Kazakh satellite" not in text


def test_an_uncommitted_change_is_not_cached_over(client, commitments):
    """Inside a transaction nothing is committed, so the version, and the cached count, stay."""
    assert shown_count(get(client, "/commitments/")[0]) == 4
    factories.commitment(title="Not yet committed")
    assert shown_count(get(client, "/commitments/")[0]) == 4


def test_zero_seconds_turns_the_cache_off(client, settings, commitments):
    settings.QUERY_CACHE_SECONDS = 0
    get(client, "/commitments/")
    text, statements = get(client, "/commitments/")
    assert len(counts(statements)) == 1
    assert not any("tracker_contentversion" in sql for sql in statements)
    factories.commitment(title="Counted at once without the cache")
    assert shown_count(get(client, "/commitments/")[0]) == 5


def test_a_filter_that_matches_nothing_counts_nothing(client, commitments):
    text, statements = get(client, "/commitments/?status=not-a-status")
    assert shown_count(text) == 0
    assert counts(statements) == []


def test_a_cached_choice_still_validates_and_filters(client, commitments):
    get(client, "/commitments/")  # choices cached
    text = get(client, "/commitments/?sector=digital")[0]
    assert shown_count(text) == 3
    assert "Commitments in Digital" in text  # the sector's feed, named from the cached choice
    text = get(client, "/commitments/?sector=no-such-sector")[0]
    assert shown_count(text) == 0
    assert "Select a valid choice" in text


def test_visit_years_and_countries_come_from_the_cache(client):
    factories.visit(title="State visit to Belgrade", host_country=factories.country("RS"))
    first_text, first = get(client, "/visits/")
    again_text, again = get(client, "/visits/?year=2024&host_country=RS")
    years = [sql for sql in first if "tracker_visit" in sql and "DISTINCT" in sql.upper()]
    assert years and 'value="2024"' in first_text
    assert 'value="RS"' in again_text and "State visit to Belgrade" in again_text
    assert shown_count(again_text) == 1
    assert [sql for sql in again if "DISTINCT" in sql.upper()] == []
    assert choice_queries(again) == []
