"""Issue 18's list contract, page by page: with no parameters the API lists in the page's default
order; every page of the API is the same page of the list (the last one too, read from the end);
`Last-Modified` answers `If-Modified-Since` with a 304 (a change within the same second is
seen through the ETag, which holds the version in microseconds: test_api.py)."""

import pytest
from django.urls import reverse
from django.utils.http import http_date, parse_http_date

from tests import factories as f
from tests.api.test_api import PAGES, api
from tests.web.story import build_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(db):
    """Enough of each listed kind for three pages of ten."""
    story = build_story()
    for number in range(21):
        visit = f.visit(title=f"Visit {number:02}")
        document = f.document(title=f"Agreement {number:02}", signed_at=visit)
        f.commitment(title=f"Commitment {number:02}", origin_document=document)
        f.organization(name=f"Institute {number:02}")
        f.figure(value=number + 1)
    return story


def page_of(client, kind, params) -> list[str]:
    response = client.get(reverse(PAGES[kind]), params)
    assert response.status_code == 200
    return [row.record.slug for row in response.context["table"].page.object_list]


@pytest.mark.parametrize("kind", PAGES)
@pytest.mark.parametrize("sort", ["", "-"])
def test_every_page_of_the_api_is_that_page_of_the_list(client, many, kind, sort):
    """In the default order (no sort) and in the reverse of the first sortable column."""
    params = {"per_page": 10}
    if sort:
        first_column = next(iter(reverse_sortable(kind)))
        params["sort"] = f"-{first_column}"
    first = api(client, kind, **params).json()
    assert first["pages"] >= 3
    for number in range(1, first["pages"] + 1):
        data = api(client, kind, **params, page=number).json()
        assert [record["slug"] for record in data["results"]] == page_of(client, kind, {**params, "page": number}), (
            kind,
            number,
        )


def reverse_sortable(kind):
    from cooperation.api import backends, views

    view = {
        "documents": views.DocumentViewSet,
        "visits": views.VisitViewSet,
        "commitments": views.CommitmentViewSet,
        "organizations": views.OrganizationViewSet,
        "figures": views.FigureViewSet,
    }[kind]
    return backends.sortable_columns(view.table_class)


def test_if_modified_since_gives_a_304_and_an_older_date_the_list(client, story):
    first = api(client, "commitments")
    modified = first["Last-Modified"]
    assert parse_http_date(modified)
    url = reverse("api:commitments-list")
    again = client.get(url, HTTP_HOST="localhost", HTTP_IF_MODIFIED_SINCE=modified)
    assert again.status_code == 304 and again.content == b""
    older = client.get(url, HTTP_HOST="localhost", HTTP_IF_MODIFIED_SINCE=http_date(parse_http_date(modified) - 1))
    assert older.status_code == 200
