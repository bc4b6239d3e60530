"""backup_data / restore_data: dump, wipe, restore, compare — nothing lost."""

import datetime
import json

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from cooperation.caching import content_version
from cooperation.tracker.models import Commitment, CommitmentStatus, ContentVersion, Document, StatusUpdate, Visit
from tests import factories

# --- What must survive, described independently of the backup code -------------


def models_that_must_survive():
    """Every record; not the content version, which is this database's cache state."""
    tracker = [
        model
        for model in apps.get_app_config("tracker").get_models(include_auto_created=True)
        if model is not ContentVersion
    ]
    auth_links = [User.groups.through, User.user_permissions.through, Group.permissions.through]
    return [*tracker, User, Group, *auth_links, LogEntry]


def comparable_columns(model) -> list[str]:
    """Every column; content types and permissions by natural key (their ids may change);
    not the meaningless id of a many-to-many link row."""
    columns = []
    for field in model._meta.concrete_fields:
        if model._meta.auto_created and field.primary_key:
            continue
        if field.related_model is ContentType:
            columns += [f"{field.name}__app_label", f"{field.name}__model"]
        elif field.related_model is Permission:
            columns += [f"{field.name}__content_type__app_label", f"{field.name}__codename"]
        else:
            columns.append(field.attname)
    return columns


def snapshot() -> dict[str, list[tuple]]:
    return {
        model._meta.label: sorted(model._base_manager.values_list(*comparable_columns(model)), key=repr)
        for model in models_that_must_survive()
    }


def build_records():
    """A small but complete picture: every model, drafts, history, staff and the admin log."""
    kz, rs = factories.country("KZ"), factories.country("RS")
    editor = User.objects.create_user("editor", password="a-long-password-1", is_staff=True)
    editors = Group.objects.create(name="Editor")
    editors.permissions.set(Permission.objects.filter(codename__in=["add_commitment", "change_commitment"]))
    editor.groups.add(editors)
    editor.user_permissions.add(Permission.objects.get(codename="publish_document"))

    energy, source = factories.sector("Energy"), factories.source(title="Astana talks report")
    ministry = factories.organization(name="Ministry of Energy", country=kz, parent=None)
    agency = factories.organization(name="Serbian Energy Agency", country=rs, parent=None)
    draft_org = factories.organization(name="Draft Institute", publication_status=factories.DRAFT)
    leader = factories.person(name="A. Minister", organization=ministry)
    visit = factories.visit(title="Working visit to Belgrade", host_country=rs)
    visit.participants.set([leader])
    visit.sectors.set([energy])
    visit.sources.set([source])
    document = factories.document(parties=[ministry, agency, draft_org], title="Energy memorandum", signed_at=visit)
    later = factories.visit(title="Business Council", start_date=datetime.date(2026, 2, 10))

    done = factories.commitment(title="Restart the Business Council", origin_visit=visit, responsible=[ministry])
    factories.status_update(
        done, CommitmentStatus.IN_PROGRESS, reported_on=datetime.date(2025, 3, 1), entered_by=editor
    )
    factories.status_update(
        done,
        CommitmentStatus.COMPLETED,
        reported_on=datetime.date(2026, 2, 10),
        evidence_visit=later,
        evidence_source=source,
        entered_by=editor,
    )
    delayed = factories.commitment(
        title="Build a power line", origin_document=document, sectors=[energy], due_on=datetime.date(2025, 12, 1)
    )
    factories.status_update(delayed, CommitmentStatus.DELAYED, progress=20, note="Financing open")
    factories.status_update(delayed, CommitmentStatus.COMPLETED, publication_status=factories.DRAFT)

    # History: a change and a deleted record.
    document.summary = "Signed in Belgrade."
    document.save()
    throwaway = factories.visit(title="Cancelled call")
    throwaway.delete()

    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Commitment),
        object_id=str(done.pk),
        object_repr=str(done),
        action_flag=ADDITION,
    )
    return {"done": done, "delayed": delayed}


def commitment_statuses():
    return dict(Commitment.objects.values_list("slug", "status"))


# --- The round trip -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_loses_nothing(tmp_path):
    records = build_records()
    before = snapshot()
    statuses = commitment_statuses()
    assert statuses == {
        records["done"].slug: CommitmentStatus.COMPLETED,
        records["delayed"].slug: CommitmentStatus.DELAYED,
    }
    assert len(before["tracker.HistoricalDocument"]) == 2
    assert len(before["tracker.HistoricalVisit"]) == 4  # three created, one deleted
    backup = tmp_path / "backup.json.gz"
    version_before = content_version.current()

    call_command("backup_data", output=backup, verbosity=0)
    # Wipe everything; content types and permissions come back with new ids.
    call_command("flush", interactive=False, verbosity=0)
    assert Commitment.objects.count() == 0
    assert User.objects.count() == 0
    call_command("restore_data", backup, verbosity=0)

    assert snapshot() == before
    # Cached public pages are of no use now: the version rose, though its row was flushed too.
    assert content_version.current() > version_before
    assert commitment_statuses() == statuses
    assert User.objects.get(username="editor").check_password("a-long-password-1")
    # Sequences follow the restored ids: new rows get fresh ones.
    new = factories.commitment(title="Open a direct flight")
    assert new.pk > max(record.pk for record in records.values())


@pytest.mark.django_db
def test_backup_file_holds_every_row_and_no_search_vectors(tmp_path):
    build_records()
    backup = tmp_path / "backup.json"

    call_command("backup_data", output=backup, verbosity=0)

    rows = json.loads(backup.read_text())
    counted = {}
    for row in rows:
        counted[row["model"]] = counted.get(row["model"], 0) + 1
        assert "search_vector" not in row["fields"]
    assert counted["tracker.statusupdate"] == StatusUpdate.objects.count() == 4
    assert counted["tracker.historicalvisit"] == Visit.history.count()
    # Permissions are named, not numbered.
    editor_group = next(row for row in rows if row["model"] == "auth.group")
    assert ["add_commitment", "tracker", "commitment"] in editor_group["fields"]["permissions"]


# --- Refusals: nothing changes -------------------------------------------------------


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_records(tmp_path):
    build_records()
    backup = tmp_path / "backup.json"
    call_command("backup_data", output=backup, verbosity=0)
    extra = factories.commitment(title="Entered after the backup")
    before = snapshot()

    with pytest.raises(CommandError, match="not empty.*--replace"):
        call_command("restore_data", backup, verbosity=0)

    assert snapshot() == before
    assert Commitment.objects.filter(pk=extra.pk).exists()


@pytest.mark.django_db
def test_restore_with_replace_returns_to_the_backed_up_state(tmp_path):
    records = build_records()
    backup = tmp_path / "backup.json"
    call_command("backup_data", output=backup, verbosity=0)
    before = snapshot()
    factories.commitment(title="Entered after the backup")
    Document.objects.update(title="Overwritten by mistake")

    call_command("restore_data", backup, replace=True, verbosity=0)

    assert snapshot() == before
    assert Commitment.objects.get(pk=records["done"].pk).status == CommitmentStatus.COMPLETED


@pytest.mark.django_db
def test_broken_backup_file_changes_nothing_even_with_replace(tmp_path):
    build_records()
    before = snapshot()
    broken = tmp_path / "backup.json"
    broken.write_text('[{"model": "tracker.commitment", "pk": 1, "fields": {"title": ')

    with pytest.raises(CommandError, match="could not be loaded, nothing was changed"):
        call_command("restore_data", broken, replace=True, verbosity=0)

    assert snapshot() == before


@pytest.mark.django_db
def test_backup_refuses_an_unknown_file_type(tmp_path):
    with pytest.raises(CommandError, match=r"must end in \.json or \.json\.gz"):
        call_command("backup_data", output=tmp_path / "backup.txt", verbosity=0)
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore_data", tmp_path / "missing.json", verbosity=0)
