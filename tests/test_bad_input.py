"""No query string makes a public list fail: any value of any parameter gives
the page (with a message) or an empty result — never a server error."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cooperation.web.views import PER_PAGE_CHOICES

pytestmark = pytest.mark.django_db

COMMON = ["q", "page", "per_page", "sort", "_export"]
PARAMETERS = {
    "web:document-list": [
        *COMMON,
        "kind",
        "level",
        "status",
        "sector",
        "country",
        "party",
        "visit",
        "signed",
        "signed_from",
        "signed_to",
    ],
    "web:commitment-list": [
        *COMMON,
        "status",
        "overdue",
        "due_soon",
        "sector",
        "responsible",
        "country",
        "document",
        "visit",
        "due_from",
        "due_to",
    ],
    "web:visit-list": [*COMMON, "kind", "host_country", "year", "sector", "person"],
    "web:organization-list": [*COMMON, "country", "kind", "sector"],
    "web:figure-list": [*COMMON, "indicator", "year", "period", "direction", "reporter", "source", "visit", "document"],
}

# Values that have broken real sites: NUL bytes (PostgreSQL refuses them), huge numbers,
# impossible dates, SQL and LIKE metacharacters, very long strings, odd Unicode.
NASTY = [
    "\x00",
    "a\x00b",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "x" * 5000,
    "csv",
    "xlsx",
    "json",
    "-title",
    "--",
    "digital",
    "KZ",
    "KZ-RS",
    "RS-RS",
    "bilateral",
    "not_reported",
    "trade-turnover",
    "2024",
    "\u202e\ufeff",
    "²",  # a digit to str.isdigit() that int() refuses
    "𝕯𝖎𝖌𝖎𝖙𝖆𝖑",
    "<script>alert(1)</script>",
    " ",
    "",
    *[str(choice) for choice in PER_PAGE_CHOICES],
]


def query_strategy(names):
    value = st.one_of(st.text(max_size=300), st.sampled_from(NASTY))
    return st.lists(st.tuples(st.sampled_from(names), value), max_size=6)


def as_data(pairs):
    data = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data


def check_list(client, name, pairs):
    response = client.get(reverse(name), as_data(pairs))
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        assert b"<table" in response.content


@pytest.mark.parametrize("name", list(PARAMETERS))
def test_any_query_string_gives_a_page(client, story, name):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(pairs=query_strategy(PARAMETERS[name]))
    def run(pairs):
        check_list(client, name, pairs)

    run()


@pytest.mark.parametrize("name", list(PARAMETERS))
@pytest.mark.parametrize("raw", ["q=%FF%FE%00", "sector=%C0%AF", "%00=%00", "page=%EF%BF%BD", "sort=&sort=-&sort=%00"])
def test_bytes_that_are_not_utf8_give_a_page(client, story, name, raw):
    response = client.get(f"{reverse(name)}?{raw}")
    assert response.status_code == 200


@pytest.mark.parametrize("name", list(PARAMETERS))
def test_every_filter_with_a_nul_byte_gives_a_message(client, story, name):
    data = dict.fromkeys(PARAMETERS[name], "digital\x00")
    response = client.get(reverse(name), data)
    assert response.status_code == 200
    assert "were removed from the query" in response.content.decode()


@pytest.mark.parametrize("name", ["web:document-list", "web:commitment-list", "reports:indicator"])
def test_any_slug_on_a_detail_url_is_a_page_or_not_found(client, story, name):
    detail = name.replace("-list", "-detail")

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(slug=st.from_regex(r"[-a-zA-Z0-9_]{1,200}", fullmatch=True))
    def run(slug):
        response = client.get(reverse(detail, args=[slug]))
        assert response.status_code in (200, 404)

    run()


# --- The status report, its command and the feeds -----------------------------------------------

REPORT_PARAMETERS = [
    "sector",
    "organization",
    "country",
    "visit",
    "document",
    "as_of",
    "since",
    "stale_days",
    "_export",
]
# Dates a form accepts at the ends of the calendar, and numbers around the limits.
EXTREMES = [
    "0001-01-01",
    "0001-01-02",
    "0010-01-01",
    "1900-02-29",
    "2000-02-29",
    "9999-12-31",
    "9999-12-30",
    "1",
    "3650",
    "3651",
    "999999999",
    "-999999999",
    "1e9",
]


def report_query_strategy():
    value = st.one_of(st.text(max_size=60), st.sampled_from(NASTY + EXTREMES), st.dates().map(str))
    return st.lists(st.tuples(st.sampled_from(REPORT_PARAMETERS), value), max_size=5)


def check_report(client, pairs):
    response = client.get(reverse("reports:status-report"), as_data(pairs))
    # An export with a wrong parameter is refused (400) with the page's message; nothing is a 500.
    assert response.status_code in (200, 400), pairs
    if response.status_code == 400 or response["Content-Type"].startswith("text/html"):
        page = response.content.decode()
        for problem in response.context["problems"]:
            assert escape(problem) in page, (pairs, problem)


@pytest.mark.parametrize(
    "query",
    [
        {"since": "0001-01-01"},
        {"as_of": "0001-01-02"},
        {"as_of": "0001-01-01", "since": "0001-01-01"},
        {"as_of": "0010-01-01", "stale_days": "3650"},
        {"as_of": "0001-01-01", "stale_days": "3650", "since": "0001-01-01"},
        {"as_of": "9999-12-31"},
        {"since": "9999-12-31"},
        {"as_of": "0001-01-01", "_export": "csv"},
        {"since": "0001-01-01", "_export": "xlsx"},
    ],
)
def test_report_dates_at_the_ends_of_the_calendar(client, story, query):
    check_report(client, list(query.items()))


def test_any_report_query_gives_the_report(client, story):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(pairs=report_query_strategy())
    def run(pairs):
        check_report(client, pairs)

    run()


def test_any_report_command_option_gives_the_report_or_a_message(story):
    options = ["--as-of", "--since", "--stale-days", "--sector", "--organization", "--country", "--visit", "--document"]

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        args=st.lists(
            st.tuples(
                st.sampled_from(options),
                st.one_of(st.sampled_from(EXTREMES + ["KZ", "digital", "x" * 300]), st.dates().map(str)),
            ),
            max_size=4,
        )
    )
    def run(args):
        try:
            call_command("status_report", *[part for pair in args for part in pair], stdout=io.StringIO())
        except CommandError as error:
            assert str(error)  # the page's message, one line per rejected option

    run()


def test_the_report_command_at_the_ends_of_the_calendar(story):
    for args in (
        ["--as-of", "0001-01-01"],
        ["--since", "0001-01-01"],
        ["--as-of", "0010-01-01", "--stale-days", "3650"],
    ):
        out = io.StringIO()
        call_command("status_report", *args, stdout=out)
        assert out.getvalue().startswith("# Status report on")


def test_the_domain_date_windows_never_leave_the_calendar():
    from cooperation.tracker.models import Commitment

    edges = [datetime.date.min, datetime.date.min + datetime.timedelta(days=1), datetime.date.max]
    for day in edges:
        for days in (1, 3650, 999_999_999, 10**12):
            list(Commitment.objects.due_within(days, today=day))
            list(Commitment.objects.stale(days, today=day))
            list(Commitment.objects.overdue(day))


FEEDS = ["reports:feed-commitment", "reports:feed-sector", "reports:feed-organization"]


def test_any_feed_slug_or_query_gives_a_feed_or_not_found(client, story):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        name=st.sampled_from(FEEDS),
        slug=st.one_of(
            st.from_regex(r"[-a-zA-Z0-9_]{1,200}", fullmatch=True),
            st.sampled_from(
                ["digital", story.council_restart.slug, story.ministry_kz.slug, story.draft_commitment.slug]
            ),
        ),
        pairs=query_strategy(["page", "q", "as_of", "since", "_export"]),
    )
    def run(name, slug, pairs):
        response = client.get(reverse(name, args=[slug]), as_data(pairs))
        assert response.status_code in (200, 404)
        plain = client.get(reverse("reports:feed-updates"), as_data(pairs))
        assert plain.status_code == 200

    run()


def test_records_dated_at_the_ends_of_the_calendar_break_no_page(client, superuser_client, story):
    from tests import factories

    first = factories.visit(title="At the start of the calendar", start_date=datetime.date.min)
    commitment = factories.commitment(title="Promised in year 1", origin_visit=first, due_on=datetime.date.max)
    factories.status_update(commitment, reported_on=datetime.date.min, note="Reported in year 1")
    factories.document(title="Signed at the end", signed_on=datetime.date.max, signed_at=first)
    pages = [
        reverse("reports:overview"),
        reverse("reports:status-report") + "?as_of=0001-01-01&since=0001-01-01",
        reverse("reports:status-report") + "?since=0001-01-01&_export=csv",
        reverse("reports:feed-updates"),
        commitment.get_absolute_url(),
        first.get_absolute_url(),
        reverse("web:visit-list") + "?year=1",
        reverse("web:commitment-list") + "?due_from=9999-12-31&sort=-due",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    for model in ("visit", "document", "statusupdate", "commitment"):
        url = reverse(f"admin:tracker_{model}_changelist")
        assert superuser_client.get(url).status_code == 200, url
    assert superuser_client.get(reverse("admin:tracker_visit_changelist") + "?start_date__year=1").status_code == 200


@pytest.mark.parametrize("name", list(PARAMETERS))
@pytest.mark.parametrize("digit", ["²", "١٠"])
def test_digits_int_refuses_or_reads_differently_give_a_page(client, story, name, digit):
    """ "²" is a digit to str.isdigit() that int() refuses; "١٠" (Arabic-Indic ten) int() reads."""
    response = client.get(reverse(name), {"per_page": digit, "page": digit})
    assert response.status_code == 200
