"""The text filters of the public lists (a record by its slug or part of its name) ignore case and
diacritics on both databases: `person=VUČIĆ` and `person=Vucic` both find Vučić's visits."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    rs = factories.country("RS")
    vucic = factories.person(name="Aleksandar Vučić", country=rs)
    refinery = factories.organization(name="Pančevo Oil Refinery", short_name="NIS Pančevo", country=rs)
    gosa = factories.organization(name="GOŠA FOM", country=rs)
    visit = factories.visit(title="Official visit of President Vučić to Kazakhstan", participants=[vucic])
    document = factories.document(title="Memorandum on the Šabac industrial zone", parties=[refinery], signed_at=visit)
    factories.commitment(title="Modernise the Pančevo refinery", responsible=[refinery, gosa], origin_document=document)
    factories.commitment(title="Open a Vučić-era trade office", origin_visit=visit)
    # A record that no spelling below matches, so that "everything" would fail the test.
    factories.visit(title="Working visit to Astana", participants=[factories.person(name="Madi Atamkulov")])
    factories.commitment(title="Unrelated promise", origin_visit=factories.visit(title="Phone call"))
    return {"visit": visit, "document": document}


CASES = [
    (
        "web:visit-list",
        "person",
        ["VUČIĆ", "Vucic", "vučić", "VUCIC", "aleksandar vucic"],
        ["Official visit of President Vučić"],
    ),
    ("web:document-list", "party", ["PANČEVO", "pancevo", "nis pancevo", "Pancevo Oil"], ["Memorandum on the Šabac"]),
    ("web:document-list", "visit", ["president vucic", "VUČIĆ TO"], ["Memorandum on the Šabac"]),
    ("web:commitment-list", "responsible", ["gosa", "GOŠA FOM", "Gosa Fom"], ["Modernise the Pančevo refinery"]),
    ("web:commitment-list", "document", ["sabac", "ŠABAC INDUSTRIAL"], ["Modernise the Pančevo refinery"]),
    ("web:commitment-list", "visit", ["vucic", "VUČIĆ"], ["Open a Vučić-era trade office"]),
]


@pytest.mark.parametrize(("name", "parameter", "spellings", "expected"), CASES)
def test_text_filters_ignore_case_and_diacritics(client, records, name, parameter, spellings, expected):
    for typed in spellings:
        response = client.get(reverse(name), {parameter: typed})
        assert response.status_code == 200
        rows = [str(row.record) for row in response.context["table"].page.object_list]
        assert len(rows) == len(expected), (parameter, typed, rows)
        for title in expected:
            assert any(title in row for row in rows), (parameter, typed, rows)


def test_a_slug_still_picks_exactly_one_record(client, records):
    response = client.get(reverse("web:commitment-list"), {"document": records["document"].slug})
    assert [str(row.record) for row in response.context["table"].page.object_list] == ["Modernise the Pančevo refinery"]
