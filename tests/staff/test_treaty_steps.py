"""Staff enter a treaty's steps in the document's admin page or by spreadsheet, and see the
derived state at once; derived columns are never typed (admin read-only, import refused)."""

import datetime

import pytest

from cooperation.staff.roles import PUBLISHER
from cooperation.staff.spreadsheets import resources
from cooperation.staff.spreadsheets.files import SafeCSV
from cooperation.tracker.models import Document, DocumentStep
from tests import factories
from tests.admin_helpers import admin_form, form_errors, signed_in, staff_user

pytestmark = pytest.mark.django_db
D = datetime.date


def readmission():
    return factories.document(
        title="Readmission agreement",
        kind="agreement",
        level="intergovernmental",
        subject_to_procedures="yes",
        entry_into_force_rule="days_after_notification",
        entry_into_force_delay=30,
    )


def test_a_treaty_officer_enters_serbias_law_and_the_notifications_and_sees_the_date(client):
    signed_in(client, "officer", role=PUBLISHER)
    document = readmission()
    kz, rs = factories.country("KZ"), factories.country("RS")
    url, data = admin_form(client, document)
    steps = [
        (rs, "internal_procedure", "2025-03-04", {"procedure_kind": "ratification", "act_number": "12/2025"}),
        (rs, "notification_sent", "2025-03-10", {"note_number": "45/2025"}),
        (kz, "notification_sent", "2025-05-26", {}),
    ]
    for number, (side, kind, act_on, extra) in enumerate(steps):
        data.update({f"steps-{number}-side": side.pk, f"steps-{number}-kind": kind, f"steps-{number}-act_on": act_on})
        data.update({f"steps-{number}-{name}": value for name, value in extra.items()})
    data["steps-TOTAL_FORMS"] = str(len(steps))
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    document.refresh_from_db()
    assert document.entry_into_force == D(2025, 6, 25) and document.status == "in_force"
    assert document.steps.count() == 3
    page = client.get(document.get_absolute_url()).content.decode()
    assert "25 June 2025" in page and "No. 12/2025" in page and "note No. 45/2025" in page
    listed = client.get("/documents/", {"in_force": "yes"}).content.decode()
    assert "Readmission agreement" in listed


def test_the_admin_shows_the_derived_state_read_only(client):
    signed_in(client, "officer", role=PUBLISHER)
    document = readmission()
    url, data = admin_form(client, document)
    assert "entry_into_force" not in data and "status" not in data and "awaiting_kz" not in data
    data["entry_into_force"] = "2020-01-01"  # a forged field is ignored
    data["status"] = "terminated"
    assert client.post(url, data).status_code == 302
    document.refresh_from_db()
    assert document.entry_into_force is None and document.status == "awaiting"


def test_the_admin_explains_a_step_before_the_signature(client):
    signed_in(client, "officer", role=PUBLISHER)
    document = readmission()
    url, data = admin_form(client, document)
    data.update(
        {
            "steps-TOTAL_FORMS": "1",
            "steps-0-side": factories.country("RS").pk,
            "steps-0-kind": "internal_procedure",
            "steps-0-act_on": "2020-01-01",
            "steps-0-note_number": "1",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    errors = str(form_errors(response))
    assert "before the document was signed" in errors and "Only a notification" in errors
    assert not DocumentStep.objects.exists()


# --- Spreadsheets --------------------------------------------------------------------------------


def csv_bytes(rows) -> bytes:
    return "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows).encode() + b"\n"


def run_import(resource_class, rows, user=None, dry_run=False):
    dataset = SafeCSV().create_dataset(csv_bytes(rows))
    return resource_class().import_data(dataset, dry_run=dry_run, user=user)


def messages(result) -> str:
    return " ".join(str(m) for invalid in result.invalid_rows for ms in invalid.error_dict.values() for m in ms)


STEP_HEADER = ["document", "side", "kind", "act_on", "effective_on", "procedure_kind", "note_number", "note"]


def test_steps_import_and_the_state_follows():
    document = readmission()
    factories.country("KZ"), factories.country("RS")
    result = run_import(
        resources.DocumentStepResource,
        [
            STEP_HEADER,
            [document.slug, "RS", "internal_procedure", "2025-03-04", "", "ratification", "", ""],
            [document.slug, "RS", "notification_sent", "2025-03-10", "", "", "45/2025", ""],
            [document.slug, "KZ", "notification_sent", "2025-05-26", "", "", "", ""],
        ],
        user=staff_user("pub", role=PUBLISHER),
    )
    assert not result.has_validation_errors() and not result.has_errors(), messages(result)
    document.refresh_from_db()
    assert document.entry_into_force == D(2025, 6, 25)


@pytest.mark.parametrize(
    "row, expected",
    [
        (["RS", "internal_procedure", "", "", "", "", ""], "date of the act"),
        (["RS", "internal_procedure", "2025-03-04", "2025-03-01", "", "", ""], "before the date of its act"),
        (["RS", "notification_sent", "2025-03-04", "", "ratification", "", ""], "Only an internal procedure"),
        (["RS", "internal_procedure", "2025-03-04", "", "", "12", ""], "Only a notification"),
        (["RS", "amendment", "2025-03-04", "", "", "", ""], "amending document"),
        (["UZ", "internal_procedure", "2025-03-04", "", "", "", ""], "country"),
        (["RS", "ratified", "2025-03-04", "", "", "", ""], "ratified"),
        (["RS", "internal_procedure", "2020-03-04", "", "", "", ""], "before the document was signed"),
        (["RS", "internal_procedure", "2025-03-04", "", "", "", "=HYPERLINK(1)"], "formula"),
    ],
)
def test_a_broken_step_row_is_refused_with_a_message_and_nothing_is_saved(row, expected):
    document = readmission()
    factories.country("KZ"), factories.country("RS")
    good = [document.slug, "KZ", "internal_procedure", "2025-01-10", "", "", "", ""]
    publisher = staff_user("pub", role=PUBLISHER)
    result = run_import(resources.DocumentStepResource, [STEP_HEADER, good, [document.slug, *row]], user=publisher)
    assert "only a publisher" not in messages(result)
    assert expected in messages(result) or expected in str([row.errors for row in result.rows])
    assert not DocumentStep.objects.exists()
    document.refresh_from_db()
    assert document.awaiting_sides == ["KZ", "RS"]


def test_a_typed_derived_column_is_refused_and_an_unchanged_export_reimports():
    document = readmission()
    exported = resources.DocumentResource().export(queryset=Document.objects.all())
    assert {"status", "entry_into_force", "awaiting_kz", "awaiting_rs"} <= set(exported.headers)
    result = run_import(
        resources.DocumentResource,
        [
            ["slug", "title", "kind", "level", "entry_into_force"],
            [document.slug, document.title, "agreement", "intergovernmental", "2025-01-01"],
        ],
    )
    assert "derived from its rules and steps" in messages(result)
    document.refresh_from_db()
    assert document.entry_into_force is None


def test_a_step_export_escapes_formulas():
    document = readmission()
    factories.step(document, "RS", "internal_procedure", act_on=D(2025, 3, 4), note="=1+1")
    exported = SafeCSV().export_data(resources.DocumentStepResource().export())
    assert "=1+1" not in exported.replace("'=1+1", "")
