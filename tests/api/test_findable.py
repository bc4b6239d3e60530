"""Detail pages describe their record (JSON-LD, OpenGraph, Twitter card); Atom feeds of new
documents and visits; published facts only."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from cooperation.tracker.models import DocumentStatus, EntryIntoForceRule, YesNoUnknown
from tests import factories as f
from tests.web.story import DRAFT_NAMES

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def json_ld(response) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert len(found) == 1
    return json.loads(found[0])


def test_documents_are_legislation_with_their_legal_force(client, story):
    # In force by its own rules (no internal procedures, in force on signature): derived, never typed.
    story.memorandum.subject_to_procedures = YesNoUnknown.NO
    story.memorandum.entry_into_force_rule = EntryIntoForceRule.ON_SIGNATURE
    story.memorandum.save()
    story.memorandum.refresh_from_db()
    assert story.memorandum.status == DocumentStatus.IN_FORCE
    response = client.get(story.memorandum.get_absolute_url())
    data = json_ld(response)
    assert data["@type"] == "Legislation"
    assert data["legislationLegalForce"] == "https://schema.org/InForce"
    assert data["name"] == story.memorandum.title
    text = response.content.decode()
    assert f'<meta property="og:title" content="{story.memorandum.title}">' in text
    assert '<meta name="twitter:card" content="summary">' in text
    assert not any(name in json.dumps(data) for name in DRAFT_NAMES)


def test_visits_are_events_and_organizations_organizations(client, story):
    assert json_ld(client.get(story.state_visit.get_absolute_url()))["@type"] == "Event"
    assert json_ld(client.get(story.ministry_kz.get_absolute_url()))["@type"] == "Organization"


def test_json_ld_cannot_close_its_script(client, story):
    story.memorandum.summary = "</script><script>alert(1)</script> & more"
    story.memorandum.save()
    response = client.get(story.memorandum.get_absolute_url())
    assert "<script>alert(1)" not in response.content.decode()
    assert json_ld(response)["description"].startswith("</script>")


@pytest.mark.parametrize("name", ["reports:feed-documents", "reports:feed-visits"])
def test_feeds_of_new_records(client, story, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles
    assert not set(titles) & set(DRAFT_NAMES)
    assert feed.find(f"{ATOM}author") is not None


def test_lists_announce_their_feeds(client, story):
    page = client.get(reverse("web:document-list")).content.decode()
    assert f'href="{reverse("reports:feed-documents")}"' in page
    f.document(title="Another")
