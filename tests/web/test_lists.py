"""Public list pages: filters, search, sorting, pagination, exports; drafts never show."""

import csv
import datetime
import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from cooperation.tracker.models import (
    Commitment,
    CommitmentStatus,
    DocumentKind,
    DocumentParty,
    OrganizationKind,
    VisitKind,
)
from tests import factories as f
from tests.web.story import DRAFT_NAMES, build_story

pytestmark = pytest.mark.django_db

LISTS = ["web:document-list", "web:visit-list", "web:commitment-list", "web:organization-list"]


def titles(response):
    return [str(row.record) for row in response.context["table"].page.object_list]


def get(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response


def csv_rows(response):
    """The rows of a CSV download, which starts with a byte-order mark (for Excel)."""
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- Published only -------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTS)
def test_lists_and_their_exports_never_show_drafts(client, story, name):
    page = get(client, name).content.decode()
    exports = [get(client, name, _export=fmt).content.decode("utf-8", "replace") for fmt in ("csv", "json")]
    for text in [page, *exports]:
        for draft in DRAFT_NAMES:
            assert draft not in text


def test_result_counts_ignore_drafts(client, story):
    assert get(client, "web:document-list").context["table"].paginator.count == 2
    assert get(client, "web:commitment-list").context["table"].paginator.count == 2
    assert get(client, "web:visit-list").context["table"].paginator.count == 2
    assert get(client, "web:organization-list").context["table"].paginator.count == 2


def test_organization_counts_count_only_published_documents_and_commitments(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the stored counts are refreshed on commit
        build_story()
    response = get(client, "web:organization-list", q="Digital Development")
    (row,) = response.context["table"].page.object_list
    # The draft memorandum names this ministry as a party too; it is not counted.
    assert row.record.document_count == 1
    assert row.record.commitment_count == 1


def test_draft_party_and_filter_lookups_cannot_find_drafts(client, story):
    assert titles(get(client, "web:document-list", party="Secret Draft Agency")) == []
    assert titles(get(client, "web:document-list", visit="draft-visit-nobody-should-see")) == []
    assert titles(get(client, "web:commitment-list", responsible=story.draft_org.slug)) == []


def test_sector_choices_only_come_from_published_records(client, story):
    f.sector("Space")  # used by nothing published
    draft_only = f.sector("Mining")
    story.draft_document.sectors.add(draft_only)
    form = get(client, "web:document-list").context["filter"].form
    assert [label for _, label in form.fields["sector"].choices][1:] == ["Digital", "Education"]


# --- Filters ---------------------------------------------------------------------------


def test_document_filters(client, story):
    cooperation_memo = f.document(
        title="Memorandum of cooperation on tourism", kind=DocumentKind.MEMORANDUM_OF_COOPERATION
    )
    assert sorted(titles(get(client, "web:document-list", kind="memorandum"))) == [
        "Memorandum of cooperation on tourism",
        "Memorandum of understanding on digital cooperation",
    ]
    assert titles(get(client, "web:document-list", kind="moc")) == [str(cooperation_memo)]
    cooperation_memo.delete()
    assert titles(get(client, "web:document-list", kind=DocumentKind.AGREEMENT)) == [
        "Agreement on cooperation in education"
    ]
    assert titles(get(client, "web:document-list", sector="digital")) == [
        "Memorandum of understanding on digital cooperation"
    ]
    assert titles(get(client, "web:document-list", level="intergovernmental")) == [
        "Agreement on cooperation in education"
    ]
    assert titles(get(client, "web:document-list", country="KZ")) == [
        "Memorandum of understanding on digital cooperation"
    ]
    assert len(titles(get(client, "web:document-list", country="RS"))) == 2
    assert titles(get(client, "web:document-list", party="MDDIAI")) == [
        "Memorandum of understanding on digital cooperation"
    ]
    assert titles(get(client, "web:document-list", party=story.ministry_kz.slug)) == [
        "Memorandum of understanding on digital cooperation"
    ]
    assert titles(get(client, "web:document-list", visit=story.state_visit.slug)) == [
        "Memorandum of understanding on digital cooperation"
    ]
    assert titles(get(client, "web:document-list", signed_from="2024-10-01")) == [
        "Memorandum of understanding on digital cooperation"
    ]
    assert titles(get(client, "web:document-list", signed_to="2024-10-01")) == ["Agreement on cooperation in education"]
    assert titles(get(client, "web:document-list", status="in_force")) == []


def test_commitment_filters(client, story):
    restart, pilot = "Restart the Business Council", "Joint data centre pilot"
    assert titles(get(client, "web:commitment-list", status=CommitmentStatus.COMPLETED)) == [restart]
    assert titles(get(client, "web:commitment-list", overdue="yes")) == [pilot]
    assert titles(get(client, "web:commitment-list", overdue="no")) == [restart]
    assert titles(get(client, "web:commitment-list", responsible="Information of Serbia")) == [pilot]
    assert titles(get(client, "web:commitment-list", country="KZ")) == [restart]
    assert titles(get(client, "web:commitment-list", document=story.memorandum.slug)) == [pilot]
    assert titles(get(client, "web:commitment-list", visit="Official visit")) == [restart]
    assert titles(get(client, "web:commitment-list", due_to="2024-12-31")) == [restart]
    assert titles(get(client, "web:commitment-list", due_from="2025-01-01")) == [pilot]
    assert sorted(titles(get(client, "web:commitment-list", sector="digital"))) == sorted([restart, pilot])


def test_visit_and_organization_filters(client, story):
    official = "Official visit of President Tokayev to Serbia"
    council = "Kazakhstan–Serbia Business Council meeting"

    def visit_titles(**p):
        return [r.record.title for r in get(client, "web:visit-list", **p).context["table"].page.object_list]

    assert visit_titles(kind=VisitKind.BUSINESS_COUNCIL) == [council]
    assert visit_titles(host_country="RS") == [official]
    assert visit_titles(year="2026") == [council]
    assert visit_titles(person="Tokayev") == [official]
    assert visit_titles(person="Hidden Draft Person") == []
    assert visit_titles(sector="digital") == [official]
    years = get(client, "web:visit-list").context["filter"].form.fields["year"].choices
    assert [value for value, _ in years] == ["", "2026", "2024"]

    assert titles(get(client, "web:organization-list", country="RS")) == ["Ministry of Information of Serbia"]
    assert titles(get(client, "web:organization-list", kind=OrganizationKind.MINISTRY, sector="digital")) == [
        "Ministry of Digital Development of Kazakhstan"
    ]


def test_search_finds_words_in_titles_and_summaries(client, story):
    assert titles(get(client, "web:document-list", q="artificial intelligence")) == [
        "Memorandum of understanding on digital cooperation"
    ]
    assert titles(get(client, "web:commitment-list", q="council")) == ["Restart the Business Council"]
    assert titles(get(client, "web:commitment-list", q="secret private")) == []
    assert titles(get(client, "web:organization-list", q="information")) == ["Ministry of Information of Serbia"]


def test_invalid_filter_value_shows_a_message_and_no_rows(client, story):
    response = get(client, "web:document-list", kind="treaty-of-nowhere")
    assert titles(response) == []
    assert "not valid" in response.content.decode()
    assert response.context["filter"].form.errors["kind"]


def test_clear_filters_link_and_form_keep_the_state(client, story):
    response = get(client, "web:document-list", kind="mou", sort="title")
    html = response.content.decode()
    assert 'href="/documents/">Clear filters' in html.replace("\n", "")
    assert '<option value="title" selected>Title, ascending</option>' in html  # the form's "Sort by"
    assert "Clear filters" not in get(client, "web:document-list").content.decode()


def test_sector_filtered_commitment_list_links_its_feed(client, story):
    html = get(client, "web:commitment-list", sector="digital").content.decode()
    assert f'href="{reverse("reports:feed-sector", args=["digital"])}"' in html
    assert "application/atom+xml" not in get(client, "web:commitment-list").content.decode()


# --- Sorting and pagination -------------------------------------------------------------


def test_sorting_by_a_column_both_ways(client, story):
    assert titles(get(client, "web:commitment-list", sort="progress")) == [
        "Joint data centre pilot",
        "Restart the Business Council",
    ]
    assert titles(get(client, "web:commitment-list", sort="-progress")) == [
        "Restart the Business Council",
        "Joint data centre pilot",
    ]
    response = get(client, "web:commitment-list", sort="-progress")
    assert 'aria-sort="descending"' in response.content.decode()


def test_unknown_sort_column_is_ignored_with_a_message(client, story):
    response = get(client, "web:document-list", sort="password")
    assert len(titles(response)) == 2
    assert "unknown column" in response.content.decode()


def test_pagination_and_page_size(client):
    for number in range(30):
        f.document(title=f"Protocol {number:02d}")
    first = get(client, "web:document-list", sort="title", per_page=10)
    assert titles(first) == [f"Protocol {n:02d}" for n in range(10)]
    assert first.context["table"].paginator.count == 30
    third = get(client, "web:document-list", sort="title", per_page=10, page=3)
    assert titles(third) == [f"Protocol {n:02d}" for n in range(20, 30)]
    assert len(titles(get(client, "web:document-list"))) == 25  # the default page size


def test_every_page_holds_the_rows_of_the_plain_sorted_list(client):
    """Pages are cut by primary key first (KeysFirstPaginator), and those past the middle are read
    from the end: each page must hold exactly the rows, in the same order, that slicing the whole
    sorted list would give, ties included (several rows share a title, a due date, a status)."""
    statuses = ["in_progress", "delayed", "completed"]
    for number in range(35):
        due = datetime.date(2025, 1 + number % 4, 1) if number % 5 else None
        commitment = f.commitment(title=f"Promise {number % 12:02d}", due_on=due)
        f.status_update(commitment, status=statuses[number % 3])
    for sort in ("", "-title", "status", "-progress", "due_on", "-due_on"):
        everything = ids(get(client, "web:commitment-list", sort=sort, per_page=100))
        pages = [ids(get(client, "web:commitment-list", sort=sort, per_page=10, page=n)) for n in (1, 2, 3, 4)]
        assert pages == [everything[0:10], everything[10:20], everything[20:30], everything[30:35]], sort
        assert sorted(everything) == sorted(Commitment.objects.values_list("pk", flat=True))


def ids(response) -> list[int]:
    return [row.record.pk for row in response.context["table"].page.object_list]


@pytest.mark.parametrize(
    ("params", "expected_first", "message"),
    [
        ({"page": "99"}, "Protocol 10", "no such page"),
        ({"page": "0"}, "Protocol 00", "no such page"),
        ({"page": "two"}, "Protocol 00", "not valid"),
        ({"per_page": "100000"}, "Protocol 00", "Rows per page can be"),
        ({"per_page": "-5"}, "Protocol 00", "Rows per page can be"),
    ],
)
def test_bad_pagination_values_give_a_page_and_a_message(client, params, expected_first, message):
    for number in range(12):
        f.document(title=f"Protocol {number:02d}")
    response = get(client, "web:document-list", sort="title", **({"per_page": "10"} | params))
    assert titles(response)[0] == expected_first
    assert message in response.content.decode()


# --- Exports ---------------------------------------------------------------------------


def test_csv_export_has_exactly_the_filtered_sorted_rows_of_the_table(client, story):
    for number in range(30):
        f.commitment(title=f"Extra {number:02d}", origin_document=story.memorandum, sectors=[story.education])
    params = {"sector": "education", "sort": "-title", "per_page": "10"}
    page = get(client, "web:commitment-list", **params)
    export = get(client, "web:commitment-list", _export="csv", **params)
    today = timezone.localdate().isoformat()
    assert (
        export["Content-Disposition"]
        == f'attachment; filename="commitments-sector-education-sort-title-desc-{today}.csv"'
    )
    header, *rows = csv_rows(export)
    assert header[:4] == ["Commitment", "Status", "Progress", "Due"]
    assert len(rows) == 30  # all filtered rows, not just the page on screen
    assert [row[0] for row in rows] == [f"Extra {n:02d}" for n in range(29, -1, -1)]
    assert [row[0] for row in rows[:10]] == titles(page)


def test_json_and_xlsx_exports_match_csv(client, story):
    csv_header, *csv_body = csv_rows(get(client, "web:document-list", _export="csv", sort="title"))
    records = json.loads(get(client, "web:document-list", _export="json", sort="title").content)
    assert [[str(record[key]) for key in csv_header] for record in records] == csv_body
    xlsx = get(client, "web:document-list", _export="xlsx", sort="title")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    xlsx_rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows == [csv_header, *csv_body]
    assert csv_body[0][:5] == [
        "Agreement on cooperation in education",
        "agreement",
        "intergovernmental",
        "signed",
        "September 2024",
    ]
    assert csv_body[1][5] == "Ministry of Digital Development of Kazakhstan; Ministry of Information of Serbia"


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)"])
def test_exports_escape_formulas(client, dangerous):
    f.document(title=dangerous)
    for fmt in ("csv", "json"):
        body = get(client, "web:document-list", _export=fmt).content.decode()
        assert f"'{dangerous[:2]}" in body
    (row,) = csv_rows(get(client, "web:document-list", _export="csv"))[1:]
    assert row[0] == "'" + dangerous
    sheet = openpyxl.load_workbook(io.BytesIO(get(client, "web:document-list", _export="xlsx").content)).active
    assert sheet["A2"].value == "'" + dangerous


@pytest.mark.parametrize("fmt", ["pdf", "yaml", "xls", "", "CSV"])
def test_unknown_export_format_gives_the_page_with_a_message(client, story, fmt):
    response = get(client, "web:document-list", _export=fmt)
    assert response["Content-Type"].startswith("text/html")
    assert "Unknown export format" in response.content.decode()


def test_export_with_invalid_filters_gives_the_page_not_a_file(client, story):
    response = get(client, "web:document-list", _export="csv", signed_from="yesterday")
    assert response["Content-Type"].startswith("text/html")
    assert response.context["filter"].form.errors["signed_from"]


def test_export_links_carry_the_filters(client, story):
    html = get(client, "web:document-list", kind="mou", page="1").content.decode()
    assert 'href="?kind=mou&amp;_export=csv"' in html


def test_search_is_full_text_on_both_databases(client, story):
    from django.db import connection

    # Stemmed words, every word required, quoted phrases and -excluded words.
    assert titles(get(client, "web:commitment-list", q="councils")) == ["Restart the Business Council"]
    assert titles(get(client, "web:commitment-list", q="restart pilot")) == []
    assert titles(get(client, "web:commitment-list", q="restart -council")) == []
    assert titles(get(client, "web:commitment-list", q='"business council"')) == ["Restart the Business Council"]
    assert titles(get(client, "web:commitment-list", q='"council business"')) == []
    if connection.vendor == "sqlite":
        # SQLite's index also finds the start of a word.
        assert titles(get(client, "web:commitment-list", q="counc")) == ["Restart the Business Council"]


def test_country_filters_ignore_draft_organizations(client, story):
    # The memorandum's only Serbian-side parties: a published ministry and a draft agency.
    # A draft Kazakh organization on the education agreement must not make it "Kazakh".
    draft_kz = f.organization(name="Draft Kazakh body", country=story.kz, publication_status=f.DRAFT)
    DocumentParty.objects.create(document=story.education_agreement, organization=draft_kz)
    assert titles(get(client, "web:document-list", country="KZ")) == [
        "Memorandum of understanding on digital cooperation"
    ]
    story.data_centre.responsible_organizations.add(draft_kz)
    assert titles(get(client, "web:commitment-list", country="KZ")) == ["Restart the Business Council"]


# --- Table rendering --------------------------------------------------------------------


def body_rows(response):
    """The rendered rows of the results table, as lists of cell HTML."""
    tbody = re.search(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S).group(1)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, re.S)]


def test_table_cells_are_escaped_linked_and_in_column_order(client, story):
    hostile_sector = f.sector("Hostile input")
    hostile = f.commitment(
        title="<script>alert(1)</script> & more", responsible=[story.ministry_kz], sectors=[hostile_sector]
    )
    response = get(client, "web:commitment-list", sector=hostile_sector.slug, columns="sectors")
    (cells,) = body_rows(response)
    assert "<script>" not in response.content.decode()
    assert cells[0] == f'<a href="{hostile.get_absolute_url()}">&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</a>'
    # No published update: the badge alone, no basis under it.
    assert cells[1] == f'<span class="badge status-{hostile.status}">{hostile.get_status_display()}</span>'
    assert "progress not measured" in cells[2]  # no information: its 0 % is no measure
    assert cells[5] == f'<a href="{story.ministry_kz.get_absolute_url()}">{story.ministry_kz.name}</a>'
    assert cells[6] == "Hostile input"
    headers = [column.header for column in response.context["table"].columns]
    assert len(cells) == len(headers)


def test_table_rows_alternate_and_an_empty_table_says_so(client, story):
    rows = re.findall(r'<tr class="(even|odd)">', get(client, "web:commitment-list").content.decode())
    assert rows == ["even", "odd"]
    empty = get(client, "web:commitment-list", q="no such words anywhere")
    (cells,) = body_rows(empty)
    assert cells == ["Nothing matches these filters."]


def test_export_reads_rows_in_batches_each_with_its_own_related_records(client, story, monkeypatch):
    from cooperation.web import tables

    monkeypatch.setattr(tables, "EXPORT_BATCH", 2)
    organizations = [f.organization(name=f"Body {number}") for number in range(5)]
    for number, organization in enumerate(organizations):
        f.commitment(title=f"Batch {number}", responsible=[organization])
    header, *rows = csv_rows(get(client, "web:commitment-list", _export="csv", q="Batch", sort="title"))
    responsible = header.index("Responsible")
    assert [(row[0], row[responsible]) for row in rows] == [(f"Batch {n}", f"Body {n}") for n in range(5)]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_choice_labels_are_what_django_displays_in_each_language(language):
    from django.utils import translation

    from cooperation.tracker.models import Document, DocumentLevel, DocumentStatus
    from cooperation.web.cells import choice_label

    with translation.override(language):
        for kind, level, status in zip(DocumentKind, list(DocumentLevel) * 9, list(DocumentStatus) * 9, strict=False):
            document = Document(kind=kind, level=level, status=status)
            for field in ("kind", "level", "status"):
                assert choice_label(document, field) == getattr(document, f"get_{field}_display")()
        assert choice_label(Document(kind="retired-kind"), "kind") == "retired-kind"  # unknown values show as they are
