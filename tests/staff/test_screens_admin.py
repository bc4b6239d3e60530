"""Issue 19's staff screens: the admin index grouped by task, the publisher's queue with related
drafts, countries as plain drop-downs, "save and add" from a visit to its document to its
commitment, and the import page's format from the file name, "did you mean" and error CSV."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperation.tracker.models import (
    Document,
    EntryIntoForceRule,
    Organization,
    StageBeforeSignature,
    Visit,
    YesNoUnknown,
)
from tests import factories as f
from tests.admin_helpers import signed_in

pytestmark = pytest.mark.django_db

DRAFT = f.DRAFT


def test_the_index_is_grouped_by_task_users_and_security_last(client):
    signed_in(client, "chief", superuser=True)
    groups = [str(app["name"]) for app in client.get("/admin/").context["app_list"]]
    assert groups == ["Records", "People and organizations", "Reference lists", "Spreadsheets", "Users and security"]
    app_list = client.get("/admin/").context["app_list"]
    records = [model["object_name"] for model in app_list[0]["models"]]
    assert records[:3] == ["Visit", "Document", "Commitment"]
    imports = [model["admin_url"] for model in app_list[3]["models"]]
    assert reverse("admin:tracker_organization_import") in imports
    # An app's own page is still Django's.
    assert client.get("/admin/tracker/").status_code == 200


def test_the_queue_lists_drafts_with_their_related_drafts(client):
    signed_in(client, "pub", role="Publisher")
    commitment = f.commitment(title="Open a direct flight", publication_status=DRAFT)
    update = f.status_update(commitment, publication_status=DRAFT)
    published = f.commitment(title="Already public")
    response = client.get("/admin/queue/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Open a direct flight" in html and "Already public" not in html
    assert f'value="statusupdate:{update.pk}" data-with="commitment:{commitment.pk}"' in html
    assert published.pk not in [row["key"] for section in response.context["sections"] for row in section["rows"]]


def test_publishing_a_commitment_from_the_queue_publishes_its_updates_too(client):
    publisher = signed_in(client, "pub", role="Publisher")
    commitment = f.commitment(title="Open a direct flight", publication_status=DRAFT)
    update = f.status_update(commitment, status="completed", publication_status=DRAFT)
    response = client.post(
        "/admin/queue/", {"publish": [f"commitment:{commitment.pk}", f"statusupdate:{update.pk}", "bogus", "visit:x"]}
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    update.refresh_from_db()
    assert commitment.is_published and update.is_published
    assert commitment.status == "completed"  # its status follows the update now public
    assert commitment.history.first().history_user == publisher


def test_an_editor_sees_the_queue_but_cannot_publish_from_it(client):
    signed_in(client, "ed", role="Editor")
    commitment = f.commitment(title="Open a direct flight", publication_status=DRAFT)
    html = client.get("/admin/queue/").content.decode()
    assert "Open a direct flight" in html and 'name="publish"' not in html
    assert client.post("/admin/queue/", {"publish": [f"commitment:{commitment.pk}"]}).status_code == 403
    commitment.refresh_from_db()
    assert not commitment.is_published


def test_the_queue_needs_a_staff_login(client):
    assert client.get("/admin/queue/").status_code == 302


def test_countries_are_plain_drop_downs_and_organizations_autocomplete(client):
    signed_in(client, "chief", superuser=True)
    form = client.get(reverse("admin:tracker_organization_add")).context["adminform"].form
    assert "autocomplete" not in form.fields["country"].widget.widget.__class__.__name__.lower()
    assert "Autocomplete" in form.fields["parent"].widget.widget.__class__.__name__
    visit_form = client.get(reverse("admin:tracker_visit_add")).context["adminform"].form
    assert "Autocomplete" not in visit_form.fields["host_country"].widget.widget.__class__.__name__


def test_a_visit_then_its_document_then_its_commitment_with_the_first_update(client):
    """The shortest way through: each save goes straight to the next record's add page with what
    they share filled in; the commitment's first status update is on its own add page."""
    signed_in(client, "chief", superuser=True)
    kz, rs = f.country("KZ"), f.country("RS")
    ministry_kz = f.organization(name="Ministry of Energy", country=kz)
    ministry_rs = f.organization(name="Ministry of Mining and Energy", country=rs)
    energy = f.sector("Energy")
    response = client.post(
        reverse("admin:tracker_visit_add"),
        {
            "title_en": "Working visit on energy",
            "kind": "working_visit",
            "start_date": "2025-03-04",
            "start_precision": "day",
            "place_en": "Belgrade",
            "host_country": rs.pk,
            "sectors": [energy.pk],
            "publication_status": "draft",
            "commitments-TOTAL_FORMS": "0",
            "commitments-INITIAL_FORMS": "0",
            "_add_document": "1",
        },
    )
    visit = Visit.objects.get(title="Working visit on energy")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:tracker_document_add") + f"?signed_at={visit.pk}")
    initial = client.get(response["Location"]).context["adminform"].form.initial
    assert initial["signed_on"] == "2025-03-04" and initial["place_signed"] == "Belgrade"
    assert [str(pk) for pk in initial["sectors"]] == [str(energy.pk)]

    response = client.post(
        response["Location"],
        {
            "title_en": "Memorandum on energy",
            "kind": "mou",
            "level": "interdepartmental",
            "signed_on": "2025-03-04",
            "signed_precision": "day",
            "signed_at": visit.pk,
            "stage_before_signature": StageBeforeSignature.PLANNED,  # the form's defaults (issue 16)
            "subject_to_procedures": YesNoUnknown.NOT_REPORTED,
            "entry_into_force_rule": EntryIntoForceRule.NOT_REPORTED,
            "automatic_renewal": YesNoUnknown.NOT_REPORTED,
            "sectors": [energy.pk],
            "publication_status": "draft",
            "parties-TOTAL_FORMS": "2",
            "parties-INITIAL_FORMS": "0",
            "parties-0-organization": ministry_kz.pk,
            "parties-0-side": kz.pk,
            "parties-1-organization": ministry_rs.pk,
            "parties-1-side": rs.pk,
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
            "commitments-TOTAL_FORMS": "0",
            "commitments-INITIAL_FORMS": "0",
            "_add_commitment": "1",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors or [
        (fs.formset.prefix, fs.formset.errors, fs.formset.non_form_errors())
        for fs in response.context["inline_admin_formsets"]
    ]
    document = Document.objects.get(title="Memorandum on energy")
    commitment_add = client.get(response["Location"])
    initial = commitment_add.context["adminform"].form.initial
    assert initial["origin_document"] == str(document.pk) and initial["origin_visit"] == str(visit.pk)
    responsibilities = commitment_add.context["inline_admin_formsets"][0].formset
    rows = [form.initial for form in responsibilities.forms if form.initial]
    assert sorted(row["organization"] for row in rows) == sorted([str(ministry_kz.pk), str(ministry_rs.pk)])
    assert [row["role"] for row in rows] == ["lead", "support"]  # the first party leads until changed
    inline = commitment_add.context["inline_admin_formsets"][1].formset
    assert inline.forms[0].initial.get("reported_on") is not None or inline.form.base_fields["reported_on"].initial


# --- The import page ----------------------------------------------------------------------------

ORGANIZATIONS_HEADER = "slug,name,short_name,kind,country,parent,sectors,website,description,sources,publication_status"


def upload(client, data: bytes, name: str, file_format: str = ""):
    return client.post(
        reverse("admin:tracker_organization_import"),
        {"import_file": SimpleUploadedFile(name, data), "format": file_format, "resource": "0"},
    )


def test_the_format_comes_from_the_file_name(client):
    signed_in(client, "chief", superuser=True)
    f.country("KZ")
    data = f"{ORGANIZATIONS_HEADER}\n,Ministry of Culture,,ministry,KZ,,,,,,draft\n".encode()
    # No format chosen, or the wrong one: the name says CSV.
    for chosen in ("", "1"):
        response = upload(client, data, "organizations.CSV", chosen)
        assert "confirm_form" in response.context, response.context["form"].errors
    refused = upload(client, data, "organizations.txt")
    assert "The file is not named .csv or .xlsx: choose its format." in refused.content.decode()
    assert Organization.objects.count() == 0


def test_unknown_names_get_a_did_you_mean_and_the_errors_download_as_csv(client):
    signed_in(client, "chief", superuser=True)
    f.country("KZ")
    f.organization(slug="government-of-the-republic-of-kazakhstan", name="Government of the Republic of Kazakhstan")
    data = (
        f"{ORGANIZATIONS_HEADER}\n"
        ",Ministry of Culture,,ministry,KZ,goverment-of-the-republic-of-kazakhstan,,,,,draft\n"
        ",Ministry of Sport,,ministry,KZ,Government of the Republic of Kazakstan,,,,,draft\n"
        ",Ministry of Energy,,ministry,KZ,zzzz,,,,,draft\n"
    ).encode()
    response = upload(client, data, "organizations.csv")
    html = response.content.decode()
    # Each suggestion names the record as a cell best does: by its slug.
    assert html.count("Did you mean “government-of-the-republic-of-kazakhstan”?") == 2
    assert html.count("Did you mean") == 2  # nothing close to "zzzz"
    assert reverse("admin:tracker_organization_import_errors") in html

    errors = client.get(reverse("admin:tracker_organization_import_errors"))
    assert errors["Content-Disposition"].startswith('attachment; filename="import-errors-organizations-')
    header, *rows = list(csv.reader(io.StringIO(errors.content.decode("utf-8-sig"))))
    assert header == ["Row", "Column", "Problem"]
    assert [row[:2] for row in rows] == [["2", "parent"], ["3", "parent"], ["4", "parent"]]
    assert "Did you mean" in rows[0][2]
    assert Organization.objects.count() == 1


def test_the_error_download_is_for_staff_who_may_import(client):
    assert client.get(reverse("admin:tracker_organization_import_errors")).status_code == 302
    signed_in(client, "chief", superuser=True)
    # Nothing uploaded yet: back to the import page with a message.
    response = client.get(reverse("admin:tracker_organization_import_errors"))
    assert response.status_code == 302 and response["Location"] == reverse("admin:tracker_organization_import")
