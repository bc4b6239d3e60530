"""The public face of a treaty's life: each side's timeline on the document page, what is not
reported said plainly, the in_force and awaiting filters, the exports, the overview's count; only
published documents, and queries that do not grow with steps or rows."""

import csv
import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.tracker.models import Document, DocumentStep
from tests import factories as f

MAX_QUERIES = 10


def count_queries(client, url, params=None):
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries), response


pytestmark = pytest.mark.django_db
D = datetime.date


def treaty(title, **kw):
    kw.setdefault("subject_to_procedures", "yes")
    kw.setdefault("entry_into_force_rule", "days_after_notification")
    kw.setdefault("entry_into_force_delay", 30)
    return f.document(title=title, kind="agreement", level="intergovernmental", **kw)


@pytest.fixture
def treaties():
    """In force; awaiting Kazakhstan only; nothing reported (as the seed); a draft awaiting both."""
    in_force = treaty("Readmission agreement")
    f.step(
        in_force,
        "RS",
        "internal_procedure",
        act_on=D(2025, 3, 4),
        procedure_kind="ratification",
        act_number="12/2025",
        gazette_reference="Službeni glasnik 5/2025",
        source=f.source(title="Gazette notice"),
    )
    f.step(in_force, "RS", "notification_sent", act_on=D(2025, 3, 10), note_number="45/2025")
    f.step(in_force, "KZ", "notification_sent", act_on=D(2025, 5, 26))
    waiting = treaty("Visa agreement")
    f.step(waiting, "RS", "internal_procedure", act_on=D(2025, 3, 4))
    unknown = f.document(title="Tourism memorandum")
    draft = treaty("Secret agreement", publication_status=f.DRAFT)
    return {"in_force": in_force, "waiting": waiting, "unknown": unknown, "draft": draft}


def listed(client, **params):
    response = client.get(reverse("web:document-list"), params)
    assert response.status_code == 200
    return sorted(str(row.record) for row in response.context["table"].page.object_list), response


def test_the_document_page_shows_each_sides_timeline_and_what_is_not_reported(client, treaties):
    page = client.get(treaties["in_force"].get_absolute_url()).content.decode()
    assert "Kazakhstan" in page and "Serbia" in page
    assert "Internal procedures completed" in page and "ratification, No. 12/2025, Službeni glasnik 5/2025" in page
    assert "note No. 45/2025" in page and "Gazette notice" in page
    assert "Entry into force: 25 June 2025." in page
    waiting = client.get(treaties["waiting"].get_absolute_url()).content.decode()
    assert "still to act" in waiting and "Entry into force: not reported." in waiting
    unknown = client.get(treaties["unknown"].get_absolute_url()).content.decode()
    assert unknown.count("Internal procedures: not reported") == 2  # one for each side
    assert "Notification: not reported" in unknown


def test_a_draft_amending_document_is_not_named(client, treaties):
    f.step(treaties["in_force"], "KZ", "amendment", act_on=D(2025, 8, 1), amending_document=treaties["draft"])
    page = client.get(treaties["in_force"].get_absolute_url()).content.decode()
    assert "Amendment" in page and "Secret agreement" not in page
    assert client.get(treaties["draft"].get_absolute_url()).status_code == 404


def test_the_in_force_and_awaiting_filters(client, treaties):
    assert listed(client, in_force="yes")[0] == ["Readmission agreement"]
    assert listed(client, in_force="no")[0] == ["Tourism memorandum", "Visa agreement"]
    assert listed(client, awaiting="KZ")[0] == ["Visa agreement"]  # the draft waits for KZ too: not shown
    assert listed(client, awaiting="RS")[0] == []


@pytest.mark.parametrize("params", [{"in_force": "maybe"}, {"awaiting": "UZ"}, {"awaiting": "kz"}])
def test_a_wrong_filter_value_gets_a_message(client, treaties, params):
    rows, response = listed(client, **params)
    assert rows == [] and "not valid" in response.content.decode()


def test_exports_carry_entry_into_force_and_each_sides_state(client, treaties):
    response = client.get(reverse("web:document-list"), {"_export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_title = {row["Title"]: row for row in rows}
    assert "Secret agreement" not in by_title
    assert by_title["Readmission agreement"]["Entry into force"] == "2025-06-25"
    assert by_title["Readmission agreement"]["Kazakhstan's state"] == "in force"
    assert by_title["Visa agreement"]["Kazakhstan's state"] == "awaiting its internal procedures"
    assert by_title["Visa agreement"]["Serbia's state"] == "internal procedures completed"
    assert by_title["Tourism memorandum"]["Serbia's state"] == "internal procedures: not reported"
    data = json.loads(client.get(reverse("web:document-list"), {"_export": "json", "awaiting": "KZ"}).content)
    assert [row["Title"] for row in data] == ["Visa agreement"]


def test_the_overview_counts_the_documents_in_force_and_links_to_as_many(client, treaties):
    page = client.get("/")
    assert page.context["overview"].documents_in_force == 1
    assert "?in_force=yes" in page.content.decode()
    assert listed(client, in_force="yes")[1].context["table"].paginator.count == 1


def test_queries_do_not_grow_with_steps_or_documents(client):
    small, large = treaty("Small"), treaty("Large")
    f.step(small, "RS", "internal_procedure", act_on=D(2025, 1, 1))
    kz, rs = f.country("KZ"), f.country("RS")
    DocumentStep.objects.bulk_create(
        DocumentStep(
            document=large, side=side, kind="internal_procedure", act_on=D(2025, 1, 1) + datetime.timedelta(days=i)
        )
        for i in range(60)
        for side in (kz, rs)
    )
    few, _ = count_queries(client, small.get_absolute_url())
    many, response = count_queries(client, large.get_absolute_url())
    assert few == many <= MAX_QUERIES
    assert response.content.decode().count("timeline-item") == 120
    one_list, _ = count_queries(client, reverse("web:document-list"), {"awaiting": "KZ"})
    Document.objects.bulk_create(
        Document(
            title=f"Bulk {i}",
            slug=f"bulk-{i}",
            kind="agreement",
            level="intergovernmental",
            signed_on=D(2024, 1, 1),
            publication_status="published",
            awaiting_kz=True,
            status="awaiting",
        )
        for i in range(40)
    )
    full_list, response = count_queries(client, reverse("web:document-list"), {"awaiting": "KZ", "in_force": "no"})
    assert full_list <= one_list + 1 and full_list <= MAX_QUERIES
    assert response.context["table"].paginator.count == 42
