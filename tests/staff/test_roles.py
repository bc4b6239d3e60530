"""Roles: exactly the permissions each group holds, and an editor cannot publish by any path."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from cooperation.staff.roles import EDITOR, PUBLISHABLE_MODELS, PUBLISHER, TRACKER_MODELS, setup_roles
from cooperation.tracker.models import (
    Commitment,
    Document,
    Organization,
    PublicationStatus,
    StatusUpdate,
    Visit,
)
from tests import factories
from tests.admin_helpers import admin_form, form_data, form_errors, signed_in, staff_user, submit_admin_form

pytestmark = pytest.mark.django_db
DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def model_codenames(actions, models=TRACKER_MODELS):
    return {f"{action}_{model._meta.model_name}" for model in models for action in actions}


def test_setup_roles_gives_each_group_exactly_its_permissions():
    call_command("setup_roles", verbosity=0)
    assert codenames(EDITOR) == model_codenames({"add", "change", "view"})
    assert codenames(PUBLISHER) == model_codenames({"add", "change", "view", "delete"}) | model_codenames(
        {"publish"}, PUBLISHABLE_MODELS
    )
    assert not any(name.startswith(("delete_", "publish_")) for name in codenames(EDITOR))
    assert "publish_document" in codenames(PUBLISHER) and "delete_statusupdate" in codenames(PUBLISHER)


def test_setup_roles_is_idempotent_and_repairs_drift():
    setup_roles()
    editor = Group.objects.get(name=EDITOR)
    editor.permissions.add(Permission.objects.get(codename="publish_document"))
    before = Group.objects.count()
    call_command("setup_roles", verbosity=0)
    call_command("setup_roles", verbosity=0)
    assert Group.objects.count() == before
    assert "publish_document" not in codenames(EDITOR)
    assert codenames(EDITOR) == model_codenames({"add", "change", "view"})


@pytest.mark.parametrize("model", TRACKER_MODELS, ids=lambda m: m._meta.model_name)
def test_each_role_permission_on_each_model(model):
    editor, publisher = staff_user("ed", role=EDITOR), staff_user("pub", role=PUBLISHER)
    name = f"tracker.%s_{model._meta.model_name}"
    for action in ("add", "change", "view"):
        assert editor.has_perm(name % action) and publisher.has_perm(name % action)
    assert not editor.has_perm(name % "delete")
    assert publisher.has_perm(name % "delete")
    if model in PUBLISHABLE_MODELS:
        assert not editor.has_perm(name % "publish")
        assert publisher.has_perm(name % "publish")


def test_editor_cannot_delete_through_the_admin(client):
    client.force_login(staff_user("ed", role=EDITOR))
    document = factories.document(publication_status=DRAFT)
    assert client.get(reverse("admin:tracker_document_delete", args=[document.pk])).status_code == 403
    assert client.post(reverse("admin:tracker_document_delete", args=[document.pk]), {"post": "yes"}).status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()


def test_editor_can_import_and_export_what_they_may_edit(client):
    client.force_login(staff_user("ed", role=EDITOR))
    for model in ("organization", "visit", "document", "commitment", "statusupdate"):
        assert client.get(reverse(f"admin:tracker_{model}_import")).status_code == 200
        assert client.get(reverse(f"admin:tracker_{model}_export")).status_code == 200


# --- publishing ----------------------------------------------------------------------

ACTION_MODELS = [Organization, Visit, Document, Commitment, StatusUpdate]


def make_draft(model):
    builders = {
        Organization: lambda: factories.organization(publication_status=DRAFT),
        Visit: lambda: factories.visit(publication_status=DRAFT),
        Document: lambda: factories.document(publication_status=DRAFT),
        Commitment: lambda: factories.commitment(publication_status=DRAFT),
        StatusUpdate: lambda: factories.status_update(factories.commitment(), publication_status=DRAFT),
    }
    return builders[model]()


def changelist(model):
    return reverse(f"admin:tracker_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", ACTION_MODELS, ids=lambda m: m._meta.model_name)
def test_editor_has_no_publish_action_and_a_forged_one_changes_nothing(client, model):
    client.force_login(staff_user("ed", role=EDITOR))
    draft = make_draft(model)
    action_form = client.get(changelist(model)).context["action_form"]
    actions = dict(action_form.fields["action"].choices) if action_form else {}
    assert "publish_selected" not in actions and "unpublish_selected" not in actions
    response = client.post(changelist(model), {"action": "publish_selected", "_selected_action": [draft.pk]})
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.publication_status == DRAFT and draft.version == 1


@pytest.mark.parametrize("model", ACTION_MODELS, ids=lambda m: m._meta.model_name)
def test_publisher_publishes_and_unpublishes_with_the_actions(client, model):
    user = signed_in(client, "pub", role=PUBLISHER)
    draft = make_draft(model)
    response = client.post(changelist(model), {"action": "publish_selected", "_selected_action": [draft.pk]})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.publication_status == PUBLISHED and draft.published_at is not None
    assert draft.version == 2
    latest = draft.history.latest()
    assert latest.history_user == user and latest.publication_status == PUBLISHED
    assert latest.history_change_reason == "Published"

    client.post(changelist(model), {"action": "unpublish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.publication_status == DRAFT and draft.published_at is None
    assert draft.history.latest().history_change_reason == "Unpublished"


def test_publishing_a_status_update_moves_its_commitment(client):
    client.force_login(staff_user("pub", role=PUBLISHER))
    commitment = factories.commitment()
    update = factories.status_update(commitment, status="delayed", progress=10, publication_status=DRAFT)
    assert commitment.status == "no_information"
    client.post(changelist(StatusUpdate), {"action": "publish_selected", "_selected_action": [update.pk]})
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("delayed", 10)


def test_publishing_leaves_already_published_records_alone(client):
    client.force_login(staff_user("pub", role=PUBLISHER))
    published = factories.document()
    first_published_at = published.published_at
    client.post(changelist(Document), {"action": "publish_selected", "_selected_action": [published.pk]})
    published.refresh_from_db()
    assert published.published_at == first_published_at and published.version == 1


def test_editor_sees_the_publication_field_read_only_and_a_forged_value_is_ignored(client):
    client.force_login(staff_user("ed", role=EDITOR))
    document = factories.document(title="Old title", publication_status=DRAFT)
    url = reverse("admin:tracker_document_change", args=[document.pk])
    page = client.get(url)
    assert "publication_status" not in page.context["adminform"].form.fields
    data = form_data(page, "document_form")
    data.update(title="New title", publication_status=PUBLISHED)
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    document.refresh_from_db()
    assert document.title == "New title"
    assert document.publication_status == DRAFT


def test_editor_changes_a_draft_and_it_stays_a_draft(client):
    client.force_login(staff_user("ed", role=EDITOR))
    document = factories.document(title="Old title", publication_status=DRAFT)
    url, data = admin_form(client, document)
    data.update(title="Typo fixed", publication_status=PUBLISHED)
    assert client.post(url, data).status_code == 302
    document.refresh_from_db()
    assert document.title == "Typo fixed" and document.publication_status == DRAFT


def test_editor_sees_a_published_record_read_only_and_cannot_change_it(client):
    client.force_login(staff_user("ed", role=EDITOR))
    document = factories.document(title="Public title")
    url = reverse("admin:tracker_document_change", args=[document.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    forged = client.post(url, {"title": "Changed behind the publisher's back"})
    assert forged.status_code == 403
    document.refresh_from_db()
    assert document.title == "Public title"


def test_editor_cannot_add_a_record_as_published(client):
    client.force_login(staff_user("ed", role=EDITOR))
    response = submit_admin_form(
        client, Organization, {"name": "Forged Ministry", "kind": "ministry", "publication_status": PUBLISHED}
    )
    assert response.status_code == 302, form_errors(response)
    assert Organization.objects.get(name="Forged Ministry").publication_status == DRAFT


def test_editor_cannot_publish_through_an_inline(client):
    client.force_login(staff_user("ed", role=EDITOR))
    commitment = factories.commitment(publication_status=DRAFT)
    url = reverse("admin:tracker_commitment_change", args=[commitment.pk])
    page = client.get(url)
    inline_form = page.context["inline_admin_formsets"][0].formset.empty_form
    assert "publication_status" not in inline_form.fields
    data = form_data(page, "commitment_form")
    data.update(
        {
            "updates-0-reported_on": "2025-05-05",
            "updates-0-status": "completed",
            "updates-0-progress": "100",
            "updates-0-evidence_source": factories.source().pk,
            "updates-0-publication_status": PUBLISHED,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    update = commitment.updates.get()
    assert update.publication_status == DRAFT
    commitment.refresh_from_db()
    assert commitment.status == "no_information"  # a draft update does not move the commitment


def test_publisher_can_set_the_publication_field(client):
    client.force_login(staff_user("pub", role=PUBLISHER))
    url, data = admin_form(client, Organization)
    data.update(name="Ministry of Trade", kind="ministry", publication_status=PUBLISHED)
    assert client.post(url, data).status_code == 302
    assert Organization.objects.get(name="Ministry of Trade").publication_status == PUBLISHED
