"""Publication leak sweep: nothing unpublished reaches any public URL.

One published and one draft record of every public model, plus the awkward
links — a draft status update on a published commitment, a published update on
a draft commitment, draft organizations and people attached to published
records, draft visits and documents cited by published ones. Then every public
page, search, export, feed and report is requested and its body (XLSX cells
included) searched for any draft text.

Each draft title has a *search* word (used as `?q=`, which a page may echo
back) and a *marker* word (which must never appear).
"""

import csv
import datetime
import io
import json

import openpyxl
import pytest

from cooperation.tracker.models import CommitmentStatus
from tests import factories

pytestmark = pytest.mark.django_db

DRAFT = factories.DRAFT
EXPORT_FORMATS = ("csv", "xlsx", "json")
LISTS = ("/documents/", "/visits/", "/commitments/", "/organizations/", "/figures/")

# model -> (search word, marker word); titles are "<Search> <Marker> …".
DRAFT_WORDS = {
    "organization": ("Quokkavale", "Brimstonewick"),
    "child_organization": ("Fennelgrove", "Cobaltreach"),
    "person": ("Marblewick", "Quillington"),
    "visit": ("Zephyrfall", "Ambersloe"),
    "document": ("Glimmerquay", "Thistlemoor"),
    "commitment": ("Obsidianbrook", "Peregrinate"),
    "figure": ("Quarrelbank", "Sundewmark"),
}
# Notes of status updates that must never be public.
DRAFT_NOTES = {
    "draft_update": "Wrenhollow draft note on a published commitment",
    "update_of_draft": "Larkspurnote published note on a draft commitment",
}


def draft_title(key: str, rest: str) -> str:
    search, marker = DRAFT_WORDS[key]
    return f"{search} {marker} {rest}"


@pytest.fixture
def world():
    return build_world()


def build_world() -> dict:
    """Published records with drafts hanging off them (also used by tests/caching/test_page_cache.py)."""
    kz, rs = factories.country("KZ"), factories.country("RS")
    energy = factories.sector("Energy")
    source = factories.source(title="Published report on energy talks")

    # Published records, with drafts hanging off them.
    ministry = factories.organization(name="Ministry of Energy of Kazakhstan", country=kz)
    partner = factories.organization(name="Serbian Energy Agency", country=rs)
    draft_org = factories.organization(
        name=draft_title("organization", "Secretariat"), country=rs, publication_status=DRAFT
    )
    draft_child = factories.organization(
        name=draft_title("child_organization", "Department"), parent=ministry, publication_status=DRAFT
    )
    minister = factories.person(name="Published Minister Person", organization=ministry)
    draft_person = factories.person(
        name=draft_title("person", "Adviser"), organization=ministry, publication_status=DRAFT
    )
    draft_visit = factories.visit(
        title=draft_title("visit", "summit"), start_date=datetime.date(2025, 5, 5), publication_status=DRAFT
    )
    draft_document = factories.document(
        title=draft_title("document", "accord"), parties=[ministry], publication_status=DRAFT
    )

    visit = factories.visit(
        title="Published working visit to Belgrade",
        host_country=rs,
        participants=[minister, draft_person],
        organizations=[ministry, draft_org],
        sectors=[energy],
        sources=[source],
    )

    document = factories.document(
        title="Published energy memorandum",
        parties=[ministry, partner, draft_org],
        signed_at=draft_visit,
        builds_on=draft_document,
        sectors=[energy],
    )
    document.parties.filter(organization=partner).update(signatory=draft_person)

    commitment = factories.commitment(
        title="Published pledge to restart the Business Council",
        origin_visit=visit,
        origin_document=draft_document,
        responsible=[ministry, draft_org],
        sectors=[energy],
        due_on=datetime.date(2025, 11, 30),
    )
    factories.status_update(
        commitment,
        CommitmentStatus.IN_PROGRESS,
        reported_on=datetime.date(2025, 2, 1),
        note="Published progress note",
        evidence_visit=draft_visit,
        evidence_document=draft_document,
    )
    factories.status_update(
        commitment,
        CommitmentStatus.COMPLETED,
        reported_on=datetime.date(2025, 6, 1),
        note=DRAFT_NOTES["draft_update"],
        publication_status=DRAFT,
    )

    draft_commitment = factories.commitment(
        title=draft_title("commitment", "pledge"),
        origin_visit=draft_visit,
        responsible=[ministry],
        sectors=[energy],
        publication_status=DRAFT,
    )
    factories.status_update(
        draft_commitment,
        CommitmentStatus.DELAYED,
        note=DRAFT_NOTES["update_of_draft"],
        reported_on=datetime.date(2025, 7, 1),
    )

    # Figures: a draft one, of an indicator that only it measures (so neither may show), and a
    # published one reported by the draft organization and breaking down the draft figure.
    draft_figure = factories.figure(
        indicator=factories.indicator(name=draft_title("figure", "index"), featured=True),
        value_as_printed=draft_title("figure", "$9 million"),
        passage=draft_title("figure", "reached $9 million."),
        source=source,
        publication_status=DRAFT,
    )
    figure = factories.figure(
        indicator=factories.indicator(name="Energy trade", featured=True),
        subject="electricity",
        parent=draft_figure,
        reporter_organization=draft_org,
        value_as_printed="$4 million",
        passage="Electricity trade reached $4 million.",
        source=source,
        about_visit=visit,
    )

    return {
        "published": {
            "organization": ministry,
            "visit": visit,
            "document": document,
            "commitment": commitment,
            "figure": figure.indicator,
        },
        "drafts": {
            "organization": draft_org,
            "child_organization": draft_child,
            "visit": draft_visit,
            "document": draft_document,
            "commitment": draft_commitment,
            "figure": draft_figure.indicator,
        },
        "sector": energy,
        "countries": (kz, rs),
    }


def forbidden_texts() -> list[str]:
    """Lower-case strings that no public response may contain."""
    texts = [marker.lower() for _, marker in DRAFT_WORDS.values()]
    # The whole note, and its first word in case a page shortens it.
    texts += [text.lower() for note in DRAFT_NOTES.values() for text in (note, note.split()[0])]
    return texts


def response_text(response) -> str:
    if response.streaming:  # the data package's files
        return b"".join(response.streaming_content).decode("utf-8")
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type or response.content[:2] == b"PK":
        workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        cells = [
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        return "\n".join(cells)
    return response.content.decode(response.charset or "utf-8")


def assert_no_leak(client, url, *, may_be_missing=False):
    response = client.get(url)
    allowed = {200, 404} if may_be_missing else {200}
    assert response.status_code in allowed, f"{url} answered {response.status_code}"
    if response.status_code != 200:
        return response
    body = response_text(response).lower()
    leaked = [text for text in forbidden_texts() if text in body]
    assert not leaked, f"{url} shows unpublished {leaked}"
    return response


def published_rows_in_export(response) -> int | None:
    """Data rows of a CSV/XLSX/JSON export, or None when the response is not one."""
    content_type = response.get("Content-Type", "")
    if "application/json" in content_type:
        rows = json.loads(response.content)
        return len(rows) if isinstance(rows, list) else None
    if "text/csv" in content_type:
        return len([row for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) if row]) - 1
    if "spreadsheetml" in content_type:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        return len([row for row in sheet.iter_rows(values_only=True) if any(row)]) - 1
    return None


# --- Overview, lists, search, exports ---------------------------------------------


def test_overview_shows_no_draft(client, world):
    assert_no_leak(client, "/")


@pytest.mark.parametrize("list_url", LISTS)
def test_list_pages_show_no_draft(client, world, list_url):
    assert_no_leak(client, list_url)


@pytest.mark.parametrize("list_url", LISTS)
@pytest.mark.parametrize("draft", sorted(DRAFT_WORDS))
def test_search_for_a_draft_word_finds_nothing_unpublished(client, world, list_url, draft):
    search_word = DRAFT_WORDS[draft][0]
    assert_no_leak(client, f"{list_url}?q={search_word}")


@pytest.mark.parametrize("list_url", LISTS)
@pytest.mark.parametrize("export_format", EXPORT_FORMATS)
def test_exports_hold_only_published_rows(client, world, list_url, export_format):
    response = assert_no_leak(client, f"{list_url}?_export={export_format}", may_be_missing=True)
    # Each list has exactly one published record of its own model in the world
    # above (organizations: the ministry and the partner).
    expected = 2 if list_url == "/organizations/" else 1
    rows = published_rows_in_export(response)
    assert rows in (None, expected), f"{list_url} {export_format} export has {rows} rows"


@pytest.mark.parametrize("list_url", LISTS)
@pytest.mark.parametrize("export_format", EXPORT_FORMATS)
def test_exports_of_a_draft_search_hold_nothing_unpublished(client, world, list_url, export_format):
    for search_word, _marker in DRAFT_WORDS.values():
        assert_no_leak(client, f"{list_url}?q={search_word}&_export={export_format}", may_be_missing=True)


def test_filtered_lists_of_sectors_and_countries_show_no_draft(client, world):
    urls = [world["sector"].get_absolute_url(), *(country.get_absolute_url() for country in world["countries"])]
    for url in urls:
        assert_no_leak(client, url)


# --- Detail pages ----------------------------------------------------------------------


@pytest.mark.parametrize("model", ["organization", "visit", "document", "commitment", "figure"])
def test_published_detail_pages_show_no_linked_draft(client, world, model):
    assert_no_leak(client, world["published"][model].get_absolute_url())


@pytest.mark.parametrize("model", ["organization", "child_organization", "visit", "document", "commitment", "figure"])
def test_draft_detail_pages_are_not_found(client, world, model):
    assert client.get(world["drafts"][model].get_absolute_url()).status_code == 404


def test_a_draft_status_update_does_not_change_the_public_status(world):
    commitment = world["published"]["commitment"]
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    assert commitment.progress == 50


# --- Status report and feeds -----------------------------------------------------------


def test_status_report_shows_no_draft(client, world):
    assert_no_leak(client, "/reports/status/")


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_status_report_exports_show_no_draft(client, world, export_format):
    assert_no_leak(client, f"/reports/status/?_export={export_format}", may_be_missing=True)


def feed_urls(world) -> list[str]:
    published, drafts = world["published"], world["drafts"]
    return [
        "/feeds/updates/",
        f"/feeds/commitments/{published['commitment'].slug}/",
        f"/feeds/sectors/{world['sector'].slug}/",
        f"/feeds/organizations/{published['organization'].slug}/",
        f"/feeds/commitments/{drafts['commitment'].slug}/",
        f"/feeds/organizations/{drafts['organization'].slug}/",
    ]


def test_feeds_show_no_draft(client, world):
    for url in feed_urls(world):
        assert_no_leak(client, url, may_be_missing=True)


def test_feeds_of_draft_records_are_not_found(client, world):
    drafts = world["drafts"]
    for url in (
        f"/feeds/commitments/{drafts['commitment'].slug}/",
        f"/feeds/organizations/{drafts['organization'].slug}/",
    ):
        assert client.get(url).status_code == 404, url


# --- Open data: the API, the data package, the sitemap, the new-record feeds ---------------

API_KINDS = ("documents", "visits", "commitments", "organizations", "people", "sectors", "figures", "sources")


@pytest.mark.parametrize("kind", API_KINDS)
def test_the_api_shows_no_draft(client, world, kind):
    data = assert_no_leak(client, f"/api/v1/{kind}/?per_page=100").json()
    assert data["results"]
    for record in data["results"]:
        assert_no_leak(client, record["api_url"].removeprefix("http://testserver"))
    for search_word, _marker in DRAFT_WORDS.values():
        if kind in ("documents", "visits", "commitments", "organizations", "figures"):
            assert_no_leak(client, f"/api/v1/{kind}/?q={search_word}")


@pytest.mark.parametrize("model", ["organization", "visit", "document", "commitment", "figure"])
def test_drafts_have_no_api_detail(client, world, model):
    kind = "people" if model == "person" else f"{model}s"
    assert client.get(f"/api/v1/{kind}/{world['drafts'][model].slug}/").status_code == 404


def test_the_data_package_holds_no_draft(client, world, settings, tmp_path):
    settings.DATA_PACKAGE_ROOT = tmp_path
    assert_no_leak(client, "/data/datapackage.json")
    descriptor = json.loads(response_text(client.get("/data/datapackage.json")))
    assert len(descriptor["resources"]) > 12
    for resource in descriptor["resources"]:
        assert_no_leak(client, f"/data/{resource['path']}")


def test_the_sitemap_and_new_record_feeds_name_no_draft(client, world):
    index = assert_no_leak(client, "/sitemap.xml").content.decode()
    for section in ("documents", "visits", "commitments", "organizations", "indicators"):
        assert f"sitemap-{section}.xml" in index
        assert_no_leak(client, f"/sitemap-{section}.xml")
    assert_no_leak(client, "/feeds/documents/")
    assert_no_leak(client, "/feeds/visits/")


# --- The sweep itself can fail ----------------------------------------------------------


def test_the_sweep_detects_a_leak(client, world):
    """Guard against a sweep that cannot fail: publish a draft and the same check must catch it."""
    draft_commitment = world["drafts"]["commitment"]
    type(draft_commitment).objects.filter(pk=draft_commitment.pk).publish()
    with pytest.raises(AssertionError, match="shows unpublished"):
        assert_no_leak(client, "/commitments/")


def test_the_sweep_detects_a_figure_leak(client, world):
    draft_figure = world["drafts"]["figure"].figures.get()
    type(draft_figure).objects.filter(pk=draft_figure.pk).publish()
    with pytest.raises(AssertionError, match="shows unpublished"):
        assert_no_leak(client, "/figures/")
