"""Text search (`q`) from an index on both databases: PostgreSQL's search vector (migration 0002)
and SQLite's FTS5 index (migration 0009), kept current by triggers on every write path."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.tracker.models import Commitment, Organization, Visit
from cooperation.tracker.search import fold, prepare_query, sqlite_match
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


# --- Hyphenated words are words; a minus excludes only at the start of a word ---------------------


@pytest.mark.parametrize(
    ("typed", "prepared"),
    [
        ("military-industrial", '"military industrial"'),
        ("Trans-Caspian route", '"Trans Caspian" route'),
        ("co--operation", '"co operation"'),
        ("restart -council", "restart -council"),
        ("-council restart", "-council restart"),
        ("energy -military-industrial", 'energy -"military industrial"'),
        ('"military-industrial complex" x', '"military-industrial complex" x'),
        ("a - b", "a - b"),
        ("word- -", "word- -"),
        ("Šabac-Novi Sad", '"Šabac Novi" Sad'),
    ],
)
def test_one_function_reads_what_was_typed_for_both_databases(typed, prepared):
    assert prepare_query(typed) == prepared


@pytest.mark.django_db
def test_hyphenated_words_are_found_as_words_on_both_databases():
    factories.commitment(title="Joint projects in the military-industrial complex")
    factories.commitment(title="Cargo via the Trans-Caspian International Transport Route")
    factories.commitment(title="Develop the route", description="Transit on the trans-Caspian corridor")
    factories.commitment(title="Trans Caspian corridor studies")
    factories.commitment(title="Industrial parks")
    factories.commitment(title="Military hospitals")
    assert titles(Commitment.objects.search("military-industrial")) == [
        "Joint projects in the military-industrial complex"
    ]
    assert titles(Commitment.objects.search("Trans-Caspian")) == [
        "Cargo via the Trans-Caspian International Transport Route",
        "Develop the route",
        "Trans Caspian corridor studies",
    ]
    assert titles(Commitment.objects.search("industrial -military")) == ["Industrial parks"]
    assert titles(Commitment.objects.search("military -military-industrial")) == ["Military hospitals"]


@pytest.mark.django_db
def test_the_public_list_searches_hyphenated_words(client):
    factories.commitment(title="Implement joint projects in the military-industrial complex")
    response = client.get("/commitments/", {"q": "military-industrial"})
    assert "Implement joint projects in the military-industrial complex" in response.content.decode()


# --- Text filters: without case or diacritics, on both databases --------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Aleksandar Vučić", "aleksandar vucic"),
        ("VUČIĆ", "vucic"),
        ("GOŠA FOM", "gosa fom"),
        ("Đorđe Đoković", "dorde dokovic"),
        ("Pančevo", "pancevo"),
        ("Straße", "strasse"),
        ("Алматы ЁЛКА", "алматы елка"),
    ],
)
def test_fold_drops_case_and_diacritics(text, folded):
    assert fold(text) == folded
