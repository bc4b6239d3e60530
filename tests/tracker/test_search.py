"""Text search (`q`) from an index on both databases: PostgreSQL's search vector (migration 0002)
and SQLite's FTS5 index (migration 0009), kept current by triggers on every write path."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.tracker.models import Commitment, Organization, Visit
from cooperation.tracker.search import sqlite_match
from tests import factories

SQLITE_ONLY = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")


@pytest.mark.parametrize(
    ("typed", "match"),
    [
        ("digital", '"digital"*'),
        ("Digital  cooperation!", '"Digital"* AND "cooperation"*'),
        ('"business council" restart', '"business council" AND "restart"*'),
        ("restart -council", '"restart"* NOT "council"*'),
        ('energy -"solar park"', '"energy"* NOT "solar park"'),
        ("Šabac Алматы", '"Šabac"* AND "Алматы"*'),
        # FTS5's own syntax is not passed on: operators, columns, NEAR and stray quotes are words or nothing.
        ('title:x OR y NEAR(z) "open', '"title"* AND "x"* AND "OR"* AND "y"* AND "NEAR"* AND "z"* AND "open"*'),
        ("*^-()", None),
        ("-council", None),  # only an exclusion: nothing to look for
        ('""', None),
    ],
)
def test_what_is_typed_becomes_a_safe_fts5_query(typed, match):
    assert sqlite_match(typed) == match


def titles(queryset) -> list[str]:
    return sorted(queryset.values_list("title", flat=True))


@pytest.mark.django_db
def test_the_index_follows_every_write():
    commitment = factories.commitment(title="Open a trade house in Almaty", description="With a warehouse")
    assert titles(Commitment.objects.search("warehouse")) == ["Open a trade house in Almaty"]

    commitment.title = "Open a trade mission in Belgrade"
    commitment.save()
    assert titles(Commitment.objects.search("almaty")) == []
    assert titles(Commitment.objects.search("belgrade mission")) == ["Open a trade mission in Belgrade"]

    Commitment.objects.filter(pk=commitment.pk).update(description="A showroom for machinery")
    assert titles(Commitment.objects.search("warehouse")) == []
    assert titles(Commitment.objects.search("showroom")) == ["Open a trade mission in Belgrade"]

    Commitment.objects.filter(pk=commitment.pk).update(progress=40)  # no searched column: still found
    assert titles(Commitment.objects.search("showroom")) == ["Open a trade mission in Belgrade"]

    Commitment.objects.bulk_create(
        [Commitment(title="Bulk-loaded grain corridor", slug="grain", origin_visit=commitment.origin_visit)]
    )
    assert titles(Commitment.objects.search("corridor")) == ["Bulk-loaded grain corridor"]

    commitment.delete()
    assert titles(Commitment.objects.search("showroom")) == []


@pytest.mark.django_db
def test_every_searched_column_of_every_listed_model_is_indexed():
    organization = factories.organization(name="Agency", short_name="KazAID", description="Development aid")
    visit = factories.visit(title="Talks", summary="On logistics", place="Khorgos")
    document = factories.document(title="Memorandum", short_title="MoU on rail", summary="Freight trains")
    commitment = factories.commitment(title="Launch", description="A satellite")
    for model, record, words in [
        (Organization, organization, ["kazaid", "development"]),
        (Visit, visit, ["logistics", "khorgos"]),
        (type(document), document, ["rail", "freight"]),
        (Commitment, commitment, ["satellite"]),
    ]:
        for word in words:
            assert list(model.objects.search(word)) == [record], (model, word)


@pytest.mark.django_db
def test_unpublished_records_are_searched_only_among_published_ones():
    factories.commitment(title="Secret tunnel", publication_status=factories.DRAFT)
    assert titles(Commitment.objects.published().search("tunnel")) == []
    assert titles(Commitment.objects.search("tunnel")) == ["Secret tunnel"]  # the admin's view


@SQLITE_ONLY
@pytest.mark.django_db
def test_sqlite_finds_words_without_case_or_diacritics_and_by_their_start():
    factories.visit(title="Business forum in Šabac")
    assert titles(Visit.objects.search("sabac")) == ["Business forum in Šabac"]
    assert titles(Visit.objects.search("BUSI")) == ["Business forum in Šabac"]
    assert titles(Visit.objects.search("usiness")) == []  # the inside of a word is not a word


@SQLITE_ONLY
@pytest.mark.django_db
def test_sqlite_answers_a_search_from_its_index():
    factories.commitment(title="Digital signature")
    with CaptureQueriesContext(connection) as queries:
        list(Commitment.objects.published().search("digital"))
    (sql,) = [query["sql"] for query in queries.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    assert "VIRTUAL TABLE INDEX" in plan and "tracker_commitment_search" in plan, plan
    assert "SCAN tracker_commitment" not in plan.replace("SCAN tracker_commitment_search", ""), plan
