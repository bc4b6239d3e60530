"""Optimistic locking: of two people editing the same record, the second save is refused."""

import pytest
from django.urls import reverse

from cooperation.staff import locking
from cooperation.staff.locking import StaleVersionError, VersionLockedForm, claim_version
from cooperation.tracker.models import Document, StatusUpdate
from tests import factories
from tests.admin_helpers import admin_form, form_data, form_errors, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_publishers(client, django_user_model):
    from django.test import Client

    first, second = client, Client()
    first.force_login(staff_user("alice", role="Publisher"))
    second.force_login(staff_user("bob", role="Publisher"))
    return first, second


def test_second_of_two_forms_opened_on_the_same_version_is_refused(two_publishers):
    alice, bob = two_publishers
    document = factories.document(title="Original title", summary="Original summary")
    url = reverse("admin:tracker_document_change", args=[document.pk])
    alice_data = form_data(alice.get(url), "document_form")
    bob_data = form_data(bob.get(url), "document_form")
    assert alice_data["version_opened"] == bob_data["version_opened"] == "1"

    alice_data["title"] = "Alice's title"
    response = alice.post(url, alice_data)
    assert response.status_code == 302, form_errors(response)

    bob_data["summary"] = "Bob's summary"
    response = bob.post(url, bob_data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed by someone else since you opened it" in page
    assert "you opened version 1, it is now at version 2" in page

    document.refresh_from_db()
    assert (document.title, document.summary, document.version) == ("Alice's title", "Original summary", 2)
    # Bob's edits are still in his form, so he can copy them after reopening the record.
    assert "Bob&#x27;s summary" in page or "Bob's summary" in page


def test_each_save_bumps_the_version_by_one(client):
    client.force_login(staff_user("alice", role="Publisher"))
    visit = factories.visit()
    url = reverse("admin:tracker_visit_change", args=[visit.pk])
    for expected in (2, 3):
        data = form_data(client.get(url), "visit_form")
        data["place"] = f"Place {expected}"
        assert client.post(url, data).status_code == 302
        visit.refresh_from_db()
        assert visit.version == expected
        assert visit.history.latest().version == expected


def test_a_form_without_its_version_is_refused(client):
    client.force_login(staff_user("alice", role="Publisher"))
    organization = factories.organization(name="Old name")
    url, data = admin_form(client, organization)
    del data["version_opened"]
    data["name"] = "Forged"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "lost track of the record" in response.content.decode()
    organization.refresh_from_db()
    assert organization.name == "Old name" and organization.version == 1


def test_a_stale_inline_row_is_refused_and_nothing_is_saved(two_publishers):
    alice, bob = two_publishers
    commitment = factories.commitment(title="Restart the Business Council")
    update = factories.status_update(commitment, note="first note")
    commitment_url = reverse("admin:tracker_commitment_change", args=[commitment.pk])
    update_url = reverse("admin:tracker_statusupdate_change", args=[update.pk])

    bob_data = form_data(bob.get(commitment_url), "commitment_form")
    alice_data = form_data(alice.get(update_url), "statusupdate_form")
    alice_data["note"] = "Alice's note"
    assert alice.post(update_url, alice_data).status_code == 302

    bob_data["updates-0-note"] = "Bob's note"
    bob_data["title"] = "Bob's title"
    response = bob.post(commitment_url, bob_data)
    assert response.status_code == 200
    assert "changed by someone else since you opened it" in response.content.decode()
    update.refresh_from_db()
    commitment.refresh_from_db()
    assert update.note == "Alice's note"
    assert commitment.title == "Restart the Business Council"


def test_a_record_deleted_meanwhile_is_not_recreated_by_a_stale_form():
    document = factories.document(publication_status="draft")
    form_class = type(
        "DocumentForm", (VersionLockedForm,), {"Meta": type("Meta", (), {"model": Document, "fields": ["title"]})}
    )
    form = form_class({"title": "Edited", "version_opened": "1"}, instance=document)
    Document.objects.filter(pk=document.pk).delete()
    assert not form.is_valid()
    assert "deleted by someone else" in str(form.errors)


def test_claim_version_is_a_conditional_update():
    document = factories.document()
    claim_version(document, opened=1)
    assert document.version == 2
    assert Document.objects.get(pk=document.pk).version == 2
    with pytest.raises(StaleVersionError):
        claim_version(document, opened=1)
    assert Document.objects.get(pk=document.pk).version == 2


def test_a_save_that_loses_the_race_after_the_check_rolls_back(client, monkeypatch):
    """Both forms pass the version check; the conditional UPDATE lets only one through."""
    client.force_login(staff_user("alice", role="Publisher"))
    commitment = factories.commitment(title="Before")
    url, data = admin_form(client, commitment)
    data.update(
        {
            "title": "After",
            "updates-0-reported_on": "2025-05-05",
            "updates-0-status": "in_progress",
            "updates-0-progress": "20",
            "updates-0-evidence_source": factories.source().pk,
        }
    )
    # Someone else saves between our form's check and our save.
    monkeypatch.setattr(locking, "stored_version", lambda instance: 1)
    type(commitment).objects.filter(pk=commitment.pk).update(version=2, title="Someone else's")
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.title == "Someone else's"
    assert not StatusUpdate.objects.filter(commitment=commitment).exists()
