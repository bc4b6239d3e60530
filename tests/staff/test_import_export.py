"""Spreadsheet import and export in the admin (issue 5 item 4 and the import parts of item 7).

Through the admin views (upload → preview → confirm) and at the resource level:
natural keys, drafts for editors, one transaction, row-numbered errors,
broken and malicious files, and the export → import round trip.
"""

import csv
import datetime
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import tablib
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperation.staff.spreadsheets import resources
from cooperation.staff.spreadsheets.files import SafeCSV, SafeXLSX
from cooperation.tracker.models import (
    Commitment,
    CommitmentStatus,
    Document,
    DocumentKind,
    DocumentLevel,
    DocumentParty,
    Organization,
    OrganizationKind,
    PublicationStatus,
    Sector,
    Source,
    StatusUpdate,
    Visit,
    VisitKind,
    record_models,
)
from tests import factories
from tests.admin_helpers import admin_form, form_errors

pytestmark = pytest.mark.django_db

SAMPLES = Path(settings.BASE_DIR) / "fixtures" / "import-samples"
TRACKED = record_models()  # every kind of record: an import must change none of them but its own
FORMAT = {"csv": "0", "xlsx": "1"}  # positions in the admin's formats (staff/spreadsheets/files.py)
COUNCIL_REPORT = "Kazinform: Business Council meets in Astana"  # a source of the `seed` fixture

# --- Seed-like data the sample files refer to -------------------------------------------


@pytest.fixture
def seed():
    kz, rs = factories.country("KZ"), factories.country("RS")
    for name in ("Agriculture", "Culture", "Defence", "Digital", "Education", "Trade"):
        factories.sector(name)
    org = factories.organization
    data = {
        "kz": kz,
        "rs": rs,
        "gov_kz": org(slug="government-of-kazakhstan", name="Government of the Republic of Kazakhstan", country=kz),
        "gov_rs": org(slug="government-of-serbia", name="Government of the Republic of Serbia", country=rs),
        "council": org(
            slug="business-council",
            name="Kazakhstan–Serbia Business Council",
            kind=OrganizationKind.BILATERAL_BODY,
            country=None,
        ),
        "vojvodina": org(
            slug="government-of-vojvodina",
            name="Provincial Government of Vojvodina",
            kind=OrganizationKind.REGIONAL_GOVERNMENT,
            country=rs,
        ),
        "almaty": org(
            slug="almaty-region-akimat",
            name="Akimat of Almaty Region",
            kind=OrganizationKind.REGIONAL_GOVERNMENT,
            country=kz,
        ),
        "ns_seme": org(
            slug="ns-seme",
            name="Institute of Field and Vegetable Crops",
            short_name="NS Seme",
            kind=OrganizationKind.INSTITUTE,
            country=rs,
        ),
        "kazakh_invest": org(slug="kazakh-invest", name="Kazakh Invest", kind=OrganizationKind.AGENCY, country=kz),
    }
    factories.person(slug="madi-atamkulov", name="Madi Atamkulov", country=kz)
    factories.person(slug="maja-gojkovic", name="Maja Gojković", country=rs)
    for title in (
        "DKNews.kz: Kazakh ambassador's working visit to Vojvodina",
        "Kazinform: Tokayev's official visit to Serbia",
        COUNCIL_REPORT,
    ):
        factories.source(publisher=title.split(":")[0], title=title)
    data["visit"] = factories.visit(
        slug="tokayev-official-visit-serbia-2024",
        title="Official visit of President Tokayev to Serbia",
        start_date=datetime.date(2024, 11, 19),
        host_country=rs,
    )
    data["council_meeting"] = factories.visit(
        slug="business-council-astana-2026",
        title="Kazakhstan–Serbia Business Council meeting in Astana",
        kind=VisitKind.BUSINESS_COUNCIL,
        start_date=datetime.date(2026, 2, 26),
        host_country=kz,
    )
    data["defence"] = factories.document(
        parties=[data["gov_kz"], data["gov_rs"]],
        slug="defence-agreement-2024",
        title="Agreement on cooperation in the field of defense",
        kind=DocumentKind.AGREEMENT,
        level=DocumentLevel.INTERGOVERNMENTAL,
        signed_at=data["visit"],
    )
    data["restart"] = factories.commitment(
        responsible=[data["council"]],
        slug="restart-business-council",
        title="Restart the Kazakhstan–Serbia Business Council",
        origin_visit=data["visit"],
        due_on=datetime.date(2024, 11, 1),
        due_precision="month",
    )
    return data


# Files that refer to the records of the `seed` fixture above. (The shipped samples refer to the
# real seed, fixtures/seed.json: tests/staff/test_import_samples.py.)
DOCUMENT_ROWS = [
    [
        "slug",
        "title",
        "short_title",
        "kind",
        "level",
        "stage_before_signature",
        "signed_on",
        "signed_precision",
        "signed_at",
        "place_signed",
        "entry_into_force",
        "expires_on",
        "builds_on",
        "parties",
        "sectors",
        "summary",
        "sources",
        "publication_status",
    ],
    [
        "",
        "Memorandum of cooperation between NS Seme and the Kazakh National Agrarian Scientific-Educational Center",
        "NS Seme memorandum",
        "moc",
        "inter_institutional",
        "planned",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "NS Seme [RS]; Kazakh National Agrarian Scientific-Educational Center [KZ]",
        "Agriculture",
        "NS Seme confirmed its readiness to sign.",
        "DKNews.kz: Kazakh ambassador's working visit to Vojvodina",
        "draft",
    ],
    [
        "",
        "Agreement between the Government of the Republic of Kazakhstan and the Government of the Republic of Serbia"
        " on the readmission of persons",
        "Readmission agreement",
        "agreement",
        "intergovernmental",
        "",
        "2024-11-19",
        "day",
        "tokayev-official-visit-serbia-2024",
        "Belgrade",
        "",
        "",
        "",
        "government-of-kazakhstan [KZ]; government-of-serbia [RS]",
        "",
        "Signed during the official visit of President Tokayev.",
        "Kazinform: Tokayev's official visit to Serbia",
        "draft",
    ],
]
ORGANIZATION_ROWS = [
    [
        "slug",
        "name",
        "short_name",
        "kind",
        "country",
        "parent",
        "sectors",
        "website",
        "description",
        "sources",
        "publication_status",
    ],
    [
        "",
        "Kazakh National Agrarian Scientific-Educational Center",
        "",
        "institute",
        "KZ",
        "",
        "Agriculture; Education",
        "",
        "NS Seme confirmed its readiness to sign a memorandum of cooperation with the Center.",
        "DKNews.kz: Kazakh ambassador's working visit to Vojvodina",
        "draft",
    ],
    [
        "",
        "BioSense Institute",
        "",
        "institute",
        "RS",
        "",
        "Agriculture; Digital",
        "",
        "Institute for digital agriculture technologies in Novi Sad.",
        "DKNews.kz: Kazakh ambassador's working visit to Vojvodina",
        "draft",
    ],
    [
        "",
        "Institute for Artificial Intelligence of Serbia",
        "",
        "institute",
        "Serbia",
        "",
        "Digital",
        "",
        "",
        "DKNews.kz: Kazakh ambassador's working visit to Vojvodina",
        "draft",
    ],
]


# --- Helpers ------------------------------------------------------------------------------


def counts():
    return {model.__name__: model.objects.count() for model in TRACKED}


def csv_bytes(rows):
    stream = io.StringIO()
    csv.writer(stream).writerows(rows)
    return stream.getvalue().encode()


def xlsx_bytes(rows, formulas=()):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for coordinate, formula in formulas:
        sheet[coordinate] = formula
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def import_file(resource_class, data: bytes, file_format="csv", user=None, dry_run=False, reason=""):
    """`reason`: the import form's reason for changes to published records (the factories publish)."""
    fmt = SafeCSV() if file_format == "csv" else SafeXLSX()
    return resource_class().import_data(fmt.create_dataset(data), dry_run=dry_run, user=user, change_reason=reason)


def row_errors(result) -> dict[int, str]:
    """{spreadsheet row: all messages of that row} for validation and other row errors."""
    found = {}
    for invalid in result.invalid_rows:
        messages = [f"{field}: {msg}" for field, msgs in invalid.error_dict.items() for msg in msgs]
        found[invalid.number] = " | ".join(messages)
    for row in result.rows:
        for error in row.errors:
            found[error.number] = str(error.error)
    return found


def base_errors(result) -> str:
    return " ".join(str(error.error) for error in result.base_errors)


def make_user(username, *perms, superuser=False):
    user, _created = User.objects.get_or_create(username=username, is_staff=True, is_superuser=superuser)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def editor():
    perms = [
        f"tracker.{action}_{model}"
        for model in ("organization", "visit", "document", "commitment", "statusupdate")
        for action in ("add", "change", "view")
    ]
    return make_user("editor", *perms)


def publisher():
    return make_user("publisher", superuser=True)


def admin_url(model, view):
    return reverse(f"admin:tracker_{model._meta.model_name}_{view}")


def admin_preview(client, model, data: bytes, file_format="csv", name=None):
    upload = SimpleUploadedFile(name or f"import.{file_format}", data)
    return client.post(
        admin_url(model, "import"), {"import_file": upload, "format": FORMAT[file_format], "resource": "0"}
    )


def admin_confirm(client, model, preview):
    form = preview.context["confirm_form"]
    return client.post(admin_url(model, "process_import"), {name: form[name].value() for name in form.fields})


def admin_export(client, model, file_format="csv"):
    fields = {f"{model.__name__.lower()}resource_{name}": "on" for name in resource_for(model).fields}
    return client.post(admin_url(model, "export"), {"format": FORMAT[file_format], "resource": "0", **fields})


def resource_for(model):
    return getattr(resources, f"{model.__name__}Resource")()


def read_export(response, file_format="csv") -> tablib.Dataset:
    fmt = SafeCSV() if file_format == "csv" else SafeXLSX()
    return fmt.create_dataset(response.content)


# --- Admin flow: upload → preview → confirm -------------------------------------------------


def test_admin_upload_preview_confirm_creates_drafts_with_natural_keys(client, seed):
    client.force_login(editor())
    data = csv_bytes(DOCUMENT_ROWS)
    # The organization the NS Seme memorandum names comes from ORGANIZATION_ROWS.
    factories.organization(name="Kazakh National Agrarian Scientific-Educational Center", country=seed["kz"])
    before = counts()

    preview = admin_preview(client, Document, data)
    assert preview.status_code == 200
    assert "confirm_form" in preview.context
    assert counts() == before, "the preview must not save anything"
    assert preview.context["result"].totals["new"] == 2
    page = preview.content.decode()
    assert "Readmission agreement" in page and "government-of-serbia [RS]" in page
    assert "<ins>" in page and "<ins style" not in page, "the CSP blocks inline styles"

    response = admin_confirm(client, Document, preview)
    assert response.status_code == 302
    readmission = Document.objects.get(short_title="Readmission agreement")
    assert readmission.publication_status == PublicationStatus.DRAFT
    assert readmission.signed_at == seed["visit"]
    assert {(p.organization.slug, p.side.code) for p in readmission.parties.all()} == {
        ("government-of-kazakhstan", "KZ"),
        ("government-of-serbia", "RS"),
    }
    memorandum = Document.objects.get(short_title="NS Seme memorandum")
    assert {p.organization.slug for p in memorandum.parties.all()} == {
        "ns-seme",
        "kazakh-national-agrarian-scientific-educational-center",
    }
    assert memorandum.sources.get().title.startswith("DKNews.kz")
    # The audit trail names the importing user.
    assert readmission.history.earliest().history_user.username == "editor"


def test_admin_import_shows_every_bad_row_with_its_number_and_saves_nothing(client, seed):
    client.force_login(publisher())
    before = counts()
    response = admin_preview(client, StatusUpdate, (SAMPLES / "status-updates-with-errors.csv").read_bytes())
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    page = response.content.decode()
    errors = row_errors(response.context["result"])
    assert set(errors) == {2, 3, 4, 5, 6, 7, 8}
    assert "progress must be a whole number from 0 to 100" in errors[2] and "150" in errors[2]
    assert "completed commitment has progress 100%" in errors[3]
    assert 'unknown commitment "no-such-commitment"' in errors[4]
    assert '"finished" is not allowed' in errors[5]
    assert "reasoning: An assessed status needs the editors' reasoning" in errors[6]
    assert 'status: "No information" is the state of a commitment' in errors[7]
    assert "evidence_source: A reported status needs the source that reports it" in errors[8]
    # Staff see the messages on the page itself, next to the spreadsheet row number.
    assert "Row 2" in page and "150" in page and "no-such-commitment" in page
    assert counts() == before


@pytest.mark.parametrize(
    "forged",
    [
        {"import_file_name": "../../etc/passwd"},
        {"import_file_name": "tmpabcdef12"},
        {"format": "99"},
        {"format": "x"},
        {"resource": "7"},
    ],
)
def test_admin_confirm_refuses_a_forged_form_without_a_500(client, seed, forged):
    client.force_login(publisher())
    preview = admin_preview(client, Organization, csv_bytes(ORGANIZATION_ROWS))
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields} | forged
    before = counts()
    response = client.post(admin_url(Organization, "process_import"), data)
    assert response.status_code in (200, 302)
    assert counts() == before


def test_confirm_after_the_data_changed_saves_nothing_and_says_so(client, seed):
    """Between preview and confirm someone deletes the commitment the file names: the confirm rolls back."""
    client.force_login(publisher())
    data = csv_bytes(
        [
            ["commitment", "reported_on", "status", "progress", "evidence_source"],
            ["Hold Days of Serbia in Kazakhstan", "2025-03-01", "not_started", "0", COUNCIL_REPORT],
            ["restart-business-council", "2026-02-26", "completed", "100", COUNCIL_REPORT],
        ]
    )
    factories.commitment(title="Hold Days of Serbia in Kazakhstan", slug="days-of-serbia", origin_visit=seed["visit"])
    preview = admin_preview(client, StatusUpdate, data)
    assert "confirm_form" in preview.context
    Commitment.objects.get(slug="days-of-serbia").delete()
    before = counts()
    response = admin_confirm(client, StatusUpdate, preview)
    assert response.status_code == 302
    assert counts() == before
    message = str(list(response.wsgi_request._messages)[0])
    # Not "0 new": the page says that nothing was saved, and why.
    assert message.startswith("Nothing was imported") and 'unknown commitment "Hold Days' in message


def test_updating_existing_rows_needs_the_change_permission(seed):
    adder = make_user("adder", "tracker.add_organization", "tracker.view_organization")
    data = csv_bytes(
        [["slug", "name", "kind"], ["kazakh-invest", "Kazakh Invest JSC", "agency"], ["", "Bio4 Campus", "institute"]]
    )
    result = import_file(resources.OrganizationResource, data, user=adder)
    assert "may not" in row_errors(result)[2]
    assert 3 not in row_errors(result)
    assert not Organization.objects.filter(name__in=["Kazakh Invest JSC", "Bio4 Campus"]).exists()


def test_admin_export_and_import_are_staff_only(client, seed):
    for view in ("export", "import"):
        response = client.get(admin_url(Document, view))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_import_needs_permission(client, seed):
    viewer = make_user("viewer", "tracker.view_organization")
    client.force_login(viewer)
    response = admin_preview(client, Organization, csv_bytes(ORGANIZATION_ROWS))
    assert response.status_code == 403
    assert Organization.objects.count() == 7


# --- Publication: an editor cannot publish through import ------------------------------------


def test_editor_import_creates_drafts_even_when_the_file_says_published(client, seed):
    client.force_login(editor())
    data = csv_bytes(
        [
            ["name", "kind", "country", "publication_status"],
            ["Ministry of Tourism and Sports of the Republic of Kazakhstan", "ministry", "KZ", "published"],
        ]
    )
    preview = admin_preview(client, Organization, data)
    admin_confirm(client, Organization, preview)
    created = Organization.objects.get(name__startswith="Ministry of Tourism")
    assert created.publication_status == PublicationStatus.DRAFT
    assert not Organization.objects.published().filter(pk=created.pk).exists()


def test_editor_import_cannot_unpublish_or_publish_existing_records(seed):
    user = editor()
    draft = factories.organization(slug="draft-org", name="Draft org", publication_status=PublicationStatus.DRAFT)
    data = csv_bytes(
        [
            ["slug", "name", "kind", "publication_status"],
            ["draft-org", "Draft org", "ministry", "published"],
            ["kazakh-invest", "Kazakh Invest", "agency", "draft"],
        ]
    )
    result = import_file(resources.OrganizationResource, data, user=user)
    assert not result.has_errors() and not result.has_validation_errors()
    draft.refresh_from_db()
    seed["kazakh_invest"].refresh_from_db()
    assert draft.publication_status == PublicationStatus.DRAFT
    assert seed["kazakh_invest"].publication_status == PublicationStatus.PUBLISHED


def test_editor_import_cannot_change_a_published_record(seed):
    data = csv_bytes([["slug", "name", "kind"], ["kazakh-invest", "Kazakh Invest (renamed)", "agency"]])
    result = import_file(resources.OrganizationResource, data, user=editor())
    assert "only a publisher may change it" in row_errors(result)[2]
    seed["kazakh_invest"].refresh_from_db()
    assert seed["kazakh_invest"].name == "Kazakh Invest"


def test_editor_import_may_change_a_draft(seed):
    factories.organization(slug="draft-org", name="Draft org", publication_status=PublicationStatus.DRAFT)
    data = csv_bytes([["slug", "name", "kind"], ["draft-org", "Draft organization", "ministry"]])
    result = import_file(resources.OrganizationResource, data, user=editor())
    assert not result.has_errors() and not result.has_validation_errors()
    assert Organization.objects.get(slug="draft-org").name == "Draft organization"


def test_publisher_import_may_publish(seed):
    data = csv_bytes(
        [["name", "kind", "country", "publication_status"], ["Bio4 Campus", "institute", "RS", "published"]]
    )
    import_file(resources.OrganizationResource, data, user=publisher())
    assert Organization.objects.published().filter(name="Bio4 Campus").exists()


def test_import_without_a_user_makes_drafts(seed):
    data = csv_bytes([["name", "kind", "publication_status"], ["Bio4 Campus", "institute", "published"]])
    import_file(resources.OrganizationResource, data)
    assert Organization.objects.get(name="Bio4 Campus").publication_status == PublicationStatus.DRAFT


# --- Status updates: entered_by and the commitment's derived status -------------------------------


def test_status_update_import_sets_entered_by_and_refreshes_the_commitment(seed):
    user = publisher()
    data = csv_bytes(
        [
            [
                "commitment",
                "reported_on",
                "status",
                "progress",
                "evidence_source",
                "evidence_visit",
                "publication_status",
            ],
            ["restart-business-council", "2025-06-01", "in progress", "40", COUNCIL_REPORT, "", "published"],
            [
                "restart-business-council",
                "2026-02-26",
                "completed",
                "100",
                "",
                "business-council-astana-2026",
                "published",
            ],
        ]
    )
    result = import_file(resources.StatusUpdateResource, data, user=user)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    restart = seed["restart"]
    restart.refresh_from_db()
    assert restart.status == CommitmentStatus.COMPLETED
    assert restart.progress == 100
    assert restart.last_reviewed_on == datetime.date(2026, 2, 26)
    assert set(restart.updates.values_list("entered_by__username", flat=True)) == {"publisher"}
    assert restart.updates.get(reported_on="2026-02-26").evidence_visit == seed["council_meeting"]


def test_draft_status_updates_do_not_change_the_public_status(seed):
    data = csv_bytes(
        [
            ["commitment", "reported_on", "status", "progress", "evidence_source"],
            ["restart-business-council", "2026-02-26", "completed", "", COUNCIL_REPORT],
        ]
    )
    result = import_file(resources.StatusUpdateResource, data, user=editor())
    assert 2 in row_errors(result)  # completed needs progress 100
    data = csv_bytes(
        [
            ["commitment", "reported_on", "status", "progress", "evidence_source"],
            ["restart-business-council", "2026-02-26", "completed", "100", COUNCIL_REPORT],
        ]
    )
    import_file(resources.StatusUpdateResource, data, user=editor())
    restart = Commitment.objects.get(slug="restart-business-council")
    assert restart.updates.get().publication_status == PublicationStatus.DRAFT
    assert restart.status == CommitmentStatus.NO_INFORMATION  # only published updates count


def test_status_update_rows_match_by_commitment_and_date(seed):
    factories.status_update(seed["restart"], reported_on=datetime.date(2025, 6, 1), progress=30)
    data = csv_bytes(
        [
            ["commitment", "reported_on", "status", "progress", "evidence_source"],
            ["restart-business-council", "2025-06-01", "in_progress", "45", COUNCIL_REPORT],
        ]
    )
    result = import_file(resources.StatusUpdateResource, data, user=publisher(), reason="Progress re-read")
    assert result.totals["update"] == 1 and result.totals["new"] == 0
    assert seed["restart"].updates.get().progress == 45


# --- Natural keys ----------------------------------------------------------------------------


def test_related_records_by_slug_name_short_name_and_iso_code(seed):
    data = csv_bytes(
        [
            ["title", "kind", "start_date", "host_country", "organizations", "participants", "sectors"],
            [
                "Working visit",
                "working visit",
                "2025-09",
                "Serbia",
                "NS Seme; government-of-vojvodina; Kazakh Invest",
                "Maja Gojković",
                "agriculture",
            ],
        ]
    )
    result = import_file(resources.VisitResource, data, user=publisher())
    assert not result.has_validation_errors(), row_errors(result)
    visit = Visit.objects.get(title="Working visit")
    assert visit.host_country.code == "RS"
    assert visit.start_precision == "month" and visit.start_date == datetime.date(2025, 9, 1)
    assert {o.slug for o in visit.organizations.all()} == {"ns-seme", "government-of-vojvodina", "kazakh-invest"}
    assert visit.participants.get().slug == "maja-gojkovic"
    assert visit.kind == VisitKind.WORKING_VISIT


def test_ambiguous_name_asks_for_the_slug(seed):
    factories.organization(name="Ministry of Defence", slug="mod-kz", country=seed["kz"])
    factories.organization(name="Ministry of Defence", slug="mod-rs", country=seed["rs"])
    data = csv_bytes(
        [["title", "origin_visit", "responsibilities"], ["X", seed["visit"].slug, "Ministry of Defence [lead]"]]
    )
    result = import_file(resources.CommitmentResource, data)
    assert "several organizations match" in row_errors(result)[2]


def test_existing_records_are_matched_by_slug_and_organizations_by_name_and_country(seed):
    data = csv_bytes(
        [
            ["slug", "name", "kind", "country", "website"],
            ["", "Kazakh Invest", "agency", "KZ", "https://invest.gov.kz"],
            ["ns-seme", "Institute of Field and Vegetable Crops", "institute", "RS", "https://nsseme.com"],
        ]
    )
    before = Organization.objects.count()
    result = import_file(resources.OrganizationResource, data, user=publisher(), reason="Websites added")
    assert result.totals["update"] == 2, row_errors(result)
    assert Organization.objects.count() == before
    assert Organization.objects.get(slug="kazakh-invest").website == "https://invest.gov.kz"
    assert Organization.objects.get(slug="ns-seme").website == "https://nsseme.com"


# --- Row errors: every bad row, its number, its reason; nothing saved ------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_sample_error_file_reports_each_row(seed, file_format):
    rows = list(csv.reader(io.StringIO((SAMPLES / "commitments-with-errors.csv").read_text())))
    data = csv_bytes(rows) if file_format == "csv" else (SAMPLES / "commitments-with-errors.xlsx").read_bytes()
    before = counts()
    result = import_file(resources.CommitmentResource, data, file_format, user=publisher())
    errors = row_errors(result)
    assert set(errors) == {2, 3, 4, 5}
    assert 'responsibilities: unknown organization "Ministry of Transport of Atlantis"' in errors[2]
    assert 'bad date "31/02/2024"' in errors[2]
    assert "must come from a visit or a document" in errors[3]
    assert "formula" in errors[4]
    assert "responsibilities:" in errors[5]  # the shipped seed names it (test_import_samples.py)
    assert counts() == before


def test_one_bad_row_among_good_ones_saves_nothing(client, seed):
    client.force_login(publisher())
    data = csv_bytes(
        [
            ["name", "kind", "country"],
            ["Bio4 Campus", "institute", "RS"],
            ["Center for Digital Transformation", "agency", "Atlantis"],
            ["SEE UP Accelerator", "company", "RS"],
        ]
    )
    before = counts()
    response = admin_preview(client, Organization, data)
    assert row_errors(response.context["result"]) == {3: 'country: unknown country "Atlantis".'}
    assert "confirm_form" not in response.context
    # Even at the resource level, without the preview, nothing of the good rows is saved.
    result = import_file(resources.OrganizationResource, data, user=publisher())
    assert result.totals["new"] == 0
    assert counts() == before


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("150", "progress must be a whole number from 0 to 100"),
        ("-5", "progress must be a whole number from 0 to 100"),
        ("1e400", "progress must be a whole number from 0 to 100"),
        ("9" * 5000, "progress must be a whole number from 0 to 100"),
        ("NaN", "progress must be a whole number from 0 to 100"),
        ("half", "progress must be a whole number from 0 to 100"),
        ("33.5", "progress must be a whole number from 0 to 100"),
    ],
)
def test_bad_and_huge_numbers(seed, cell, message):
    data = csv_bytes(
        [
            ["commitment", "reported_on", "status", "progress"],
            ["restart-business-council", "2025-01-01", "in_progress", cell],
        ]
    )
    before = counts()
    result = import_file(resources.StatusUpdateResource, data)
    assert message in row_errors(result)[2]
    assert counts() == before


@pytest.mark.parametrize("cell", ["31/02/2024", "2024-13-01", "yesterday", "99999999", "2024-02-30"])
def test_bad_dates(seed, cell):
    data = csv_bytes([["title", "kind", "start_date"], ["A visit", "talks", cell]])
    result = import_file(resources.VisitResource, data)
    assert f'bad date "{cell}"' in row_errors(result)[2]
    assert not Visit.objects.filter(title="A visit").exists()


def test_too_long_text_and_bad_choice_are_row_errors(seed):
    data = csv_bytes([["name", "kind"], ["x" * 400, "ministry"], ["Ok name", "church"]])
    errors = row_errors(import_file(resources.OrganizationResource, data))
    assert "at most 300 characters" in errors[2]
    assert '"church" is not allowed here' in errors[3] and "ministry" in errors[3]


def test_cross_column_rules_have_clear_messages(seed):
    data = csv_bytes(
        [["title", "kind", "start_date", "end_date"], ["Forum", "business_forum", "2024-11-12", "2024-11-10"]]
    )
    assert "end date is before the start date" in row_errors(import_file(resources.VisitResource, data))[2]


# --- Whole-file problems -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "file_format", "message"),
    [
        (b"", "csv", "The file is empty"),
        (b"", "xlsx", "not an Excel (XLSX) workbook"),
        (b"name,kind\n", "csv", "header row but no records"),
        ("name,kind\nМинистерство,ministry\n".encode("utf-16"), "csv", "encoded as UTF-16"),
        ("name,kind\nМинистерство обороны,ministry\n".encode("cp1251"), "csv", "not UTF-8 text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "csv", "not a CSV text file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "xlsx", "not an Excel (XLSX) workbook"),
        (b"%PDF-1.4 not a spreadsheet", "xlsx", "not an Excel (XLSX) workbook"),
        (b'name,kind\n"unterminated,ministry\n', "csv", "malformed"),
        (b"kind\nministry\n", "csv", "Missing required column(s): name"),
        (b"name,kind,titel\nX,ministry,y\n", "csv", 'Unknown column "titel"'),
        (b"name,kind,,\nX,ministry,,\n", "csv", "Column 3 has no name"),
        (b"name,kind,name\nX,ministry,Y\n", "csv", '"name" appears more than once'),
        (b"name,kind\nX,ministry,extra\n", "csv", "more cells than the header"),
    ],
)
def test_broken_files_give_a_clear_message_and_change_nothing(client, seed, data, file_format, message):
    before = counts()
    result = import_file(resources.OrganizationResource, data, file_format)
    assert message in base_errors(result)
    assert result.totals["new"] == 0
    # The same through the admin: a page with the message, never a 500, no confirm button.
    client.force_login(publisher())
    response = admin_preview(client, Organization, data, file_format)
    assert response.status_code == 200
    # Django's upload field refuses an empty file before the importer sees it.
    shown = "The submitted file is empty" if not data else message
    assert shown in response.content.decode().replace("&quot;", '"')
    assert "confirm_form" not in response.context
    assert counts() == before


def test_xlsx_in_csv_format_is_told_to_choose_xlsx(seed):
    data = xlsx_bytes([["name", "kind"], ["X", "ministry"]])
    assert "choose the xlsx format" in base_errors(import_file(resources.OrganizationResource, data, "csv"))


def test_zip_bomb_workbook_is_refused(seed, settings):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (70 * 1024 * 1024))
    result = import_file(resources.OrganizationResource, stream.getvalue(), "xlsx")
    assert "too large once unpacked" in base_errors(result)


def test_commitment_status_column_is_explained(seed):
    data = csv_bytes([["title", "origin_visit", "status"], ["X", seed["visit"].slug, "completed"]])
    assert "comes from its status updates" in base_errors(import_file(resources.CommitmentResource, data))


def test_semicolon_separated_csv_with_bom_and_blank_lines(seed):
    text = "\ufeffname;kind;country\nBio4 Campus;institute;RS\n;;\nSEE UP Accelerator;company;RS\n\n"
    result = import_file(resources.OrganizationResource, text.encode(), user=publisher())
    assert result.totals["new"] == 2, row_errors(result) or base_errors(result)


# --- Formula injection -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload", ["=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]
)
def test_formula_cells_are_refused_on_import(seed, payload):
    data = csv_bytes([["name", "kind", "description"], ["Bio4 Campus", "institute", payload]])
    before = counts()
    errors = row_errors(import_file(resources.OrganizationResource, data, user=publisher()))
    assert "description" in errors[2] and "formula" in errors[2]
    assert counts() == before


def test_real_xlsx_formulas_are_refused_not_evaluated(seed):
    data = xlsx_bytes([["name", "kind", "description"], ["Bio4 Campus", "institute", "x"]], formulas=[("C2", "=1+1")])
    errors = row_errors(import_file(resources.OrganizationResource, data, "xlsx", user=publisher()))
    assert "formula" in errors[2]
    assert not Organization.objects.filter(name="Bio4 Campus").exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_neutralises_formulas_and_reimport_restores_the_text(client, seed, file_format):
    seed["kazakh_invest"].description = '=HYPERLINK("http://evil.example","click")'
    seed["kazakh_invest"].short_name = "-KI"
    seed["kazakh_invest"].save()
    client.force_login(publisher())
    response = admin_export(client, Organization, file_format)
    assert response.status_code == 200
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        cells = [cell for row in rows for cell in row]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        cells = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'-KI" in cells
    assert not any(isinstance(c, str) and c.startswith(("=", "+", "-", "@")) for c in cells)
    result = import_file(resources.OrganizationResource, response.content, file_format, user=publisher())
    assert result.totals["update"] == 0 and result.totals["new"] == 0, row_errors(result)
    seed["kazakh_invest"].refresh_from_db()
    assert seed["kazakh_invest"].description.startswith("=HYPERLINK")


# --- Round trip: export → import → no changes ------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("model", [Organization, Visit, Document, Commitment, StatusUpdate])
def test_admin_export_reimports_unchanged(client, seed, model, file_format):
    seed["restart"].sectors.set(Sector.objects.filter(name__in=["Trade", "Culture"]))
    seed["defence"].sources.add(Source.objects.first())
    DocumentParty.objects.filter(organization=seed["gov_rs"]).update(
        signatory=factories.person(slug="milos-vucevic", name="Miloš Vučević", country=seed["rs"])
    )
    factories.status_update(
        seed["restart"], reported_on=datetime.date(2025, 6, 1), note="Agenda agreed;\r\n- next: Astana "
    )
    # Text as a browser textarea submits it (CRLF) and with a trailing space: XLSX keeps neither.
    seed["defence"].summary = "Signed in Belgrade.\r\nIn force after ratification.\r\n"
    seed["defence"].save()
    factories.visit(
        title="Diplomatic relations established",
        kind=VisitKind.MILESTONE,
        start_date=datetime.date(1996, 1, 1),
        start_precision="year",
    )
    client.force_login(publisher())
    response = admin_export(client, model, file_format)
    assert response.status_code == 200
    exported = read_export(response, file_format)
    assert exported.height == model.objects.count()
    assert "id" not in exported.headers
    before = counts()
    history_before = model.history.count()

    preview = admin_preview(client, model, response.content, file_format)
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result) or base_errors(result)
    assert result.totals["skip"] == model.objects.count()
    assert result.totals["new"] == result.totals["update"] == 0
    admin_confirm(client, model, preview)
    assert counts() == before
    assert model.history.count() == history_before, "unchanged rows must not be saved again"


def test_export_uses_natural_keys_not_ids(client, seed):
    client.force_login(publisher())
    exported = read_export(admin_export(client, Document))
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["signed_at"] == "tokayev-official-visit-serbia-2024"
    assert row["parties"] == "government-of-kazakhstan [KZ]; government-of-serbia [RS]"
    assert not re.search(r"\b\d+\b", row["parties"])


def test_export_query_count_does_not_grow_with_rows(client, seed, django_assert_max_num_queries):
    for number in range(30):
        factories.document(parties=[seed["gov_kz"], seed["gov_rs"]], title=f"Protocol {number}")
    client.force_login(publisher())
    with django_assert_max_num_queries(20):
        response = admin_export(client, Document)
    assert read_export(response).height == 31


def test_export_is_csv_with_bom_for_excel(client, seed):
    client.force_login(publisher())
    response = admin_export(client, Organization)
    assert response.content.startswith("\ufeff".encode())
    assert "Kazakhstan–Serbia Business Council" in response.content.decode("utf-8-sig")


# --- The sample files ----------------------------------------------------------------------------


def test_xlsx_samples_match_the_csv_samples():
    for csv_path in SAMPLES.glob("*.csv"):
        csv_rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
        sheet = openpyxl.load_workbook(csv_path.with_suffix(".xlsx")).active
        xlsx_rows = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        assert xlsx_rows == csv_rows, csv_path.name


def test_error_samples_fail_against_the_seed(seed):
    result = import_file(resources.StatusUpdateResource, (SAMPLES / "status-updates-with-errors.csv").read_bytes())
    assert len(row_errors(result)) == 7  # every data row of the file


def test_too_many_rows_and_too_big_files_are_refused(seed):
    many = b"name,kind\n" + b"Org,ministry\n" * 10_001
    assert "import at most 10000 at a time" in base_errors(import_file(resources.OrganizationResource, many))
    huge = b"name,kind\n" + b"x" * (6 * 1024 * 1024) + b",ministry\n"
    assert "larger than 5 MB" in base_errors(import_file(resources.OrganizationResource, huge))
    assert Organization.objects.count() == 7


def test_commitments_carry_their_responsibilities_and_promise_both_ways(seed):
    data = csv_bytes(
        [
            ["title", "origin_visit", "responsibilities", "promise_passage"],
            [
                "Restart the council",
                seed["visit"].slug,
                "government-of-kazakhstan [lead]; government-of-serbia [support]; business-council",
                "The sides agreed to restart the council.",
            ],
            ["Bad roles", seed["visit"].slug, "government-of-serbia [chief]", ""],
        ]
    )
    result = import_file(resources.CommitmentResource, data)
    assert "neither a role" in row_errors(result)[3]
    good = csv_bytes(
        [
            ["title", "origin_visit", "responsibilities", "promise_passage"],
            [
                "Restart the council",
                seed["visit"].slug,
                "government-of-kazakhstan [lead]; government-of-serbia [support, both]; business-council",
                "The sides agreed to restart the council.",
            ],
        ]
    )
    result = import_file(resources.CommitmentResource, good)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    commitment = Commitment.objects.get(title="Restart the council")
    rows = {row.organization.slug: (row.role, row.side) for row in commitment.responsibilities.all()}
    assert rows == {
        "government-of-kazakhstan": ("lead", "kazakhstan"),
        "government-of-serbia": ("support", "both"),
        "business-council": ("support", "bilateral_body"),
    }
    assert commitment.promise_passage == "The sides agreed to restart the council."
    exported = resources.CommitmentResource().export(Commitment.objects.filter(pk=commitment.pk))
    assert "government-of-kazakhstan [lead, kazakhstan]" in exported.dict[0]["responsibilities"]


def test_an_event_may_be_imported_without_a_date(seed):
    data = csv_bytes([["title", "kind", "start_date"], ["Working visit to Vojvodina", "working_visit", ""]])
    result = import_file(resources.VisitResource, data)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    assert Visit.objects.get(title="Working visit to Vojvodina").start_date is None


# --- The basis of a status update (issue 14) ------------------------------------------------------


def test_no_information_is_refused_on_the_status_column_with_the_domains_reason(client, seed):
    """The domain says an update is never "no information" (StatusUpdate.clean and its CHECK): the
    import names the status column and says why, by value or label, and saves nothing."""
    data = csv_bytes(
        [
            ["commitment", "reported_on", "status", "progress", "evidence_source"],
            ["restart-business-council", "2025-06-01", "no_information", "", COUNCIL_REPORT],
            ["restart-business-council", "2025-07-01", "No information", "", COUNCIL_REPORT],
        ]
    )
    before = counts()
    result = import_file(resources.StatusUpdateResource, data, user=publisher())
    errors = row_errors(result)
    for row in (2, 3):
        assert errors[row] == (
            'status: "No information" is the state of a commitment that no update speaks of; it is not entered.'
        )
    assert counts() == before


def test_a_reported_row_without_a_source_is_refused_on_the_evidence_source_column(seed):
    """Issue 14: "reported" means a source says so. A row that names no source (nor a later visit
    or document that carried the commitment out) is refused, named, and nothing is saved."""
    data = csv_bytes(
        [
            ["commitment", "reported_on", "status", "progress", "basis", "evidence_source", "evidence_visit"],
            ["restart-business-council", "2025-06-01", "in_progress", "20", "reported", "", ""],
            ["restart-business-council", "2025-07-01", "in_progress", "30", "reported", COUNCIL_REPORT, ""],
            [
                "restart-business-council",
                "2026-02-26",
                "completed",
                "100",
                "reported",
                "",
                "business-council-astana-2026",
            ],
        ]
    )
    before = counts()
    result = import_file(resources.StatusUpdateResource, data, user=publisher())
    assert row_errors(result) == {
        2: (
            "evidence_source: A reported status needs the source that reports it (or the later document "
            "or visit that carried it out); otherwise it is assessed, with the editors' reasoning."
        )
    }
    assert counts() == before and not seed["restart"].updates.exists()


def test_status_updates_import_and_export_their_basis(seed):
    source = Source.objects.get(title="Kazinform: Business Council meets in Astana")
    other = "Kazinform: Tokayev's official visit to Serbia"
    data = csv_bytes(
        [
            [
                "commitment",
                "reported_on",
                "status",
                "progress",
                "basis",
                "basis_passage",
                "reasoning",
                "evidence_source",
                "sources",
            ],
            [
                "restart-business-council",
                "2026-02-26",
                "in_progress",
                "",
                "reported",
                "The Council met.",
                "",
                source.title,
                "",
            ],
            [
                "restart-business-council",
                "2026-03-01",
                "completed",
                "100",
                "assessed",
                "",
                "A meeting is read as the restart.",
                "",
                f"{source.title}; {other}",
            ],
        ]
    )
    result = import_file(resources.StatusUpdateResource, data, user=publisher())
    assert not result.has_validation_errors(), row_errors(result)
    reported, assessed = seed["restart"].updates.order_by("reported_on")
    assert (reported.basis, reported.basis_passage, reported.evidence_source) == (
        "reported",
        "The Council met.",
        source,
    )
    assert (assessed.basis, assessed.reasoning) == ("assessed", "A meeting is read as the restart.")
    assert assessed.sources.count() == 2
    exported = resources.StatusUpdateResource().export(StatusUpdate.objects.filter(pk=assessed.pk)).dict[0]
    assert exported["basis"] == "assessed" and exported["reasoning"] == "A meeting is read as the restart."
    assert source.title in exported["sources"] and other in exported["sources"]


# --- Responsibilities: one cell, checked by the domain's rule ----------------------------------------


def commitment_rows(responsibilities, slug=""):
    return csv_bytes(
        [
            ["slug", "title", "origin_visit", "responsibilities"],
            [slug, "Restart the council", "tokayev-official-visit-serbia-2024", responsibilities],
        ]
    )


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            "government-of-kazakhstan [lead]; government-of-kazakhstan [support]",
            "Government of the Republic of Kazakhstan is listed more than once: list each organization once",
        ),
        (
            "government-of-kazakhstan [lead]; Kazakh Invest [lead, kazakhstan]",
            "Government of the Republic of Kazakhstan and Kazakh Invest all lead for Kazakhstan: one "
            "organization leads for a side",
        ),
        ("government-of-serbia [support, montenegro]", "“montenegro” is neither a role (lead, support) nor a side"),
        ("government-of-serbia [chief, serbia]", "“chief” is neither a role"),
        ("Ministry of Transport of Atlantis [lead]", 'unknown organization "Ministry of Transport of Atlantis"'),
    ],
)
def test_a_contradictory_responsibilities_cell_is_a_row_error_and_changes_nothing(seed, cell, message):
    before = counts()
    # A new commitment, and the existing (published) one: neither is touched.
    for slug in ("", "restart-business-council"):
        result = import_file(resources.CommitmentResource, commitment_rows(cell, slug), user=publisher(), reason="x")
        assert message in row_errors(result)[2], row_errors(result)
    assert counts() == before
    assert list(seed["restart"].responsibilities.values_list("organization__slug", "role")) == [
        ("business-council", "lead")
    ]


def test_one_lead_for_each_side_and_supporters_are_accepted(seed):
    cell = "government-of-kazakhstan [lead]; government-of-serbia [lead]; kazakh-invest [support, kazakhstan]"
    result = import_file(resources.CommitmentResource, commitment_rows(cell))
    assert not result.has_validation_errors(), row_errors(result)
    rows = Commitment.objects.get(title="Restart the council").responsibilities.values_list(
        "organization__slug", "role", "side"
    )
    assert sorted(rows) == [
        ("government-of-kazakhstan", "lead", "kazakhstan"),
        ("government-of-serbia", "lead", "serbia"),
        ("kazakh-invest", "support", "kazakhstan"),
    ]


def test_the_admin_inline_refuses_two_leads_for_a_side_by_the_same_rule(client, seed):
    client.force_login(publisher())
    url, data = admin_form(client, seed["restart"])
    prefix = next(key for key in data if key.endswith("-TOTAL_FORMS") and "responsib" in key).removesuffix(
        "-TOTAL_FORMS"
    )
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-{total}-organization": str(seed["gov_kz"].pk),
            f"{prefix}-{total}-role": "lead",
            f"{prefix}-{total}-side": "bilateral_body",
            f"{prefix}-TOTAL_FORMS": str(total + 1),
            "change_reason": "Who leads, as the report says.",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "all lead for bilateral body: one organization leads for a side" in page, form_errors(response)
    assert seed["restart"].responsibilities.count() == 1


def test_the_old_responsible_organizations_column_points_to_responsibilities(seed):
    data = csv_bytes(
        [
            ["title", "origin_visit", "responsible_organizations"],
            ["Restart the council", "tokayev-official-visit-serbia-2024", "government-of-kazakhstan"],
        ]
    )
    before = counts()
    message = base_errors(import_file(resources.CommitmentResource, data))
    assert 'Unknown column "responsible_organizations": the responsible organizations are now the responsibilities' in (
        message
    )
    assert "organization [lead, kazakhstan]" in message
    assert counts() == before


def test_the_commitment_export_has_one_column_for_who_is_responsible_and_reimports_unchanged(client, seed):
    seed["restart"].responsibilities.create(organization=seed["gov_rs"], role="lead", side="serbia")
    seed["restart"].responsibilities.create(organization=seed["kazakh_invest"], role="support", side="both")
    client.force_login(publisher())
    response = admin_export(client, Commitment)
    exported = read_export(response)
    assert "responsible_organizations" not in exported.headers
    assert exported.dict[0]["responsibilities"] == (
        "business-council [lead, bilateral_body]; government-of-serbia [lead, serbia]; kazakh-invest [support, both]"
    )
    history = {model: model.history.count() for model in (Commitment,)}
    preview = admin_preview(client, Commitment, response.content)
    result = preview.context["result"]
    assert not result.has_validation_errors(), row_errors(result)
    assert result.totals["skip"] == 1 and result.totals["update"] == 0
    admin_confirm(client, Commitment, preview)
    assert history == {Commitment: Commitment.history.count()}
    assert sorted(seed["restart"].responsibilities.values_list("organization__slug", "role", "side")) == [
        ("business-council", "lead", "bilateral_body"),
        ("government-of-serbia", "lead", "serbia"),
        ("kazakh-invest", "support", "both"),
    ]


# --- The reason for changes to published records ---------------------------------------------------


def preview_with_reason(client, model, data: bytes, reason: str):
    upload = SimpleUploadedFile("import.csv", data)
    return client.post(
        admin_url(model, "import"),
        {"import_file": upload, "format": FORMAT["csv"], "resource": "0", "change_reason": reason},
    )


def test_an_import_that_changes_a_published_record_asks_for_a_reason_and_the_corrections_page_shows_it(client, seed):
    client.force_login(publisher())
    data = csv_bytes(
        [
            ["slug", "title", "origin_visit", "description"],
            [
                "restart-business-council",
                "Restart the Kazakhstan–Serbia Business Council",
                "tokayev-official-visit-serbia-2024",
                "Decided on 19 November 2024.",
            ],
            ["", "Hold Days of Serbia in Kazakhstan", "tokayev-official-visit-serbia-2024", ""],
        ]
    )
    before, history = counts(), Commitment.history.count()
    # Without a reason: the published row is refused, with the reason why, and nothing is saved.
    preview = preview_with_reason(client, Commitment, data, "")
    assert "confirm_form" not in preview.context
    errors = row_errors(preview.context["result"])
    assert set(errors) == {2}  # the new draft needs no reason
    assert "This row changes a published record: give the reason for the change in the import form" in errors[2]
    assert "This row changes a published record" in preview.content.decode()
    # The confirm step cannot be forged past it: a confirm without the reason saves nothing and says so.
    good = preview_with_reason(client, Commitment, data, "The report dates the decision.")
    form = good.context["confirm_form"]
    forged = {name: form[name].value() for name in form.fields} | {"change_reason": ""}
    response = client.post(admin_url(Commitment, "process_import"), forged)
    assert response.status_code == 302
    assert "Nothing was imported: This row changes a published record" in str(list(response.wsgi_request._messages)[0])
    assert counts() == before and Commitment.history.count() == history
    # With the reason: the record is changed, its history keeps the reason, and the public log shows it.
    good = preview_with_reason(client, Commitment, data, "The report dates the decision.")
    assert good.context["confirm_form"]["change_reason"].value() == "The report dates the decision."
    response = admin_confirm(client, Commitment, good)
    assert response.status_code == 302
    seed["restart"].refresh_from_db()
    assert seed["restart"].description == "Decided on 19 November 2024."
    assert seed["restart"].history.first().history_change_reason == "The report dates the decision."
    client.logout()
    page = client.get(reverse("web:corrections")).content.decode()
    assert "The report dates the decision." in page and "Decided on 19 November 2024." in page


def test_publishing_or_an_unchanged_published_row_needs_no_reason(client, seed):
    client.force_login(publisher())
    draft = factories.commitment(title="A draft", slug="a-draft", publication_status=PublicationStatus.DRAFT)
    data = csv_bytes(
        [
            ["slug", "title", "origin_visit", "publication_status"],
            ["restart-business-council", seed["restart"].title, "tokayev-official-visit-serbia-2024", "published"],
            [draft.slug, "A draft", draft.origin_visit.slug, "published"],
        ]
    )
    result = import_file(resources.CommitmentResource, data, user=publisher())
    assert not result.has_validation_errors(), row_errors(result)
    draft.refresh_from_db()
    assert draft.publication_status == PublicationStatus.PUBLISHED
    unpublish = data.replace(b",published\r\n", b",draft\r\n", 1)
    result = import_file(resources.CommitmentResource, unpublish, user=publisher())
    assert not result.has_validation_errors(), row_errors(result)
    seed["restart"].refresh_from_db()
    assert seed["restart"].publication_status == PublicationStatus.DRAFT
