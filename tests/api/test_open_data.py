"""The data package, the sitemap and robots.txt: published records only, valid as Frictionless."""

import json
import re

import pytest
from django.urls import reverse
from frictionless import Package

from tests import factories as f
from tests.web.story import DRAFT_NAMES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def package_root(settings, tmp_path):
    settings.DATA_PACKAGE_ROOT = tmp_path / "datapackage"
    return settings.DATA_PACKAGE_ROOT


def download(client, name):
    response = client.get(reverse("api:data-file", args=[name]))
    assert response.status_code == 200, name
    return b"".join(response.streaming_content).decode()


def test_the_package_is_valid_and_holds_no_draft(client, story, package_root):
    descriptor = json.loads(download(client, "datapackage.json"))
    assert descriptor["licenses"] and descriptor["sources"] and descriptor["created"]
    names = {resource["name"] for resource in descriptor["resources"]}
    assert {"documents", "visits", "commitments", "organizations", "people", "figures", "status_updates"} <= names
    everything = ""
    for resource in descriptor["resources"]:
        everything += download(client, resource["path"])
    for name in DRAFT_NAMES:
        assert name not in everything
    assert story.draft_document.slug not in everything
    assert story.draft_org.slug not in everything
    folder = next(path for path in package_root.iterdir() if path.is_dir())
    report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert story.memorandum.slug in download(client, "documents.csv")


def test_the_package_is_rebuilt_when_the_data_changes(client, story, commit, package_root):
    download(client, "documents.csv")
    with commit():
        f.document(title="A brand new agreement")
    assert "a-brand-new-agreement" in download(client, "documents.csv")
    assert len([folder for folder in package_root.iterdir() if folder.is_dir()]) == 1


def test_unknown_files_are_json_404(client):
    response = client.get("/data/passwords.csv")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_sitemap_lists_every_public_detail_page_and_no_draft(client, story):
    index = client.get("/sitemap.xml").content.decode()
    pages = ""
    for location in re.findall(r"<loc>([^<]+)</loc>", index):
        response = client.get(location.replace("http://testserver", ""))
        assert response.status_code == 200
        pages += response.content.decode()
    for record in (story.memorandum, story.state_visit, story.council_restart, story.ministry_kz):
        assert record.get_absolute_url() in pages
    for draft in (story.draft_document, story.draft_visit, story.draft_commitment, story.draft_org):
        assert draft.get_absolute_url() not in pages
    assert "<lastmod>" in pages


def test_robots_points_at_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text
