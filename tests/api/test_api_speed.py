"""Issue 18's speed without a change of contract: the plain serialization (serializers.py's plan,
links as dicts, labels from one dict, addresses from templates) gives the same bytes as DRF's
generic field-by-field path for every kind, list and detail, in every language; every response
conforms to the OpenAPI schema, with no field the schema does not declare; queries per request
do not grow with the rows, and the last page costs what the first does."""

import datetime
import json
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from cooperation.api import serializers
from cooperation.api.views import PublicViewSet
from cooperation.tracker.models import Responsibility
from tests import factories as f
from tests.api.test_api import KINDS
from tests.web.story import build_story

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _ in settings.LANGUAGES]


@pytest.fixture(autouse=True)
def unthrottled(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100000/second"})


@pytest.fixture
def linked(db):
    """The story, and records that reach every kind of link: steps with a source and with a
    published and a draft amending document, commitments with a promise source, sources,
    responsibilities of both roles and updates with every kind of evidence (a draft visit too)."""
    story = build_story()
    gazette = f.source(publisher="Official Gazette", title="Act 42", published_on=datetime.date(2025, 2, 3))
    draft = f.document(title="Draft amending protocol", publication_status="draft")
    memorandum, day = story.memorandum, datetime.date
    f.step(memorandum, "RS", "internal_procedure", act_on=day(2025, 3, 1), act_number="42", source=gazette)
    f.step(memorandum, "KZ", "amendment", act_on=day(2025, 4, 1), amending_document=draft)
    f.step(memorandum, "KZ", "amendment", act_on=day(2025, 5, 1), amending_document=story.education_agreement)
    for number in range(3):
        commitment = f.commitment(
            title=f"Linked commitment {number}",
            origin_document=story.memorandum,
            origin_visit=story.state_visit,
            responsible=[story.ministry_kz],
            sectors=[story.digital],
            promise_source=gazette,
            promise_passage="The parties will cooperate.",
        )
        commitment.sources.set([gazette])
        Responsibility.objects.create(commitment=commitment, organization=story.ministry_rs, role="support")
        update = f.status_update(
            commitment,
            "delayed",
            10,
            basis="assessed",
            reasoning="No report since.",
            evidence_source=gazette,
            evidence_document=story.memorandum,
            evidence_visit=story.draft_visit,
        )
        update.sources.set([gazette])
    return story


def get(client, url, language, params=None):
    response = client.get(url, params or {}, HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response


def every_response(client, language):
    """{address: body} of every list (all on one page) and every record's detail."""
    bodies = {}
    for kind in KINDS:
        response = get(client, reverse(f"api:{kind}-list"), language, {"per_page": 100})
        bodies[f"{kind} list"] = response.content
        for record in response.json()["results"]:
            bodies[record["api_url"]] = get(client, record["api_url"], language).content
    return bodies


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plain_serialization_gives_drf_generic_bytes(client, linked, monkeypatch, language):
    plain = every_response(client, language)
    original = PublicViewSet.get_serializer_context
    monkeypatch.setattr(
        PublicViewSet, "get_serializer_context", lambda view: {**original(view), serializers.GENERIC: True}
    )
    generic = every_response(client, language)
    assert plain.keys() == generic.keys()
    for address, body in plain.items():
        assert body == generic[address], address
    text = b"".join(plain.values()).decode()
    assert "Draft amending protocol" not in text and linked.draft_visit.title not in text
    assert '"amending_document":{"url"' in text and '"evidence_visit":null' in text


def json_schema(node):
    """An OpenAPI 3.0 schema node as JSON Schema: `nullable` as a null alternative, and objects
    closed (additionalProperties false), so a field the schema does not declare fails."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key not in ("nullable", "readOnly")}
    if "properties" in converted:
        converted.setdefault("additionalProperties", False)
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@pytest.fixture
def schema(client):
    response = client.get(reverse("api:schema"), {"format": "json"}, HTTP_HOST="localhost")
    return json_schema(json.loads(response.content))


FORMATS = jsonschema.FormatChecker()  # date, email… and, as no URI package is installed, our own:


@FORMATS.checks("uri")
def is_absolute_uri(value) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return parts is None or bool(parts.scheme in ("http", "https") and parts.netloc)


def validator(schema, path: str):
    response = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return jsonschema.Draft202012Validator({**response, "components": schema["components"]}, format_checker=FORMATS)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_list_and_detail_responses_conform_to_the_schema(client, linked, schema, language):
    for kind in KINDS:
        lookup = "{id}" if kind == "sources" else "{slug}"
        listing = get(client, reverse(f"api:{kind}-list"), language, {"per_page": 100}).json()
        assert listing["results"], kind
        errors = list(validator(schema, f"/api/v1/{kind}/").iter_errors(listing))
        assert not errors, (kind, [error.message for error in errors[:3]])
        detail = validator(schema, f"/api/v1/{kind}/{lookup}/")
        for record in listing["results"]:
            body = get(client, record["api_url"], language).json()
            errors = list(detail.iter_errors(body))
            assert not errors, (record["api_url"], [error.message for error in errors[:3]])
            assert body == record  # a record reads the same in its list and on its own


def test_the_schema_is_closed_so_the_conformance_test_sees_an_undeclared_field(schema):
    listing = {"count": 0, "page": 1, "pages": 1, "per_page": 25, "next": None, "previous": None}
    commitments = validator(schema, "/api/v1/commitments/")
    assert commitments.is_valid({**listing, "results": []})
    assert not commitments.is_valid({**listing, "results": [], "extra": 1})
    assert not commitments.is_valid({**listing, "results": [], "next": "/api/v1/commitments/?page=2"})


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, HTTP_HOST="localhost").status_code == 200
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_rows_and_the_last_page_costs_the_first(client, linked):
    url = reverse("api:commitments-list") + "?per_page=100"
    few = queries(client, url)
    for number in range(40):
        commitment = f.commitment(
            title=f"More {number:02}", origin_document=linked.memorandum, responsible=[linked.ministry_kz]
        )
        f.status_update(commitment, evidence_visit=linked.council_meeting, evidence_source=f.source())
    assert queries(client, url) == few <= 10
    first = queries(client, reverse("api:commitments-list") + "?per_page=10")
    last = queries(client, reverse("api:commitments-list") + "?per_page=10&page=5")
    assert last == first <= 10


@pytest.mark.parametrize(
    "path",
    ["/commitments/?sector=digital", "/api/v1/documents/a-b_c/", "/", "/documents/#figure-x", "/a b/", "/š/", "//x/"],
)
def test_an_address_is_what_build_absolute_uri_gives(rf: RequestFactory, path):
    request = Request(rf.get("/api/v1/", HTTP_HOST="localhost"))
    assert serializers.Addresses(request).absolute(path) == request.build_absolute_uri(path)
