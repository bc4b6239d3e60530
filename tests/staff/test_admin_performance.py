"""What keeps the admin changelists cheap at 100,000 commitments (README, "Performance"):
a fixed number of queries whatever the rows, no COUNT(*) and no SELECT DISTINCT over a whole
large table on an unfiltered load, and the same pages, rows and links as Django's own admin."""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.staff.admin import paginators
from cooperation.staff.admin.paginators import EstimatedCountPaginator
from cooperation.staff.admin.registrations import CommitmentAdmin
from cooperation.tracker.models import Commitment, CommitmentStatus, StatusUpdate
from tests import factories as f

pytestmark = pytest.mark.django_db

YEARS = (2015, 2018, 2019, 2023)


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [q["sql"] for q in queries.captured_queries]


def analyze():
    """Fresh planner statistics, which the PostgreSQL estimate reads."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def commitments_with_everything(count: int) -> None:
    """Commitments with every column a changelist shows filled: origins of both kinds,
    responsible organizations, sectors, and a status update each."""
    kz, rs = f.organization(), f.organization(country=f.country("RS"))
    sector = f.sector()
    for number in range(count):
        year = YEARS[number % len(YEARS)]
        visit = f.visit(start_date=datetime.date(year, 3, 1))
        document = f.document(parties=[kz, rs], signed_on=datetime.date(year, 4, 1), signed_at=visit)
        document.sectors.add(sector)
        commitment = f.commitment(responsible=[kz, rs], sectors=[sector], origin_visit=visit, origin_document=document)
        f.status_update(commitment, reported_on=datetime.date(year, 5, 1))


# --- no N+1: the number of queries does not depend on the rows ------------------------------

CHANGELISTS = ["commitment", "document", "statusupdate", "visit", "organization", "documentparty"]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelist_queries_are_the_same_for_4_and_40_rows(superuser_client, model):
    url = reverse(f"admin:tracker_{model}_changelist")
    commitments_with_everything(4)
    response, few = get(superuser_client, url)
    rows_before = len(response.context["cl"].result_list)
    commitments_with_everything(36)  # same years: the date hierarchy's seeks stay the same too
    response, many = get(superuser_client, url)
    assert len(response.context["cl"].result_list) > rows_before
    assert len(many) == len(few), "\n".join(many)
    # Session, user, filter choices, count, page, prefetches, and one seek per year at most.
    assert len(many) <= 8 + len(YEARS) + 1


# --- no unfiltered COUNT(*) or DISTINCT over a large table -------------------------------------


@pytest.fixture
def large(monkeypatch):
    """Tables "large" for the test: the estimate is used above 5 rows."""
    monkeypatch.setattr(paginators, "ESTIMATE_ABOVE", 5)
    commitments_with_everything(12)
    analyze()


@pytest.mark.parametrize("model", ["commitment", "statusupdate", "document", "visit"])
def test_unfiltered_changelist_neither_counts_nor_scans_the_table(superuser_client, large, model):
    response, queries = get(superuser_client, reverse(f"admin:tracker_{model}_changelist"))
    table = f"tracker_{model}"
    assert not [sql for sql in queries if "COUNT(" in sql.upper() and table in sql], queries
    assert not [sql for sql in queries if "DISTINCT" in sql.upper() and table in sql], queries
    cl = response.context["cl"]
    assert cl.paginator.count_qualifier is not None
    # An estimate is said to be one, on the pagination line and on "select all".
    html = response.content.decode()
    qualifier = str(cl.paginator.count_qualifier)
    assert f"{qualifier} {cl.result_count}" in html
    assert f"Select all ({qualifier} {cl.result_count})" in html


def test_the_estimate_is_the_row_count_when_nothing_was_deleted(superuser_client, large):
    cl = get(superuser_client, reverse("admin:tracker_commitment_changelist"))[0].context["cl"]
    if connection.vendor == "sqlite":
        assert cl.paginator.count_qualifier == "at most"  # the span of the ids: an upper bound
    assert cl.result_count == Commitment.objects.count() == 12


def test_a_small_table_is_counted_exactly(superuser_client):
    commitments_with_everything(3)
    analyze()
    response, queries = get(superuser_client, reverse("admin:tracker_commitment_changelist"))
    assert response.context["cl"].paginator.count_qualifier is None
    assert "about" not in response.content.decode() and "at most" not in response.content.decode()


def test_filtered_counts_are_exact(superuser_client, large):
    url = reverse("admin:tracker_statusupdate_changelist") + f"?reported_on__year={YEARS[0]}"
    cl = get(superuser_client, url)[0].context["cl"]
    assert cl.paginator.count_qualifier is None
    assert cl.result_count == StatusUpdate.objects.filter(reported_on__year=YEARS[0]).count() == 3


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the id span is SQLite's estimate")
def test_sqlite_bound_after_deletions_pages_to_the_real_end(superuser_client, large, monkeypatch):
    monkeypatch.setattr(CommitmentAdmin, "list_per_page", 4)
    doomed = Commitment.objects.order_by("deadline", "title", "-pk")[1:5]
    StatusUpdate.objects.filter(commitment__in=list(doomed)).delete()
    Commitment.objects.filter(pk__in=[c.pk for c in doomed]).delete()  # 8 left, ids still span 12
    url = reverse("admin:tracker_commitment_changelist")
    cl = get(superuser_client, url)[0].context["cl"]
    assert (cl.result_count, cl.paginator.count_qualifier) == (12, "at most")
    shown = [c.pk for page in (1, 2) for c in get(superuser_client, f"{url}?p={page}")[0].context["cl"].result_list]
    assert sorted(shown) == sorted(Commitment.objects.values_list("pk", flat=True))
    # The third page the bound promised is empty: Django's admin sends the user back to the list.
    assert superuser_client.get(f"{url}?p=3").status_code == 302


def test_an_estimate_never_hides_rows(monkeypatch):
    """A low estimate (PostgreSQL's statistics lag behind inserts) still shows every row."""
    commitments_with_everything(5)
    monkeypatch.setattr(paginators, "estimated_row_count", lambda queryset: (3, "about"))
    monkeypatch.setattr(paginators, "ESTIMATE_ABOVE", 1)
    paginator = EstimatedCountPaginator(Commitment.objects.order_by("pk"), per_page=2)
    assert (paginator.count, paginator.num_pages) == (3, 2)
    pages = [list(paginator.page(number).object_list) for number in (1, 2, 3)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert sum(pages, []) == list(Commitment.objects.order_by("pk"))
    with pytest.raises(paginators.EmptyPage):
        paginator.page(4)
    with pytest.raises(paginators.PageNotAnInteger):
        paginator.page("last")


# --- the date hierarchy ------------------------------------------------------------------------


def year_links(response) -> list[str]:
    return re.findall(r'<a href="\?[^"]*__year=(\d+)">', response.content.decode())


@pytest.mark.parametrize(("model", "field"), [("statusupdate", "reported_on"), ("document", "signed_on")])
def test_date_hierarchy_lists_exactly_the_years_with_rows(superuser_client, model, field):
    commitments_with_everything(8)
    response, queries = get(superuser_client, reverse(f"admin:tracker_{model}_changelist"))
    assert year_links(response) == [str(year) for year in YEARS]
    assert not [sql for sql in queries if "DISTINCT" in sql.upper()]


def test_date_hierarchy_years_take_two_queries_however_many_years(superuser_client):
    commitments_with_everything(2)  # status updates in two years
    url = reverse("admin:tracker_statusupdate_changelist")
    response, queries = get(superuser_client, url)
    assert year_links(response) == [str(year) for year in YEARS[:2]]
    years = range(1990, 2031, 3)
    for year in years:
        f.status_update(Commitment.objects.first(), reported_on=datetime.date(year, 12, 31))
    response, more_queries = get(superuser_client, url)
    assert len(more_queries) == len(queries) <= 10
    assert year_links(response) == sorted({str(year) for year in [*years, *YEARS[:2]]})


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status__exact=in_progress",  # several years, filtered
        "?q=Solar+park",  # a search with rows in one year: opens on its months
        "?q=Commitment",  # a search over several years
        f"?reported_on__year={YEARS[1]}",  # months of a year
        f"?reported_on__year={YEARS[1]}&reported_on__month=5",  # days of a month
        f"?reported_on__year={YEARS[1]}&reported_on__month=5&reported_on__day=1",
        "?status__exact=cancelled",  # nothing
    ],
)
def test_date_hierarchy_shows_what_django_shows(superuser_client, query):
    commitments_with_everything(8)
    solar = Commitment.objects.order_by("pk").first()
    solar.title = "Solar park"
    solar.save()
    f.status_update(solar, reported_on=datetime.date(YEARS[0], 7, 9))
    response = get(superuser_client, reverse("admin:tracker_statusupdate_changelist") + query)[0]
    cl = response.context["cl"]
    assert cl.date_hierarchy_context == date_hierarchy(cl)


# --- rendering ---------------------------------------------------------------------------------


def test_row_checkbox_is_django_s_markup():
    commitment = f.commitment(title='Build "bridges" <b>& roads</b>')
    model_admin = admin.site._registry[Commitment]
    assert model_admin.action_checkbox(commitment) == admin.ModelAdmin.action_checkbox(model_admin, commitment)


# --- filters across a to-many relation -----------------------------------------------------------


def test_sector_filter_finds_each_commitment_once_without_select_distinct(superuser_client):
    energy, water = f.sector("Energy"), f.sector("Water")
    both = f.commitment(sectors=[energy, water])
    f.commitment(sectors=[energy])
    f.commitment(sectors=[water])
    url = reverse("admin:tracker_commitment_changelist") + f"?sectors__id__exact={energy.pk}"
    response, queries = get(superuser_client, url)
    cl = response.context["cl"]
    assert cl.result_count == 2 and len(set(cl.result_list)) == len(cl.result_list) == 2
    assert both in cl.result_list
    assert not [sql for sql in queries if "DISTINCT" in sql.upper()]


def test_not_overdue_is_everything_that_is_not_overdue(superuser_client):
    visit = f.visit()
    late = f.commitment(origin_visit=visit, due_on=datetime.date(2020, 1, 1))
    undated = f.commitment(origin_visit=visit)
    done = f.commitment(origin_visit=visit, due_on=datetime.date(2020, 1, 1))
    f.status_update(done, status=CommitmentStatus.COMPLETED)
    url = reverse("admin:tracker_commitment_changelist") + "?overdue=no"
    response, queries = get(superuser_client, url)
    assert set(response.context["cl"].result_list) == {undated, done}
    assert set(Commitment.objects.exclude(pk__in=Commitment.objects.overdue().values("pk"))) == {undated, done}
    assert late not in response.context["cl"].result_list
    assert not [sql for sql in queries if " IN (SELECT" in sql.upper()]
