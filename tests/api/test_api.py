"""The open-data API: the same records as the pages, published records only, JSON errors, HTTP
conditional requests, CORS and throttling, queries per request, the schema."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests import factories as f
from tests.web.story import DRAFT_NAMES, build_story

pytestmark = pytest.mark.django_db

KINDS = ["documents", "visits", "commitments", "organizations", "people", "sectors", "figures", "sources"]
PAGES = {
    "documents": "web:document-list",
    "visits": "web:visit-list",
    "commitments": "web:commitment-list",
    "organizations": "web:organization-list",
    "figures": "web:figure-list",
}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # throttling counts live in the cache


def api(client, kind, detail=None, /, **params):
    url = reverse(f"api:{kind}-list") if detail is None else reverse(f"api:{kind}-detail", args=[detail])
    return client.get(url, params, HTTP_HOST="localhost")


def page_slugs(client, name, params) -> list[str]:
    response = client.get(reverse(name), {**params, "per_page": 100})
    assert response.status_code == 200
    return [row.record.slug for row in response.context["table"].page.object_list]


def api_slugs(client, kind, params) -> list[str]:
    response = api(client, kind, **params, per_page=100)
    assert response.status_code == 200, response.content
    return [record["slug"] for record in response.json()["results"]]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_lists_and_details_published_records_only(client, story, kind):
    response = api(client, kind)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    text = response.content.decode()
    for name in DRAFT_NAMES:
        assert name not in text
    data = response.json()
    assert data["count"] == len(data["results"]) > 0
    for record in data["results"]:
        detail = client.get(record["api_url"], HTTP_HOST="localhost")
        assert detail.status_code == 200
        detail_text = detail.content.decode()
        assert not any(name in detail_text for name in DRAFT_NAMES)
        assert detail.json()["api_url"] == record["api_url"]


def test_drafts_have_no_detail(client, story):
    assert api(client, "documents", story.draft_document.slug).status_code == 404
    assert api(client, "commitments", story.draft_commitment.slug).status_code == 404
    assert api(client, "visits", story.draft_visit.slug).status_code == 404
    assert api(client, "organizations", story.draft_org.slug).status_code == 404
    assert api(client, "figures", story.draft_figure.slug).status_code == 404


def test_a_document_carries_its_parties_commitments_and_statuses(client, story):
    data = api(client, "documents", story.memorandum.slug).json()
    assert data["url"].endswith(story.memorandum.get_absolute_url())
    assert {party["organization"]["slug"] for party in data["parties"]} <= {
        story.ministry_kz.slug,
        story.ministry_rs.slug,
    }
    for commitment in data["commitments"]:
        assert {"status", "status_label", "progress", "url"} <= set(commitment)


def test_a_document_carries_each_sides_steps_and_its_derived_state(client, story):
    draft = f.document(title="Draft amending protocol", publication_status="draft")
    f.step(story.memorandum, "RS", "internal_procedure", act_on=datetime.date(2025, 3, 1), act_number="42/2025")
    f.step(story.memorandum, "KZ", "amendment", act_on=datetime.date(2025, 4, 1), amending_document=draft)
    data = api(client, "documents", story.memorandum.slug).json()
    assert [(step["side"]["code"], step["kind"]) for step in data["steps"]] == [
        ("KZ", "amendment"),
        ("RS", "internal_procedure"),
    ]
    assert data["steps"][1]["act_number"] == "42/2025"
    assert data["steps"][0]["amending_document"] is None  # a draft is never linked
    assert "Draft amending protocol" not in json.dumps(data)
    assert {"entry_into_force", "awaiting_kz", "awaiting_rs", "subject_to_procedures"} <= set(data)
    with_steps = api(client, "documents", per_page=100).json()["results"]
    assert any(record["steps"] for record in with_steps)


@pytest.mark.parametrize(
    "kind,params",
    [
        ("documents", {"kind": "memorandum"}),
        ("documents", {"sort": "-signed_on"}),
        ("documents", {"q": "digital"}),
        ("commitments", {"status": "not_started", "sort": "title"}),
        ("commitments", {"overdue": "no", "sort": "-progress"}),
        ("visits", {"sort": "-start_date"}),
        ("organizations", {"country": "KZ", "sort": "-name"}),
        ("figures", {"sort": "value"}),
    ],
)
def test_the_api_lists_what_the_page_lists(client, story, kind, params):
    assert api_slugs(client, kind, params) == page_slugs(client, PAGES[kind], params)


class SameRecordsAsThePage(TestCase):
    """Hypothesis over combinations of the documents' and commitments' filters and sort orders."""

    @classmethod
    def setUpTestData(cls):
        cls.story = build_story()

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        kind=st.sampled_from(["documents", "commitments"]),
        status=st.sampled_from(["", "signed", "not_started", "in_progress", "completed"]),
        sector=st.sampled_from(["", "digital", "education"]),
        country=st.sampled_from(["", "KZ", "RS"]),
        q=st.sampled_from(["", "digital", "council", "memorandum"]),
        sort=st.sampled_from(["", "title", "-title", "status", "-status"]),
    )
    def test_same_records(self, kind, status, sector, country, q, sort):
        cache.clear()
        chosen = {"status": status, "sector": sector, "country": country, "q": q, "sort": sort}
        params = {name: value for name, value in chosen.items() if value}
        page = self.client.get(reverse(PAGES[kind]), {**params, "per_page": 100})
        response = self.client.get(reverse(f"api:{kind}-list"), {**params, "per_page": 100}, HTTP_HOST="localhost")
        if not page.context["filter"].is_valid():
            assert response.status_code == 400
            return
        assert response.status_code == 200
        page_rows = [row.record.slug for row in page.context["table"].page.object_list]
        assert [record["slug"] for record in response.json()["results"]] == page_rows


@pytest.mark.parametrize(
    "params,parameter",
    [
        ({"status": "bogus"}, "status"),
        ({"signed_from": "2024-13-45"}, "signed_from"),
        ({"sort": "nonsense"}, "sort"),
        ({"per_page": "7"}, "per_page"),
        ({"page": "x"}, "page"),
        ({"q": "a\x00b"}, "q"),
        ({"party": "x" * 500}, "party"),
    ],
)
def test_wrong_values_are_400_json_with_a_message(client, story, params, parameter):
    response = api(client, "documents", **params)
    assert response.status_code == 400
    data = response.json()
    assert data["status"] == 400 and data["message"]
    assert parameter in data["errors"]


def test_pages_past_the_end_and_unknown_addresses_are_json_404(client, story, settings):
    settings.DEBUG = False
    response = api(client, "documents", page=99)
    assert response.status_code == 404 and "message" in response.json()
    for url in ["/api/v1/nothing/", "/api/v1/documents/no-such-document/", "/data/nothing.csv"]:
        response = client.get(url, HTTP_HOST="localhost")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["status"] == 404


def test_a_server_error_is_json(client, story, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("cooperation.api.views.PublicViewSet.get_serializer_class", broken)
    response = api(client, "documents")
    assert response.status_code == 500
    assert response.json() == {"status": 500, "message": response.json()["message"]}


def test_deep_pages_and_a_total_order(client):
    """Every record on exactly one page, whichever end a page is read from (past the middle the
    keys are read in reverse)."""
    organizations = [f.organization(name=f"Ministry {number:03}") for number in range(60)]
    seen = []
    for number in (1, 2, 3):
        data = api(client, "organizations", page=number, sort="kind")
        assert data.status_code == 200
        seen += [record["slug"] for record in data.json()["results"]]
    assert sorted(seen) == sorted(organization.slug for organization in organizations)
    assert len(seen) == len(set(seen))
    last = api(client, "organizations", page=3, sort="kind").json()
    assert last["next"] is None and "page=2" in last["previous"]
    assert [record["slug"] for record in last["results"]] == seen[50:]


@pytest.mark.parametrize("kind", KINDS)
def test_queries_per_request_constant_in_rows(client, django_assert_max_num_queries, kind):
    story = build_story()
    for number in range(30):
        commitment = f.commitment(title=f"Commitment {number}", origin_document=story.memorandum)
        f.status_update(commitment)
        document = f.document(title=f"Document {number}", signed_at=story.state_visit)
        f.step(document, "KZ", "signature", act_on=datetime.date(2024, 11, 19))
    with django_assert_max_num_queries(10):
        assert api(client, kind, per_page=100).status_code == 200


def test_conditional_requests(client, story, commit):
    first = api(client, "documents")
    assert first["ETag"] and first["Last-Modified"]
    assert "Accept-Language" in first["Vary"]
    again = client.get(reverse("api:documents-list"), HTTP_HOST="localhost", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    with commit():
        f.document(title="Something new")
    changed = client.get(reverse("api:documents-list"), HTTP_HOST="localhost", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_cors_on_get(client, story):
    response = client.get(reverse("api:documents-list"), HTTP_HOST="localhost", HTTP_ORIGIN="https://news.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    page = client.get(reverse("web:document-list"), HTTP_ORIGIN="https://news.example")
    assert "Access-Control-Allow-Origin" not in page


def test_anonymous_throttling(client, story, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [api(client, "sectors").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api(client, "sectors")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 429


def test_accept_language_picks_the_language(client, story):
    response = client.get(reverse("api:commitments-list"), HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="ru")
    assert response["Content-Language"] == "ru" if response.has_header("Content-Language") else True
    english = api(client, "commitments")
    assert response["ETag"] != english["ETag"]


def test_the_schema_is_valid_openapi_and_the_docs_load(client, story):
    response = client.get(reverse("api:schema"), {"format": "json"}, HTTP_HOST="localhost")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    for kind in KINDS:
        assert f"/api/v1/{kind}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/documents/"]["get"]["parameters"]}
    assert {"q", "kind", "status", "sector", "country", "party", "sort", "page", "per_page"} <= parameters
    docs = client.get(reverse("api:docs"), HTTP_HOST="localhost")
    assert docs.status_code == 200
    assert b"<script>" not in docs.content and b"<style>" not in docs.content
    assert "unsafe-inline" not in docs.get("Content-Security-Policy", "")
