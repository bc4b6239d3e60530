"""Published means protected: an editor changes nothing the public sees, by any path into the data.

One test (or more) per path: the change form, inline rows, the stand-alone party admin, the history
revert and the restore of deleted records, list_editable, admin actions, the "+" popup add,
delete, many-to-many links, spreadsheet import; and the reference data (sectors, countries,
sources) that published pages show. The rule is one function (staff/publishing.py `may_change`);
publishers pass every check (controls at the end).
"""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from cooperation.staff.roles import EDITOR, PUBLISHER
from cooperation.staff.spreadsheets import resources
from cooperation.staff.spreadsheets.files import SafeCSV
from cooperation.tracker.models import (
    Commitment,
    CommitmentStatus,
    Country,
    Document,
    DocumentParty,
    DocumentStep,
    Figure,
    Indicator,
    Organization,
    Person,
    PublicationStatus,
    Sector,
    Source,
    StatusUpdate,
    Visit,
)
from tests import factories
from tests.admin_helpers import admin_form, form_data, form_errors, signed_in, staff_user, submit_admin_form

pytestmark = pytest.mark.django_db
DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED


@pytest.fixture
def editor(client):
    return signed_in(client, "ed", role=EDITOR)


def change_url(record) -> str:
    return reverse(f"admin:tracker_{record._meta.model_name}_change", args=[record.pk])


def revert_url(record, version) -> str:
    return reverse(f"admin:tracker_{record._meta.model_name}_simple_history", args=[record.pk, version.history_id])


def changelist(model) -> str:
    return reverse(f"admin:tracker_{model._meta.model_name}_changelist")


def snapshot(record) -> dict:
    """Every stored column of `record` and its many-to-many links, to compare before and after."""
    fresh = type(record)._default_manager.get(pk=record.pk)
    values = {field.attname: getattr(fresh, field.attname) for field in fresh._meta.concrete_fields}
    for field in fresh._meta.many_to_many:
        values[field.name] = sorted(getattr(fresh, field.name).values_list("pk", flat=True))
    if isinstance(fresh, Document):
        values["parties"] = sorted(fresh.parties.values_list("organization_id", "side_id", "signatory_id"))
        values["steps"] = sorted(fresh.steps.values_list("side_id", "kind", "act_on", "effective_on", "note"))
    return values


def published_records() -> dict:
    """A published record of every publishable kind, linked as real data is."""
    kz, rs = factories.organization(name="Ministry of Trade"), factories.organization(country=factories.country("RS"))
    visit = factories.visit(title="Official visit", participants=[factories.person(organization=kz)])
    document = factories.document(parties=[kz, rs], signed_at=visit, title="Trade memorandum")
    commitment = factories.commitment(responsible=[kz], origin_document=document, title="Open a trade house")
    update = factories.status_update(commitment, status=CommitmentStatus.IN_PROGRESS, progress=30)
    return {
        "organization": kz,
        "person": kz.people.get(),
        "visit": visit,
        "document": document,
        "commitment": commitment,
        "statusupdate": update,
    }


# --- The change form ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["organization", "person", "visit", "document", "commitment", "statusupdate"])
def test_the_change_form_of_a_published_record_is_read_only_and_a_forged_post_is_refused(client, editor, kind):
    record = published_records()[kind]
    before = snapshot(record)
    page = client.get(change_url(record))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    # What the editor would post if the form were editable: every field, one of them changed.
    client.force_login(staff_user("pub", role=PUBLISHER))
    url, data = admin_form(client, record)
    client.force_login(editor)
    text_field = {"person": "name", "statusupdate": "note"}.get(kind, "title" if "title" in data else "name")
    data[text_field] = "Changed behind the publisher's back"
    assert client.post(url, data).status_code == 403
    assert snapshot(record) == before


def test_many_to_many_links_of_a_published_record_cannot_be_changed(client, editor):
    records = published_records()
    visit = records["visit"]
    before = snapshot(visit)
    client.force_login(staff_user("pub", role=PUBLISHER))
    url, data = admin_form(client, visit)
    client.force_login(editor)
    data.update(participants=[factories.person().pk], sectors=[factories.sector().pk], sources=[factories.source().pk])
    assert client.post(url, data).status_code == 403
    assert snapshot(visit) == before


# --- History: revert, and restore of deleted records -----------------------------------------


def test_the_history_revert_of_a_published_record_is_refused(client, editor):
    """The reported hole: an organization, a draft when it had its old name, published since;
    reverting to that version renamed it, and the old name went public at once."""
    publisher = staff_user("pub", role=PUBLISHER)
    organization = factories.organization(name="Old name", publication_status=DRAFT)
    old_version = organization.history.latest()
    organization.name = "Published name"
    organization.save()
    Organization.objects.filter(pk=organization.pk).publish(user=publisher)
    before = snapshot(organization)

    page = client.get(revert_url(organization, old_version))
    assert page.status_code == 200
    assert b"Revert" not in page.content.split(b"<title>")[1].split(b"</title>")[0]
    data = form_data(page, "historicalorganization_form")
    assert client.post(revert_url(organization, old_version), data).status_code == 403
    assert snapshot(organization) == before


def test_a_revert_cannot_change_the_links_of_a_published_record(client, editor):
    document = published_records()["document"]
    version = document.history.latest()
    before = snapshot(document)
    page = client.get(revert_url(document, version))
    data = form_data(page, "historicaldocument_form") | {"sectors": [factories.sector().pk]}
    response = client.post(revert_url(document, version), data)
    assert response.status_code == 403 or "only a publisher" in response.content.decode()
    assert snapshot(document) == before


def test_a_revert_of_a_party_onto_a_published_document_is_refused(client, editor):
    draft_document = factories.document(publication_status=DRAFT)
    published_document = published_records()["document"]
    party = DocumentParty.objects.create(document=published_document, organization=factories.organization())
    old_version = party.history.latest()
    # A publisher moved it to the draft document; reverting would move it back onto the public one.
    party.document = draft_document
    party.save()
    page = client.get(revert_url(party, old_version))
    data = form_data(page, "historicaldocumentparty_form")
    assert client.post(revert_url(party, old_version), data).status_code == 403
    party.refresh_from_db()
    assert party.document == draft_document


def test_a_deleted_party_cannot_be_restored_into_a_published_document(client, editor):
    document = published_records()["document"]
    party = document.parties.first()
    pk, before = party.pk, snapshot(document)
    party._history_user = staff_user("pub", role=PUBLISHER)
    party.delete()
    deletion = DocumentParty.history.get(id=pk, history_type="-")
    listing = client.get(reverse("admin:tracker_documentparty_deleted"))
    assert listing.status_code == 200
    page = client.get(revert_url(deletion.instance, deletion))
    data = form_data(page, "historicaldocumentparty_form")
    assert client.post(revert_url(deletion.instance, deletion), data).status_code == 403
    assert not DocumentParty.objects.filter(pk=pk).exists()
    assert snapshot(document)["parties"] == sorted(
        set(before["parties"]) - {(party.organization_id, party.side_id, None)}
    )


# --- The stand-alone party admin --------------------------------------------------------------


def test_the_parties_of_a_published_document_cannot_be_swapped(client, editor):
    document = published_records()["document"]
    party = document.parties.first()
    before = snapshot(document)
    page = client.get(change_url(party))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    forged = {"document": document.pk, "organization": factories.organization().pk, "side": party.side_id}
    assert client.post(change_url(party), forged).status_code == 403
    assert snapshot(document) == before


def test_no_party_can_be_added_to_a_published_document(client, editor):
    document = published_records()["document"]
    before = snapshot(document)
    response = submit_admin_form(
        client, DocumentParty, {"document": document.pk, "organization": factories.organization().pk}
    )
    assert response.status_code == 200
    assert "only a publisher" in str(form_errors(response))
    assert snapshot(document) == before


def test_a_party_of_a_draft_document_cannot_be_moved_onto_a_published_one(client, editor):
    published = published_records()["document"]
    draft = factories.document(publication_status=DRAFT, parties=[factories.organization()])
    party = draft.parties.get()
    before = snapshot(published)
    response = submit_admin_form(client, party, {"document": published.pk})
    assert response.status_code == 200
    assert "only a publisher" in str(form_errors(response))
    assert snapshot(published) == before
    party.refresh_from_db()
    assert party.document == draft


def test_the_popup_add_of_a_party_to_a_published_document_is_refused(client, editor):
    document = published_records()["document"]
    before = snapshot(document)
    url = reverse("admin:tracker_documentparty_add") + "?_popup=1&_to_field=id"
    response = client.post(url, {"document": document.pk, "organization": factories.organization().pk, "_popup": "1"})
    assert response.status_code == 200 and "only a publisher" in str(form_errors(response))
    assert snapshot(document) == before


def test_the_popup_add_of_an_organization_makes_a_draft(client, editor):
    url = reverse("admin:tracker_organization_add") + "?_popup=1&_to_field=id"
    page = client.get(url)
    data = form_data(page, "organization_form") | {
        "name_en": "Ministry added from a popup",
        "kind": "ministry",
        "publication_status": PUBLISHED,
        "_popup": "1",
    }
    assert client.post(url, data).status_code == 200  # the popup's closing page
    assert Organization.objects.get(name="Ministry added from a popup").publication_status == DRAFT


# --- Inline rows -------------------------------------------------------------------------------


def test_a_published_commitment_cannot_be_changed_inline_on_a_draft_visit(client, editor):
    visit = factories.visit(publication_status=DRAFT)
    commitment = factories.commitment(origin_visit=visit, title="Published promise")
    before = snapshot(commitment)
    response = submit_admin_form(client, visit, {"commitments-0-title": "Rewritten inline"})
    assert response.status_code == 200
    assert "only a publisher" in str(form_errors(response))
    assert snapshot(commitment) == before


def test_a_published_status_update_cannot_be_changed_inline_on_a_draft_commitment(client, editor):
    commitment = factories.commitment(publication_status=DRAFT)
    update = factories.status_update(commitment, note="Published note")
    before = snapshot(update)
    response = submit_admin_form(client, commitment, {"updates-0-note": "Rewritten inline"})
    assert response.status_code == 200
    assert "only a publisher" in str(form_errors(response))
    assert snapshot(update) == before


def test_the_party_inline_of_a_published_document_is_read_only(client, editor):
    document = published_records()["document"]
    before = snapshot(document)
    client.force_login(staff_user("pub", role=PUBLISHER))
    url, data = admin_form(client, document)
    client.force_login(editor)
    data["parties-0-organization"] = factories.organization().pk
    data["parties-0-DELETE"] = "on"
    assert client.post(url, data).status_code == 403
    assert snapshot(document) == before


def test_the_steps_of_a_published_document_cannot_be_added_or_changed_by_an_editor(client, editor):
    """A step is public with its document: the inline of a published document is read-only."""
    document = published_records()["document"]
    factories.step(document, "KZ", "internal_procedure", act_on=datetime.date(2025, 1, 10))
    before = snapshot(document)
    client.force_login(staff_user("pub", role=PUBLISHER))
    url, data = admin_form(client, document)
    client.force_login(editor)
    data["steps-0-note"] = "Rewritten"
    data.update(
        {
            "steps-TOTAL_FORMS": "2",
            "steps-1-side": factories.country("RS").pk,
            "steps-1-kind": "notification_sent",
            "steps-1-act_on": "2025-02-01",
        }
    )
    assert client.post(url, data).status_code == 403
    assert snapshot(document) == before


def test_an_import_cannot_add_or_change_a_step_of_a_published_document(editor):
    document = published_records()["document"]
    factories.step(document, "KZ", "internal_procedure", act_on=datetime.date(2025, 1, 10))
    before = snapshot(document)
    header = ["document", "side", "kind", "act_on", "note"]
    for row in (
        [document.slug, "RS", "notification_sent", "2025-02-01", ""],  # a new step
        [document.slug, "KZ", "internal_procedure", "2025-01-10", "Rewritten"],  # the existing one
    ):
        result = import_rows(resources.DocumentStepResource, [header, row], editor)
        assert "only a publisher may change" in row_messages(result), row
    assert snapshot(document) == before


def test_an_editor_may_add_steps_to_a_draft_document(editor):
    document = factories.document(publication_status=DRAFT, signed_on=datetime.date(2024, 11, 19))
    factories.country("RS")
    result = import_rows(
        resources.DocumentStepResource,
        [["document", "side", "kind", "act_on"], [document.slug, "RS", "internal_procedure", "2025-01-10"]],
        editor,
    )
    assert not result.has_validation_errors() and not result.has_errors(), row_messages(result)
    assert document.steps.get().side.code == "RS"


def test_an_editor_may_still_add_a_draft_status_update_to_a_published_commitment(client, editor):
    """The daily work: the update waits, as a draft, for a publisher; the public status does not move."""
    commitment = published_records()["commitment"]
    before = snapshot(commitment)
    response = submit_admin_form(
        client,
        StatusUpdate,
        {
            "commitment": commitment.pk,
            "reported_on": "2026-03-01",
            "status": "completed",
            "progress": "100",
            "evidence_source": factories.source().pk,
        },
    )
    assert response.status_code == 302, form_errors(response)
    assert commitment.updates.latest().publication_status == DRAFT
    assert snapshot(commitment) == before


# --- Changelist: list_editable, actions, delete ------------------------------------------------


def test_list_editable_cannot_change_a_published_record(client, editor, monkeypatch):
    """No admin offers list_editable today; if one ever does, its saves go through the same rule."""
    organization = published_records()["organization"]
    before = snapshot(organization)
    monkeypatch.setattr(admin.site._registry[Organization], "list_editable", ("short_name",))
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(organization.pk),
        "form-0-short_name": "Renamed in the list",
        "_save": "Save",
    }
    response = client.post(changelist(Organization), data)
    assert response.status_code == 403
    assert snapshot(organization) == before


@pytest.mark.parametrize("action", ["unpublish_selected", "publish_selected", "delete_selected"])
def test_no_action_changes_a_published_record_for_an_editor(client, editor, action):
    records = published_records()
    for kind in ("organization", "visit", "document", "commitment", "statusupdate"):
        record = records[kind]
        before = snapshot(record)
        response = client.post(
            changelist(type(record)), {"action": action, "_selected_action": [record.pk], "post": "yes"}
        )
        assert response.status_code in (200, 302, 403)
        assert snapshot(record) == before, (kind, action)


def test_an_editor_cannot_delete_a_published_record(client, editor):
    for record in published_records().values():
        url = reverse(f"admin:tracker_{record._meta.model_name}_delete", args=[record.pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
        assert type(record).objects.filter(pk=record.pk).exists()


# --- Spreadsheet import ------------------------------------------------------------------------


def csv_bytes(rows) -> bytes:
    return "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows).encode() + b"\n"


def import_rows(resource_class, rows, user):
    return resource_class().import_data(SafeCSV().create_dataset(csv_bytes(rows)), dry_run=False, user=user)


def row_messages(result) -> str:
    return " ".join(str(msg) for invalid in result.invalid_rows for msgs in invalid.error_dict.values() for msg in msgs)


def test_an_import_cannot_swap_the_parties_of_a_published_document(editor):
    document = published_records()["document"]
    before = snapshot(document)
    newcomer = factories.organization(slug="newcomer")
    result = import_rows(
        resources.DocumentResource,
        [
            ["slug", "title", "kind", "level", "parties"],
            [document.slug, document.title, "mou", "interdepartmental", "newcomer [KZ]"],
        ],
        editor,
    )
    assert "only a publisher may change it" in row_messages(result)
    assert snapshot(document) == before and not newcomer.document_parties.exists()


def test_an_import_cannot_change_the_sectors_of_a_published_commitment(editor):
    commitment = published_records()["commitment"]
    before = snapshot(commitment)
    factories.sector("Space")
    result = import_rows(
        resources.CommitmentResource,
        [["slug", "title", "sectors"], [commitment.slug, commitment.title, "Space"]],
        editor,
    )
    assert "only a publisher may change it" in row_messages(result)
    assert snapshot(commitment) == before


def test_an_import_may_add_a_draft_status_update_to_a_published_commitment(editor):
    commitment = published_records()["commitment"]
    before = snapshot(commitment)
    source = factories.source()
    result = import_rows(
        resources.StatusUpdateResource,
        [
            ["commitment", "reported_on", "status", "progress", "evidence_source"],
            [commitment.slug, "2026-03-01", "completed", "100", source.title],
        ],
        editor,
    )
    assert result.totals["new"] == 1, row_messages(result)
    assert commitment.updates.latest().publication_status == DRAFT
    assert snapshot(commitment) == before


def test_an_import_cannot_rewrite_a_published_status_update(editor):
    update = published_records()["statusupdate"]
    before = snapshot(update)
    result = import_rows(
        resources.StatusUpdateResource,
        [
            ["commitment", "reported_on", "status", "progress", "note"],
            [update.commitment.slug, update.reported_on, "in_progress", "30", "Rewritten"],
        ],
        editor,
    )
    assert "only a publisher may change it" in row_messages(result)
    assert snapshot(update) == before


# --- Sectors, countries and sources ------------------------------------------------------------------


def test_an_editor_may_add_reference_data_and_change_what_no_published_record_shows(client, editor):
    response = submit_admin_form(client, Sector, {"name": "Water management"})
    assert response.status_code == 302, form_errors(response)
    sector = Sector.objects.get(name="Water management")
    factories.visit(publication_status=DRAFT, sectors=[sector])  # used by a draft only
    response = submit_admin_form(client, sector, {"name": "Water resources"})
    assert response.status_code == 302, form_errors(response)
    sector.refresh_from_db()
    assert sector.name == "Water resources"
    source = factories.source(title="Unused report")
    response = submit_admin_form(client, source, {"title": "Unused report, corrected"})
    assert response.status_code == 302, form_errors(response)


@pytest.mark.parametrize("kind", ["sector", "source", "country", "country as a side"])
def test_an_editor_cannot_change_reference_data_that_a_published_record_shows(client, editor, kind):
    records = published_records()
    if kind == "sector":
        record = factories.sector("Trade")
        records["commitment"].sectors.add(record)
    elif kind == "source":
        record = factories.source(title="Cited report")
        factories.status_update(records["commitment"], evidence_source=record, reported_on=datetime.date(2025, 2, 1))
    elif kind == "country":
        record = factories.country("UZ", "Uzbekistan")
        factories.organization(country=record)
    else:
        record = factories.country("UZ", "Uzbekistan")
        DocumentParty.objects.create(document=records["document"], organization=factories.organization(), side=record)
    before = snapshot(record)
    page = client.get(change_url(record))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(change_url(record), {"name": "Renamed", "title": "Renamed", "code": "UZ"}).status_code == 403
    assert snapshot(record) == before


# --- The one rule, and the controls: a publisher may do all of it -------------------------------


def test_may_change_is_the_one_rule():
    from cooperation.staff.publishing import may_change

    records = published_records()
    editor, publisher = staff_user("ed", role=EDITOR), staff_user("pub", role=PUBLISHER)
    party = records["document"].parties.first()
    sector = factories.sector()
    records["visit"].sectors.add(sector)
    shown = [*records.values(), party, sector, records["organization"].country, factories.source()]
    records["document"].sources.add(shown[-1])
    draft = factories.organization(publication_status=DRAFT)
    for record in shown:
        assert not may_change(editor, record), record
        assert may_change(publisher, record), record
    assert (
        may_change(editor, draft) and may_change(editor, factories.sector()) and may_change(editor, Country(code="UZ"))
    )
    assert not may_change(None, records["organization"]), "a script without a user is no publisher"
    new_party = DocumentParty(document=records["document"], organization=draft)
    assert not may_change(editor, new_party) and may_change(publisher, new_party)
    new_step = DocumentStep(document=records["document"], side=records["organization"].country, kind="signature")
    assert not may_change(editor, new_step) and may_change(publisher, new_step)


def test_a_publisher_may_revert_and_change_parties_of_a_published_record(client):
    signed_in(client, "pub", role=PUBLISHER)
    organization = factories.organization(name="Old name")
    old_version = organization.history.latest()
    organization.name = "New name"
    organization.save()
    page = client.get(revert_url(organization, old_version))
    response = client.post(revert_url(organization, old_version), form_data(page, "historicalorganization_form"))
    assert response.status_code == 302, form_errors(response)
    organization.refresh_from_db()
    assert organization.name == "Old name" and organization.is_published

    document = published_records()["document"]
    response = submit_admin_form(client, DocumentParty, {"document": document.pk, "organization": organization.pk})
    assert response.status_code == 302, form_errors(response)
    assert document.parties.filter(organization=organization).exists()
    sector = factories.sector("Trade")
    document.sectors.add(sector)
    response = submit_admin_form(client, sector, {"name": "Trade and commerce"})
    assert response.status_code == 302, form_errors(response)


def test_models_without_a_state_of_their_own_are_covered():
    """Every model that is not publishable is either owned by a publishable one (a party) or reference
    data that published records show: nothing falls outside the rule."""
    from cooperation.staff.publishing import shown_by

    assert shown_by(DocumentParty) == {Document}
    assert shown_by(DocumentStep) == {Document}
    assert shown_by(Sector) == {Organization, Visit, Document, Commitment}
    assert shown_by(Source) == {Organization, Person, Visit, Document, Commitment, StatusUpdate, Figure}
    assert shown_by(Country) == {Organization, Person, Visit, Document, Figure}
    assert shown_by(Indicator) == {Figure}
