"""Every figure of the status report against the hand-derived history in tests/reports/history.py."""

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.reports.services import (
    ReportParams,
    build_overview,
    build_report,
    commitments_on,
    first_of_each,
    quarter_ends,
    report_lists,
    timeline,
)
from cooperation.tracker.models import Commitment
from tests import factories
from tests.reports.history import TODAY, S, d

pytestmark = pytest.mark.django_db


def report(as_of=None, since=None, stale_days=180, **filters):
    return build_report(ReportParams(today=TODAY, as_of=as_of, since=since, stale_days=stale_days, **filters))


def statuses(summary):
    """The non-zero status counts, by status value."""
    return {status.value: count for status, count in summary.by_status.items() if count}


def titles(rows):
    return [row.title for row in rows]


def test_summary_today(history):
    summary = report().summary
    assert summary.total == 6
    assert statuses(summary) == {
        "completed": 1,
        "delayed": 1,
        "no_information": 1,
        "cancelled": 1,
        "in_progress": 1,
        "partially_completed": 1,
    }
    assert summary.overdue == 1
    assert summary.due_soon == 1
    assert summary.stale == 1
    assert summary.average_progress == pytest.approx(230 / 6)
    assert summary.completed_share == 20  # 1 of the 5 not cancelled
    assert summary.first_made == d("2024-11-19")


@pytest.mark.parametrize("days", [30, 60, 180])
def test_overdue_due_soon_and_stale_are_the_domain_s_rules(history, days):
    """The report counts and lists exactly what the lists and the admin call overdue, due soon and
    stale (CommitmentQuerySet), whatever the windows."""
    result = build_report(ReportParams(today=TODAY, stale_days=days, due_soon_days=days))
    published = Commitment.objects.published()
    expected = {
        "overdue": published.overdue(TODAY),
        "due_soon": published.due_within(days, today=TODAY),
        "stale": published.stale(days, today=TODAY),
    }
    for name, queryset in expected.items():
        assert getattr(result.summary, name) == queryset.count(), name
        assert sorted(titles(getattr(result, name))) == sorted(queryset.values_list("title", flat=True)), name


@pytest.mark.parametrize("as_of", [None, d("2025-05-01")])
@pytest.mark.parametrize("limit", [1, 2, 100])
def test_the_lists_in_one_query_are_each_lists_own_first_rows_in_its_order(history, as_of, limit):
    """first_of_each (one UNION ALL) gives what a query per list gives: the same first rows, in
    the same order, also when the limit cuts a list and one commitment is in several lists."""
    params = ReportParams(today=TODAY, as_of=as_of, stale_days=30, due_soon_days=400)
    queryset = commitments_on(params, as_of)
    lists = report_lists(params)
    expected = {
        name: list(queryset.filter(condition).order_by(*order).values_list("pk", flat=True)[:limit])
        for name, (condition, *order) in lists.items()
    }
    with CaptureQueriesContext(connection) as queries:
        found = first_of_each(queryset, lists, limit)
    assert len(queries.captured_queries) == 1
    assert found == expected
    assert all(expected.values())  # no list is empty: each order is compared


def test_lists_today(history):
    result = report()
    assert titles(result.overdue) == ["Days of Serbia in Kazakhstan"]
    assert result.overdue[0].status == "delayed"
    assert result.overdue[0].responsible == [("Ministry of Tourism and Youth", history["rs_tour"].get_absolute_url())]
    assert titles(result.due_soon) == ["Joint digital lab"]
    # The draft organization responsible for c3 is not named.
    assert [name for name, _url in result.due_soon[0].responsible] == [
        "Ministry of Science and Higher Education",
        "Ministry of Tourism and Youth",
    ]
    assert titles(result.stale) == ["Library exchange"]
    assert result.stale[0].reviewed_on == d("2024-12-15")
    assert result.changes is None


def test_sector_matrix_today(history):
    rows = {row.name: dict(zip([s.value for s in S], row.counts, strict=True)) for row in report().sectors}
    assert list(rows) == ["Digital", "Education", "Tourism", "No sector"]
    nonzero = {name: {k: v for k, v in counts.items() if v} for name, counts in rows.items()}
    assert nonzero == {
        "Digital": {"no_information": 1, "partially_completed": 1},
        "Education": {"completed": 1, "no_information": 1},
        "Tourism": {"delayed": 1, "cancelled": 1},
        "No sector": {"in_progress": 1},
    }


def test_organization_scorecard_today(history):
    rows = {row.name: row for row in report().organizations}
    assert list(rows) == ["Ministry of Science and Higher Education", "Ministry of Tourism and Youth"]
    kz = rows["Ministry of Science and Higher Education"]
    assert (kz.total, kz.completed, kz.overdue, kz.detail) == (4, 1, 0, "KZ")
    assert kz.average_progress == pytest.approx(45)
    rs = rows["Ministry of Tourism and Youth"]
    assert (rs.total, rs.completed, rs.overdue, rs.detail) == (3, 0, 1, "RS")
    assert rs.average_progress == pytest.approx(50 / 3)
    assert dict(zip([s.value for s in S], rs.counts, strict=True)) == {
        "no_information": 1,
        "not_started": 0,
        "in_progress": 0,
        "delayed": 1,
        "partially_completed": 0,
        "completed": 0,
        "cancelled": 1,
    }


def test_visit_scorecard_today(history):
    rows = report().visits
    # The draft visit and the commitment made only in a document are left out.
    assert [(row.name, row.total, row.completed, row.overdue) for row in rows] == [
        ("Official visit to Belgrade", 3, 1, 1),
        ("Business forum in Astana", 1, 0, 0),
    ]
    assert rows[0].url == history["v1"].get_absolute_url()
    assert rows[0].detail == "19 November 2024"


@pytest.mark.parametrize(
    ("as_of", "total", "by_status", "overdue", "due_soon", "average"),
    [
        ("2024-11-18", 0, {}, 0, 0, None),
        ("2024-12-31", 4, {"no_information": 2, "in_progress": 2}, 0, 2, 30 / 4),
        ("2025-01-31", 4, {"in_progress": 2, "no_information": 1, "cancelled": 1}, 0, 1, 60 / 4),
        ("2025-04-01", 6, {"in_progress": 3, "no_information": 2, "cancelled": 1}, 1, 0, 100 / 6),
        ("2025-06-30", 6, None, 1, 1, 230 / 6),  # as of today = the current report
    ],
)
def test_summary_as_of(history, as_of, total, by_status, overdue, due_soon, average):
    summary = report(as_of=d(as_of)).summary
    assert summary.total == total
    assert statuses(summary) == (by_status if by_status is not None else statuses(report().summary))
    assert (summary.overdue, summary.due_soon) == (overdue, due_soon)
    if average is None:
        assert summary.average_progress is None
    else:
        assert summary.average_progress == pytest.approx(average)


def test_lists_and_scorecards_as_of(history):
    past = report(as_of=d("2025-04-01"))
    assert titles(past.overdue) == ["Days of Serbia in Kazakhstan"]
    assert past.overdue[0].status == "in_progress"  # it was delayed only on 15 April
    assert past.due_soon == []
    early = report(as_of=d("2024-12-31"))
    assert titles(early.due_soon) == ["Tourism portal", "Days of Serbia in Kazakhstan"]
    assert [(row.name, row.total, row.completed) for row in early.visits] == [("Official visit to Belgrade", 3, 0)]
    # 60 days before 1 April is 31 January: c5 (reviewed 15 Dec) and c1 (15 Jan) are stale; c2 was reviewed
    # on 1 Feb, c3 (never reviewed) was made on 10 Feb, c7 on 1 Mar.
    assert titles(report(as_of=d("2025-04-01"), stale_days=60).stale) == ["Library exchange", "Student exchange"]
    # By 15 April (cutoff 14 Feb) c3 is stale too, listed first as never reviewed; c2 was reviewed that day.
    assert titles(report(as_of=d("2025-04-15"), stale_days=60).stale) == [
        "Joint digital lab",
        "Library exchange",
        "Student exchange",
    ]


def test_as_of_matrix_uses_history(history):
    rows = {row.name: row.counts for row in report(as_of=d("2025-01-31")).sectors}
    assert list(rows) == ["Education", "Tourism", "No sector"]  # c3 and c7 did not exist yet
    assert rows["Tourism"][list(S).index(S.CANCELLED)] == 1
    assert rows["Tourism"][list(S).index(S.NO_INFORMATION)] == 1


def test_changes_since(history):
    changes = report(since=d("2025-04-01")).changes
    assert changes.baseline_date == d("2025-03-31")
    assert statuses(changes.baseline) == {"in_progress": 3, "no_information": 2, "cancelled": 1}
    assert changes.updates_total == 3
    assert [(u.reported_on, u.commitment, u.previous_status, u.status) for u in changes.updates] == [
        (d("2025-06-01"), "Satellite data sharing", None, "partially_completed"),
        (d("2025-05-10"), "Student exchange", "in_progress", "completed"),
        (d("2025-04-15"), "Days of Serbia in Kazakhstan", "in_progress", "delayed"),
    ]
    assert report(since=d("2025-04-01")).summary.made_since == 0
    assert report(since=d("2025-02-01")).summary.made_since == 2  # c3 (10 Feb) and c7 (1 Mar)


def test_changes_since_within_as_of(history):
    changes = report(as_of=d("2025-02-28"), since=d("2025-01-01")).changes
    assert [(u.reported_on, u.commitment) for u in changes.updates] == [
        (d("2025-02-01"), "Days of Serbia in Kazakhstan"),
        (d("2025-01-20"), "Tourism portal"),
        (d("2025-01-15"), "Student exchange"),
    ]
    assert statuses(changes.baseline) == {"no_information": 2, "in_progress": 2}


@pytest.mark.parametrize(
    ("filter_name", "key", "expected_total"),
    [
        ("sector", "education", 2),
        ("sector", "digital", 2),
        ("organization", "rs_tour", 3),
        ("organization", "kz_edu", 4),
        ("country", "rs", 3),
        ("country", "kz", 4),
        ("visit", "v1", 3),
        ("visit", "v2", 1),
        ("document", "d1", 1),
    ],
)
def test_filters(history, filter_name, key, expected_total):
    result = report(**{filter_name: history[key]})
    assert result.summary.total == expected_total
    assert sum(row.total for row in result.visits) <= expected_total


def test_filters_combine(history):
    result = report(sector=history["tourism"], organization=history["rs_tour"])
    assert result.summary.total == 2
    assert titles(result.overdue) == ["Days of Serbia in Kazakhstan"]


def test_drafts_never_count(history):
    result = report(since=d("2024-01-01"))
    everything = repr(result)
    for marker in ["Hidden draft commitment", "Secret Draft Agency", "Hidden draft visit", "hidden note"]:
        assert marker not in everything
    # c3's only update is a draft: it is "not started", not "completed".
    assert result.summary.by_status[S.COMPLETED] == 1
    assert all(u.commitment != "Joint digital lab" for u in result.changes.updates)


def test_report_queries_do_not_grow_with_rows(django_assert_num_queries, django_assert_max_num_queries):
    sector = factories.sector("Trade")
    org = factories.organization()
    visit = factories.visit(start_date=d("2024-11-19"))

    def add(n):
        # Some overdue, some due soon, some far off, so that every list has rows at any size.
        deadlines = [d("2025-03-01"), d("2025-07-15"), d("2026-01-01")]
        for i in range(n):
            c = factories.commitment(origin_visit=visit, sectors=[sector], responsible=[org], due_on=deadlines[i % 3])
            factories.status_update(c, S.IN_PROGRESS, 20, reported_on=d("2024-12-01"))

    def run():
        build_report(ReportParams(today=TODAY, since=d("2025-01-01"), as_of=d("2025-05-01")))
        build_report(ReportParams(today=TODAY))

    add(5)
    with CaptureQueriesContext(connection) as small:
        run()
    add(195)
    with django_assert_num_queries(len(small.captured_queries)):
        run()
    with django_assert_max_num_queries(30):
        run()
    # Four aggregates (summary, sectors, two scorecards), the three lists (their ids in one query,
    # then their rows) and their organizations, the figures (one query, with their count:
    # reports/figures.py), and the documents signed but not yet in force (one query, with their
    # count): nine, and the page's read of the content version makes ten.
    with django_assert_max_num_queries(9):
        build_report(ReportParams(today=TODAY))


def test_overview_figures(history):
    overview = build_overview(TODAY)
    assert (overview.documents_signed, overview.documents_in_force, overview.visits) == (1, 1, 2)
    assert overview.summary.total == 6
    assert [(u.commitment, u.status) for u in overview.latest_updates][:2] == [
        ("Satellite data sharing", "partially_completed"),
        ("Student exchange", "completed"),
    ]
    assert len(overview.latest_updates) == 8  # the published updates of published commitments
    points = {point.label: point for point in overview.timeline}
    assert list(points) == ["2024 Q4", "2025 Q1", "today"]
    assert points["2024 Q4"].total == 4
    assert points["2025 Q1"].counts == [2, 0, 3, 0, 0, 0, 1]  # no information, not started, …, cancelled
    assert points["today"].counts == [overview.summary.by_status[s] for s in S]


def test_quarter_ends():
    assert quarter_ends(d("2024-11-19"), d("2025-06-30")) == [d("2024-12-31"), d("2025-03-31"), d("2025-06-30")]
    assert quarter_ends(d("2025-06-30"), d("2025-06-30")) == [d("2025-06-30")]
    assert quarter_ends(d("2020-01-05"), d("2025-05-01"), limit=3) == [
        d("2024-12-31"),
        d("2025-03-31"),
        d("2025-05-01"),
    ]


def test_timeline_agrees_with_the_report_as_of_each_date(history):
    # Two updates on one day: the later entry holds.
    factories.status_update(history["c5"], S.IN_PROGRESS, 25, reported_on=d("2025-03-10"))
    factories.status_update(history["c5"], S.DELAYED, 25, reported_on=d("2025-03-10"))
    # Unfiltered, and filtered by a sector.
    for params in [ReportParams(today=TODAY), ReportParams(today=TODAY, sector=history["education"])]:
        points = timeline(params, d("2024-11-19"))
        assert len(points) == 3
        for point in points:
            as_of = dataclasses.replace(params, as_of=point.date)
            expected = build_report(as_of).summary.by_status
            assert point.counts == [expected[s] for s in S], point.label
    q1 = {p.label: p for p in build_overview(TODAY).timeline}["2025 Q1"]
    assert q1.counts[list(S).index(S.DELAYED)] == 1


def test_timeline_agrees_with_the_report_on_edge_dates(history):
    # An update dated before its commitment was made, one on a quarter's last day followed by a
    # draft, and points before anything was made.
    factories.status_update(history["c2"], S.DELAYED, 5, reported_on=d("2024-10-01"))
    factories.status_update(history["c5"], S.PARTIALLY_COMPLETED, 50, reported_on=d("2025-03-31"))
    factories.status_update(
        history["c5"], S.COMPLETED, 100, reported_on=d("2025-04-01"), publication_status=factories.DRAFT
    )
    params = ReportParams(today=TODAY)
    points = timeline(params, d("2024-01-15"))
    assert [point.label for point in points] == ["2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4", "2025 Q1", "today"]
    for point in points:
        expected = build_report(dataclasses.replace(params, as_of=point.date)).summary.by_status
        assert point.counts == [expected[s] for s in S], point.label
    assert points[0].total == 0


def test_scorecards_can_keep_only_their_first_rows(history):
    full = build_report(ReportParams(today=TODAY))
    short = build_report(ReportParams(today=TODAY), scorecard_rows=1)
    assert short.organizations == full.organizations[:1] and short.organizations_left_out == 1
    assert short.visits == full.visits[:1] and short.visits_left_out == 1
    assert (full.organizations_left_out, full.visits_left_out) == (0, 0)
    assert short.summary == full.summary
