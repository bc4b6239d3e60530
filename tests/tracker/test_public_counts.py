"""Stored counts: each organization's and visit's published documents and commitments.

Every test changes data one way and then compares every stored count with a fresh
count made by the queries the public lists used before the counts were stored.
Counts are refreshed when a transaction commits; `commit()` runs a block as one
(pytest-django keeps each test inside a transaction that never commits).
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.devdata.generator import DemoDataGenerator
from cooperation.staff.spreadsheets.files import SafeCSV
from cooperation.staff.spreadsheets.resources import CommitmentResource, DocumentResource
from cooperation.tracker import counts
from cooperation.tracker.models import (
    Commitment,
    Document,
    DocumentParty,
    Organization,
    PublicationStatus,
    Visit,
)
from tests import factories as f
from tests.admin_helpers import admin_form, form_data, form_errors, staff_user

pytestmark = pytest.mark.django_db
PUBLISHED = PublicationStatus.PUBLISHED


# --- The truth, counted afresh ---------------------------------------------------------


def counted(queryset, field):
    rows = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def fresh_counts() -> dict:
    """{(model, pk): (documents, commitments)} as queries.organization_rows / visit_rows annotated them."""
    parties = DocumentParty.objects.filter(document__publication_status=PUBLISHED)
    responsible = Commitment.responsible_organizations.through.objects.filter(commitment__publication_status=PUBLISHED)
    organizations = Organization.objects.annotate(
        fresh_documents=counted(parties, "organization"), fresh_commitments=counted(responsible, "organization")
    )
    visits = Visit.objects.annotate(
        fresh_documents=counted(Document.objects.published(), "signed_at"),
        fresh_commitments=counted(Commitment.objects.published(), "origin_visit"),
    )
    return {
        (queryset.model.__name__, pk): (documents, commitments)
        for queryset in (organizations, visits)
        for pk, documents, commitments in queryset.values_list("pk", "fresh_documents", "fresh_commitments")
    }


def stored_counts() -> dict:
    return {
        (model.__name__, pk): (documents, commitments)
        for model in (Organization, Visit)
        for pk, documents, commitments in model.objects.values_list("pk", "document_count", "commitment_count")
    }


def assert_counts_exact():
    assert stored_counts() == fresh_counts()


def counts_of(record) -> tuple[int, int]:
    record.refresh_from_db(fields=["document_count", "commitment_count"])
    return record.document_count, record.commitment_count


@pytest.fixture
def world(commit):
    """Two organizations, two visits, a published and a draft document and commitment at each."""
    with commit():
        kz, rs = f.organization(name="KZ Ministry"), f.organization(name="RS Ministry", country=f.country("RS"))
        astana, belgrade = f.visit(title="Astana talks"), f.visit(title="Belgrade forum")
        memo = f.document(title="Memo", parties=[kz, rs], signed_at=astana)
        draft_memo = f.document(title="Draft memo", parties=[kz], signed_at=astana, publication_status=f.DRAFT)
        road = f.commitment(title="Road", responsible=[kz, rs], origin_visit=astana)
        draft_rail = f.commitment(title="Rail", responsible=[kz], origin_visit=belgrade, publication_status=f.DRAFT)
    return kz, rs, astana, belgrade, memo, draft_memo, road, draft_rail


# --- Drafts are never counted -----------------------------------------------------------


def test_only_published_records_are_counted(world):
    kz, rs, astana, belgrade, *_ = world
    assert_counts_exact()
    assert counts_of(kz) == (1, 1)  # not the draft memo, not the draft rail commitment
    assert counts_of(rs) == (1, 1)
    assert counts_of(astana) == (1, 1)
    assert counts_of(belgrade) == (0, 0)


def test_saving_a_record_as_draft_or_published_changes_the_counts(world, commit):
    kz, rs, astana, belgrade, memo, draft_memo, road, draft_rail = world
    with commit():
        memo.publication_status = f.DRAFT
        memo.save()
        draft_rail.publication_status = PUBLISHED
        draft_rail.save()
    assert_counts_exact()
    assert counts_of(kz) == (0, 2)
    assert counts_of(rs) == (0, 1)
    assert counts_of(astana) == (0, 1)
    assert counts_of(belgrade) == (0, 1)


def test_publish_and_unpublish_in_bulk(world, commit):
    kz, rs, astana, belgrade, *_ = world
    with commit():
        assert Document.objects.publish() == 1
        assert Commitment.objects.publish() == 1
    assert_counts_exact()
    assert counts_of(kz) == (2, 2) and counts_of(belgrade) == (0, 1) and counts_of(astana) == (2, 1)

    with commit():
        Document.objects.filter(title="Memo").unpublish()
        Commitment.objects.all().unpublish()
    assert_counts_exact()
    assert counts_of(kz) == (1, 0) and counts_of(rs) == (0, 0) and counts_of(belgrade) == (0, 0)


def test_publishing_organizations_and_visits_keeps_their_counts(world, commit):
    kz, rs, astana, *_ = world
    with commit():
        Organization.objects.unpublish()
        Visit.objects.unpublish()
    assert_counts_exact()
    assert counts_of(kz) == (1, 1) and counts_of(astana) == (1, 1)


# --- Responsible organizations (many-to-many) ---------------------------------------------


def test_responsible_organizations_added_removed_and_cleared_from_the_commitment(world, commit):
    kz, rs, *_, road, draft_rail = world
    other = f.organization(name="Agency")
    with commit():
        road.responsible_organizations.add(other)
    assert counts_of(other) == (0, 1)
    assert_counts_exact()
    with commit():
        road.responsible_organizations.remove(kz)
    assert counts_of(kz) == (1, 0)
    assert_counts_exact()
    with commit():
        road.responsible_organizations.clear()
    assert counts_of(rs) == (1, 0) and counts_of(other) == (0, 0)
    assert_counts_exact()
    with commit():
        road.responsible_organizations.set([kz, rs])
    assert counts_of(kz) == (1, 1) and counts_of(rs) == (1, 1)
    assert_counts_exact()


def test_responsible_organizations_added_removed_and_cleared_from_the_organization(world, commit):
    kz, rs, *_, road, draft_rail = world
    other = f.organization(name="Agency")
    with commit():
        other.commitments.add(road, draft_rail)
    assert counts_of(other) == (0, 1)
    assert_counts_exact()
    with commit():
        kz.commitments.remove(road)
    assert counts_of(kz) == (1, 0)
    assert_counts_exact()
    with commit():
        rs.commitments.clear()
        other.commitments.set([road])
    assert counts_of(rs) == (1, 0) and counts_of(other) == (0, 1)
    assert_counts_exact()


# --- Moving records between visits, parties between organizations ---------------------------


def test_moving_a_commitment_and_a_document_to_another_visit_recounts_both_visits(world, commit):
    kz, rs, astana, belgrade, memo, draft_memo, road, draft_rail = world
    with commit():
        road.origin_visit = belgrade
        road.save()
        memo.signed_at = belgrade
        memo.save()
    assert counts_of(astana) == (0, 0) and counts_of(belgrade) == (1, 1)
    assert_counts_exact()
    with commit():
        memo.signed_at = None
        memo.save()
        road.origin_visit, road.origin_document = None, memo
        road.save()
    assert counts_of(belgrade) == (0, 0)
    assert_counts_exact()


def test_a_party_changing_organization_recounts_both(world, commit):
    kz, rs, astana, belgrade, memo, *_ = world
    party = DocumentParty.objects.get(document=memo, organization=kz)
    other = f.organization(name="Agency")
    with commit():
        party.organization = other
        party.save()
    assert counts_of(kz) == (0, 1) and counts_of(other) == (1, 0)
    assert_counts_exact()
    with commit():
        party.delete()
    assert counts_of(other) == (0, 0)
    assert_counts_exact()


# --- Deletes, and what they cascade to ------------------------------------------------------


def test_deleting_a_document_deletes_its_parties_from_the_counts(world, commit):
    kz, rs, astana, belgrade, memo, draft_memo, road, draft_rail = world
    road.origin_document = memo
    road.save()
    road.origin_document = None
    with commit():
        road.save()
        memo.delete()
    assert counts_of(kz) == (0, 1) and counts_of(rs) == (0, 1) and counts_of(astana) == (0, 1)
    assert_counts_exact()


def test_deleting_commitments_and_organizations_cascades_to_their_responsibilities(world, commit):
    kz, rs, astana, belgrade, memo, draft_memo, road, draft_rail = world
    with commit():
        Commitment.objects.filter(pk=road.pk).delete()  # bulk, as the admin's "delete selected"
    assert counts_of(kz) == (1, 0) and counts_of(rs) == (1, 0) and counts_of(astana) == (1, 0)
    assert_counts_exact()
    agency = f.organization(name="Agency")
    tunnel = f.commitment(responsible=[agency, rs], origin_visit=belgrade)
    with commit():
        agency.delete()  # its responsibility rows go with it
        tunnel.responsible_organizations.remove(rs)
    assert_counts_exact()


# --- Saving the counted rows themselves -------------------------------------------------------


def test_saving_an_organization_loaded_before_a_recount_keeps_the_counts_right(world, commit):
    kz, rs, astana, belgrade, memo, *_ = world
    stale_kz, stale_astana = Organization.objects.get(pk=kz.pk), Visit.objects.get(pk=astana.pk)
    with commit():
        f.document(parties=[kz], signed_at=astana)
    with commit():
        stale_kz.save()  # writes the old counts it was loaded with
        stale_astana.save()
    assert counts_of(kz) == (2, 1) and counts_of(astana) == (2, 1)
    assert_counts_exact()


# --- One recount per transaction -------------------------------------------------------------


def updates_of(queries, model) -> int:
    return sum(1 for query in queries if query["sql"].startswith(f'UPDATE "{model._meta.db_table}"'))


def test_many_changes_in_one_transaction_are_recounted_once(world, commit):
    kz, rs, astana, belgrade, memo, draft_memo, road, draft_rail = world
    with CaptureQueriesContext(connection) as queries, commit() as callbacks:
        for number in range(5):
            f.commitment(responsible=[kz, rs], origin_visit=belgrade, title=f"Promise {number}")
            f.document(parties=[kz, rs], signed_at=belgrade)
        road.responsible_organizations.remove(rs)
    assert len(callbacks) > 1  # one queued per change; only the first finds anything to do
    assert updates_of(queries, Organization) == 1
    assert updates_of(queries, Visit) == 1
    assert counts_of(kz) == (6, 6) and counts_of(belgrade) == (5, 5)
    assert_counts_exact()


def test_an_admin_save_of_a_commitment_recounts_once(world, client, django_capture_on_commit_callbacks):
    kz, rs, astana, belgrade, memo, draft_memo, road, draft_rail = world
    client.force_login(staff_user("pub", superuser=True))
    url, data = admin_form(client, road)
    data["origin_visit"] = str(belgrade.pk)
    # Serbia's ministry no longer responsible: its row of the responsibilities inline deleted.
    rows = [key for key in data if key.startswith("responsibilities-") and key.endswith("-organization")]
    (row,) = [key for key in rows if data[key] == str(rs.pk)]
    data[row.replace("-organization", "-DELETE")] = "on"
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    assert updates_of(queries, Organization) == 1
    assert updates_of(queries, Visit) == 1
    assert counts_of(astana) == (1, 0) and counts_of(belgrade) == (0, 1) and counts_of(rs) == (1, 0)
    assert_counts_exact()
    # PostgreSQL locks the rows before recounting them: once per model, too.
    assert sum(1 for query in queries if query["sql"].endswith("FOR UPDATE")) <= 2


def test_an_admin_save_of_a_document_with_its_parties_recounts_once(world, client, django_capture_on_commit_callbacks):
    kz, rs, astana, belgrade, memo, *_ = world
    other = f.organization(name="Agency")
    client.force_login(staff_user("pub", superuser=True))
    url, data = admin_form(client, memo)
    data["signed_at"] = str(belgrade.pk)
    first = next(key for key, value in data.items() if key.endswith("-organization") and value == str(kz.pk))
    data[first] = str(other.pk)  # the Kazakh ministry's row now names the agency
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    assert updates_of(queries, Organization) == 1
    assert updates_of(queries, Visit) == 1
    assert counts_of(kz) == (0, 1) and counts_of(other) == (1, 0) and counts_of(belgrade) == (1, 0)
    assert_counts_exact()


def test_a_rolled_back_savepoint_leaves_nothing_behind(world, commit):
    kz, rs, astana, belgrade, memo, draft_memo, road, draft_rail = world
    with commit():
        f.document(parties=[kz], signed_at=belgrade)
        try:
            with transaction.atomic():
                f.document(parties=[rs], signed_at=belgrade)
                raise RuntimeError
        except RuntimeError:
            pass
    assert counts_of(kz) == (2, 1) and counts_of(rs) == (1, 1) and counts_of(belgrade) == (1, 0)
    assert_counts_exact()


@pytest.mark.django_db(transaction=True)
def test_real_transactions_recount_on_commit_and_autocommit_at_once():
    kz = f.organization(name="KZ Ministry")  # autocommit: recounted at once
    visit = f.visit()
    with transaction.atomic():
        f.document(parties=[kz], signed_at=visit)
        assert counts_of(kz) == (0, 0)  # not before the commit
    assert counts_of(kz) == (1, 0) and counts_of(visit) == (1, 0)
    with pytest.raises(RuntimeError), transaction.atomic():
        f.document(parties=[kz], signed_at=visit)
        raise RuntimeError
    f.commitment(responsible=[kz], origin_visit=visit)
    assert counts_of(kz) == (1, 1) and counts_of(visit) == (1, 1)
    assert_counts_exact()


# --- Imports, restores, history, demo data, raw SQL --------------------------------------------


def publisher():
    return staff_user("importer", superuser=True)


def test_a_spreadsheet_import_recounts_what_its_rows_touch(world, commit):
    kz, rs, astana, belgrade, memo, *_ = world
    commitments = (
        "title,origin_visit,responsibilities,publication_status\n"
        f"Open a consulate,{belgrade.slug},{kz.slug} [lead]; {rs.slug},published\n"
    )
    documents = (
        f"slug,title,kind,level,signed_at,parties\n{memo.slug},Memo,mou,intergovernmental,{belgrade.slug},{rs.slug}\n"
    )
    user = publisher()
    with commit():
        result = CommitmentResource().import_data(SafeCSV().create_dataset(commitments.encode()), user=user)
        assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
        # The memorandum is published: changing it says why (README "Spreadsheet import").
        dataset = SafeCSV().create_dataset(documents.encode())
        result = DocumentResource().import_data(
            dataset, user=user, change_reason="Signed in Belgrade, the report says."
        )
        assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    assert counts_of(belgrade) == (1, 1) and counts_of(astana) == (0, 1)
    assert counts_of(kz) == (0, 2) and counts_of(rs) == (1, 2)
    assert_counts_exact()


def test_a_dry_run_import_changes_no_count(world, commit):
    kz, rs, astana, belgrade, *_ = world
    rows = (
        f"title,origin_visit,responsible_organizations,publication_status\nCanal,{belgrade.slug},{kz.slug},published\n"
    )
    with commit():
        CommitmentResource().import_data(SafeCSV().create_dataset(rows.encode()), dry_run=True, user=publisher())
    assert counts_of(kz) == (1, 1) and counts_of(belgrade) == (0, 0)
    assert_counts_exact()


def test_reverting_a_commitment_in_the_admin_recounts(world, client, django_capture_on_commit_callbacks):
    kz, rs, astana, belgrade, memo, draft_memo, road, draft_rail = world
    client.force_login(staff_user("pub", superuser=True))
    original = road.history.latest()
    with django_capture_on_commit_callbacks(execute=True):
        road.origin_visit = belgrade
        road.publication_status = f.DRAFT
        road.save()
    assert counts_of(astana) == (1, 0)
    url = reverse("admin:tracker_commitment_simple_history", args=[road.pk, original.history_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(client.get(url), "historicalcommitment_form"))
    assert response.status_code == 302, form_errors(response)
    road.refresh_from_db()
    assert (road.origin_visit, road.publication_status) == (astana, PUBLISHED)
    assert counts_of(astana) == (1, 1) and counts_of(kz) == (1, 1)
    assert_counts_exact()


def test_restore_recounts_everything(world, commit, tmp_path):
    kz, rs, astana, belgrade, *_ = world
    backup = tmp_path / "backup.json"
    call_command("backup_data", output=backup, verbosity=0)
    Organization.objects.update(document_count=7, commitment_count=7)  # what a backup might carry
    with commit():
        call_command("restore_data", backup, replace=True, verbosity=0)
    assert counts_of(kz) == (1, 1)
    assert_counts_exact()


def test_loaddata_and_load_seed_recount_everything(commit):
    with commit():
        call_command("load_seed", verbosity=0)
    assert_counts_exact()
    assert Organization.objects.filter(document_count__gt=0).exists()
    assert Visit.objects.filter(commitment_count__gt=0).exists()


def test_generate_demo_data_counts_what_it_made():
    DemoDataGenerator(300, seed=3, log=lambda *args: None).run()
    assert_counts_exact()
    assert Organization.objects.filter(commitment_count__gt=0, document_count__gt=0).exists()
    assert Visit.objects.filter(commitment_count__gt=0, document_count__gt=0).exists()


def test_refresh_counts_command_repairs_counts_changed_behind_its_back(world):
    Organization.objects.update(document_count=99)
    Visit.objects.update(commitment_count=99)
    call_command("refresh_counts", verbosity=0)
    assert_counts_exact()


def test_a_very_large_change_recounts_everything(world, commit, monkeypatch):
    monkeypatch.setattr(counts, "RECOUNT_ALL_ABOVE", 1)
    kz, rs, *_ = world
    with commit():
        Visit.objects.update(document_count=42)  # raw, no signal: fixed by the full recount
        for _ in range(3):
            f.document(parties=[kz, rs], signed_on=datetime.date(2025, 1, 1))
    assert counts_of(kz) == (4, 1)
    assert_counts_exact()


# --- The public pages read the stored counts ---------------------------------------------------


def test_lists_sort_by_the_stored_counts(world, commit, client, django_assert_max_num_queries):
    kz, rs, astana, belgrade, *_ = world
    with commit():
        f.commitment(responsible=[rs], origin_visit=belgrade)
        f.commitment(responsible=[rs], origin_visit=belgrade)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("web:organization-list"), {"sort": "-commitment_count"})
    rows = [(row.record.name, row.record.commitment_count) for row in response.context["table"].page.object_list]
    assert rows == [("RS Ministry", 3), ("KZ Ministry", 1)]
    response = client.get(reverse("web:visit-list"), {"sort": "-commitment_count"})
    rows = [(row.record.title, row.record.commitment_count) for row in response.context["table"].page.object_list]
    assert rows == [("Belgrade forum", 2), ("Astana talks", 1)]
    page = client.get(kz.get_absolute_url()).content.decode()
    assert "Memo" in page and "Draft memo" not in page
