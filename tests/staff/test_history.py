"""Audit trail: who changed what and when, visible in the admin; deleted records restored."""

import pytest
from django.urls import reverse

from cooperation.tracker.models import PublicationStatus, Visit
from tests import factories
from tests.admin_helpers import admin_form, form_data, form_errors, signed_in, staff_user, submit_admin_form

pytestmark = pytest.mark.django_db


def edit_visit(client, visit, **changes):
    response = submit_admin_form(client, visit, dict(changes))
    assert response.status_code == 302, form_errors(response)


def test_a_change_records_who_when_and_the_field_diff(client):
    user = signed_in(client, "alice", role="Editor")
    visit = factories.visit(title="Working visit to Belgrade", place="Belgrade", publication_status=factories.DRAFT)
    edit_visit(client, visit, place="Novi Sad")

    latest = visit.history.latest()
    assert latest.history_user == user and latest.history_type == "~"
    assert latest.place == "Novi Sad"
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("place", "Belgrade", "Novi Sad")]

    page = client.get(reverse("admin:tracker_visit_history", args=[visit.pk])).content.decode()
    assert "alice" in page
    assert "Belgrade" in page and "Novi Sad" in page


def test_adding_through_the_admin_records_the_creator(client):
    user = signed_in(client, "alice", role="Editor")
    url, data = admin_form(client, Visit)
    data.update(title="Business forum", kind="business_forum", start_date="2026-02-26", start_precision="day")
    assert client.post(url, data).status_code == 302
    created = Visit.objects.get(title="Business forum").history.get()
    assert created.history_type == "+" and created.history_user == user


def delete_through_admin(client, visit):
    response = client.post(reverse("admin:tracker_visit_delete", args=[visit.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Visit.objects.filter(pk=visit.pk).exists()


def restore_through_admin(client, deletion):
    url = reverse("admin:tracker_visit_simple_history", args=[deletion.id, deletion.history_id])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page, "historicalvisit_form")
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)


def test_a_deleted_record_is_listed_and_can_be_restored(client):
    publisher = staff_user("pub", role="Publisher")
    client.force_login(publisher)
    visit = factories.visit(title="State visit to Astana", place="Astana", summary="Ten documents signed.")
    pk = visit.pk
    delete_through_admin(client, visit)

    deletion = Visit.history.filter(id=pk, history_type="-").get()
    assert deletion.history_user == publisher
    listing = client.get(reverse("admin:tracker_visit_deleted"))
    assert listing.status_code == 200
    assert list(listing.context["page_obj"]) == [deletion]
    assert "State visit to Astana" in listing.content.decode()

    restore_through_admin(client, deletion)
    restored = Visit.objects.get(pk=pk)
    assert (restored.title, restored.place, restored.summary) == (
        "State visit to Astana",
        "Astana",
        "Ten documents signed.",
    )
    assert restored.publication_status == PublicationStatus.PUBLISHED
    latest = restored.history.latest()
    assert latest.history_user == publisher
    assert latest.history_change_reason.startswith("Reverted to the version of")
    # No longer in the list of deleted records.
    assert list(client.get(reverse("admin:tracker_visit_deleted")).context["page_obj"]) == []


def test_a_record_restored_by_an_editor_comes_back_as_a_draft(client):
    from django.test import Client

    publisher = Client()
    publisher.force_login(staff_user("pub", role="Publisher"))
    visit = factories.visit(title="Published then deleted")
    pk = visit.pk
    delete_through_admin(publisher, visit)

    client.force_login(staff_user("ed", role="Editor"))
    restore_through_admin(client, Visit.history.get(id=pk, history_type="-"))
    assert Visit.objects.get(pk=pk).publication_status == PublicationStatus.DRAFT


def test_reverting_to_an_older_version_is_not_mistaken_for_a_concurrent_edit(client):
    client.force_login(staff_user("alice", role="Editor"))
    visit = factories.visit(title="Talks", place="Astana", publication_status=factories.DRAFT)
    edit_visit(client, visit, place="Almaty")
    edit_visit(client, visit, place="Shymkent")
    original = visit.history.earliest()
    url = reverse("admin:tracker_visit_simple_history", args=[visit.pk, original.history_id])
    page = client.get(url)
    data = form_data(page, "historicalvisit_form")
    assert data["version_opened"] == "3"
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    visit.refresh_from_db()
    assert (visit.place, visit.version) == ("Astana", 4)


def test_the_history_of_a_deleted_record_stays_readable(client):
    client.force_login(staff_user("pub", role="Publisher"))
    visit = factories.visit(title="Phone call")
    pk = visit.pk
    delete_through_admin(client, visit)
    response = client.get(reverse("admin:tracker_visit_history", args=[pk]))
    assert response.status_code == 200
    assert "Phone call" in response.content.decode()
