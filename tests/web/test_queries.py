"""The number of SQL queries per public page does not grow with the rows shown:
each page is measured with 5 and with 200 related rows."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.tracker.models import (
    Commitment,
    CommitmentStatus,
    Document,
    DocumentParty,
    Organization,
    Person,
    StatusUpdate,
    Visit,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

# Small and fixed: rows + count + one query per prefetched relation + filter choices.
# Not counted: the page cache's read of the content version, asserted separately (one per page).
MAX_QUERIES = 10
PUBLISHED = f.PUBLISHED


def build_world(rows: int, prefix: str) -> dict:
    """One hub record of each kind, and `rows` records of every kind linked to the hubs
    (inserted in bulk: the point is many rows, not the save() paths)."""
    kz, rs = f.country("KZ"), f.country("RS")
    digital = f.sector("Digital")
    source = f.source()
    hub_org = f.organization(name=f"{prefix} hub ministry", country=kz)
    hub_visit = f.visit(title=f"{prefix} hub visit", host_country=rs)
    hub_document = f.document(title=f"{prefix} hub memorandum", signed_at=hub_visit, parties=[hub_org])
    hub_commitment = f.commitment(title=f"{prefix} hub commitment", origin_document=hub_document, responsible=[hub_org])
    numbers = range(rows)

    def slug(kind, number):
        return f"{prefix}-{kind}-{number}"

    partners = Organization.objects.bulk_create(
        Organization(
            name=f"{prefix} Partner {n}",
            slug=slug("org", n),
            kind="ministry",
            country=rs,
            parent=hub_org,
            publication_status=PUBLISHED,
        )
        for n in numbers
    )
    people = Person.objects.bulk_create(
        Person(
            name=f"{prefix} Person {n}",
            slug=slug("person", n),
            country=kz,
            organization=hub_org,
            publication_status=PUBLISHED,
        )
        for n in numbers
    )
    visits = Visit.objects.bulk_create(
        Visit(
            title=f"{prefix} Visit {n}",
            slug=slug("visit", n),
            kind="talks",
            host_country=kz,
            start_date=datetime.date(2024, 1, 1),
            publication_status=PUBLISHED,
        )
        for n in numbers
    )
    documents = Document.objects.bulk_create(
        Document(
            title=f"{prefix} Document {n}",
            slug=slug("document", n),
            kind="mou",
            level="interdepartmental",
            signed_on=datetime.date(2024, 11, 19),
            signed_at=hub_visit,
            builds_on=hub_document,
            publication_status=PUBLISHED,
        )
        for n in numbers
    )
    commitments = Commitment.objects.bulk_create(
        Commitment(
            title=f"{prefix} Commitment {n}",
            slug=slug("commitment", n),
            origin_document=hub_document,
            origin_visit=hub_visit,
            publication_status=PUBLISHED,
        )
        for n in numbers
    )
    DocumentParty.objects.bulk_create(
        [
            DocumentParty(document=d, organization=o, side=rs, signatory=p)
            for d, o, p in zip(documents, partners, people, strict=True)
        ]
        + [DocumentParty(document=d, organization=hub_org, side=kz) for d in documents]
    )
    Organization.sectors.through.objects.bulk_create(
        Organization.sectors.through(organization=o, sector=digital) for o in partners
    )
    Visit.participants.through.objects.bulk_create(
        Visit.participants.through(visit=v, person=p) for v, p in zip(visits, people, strict=True)
    )
    Visit.organizations.through.objects.bulk_create(
        Visit.organizations.through(visit=v, organization=o) for v, o in zip(visits, partners, strict=True)
    )
    Visit.organizations.through.objects.bulk_create(
        Visit.organizations.through(visit=v, organization=hub_org) for v in visits
    )
    Document.sectors.through.objects.bulk_create(
        Document.sectors.through(document=d, sector=digital) for d in documents
    )
    Document.sources.through.objects.bulk_create(Document.sources.through(document=d, source=source) for d in documents)
    Commitment.sectors.through.objects.bulk_create(
        Commitment.sectors.through(commitment=c, sector=digital) for c in commitments
    )
    responsible = Commitment.responsible_organizations.through
    responsible.objects.bulk_create(
        responsible(commitment=c, organization=o) for c, o in zip(commitments, partners, strict=True)
    )
    responsible.objects.bulk_create(responsible(commitment=c, organization=hub_org) for c in commitments)
    StatusUpdate.objects.bulk_create(
        [
            StatusUpdate(
                commitment=c,
                status=CommitmentStatus.IN_PROGRESS,
                progress=30,
                reported_on=datetime.date(2025, 1, 1),
                evidence_visit=v,
                evidence_document=d,
                evidence_source=source,
                publication_status=PUBLISHED,
            )
            for c, v, d in zip(commitments, visits, documents, strict=True)
        ]
        + [
            StatusUpdate(
                commitment=hub_commitment,
                status=CommitmentStatus.IN_PROGRESS,
                progress=n % 100,
                reported_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
                evidence_visit=v,
                evidence_document=d,
                publication_status=PUBLISHED,
            )
            for n, v, d in zip(numbers, visits, documents, strict=True)
        ]
        + [
            StatusUpdate(
                commitment=c,
                status=CommitmentStatus.DELAYED,
                progress=5,
                reported_on=datetime.date(2024, 12, 1),
                evidence_visit=hub_visit,
                publication_status=PUBLISHED,
            )
            for c in commitments
        ]
    )
    Commitment.objects.refresh_status_in_batches()
    return {"organization": hub_org, "visit": hub_visit, "document": hub_document, "commitment": hub_commitment}


LIST_PAGES = [
    ("web:document-list", {"per_page": "100", "sector": "digital", "country": "RS"}),
    ("web:document-list", {"per_page": "100", "_export": "csv"}),
    ("web:visit-list", {"per_page": "100", "year": "2024", "host_country": "KZ", "person": "Person"}),
    ("web:visit-list", {"per_page": "100", "_export": "json"}),
    ("web:commitment-list", {"per_page": "100", "sector": "digital", "overdue": "no", "responsible": "Partner"}),
    ("web:commitment-list", {"per_page": "100", "_export": "xlsx", "sort": "-progress"}),
    ("web:organization-list", {"per_page": "100", "country": "RS", "sector": "digital"}),
    ("web:organization-list", {"per_page": "100", "_export": "csv", "sort": "-document_count"}),
]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    """Counted as served in production: with the page and query caches on, for a page not yet
    cached after a change (every cache empty: the count and the filter choices are queried)."""
    settings.PAGE_CACHE_SECONDS = 60
    settings.QUERY_CACHE_SECONDS = 60


def count_queries(client, url, params=None):
    """Queries for the page's data, with the page cache on and the page not yet cached."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    data = [query for query in context.captured_queries if "tracker_contentversion" not in query["sql"]]
    # Read once per request: by the page cache, or by the query cache (an export's choices).
    assert len(context.captured_queries) - len(data) <= 1, url
    if "_export" not in (params or {}):
        assert len(context.captured_queries) - len(data) == 1, url
    return len(data), response


def measure_lists(client):
    counts, shown = [], []
    for name, params in LIST_PAGES:
        count, response = count_queries(client, reverse(name), params)
        counts.append(count)
        shown.append(len(response.context["table"].page.object_list) if "_export" not in params else None)
    return counts, shown


def test_list_and_export_queries_do_not_grow_with_rows(client):
    build_world(5, "small")
    small, small_shown = measure_lists(client)
    build_world(195, "large")
    large, large_shown = measure_lists(client)
    assert small == large
    assert max(large) <= MAX_QUERIES
    assert all(n is None or n >= 5 for n in small_shown)
    assert all(n is None or n == 100 for n in large_shown)  # a full page of 100 rows


def test_detail_queries_do_not_grow_with_related_rows(client):
    small_hubs = build_world(5, "small")
    large_hubs = build_world(200, "large")
    for kind in ("document", "visit", "commitment", "organization"):
        small, _ = count_queries(client, small_hubs[kind].get_absolute_url())
        large, response = count_queries(client, large_hubs[kind].get_absolute_url())
        assert small == large, kind
        assert large <= MAX_QUERIES, kind
        # The page really shows the 200 related rows.
        html = response.content.decode()
        assert "large Document 199" in html or "large Commitment 199" in html or "large Partner 199" in html, kind


def test_filtered_list_stays_within_the_bound(client, django_assert_max_num_queries):
    build_world(5, "small")
    with django_assert_max_num_queries(MAX_QUERIES + 1):  # and the content version
        response = client.get(
            reverse("web:commitment-list"), {"responsible": "small hub ministry", "document": "small-hub-memorandum"}
        )
    assert response.context["table"].paginator.count == 6


# --- Sort orders read an index --------------------------------------------------------------

# The lists that grow large, and every column their tables sort by (but for a related record's
# column), both ways: a page, even the last, must be read from an index in order, not by
# sorting every published row (seconds at 100,000 commitments).
SORTED_LISTS = [
    ("web:commitment-list", "tracker_commitment", ("", "title", "status", "progress", "due_on", "last_reviewed_on")),
    ("web:document-list", "tracker_document", ("", "title", "kind", "level", "status", "signed_on")),
    (
        "web:visit-list",
        "tracker_visit",
        ("", "title", "kind", "start_date", "place", "document_count", "commitment_count"),
    ),
]


def keys_query(client, url, table, sort) -> str:
    """The SQL the list runs for the keys of its page (KeysFirstPaginator)."""
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, {"sort": sort} if sort else {}).status_code == 200
    start = f'SELECT "{table}"."id" AS "pk" FROM '  # noqa: S608 (matched, not run)
    (sql,) = [query["sql"] for query in context.captured_queries if query["sql"].startswith(start)]
    return sql


def sorts_rows(sql: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # With sorting made prohibitively costly, a plan still sorts only if no index serves.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_incremental_sort = off")
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_sort")
            cursor.execute("RESET enable_incremental_sort")
            return "Sort" in plan
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return any("TEMP B-TREE" in row[-1] for row in cursor.fetchall())


@pytest.mark.parametrize(("name", "table", "columns"), SORTED_LISTS)
def test_every_sort_order_of_the_large_lists_is_read_from_an_index(client, name, table, columns):
    build_world(5, "sorted")
    unserved = [
        order
        for column in columns
        for order in ([column, f"-{column}"] if column else [""])
        if sorts_rows(keys_query(client, reverse(name), table, order))
    ]
    assert unserved == []


def test_a_page_is_read_by_its_keys_without_running_the_filters_again(client):
    """The filters chose the page's keys; the rows are then read by key alone (KeysFirstPaginator)."""
    build_world(5, "keys")
    Commitment.objects.filter(title__endswith=" 3").update(status=CommitmentStatus.DELAYED)
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("web:commitment-list"), {"status": "delayed", "q": "Commitment", "overdue": "no"})
    assert [row.record.title for row in response.context["table"].page.object_list] == ["keys Commitment 3"]
    statements = [query["sql"] for query in context.captured_queries if 'FROM "tracker_commitment"' in query["sql"]]
    (rows,) = [sql for sql in statements if "LEFT OUTER JOIN" in sql]  # the page's rows with their origins
    condition = rows.split(" WHERE ", 1)[1].split(" ORDER BY ")[0]
    assert [word for word in ("delayed", "deadline", "Commitment", "search") if word in condition] == []
    assert any("delayed" in sql for sql in statements if sql is not rows)  # the keys were filtered
