"""Deletes that would orphan commitments, status history or signatures are refused,
both in the ORM (ProtectedError) and in the admin ("Cannot delete …"); nothing is removed."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from cooperation.tracker.models import Source, Visit
from tests import factories

pytestmark = pytest.mark.django_db


def protected_cases():
    """(record to delete, the record it would orphan), one per protecting link."""
    kz = factories.country("KZ")
    ministry = factories.organization(name="Ministry of Trade", country=kz)
    minister = factories.person(name="Trade Minister", organization=ministry)
    visit = factories.visit(title="Official visit to Astana")
    document = factories.document(title="Trade protocol", parties=[ministry], signed_at=visit)
    document.parties.update(signatory=minister)
    commitment = factories.commitment(title="Raise trade to 1 billion", origin_document=document)
    update = factories.status_update(commitment, note="Talks started")
    evidence = factories.source(title="Later report")
    later_visit = factories.visit(title="Later visit that fulfilled it")
    proof = factories.status_update(
        factories.commitment(title="Open a consulate", origin_visit=factories.visit(title="Talks")),
        evidence_visit=later_visit,
        evidence_source=evidence,
    )
    return {
        "commitment with status history": (commitment, update),
        "document a commitment came from": (document, commitment),
        "visit a document was signed at": (visit, document),
        "visit cited as evidence": (later_visit, proof),
        "source cited as evidence": (evidence, proof),
        "organization party to a document": (ministry, document.parties.get()),
        "person who signed a document": (minister, document.parties.get()),
        "country of an organization": (kz, ministry),
    }


CASE_NAMES = [
    "commitment with status history",
    "document a commitment came from",
    "visit a document was signed at",
    "visit cited as evidence",
    "source cited as evidence",
    "organization party to a document",
    "person who signed a document",
    "country of an organization",
]


@pytest.mark.parametrize("case", CASE_NAMES)
def test_orm_refuses_a_delete_that_would_orphan(case):
    record, dependent = protected_cases()[case]

    with pytest.raises(ProtectedError) as refused:
        record.delete()

    assert dependent in refused.value.protected_objects
    assert type(record).objects.filter(pk=record.pk).exists()
    assert type(dependent).objects.filter(pk=dependent.pk).exists()


def test_a_deleted_record_keeps_its_history():
    visit = factories.visit(title="Phone call that was entered twice")
    visit_id = visit.pk

    visit.delete()

    assert not Visit.objects.filter(pk=visit_id).exists()
    history = Visit.history.filter(id=visit_id).order_by("history_date")
    assert [entry.history_type for entry in history] == ["+", "-"]
    assert history.last().title == "Phone call that was entered twice"


@pytest.mark.parametrize("case", CASE_NAMES)
def test_admin_delete_view_says_cannot_delete_and_keeps_the_record(superuser_client, case):
    record, dependent = protected_cases()[case]
    model = type(record)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[record.pk])

    page = superuser_client.get(url)
    confirmed = superuser_client.post(url, {"post": "yes"})

    for response in (page, confirmed):
        assert response.status_code == 200
        assert "Cannot delete" in response.content.decode()
    assert model.objects.filter(pk=record.pk).exists()
    assert type(dependent).objects.filter(pk=dependent.pk).exists()


def test_admin_refuses_to_delete_a_source_still_cited(superuser_client):
    source = factories.source(title="Kazinform report")
    document = factories.document(title="Memorandum on tourism")
    document.sources.add(source)
    url = reverse("admin:tracker_source_delete", args=[source.pk])

    page = superuser_client.get(url)
    superuser_client.post(url, {"post": "yes"})

    assert "Cannot delete" in page.content.decode() and "Memorandum on tourism" in page.content.decode()
    assert list(document.sources.all()) == [source]


def test_admin_deletes_a_source_nobody_cites(superuser_client):
    source = factories.source(title="Unused clipping")
    url = reverse("admin:tracker_source_delete", args=[source.pk])

    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    assert not Source.objects.filter(pk=source.pk).exists()
