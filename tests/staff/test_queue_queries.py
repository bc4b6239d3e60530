"""Issue 19: the publisher's queue (`/admin/queue/`) runs at most 10 queries, however many drafts
wait, with every related draft shown under its record and each kind's total when it is cut short."""

import pytest

from cooperation.staff.admin import queue
from tests import factories as f
from tests.admin_helpers import signed_in

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def drafts(count: int) -> None:
    """`count` drafts of every kind in the queue, related as they come in: a visit with the
    document signed there, a commitment made there and in that document, and its update."""
    for _ in range(count):
        visit = f.visit(publication_status=f.DRAFT)
        document = f.document(publication_status=f.DRAFT, signed_at=visit)
        commitment = f.commitment(publication_status=f.DRAFT, origin_visit=visit, origin_document=document)
        f.status_update(commitment, publication_status=f.DRAFT)
        f.organization(publication_status=f.DRAFT)
        f.person(publication_status=f.DRAFT, position="Minister")
        f.figure(publication_status=f.DRAFT)


@pytest.mark.parametrize("role", ["Publisher", "Editor", None])
@pytest.mark.parametrize("count", [1, 12])
def test_the_queue_runs_the_same_few_queries_for_1_and_for_12_drafts_of_each_kind(
    client, django_assert_max_num_queries, monkeypatch, role, count
):
    # Six shown per kind, so that 12 drafts also take the path that counts the ones left out.
    monkeypatch.setattr(queue, "SHOWN", 6)
    signed_in(client, "staff", role=role, superuser=role is None)
    drafts(count)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/admin/queue/")
    assert response.status_code == 200
    sections = {section["model"]: section for section in response.context["sections"]}
    assert {name: section["total"] for name, section in sections.items()} == dict.fromkeys(sections, count)
    assert all(len(section["rows"]) == min(count, 6) for section in sections.values())
    # Every shown visit has its document and commitment under it, each shown document its
    # commitment, each shown commitment its update.
    related = {
        name: [sorted(str(entry["kind"]) for entry in row["related"]) for row in section["rows"]]
        for name, section in sections.items()
    }
    assert related["visit"] == [["commitment", "document"]] * min(count, 6)
    assert related["document"] == [["commitment"]] * min(count, 6)
    assert related["commitment"] == [["status update"]] * min(count, 6)
    html = response.content.decode()
    assert ("All 12 drafts" in html) is (count == 12)


def test_the_queue_lists_newest_first_with_related_drafts_oldest_first(client, monkeypatch):
    monkeypatch.setattr(queue, "SHOWN", 2)
    signed_in(client, "pub", role="Publisher")
    visits = [f.visit(publication_status=f.DRAFT, title=f"Visit {n}") for n in range(3)]
    f.commitment(publication_status=f.DRAFT, origin_visit=visits[2], title="First promise")
    f.commitment(publication_status=f.DRAFT, origin_visit=visits[2], title="Second promise")
    f.commitment(origin_visit=visits[2], title="Public promise")  # published: not a draft
    f.commitment(publication_status=f.DRAFT, origin_visit=visits[0], title="Promise of a visit not shown")
    sections = {s["model"]: s for s in client.get("/admin/queue/").context["sections"]}
    visit_rows = sections["visit"]["rows"]
    assert [row["label"].split(" (")[0] for row in visit_rows] == ["Visit 2", "Visit 1"]
    assert [entry["label"] for entry in visit_rows[0]["related"]] == ["First promise", "Second promise"]
    assert visit_rows[1]["related"] == []
    # The commitments' own section: the newest two of the three drafts.
    assert [row["label"] for row in sections["commitment"]["rows"]] == [
        "Promise of a visit not shown",
        "Second promise",
    ]
    assert sections["commitment"]["total"] == 3
