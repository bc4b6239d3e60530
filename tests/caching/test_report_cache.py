"""The report cache (remember(REPORTS, …, revalidate=True) in cooperation/caching/remember.py, as the
report views use it) with REPORT_CACHE_SECONDS on: what is served fresh, stale and rebuilt, by
whom, under which key, and that drafts stay out of every copy."""

import dataclasses
import re
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import mark_safe

from cooperation.caching import content_version, remember
from cooperation.reports.services import ReportParams
from tests import factories
from tests.reports.history import DRAFT_MARKERS, TODAY, d

# Today is the history's report day (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("report_day")]
REPORT_URL = "/reports/status/"
TIMEOUT = 60


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.REPORT_CACHE_SECONDS = TIMEOUT
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """Wall-clock time under the test's control; the in-memory cache expires entries by it too."""

    class Clock:
        now = time.time()

        def advance(self, seconds):
            self.now += seconds

    clock = Clock()
    monkeypatch.setattr(time, "time", lambda: clock.now)
    return clock


def only_the_version_was_read(queries) -> bool:
    return [query["sql"] for query in queries if "tracker_contentversion" not in query["sql"]] == []


def overview_key() -> str:
    return remember.key(remember.REPORTS, content_version.current(), f"overview-html:{TODAY}")


def overview_total(client, **headers) -> int:
    html = client.get("/", headers=headers).content.decode()
    return int(re.search(r'<dt>Commitments</dt><dd><a href="/commitments/">(\d+)</a></dd>', html).group(1))


def report_total(client, query=None) -> int:
    html = client.get(REPORT_URL, query or {}).content.decode()
    return int(re.search(r"<dt>Commitments</dt><dd>(\d+)</dd>", html).group(1))


def add_commitment():
    factories.commitment(title="Brand new promise", origin_visit=factories.visit(start_date=d("2025-06-01")))


def test_cached_overview_reads_only_the_content_version_and_keeps_the_page_per_request(
    client, history, django_assert_num_queries
):
    first = client.get("/")
    with django_assert_num_queries(1):
        again = client.get("/")
    assert again.content == first.content
    html = again.content.decode()
    assert "<h1>Kazakhstan–Serbia cooperation: overview</h1>" in html
    assert 'href="/" aria-current="page"' in html  # the header is the page's own
    assert html.count('<svg class="chart"') == 3


def test_cached_report_queries_only_for_its_form(client, history, django_assert_num_queries, settings):
    client.get(REPORT_URL)
    # The content version and one query for the form's three selects (sectors, organizations,
    # countries); none of the figures.
    with django_assert_num_queries(2):
        response = client.get(REPORT_URL)
    html = response.content.decode()
    assert "Scorecard by responsible organization" in html
    for option in (history["rs_tour"].slug, "tourism", '"RS"'):
        assert option in html
    # With the query cache on, the selects' options are read once per change of the data.
    settings.QUERY_CACHE_SECONDS = 60
    client.get(REPORT_URL)
    with django_assert_num_queries(1):
        assert client.get(REPORT_URL).content.decode() == html


def test_a_fresh_entry_is_served_as_is(client, history, clock):
    assert overview_total(client) == report_total(client) == 6
    add_commitment()
    clock.advance(TIMEOUT / 2 - 1)
    assert overview_total(client) == report_total(client) == 6


def test_a_stale_entry_is_served_at_once_and_rebuilt_after_the_response(client, history, clock):
    assert overview_total(client) == report_total(client) == 6
    add_commitment()
    clock.advance(TIMEOUT / 2)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    # The test client closes the response as a WSGI server does, which ran the rebuild.
    assert "Brand new promise" not in response.content.decode()
    assert len(queries) >= 5
    with CaptureQueriesContext(connection) as queries:
        assert overview_total(client) == 7
    assert only_the_version_was_read(queries)
    assert report_total(client) == 6  # stale, rebuilt after this response
    assert report_total(client) == 7


def test_a_committed_change_is_seen_at_once_even_while_the_entry_is_fresh(
    client, history, django_capture_on_commit_callbacks
):
    assert overview_total(client) == report_total(client) == 6
    with django_capture_on_commit_callbacks(execute=True):  # commits: the content version rises
        add_commitment()
    assert overview_total(client) == report_total(client) == 7


def test_nothing_is_served_older_than_the_timeout(client, history, clock):
    assert overview_total(client) == 6
    add_commitment()
    clock.advance(TIMEOUT + 1)
    assert overview_total(client) == 7  # built while the client waited


def test_past_the_timeout_an_entry_is_served_only_while_it_is_being_rebuilt(client, history, clock):
    client.get("/")
    add_commitment()
    clock.advance(TIMEOUT + 1)
    lock = overview_key() + ":lock"
    assert cache.add(lock, True)  # a slow rebuild in another worker
    with CaptureQueriesContext(connection) as queries:
        assert overview_total(client) == 6
    assert only_the_version_was_read(queries)
    clock.advance(TIMEOUT)
    assert cache.get(overview_key()) is None  # never kept past twice the timeout
    cache.delete(lock)
    assert overview_total(client) == 7


def test_one_rebuild_at_a_time(client, history, clock, monkeypatch):
    client.get("/")
    clock.advance(TIMEOUT / 2)
    key = overview_key()
    assert cache.add(f"{key}:lock", True)  # another worker is rebuilding
    add_commitment()
    with CaptureQueriesContext(connection) as queries:
        assert overview_total(client) == 6
    assert only_the_version_was_read(queries)  # served stale, no second rebuild
    cache.delete(f"{key}:lock")
    assert overview_total(client) == 6  # this one rebuilds, after its response
    assert overview_total(client) == 7


def test_a_failed_rebuild_keeps_serving_and_frees_the_lock(client, history, clock, monkeypatch, caplog):
    client.get("/")
    clock.advance(TIMEOUT / 2)

    def broken(today):
        raise RuntimeError("database went away")

    monkeypatch.setattr("cooperation.reports.views.build_overview", broken)
    assert overview_total(client) == 6
    assert "Rebuilding the cached report" in caplog.text
    assert cache.get(overview_key() + ":lock") is None


def test_with_nothing_to_serve_a_request_waits_for_the_build_under_way(client, history, monkeypatch):
    key = overview_key()
    assert cache.add(f"{key}:lock", True)  # another worker is building

    def other_worker_finishes(seconds):
        remember.store(key, mark_safe("<p>built by another worker</p>"), TIMEOUT)

    monkeypatch.setattr(remember.time, "sleep", other_worker_finishes)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert "<p>built by another worker</p>" in html
    assert only_the_version_was_read(queries)


def test_with_nothing_to_serve_and_a_dead_builder_a_request_builds(client, history, monkeypatch):
    key = overview_key()
    assert cache.add(f"{key}:lock", True)

    def builder_dies(seconds):
        cache.delete(f"{key}:lock")

    monkeypatch.setattr(remember.time, "sleep", builder_dies)
    assert overview_total(client) == 6
    assert cache.get(f"{key}:lock") is None


def test_entries_are_per_language(client, history):
    # The language is the URL's (README "Languages"): /ru/ is the Russian overview.
    english = client.get("/").content.decode()
    russian = client.get("/ru/").content.decode()
    assert "30 June 2025" in english and "30 июня 2025" in russian
    assert "30 June 2025" in client.get("/", headers={"accept-language": "ru"}).content.decode()


def test_a_rebuild_keeps_the_language_of_the_request(client, history, clock):
    client.get("/ru/")
    clock.advance(TIMEOUT / 2)
    client.get("/ru/")  # stale; rebuilt after the response
    assert "30 июня 2025" in client.get("/ru/").content.decode()


def test_report_key_holds_every_parameter(history):
    base = ReportParams(today=TODAY)
    changed = {
        "today": d("2025-07-01"),
        "as_of": d("2025-03-01"),
        "since": d("2025-01-01"),
        "stale_days": 30,
        "due_soon_days": 30,
        "sector": history["tourism"],
        "organization": history["rs_tour"],
        "country": history["rs"],
        "visit": history["v1"],
        "document": history["d1"],
        "lead": history["rs_tour"],
        "side": "serbia",
    }
    assert set(changed) == {field.name for field in dataclasses.fields(ReportParams)}
    keys = {dataclasses.replace(base, **{name: value}).cache_key() for name, value in changed.items()}
    keys.add(base.cache_key())
    assert len(keys) == len(changed) + 1
    other_sector = dataclasses.replace(base, sector=history["education"]).cache_key()
    assert other_sector != dataclasses.replace(base, sector=history["tourism"]).cache_key()


def test_filtered_reports_are_cached_apart(client, history):
    assert report_total(client, {"sector": "tourism"}) == 2
    assert report_total(client, {"sector": "tourism"}) == 2
    assert report_total(client, {"sector": "education"}) == 2
    assert report_total(client, {"organization": history["rs_tour"].slug}) == 3
    assert report_total(client, {"as_of": "2025-01-31"}) == 4
    assert report_total(client) == 6


def test_unknown_or_rejected_parameters_share_the_default_entry(client, history, django_assert_max_num_queries):
    client.get(REPORT_URL)
    with django_assert_max_num_queries(4):  # the content version and the form only
        assert client.get(REPORT_URL, {"utm_source": "mail"}).status_code == 200
    for query in [{"sector": "no-such-sector"}, {"as_of": "2030-01-01"}]:
        with django_assert_max_num_queries(5):  # the same, and the form's check of the slug
            html = client.get(REPORT_URL, query).content.decode()
        assert "Some parameters were not understood" in html  # said per request, not cached


def test_exports_are_cached_and_complete(client, history, django_assert_max_num_queries):
    first = client.get(REPORT_URL, {"_export": "csv", "sector": "tourism"}).content
    with django_assert_max_num_queries(5):
        again = client.get(REPORT_URL, {"_export": "csv", "sector": "tourism"}).content
    assert again == first
    assert b"Ministry of Tourism and Youth" in first and b"Ministry of Science" not in first


@pytest.mark.parametrize(
    "url", ["/", REPORT_URL, f"{REPORT_URL}?since=2025-01-01", f"{REPORT_URL}?_export=csv&as_of=2025-05-01"]
)
def test_no_cached_copy_holds_drafts(client, history, clock, url):
    for _request in range(3):  # built, served from the cache, then rebuilt after going stale
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        for marker in DRAFT_MARKERS:
            assert marker not in text
        clock.advance(TIMEOUT / 2)


def test_an_unpublished_commitment_leaves_the_pages_within_the_timeout(client, history, clock):
    assert "Student exchange" in client.get(REPORT_URL, {"since": "2025-01-01"}).content.decode()
    assert "First students arrived" in client.get("/").content.decode()
    type(history["c1"]).objects.filter(pk=history["c1"].pk).unpublish()
    clock.advance(TIMEOUT + 1)
    assert "Student exchange" not in client.get(REPORT_URL, {"since": "2025-01-01"}).content.decode()
    assert "First students arrived" not in client.get("/").content.decode()
