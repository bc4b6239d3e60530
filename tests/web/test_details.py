"""Detail pages tell the whole story from published records only; drafts are 404."""

import datetime
import re

import pytest
from django.urls import reverse

from cooperation.tracker.models import CommitmentStatus, DocumentParty
from cooperation.web.views import RELATED_LIMIT
from tests import factories as f
from tests.web.story import DRAFT_NAMES, build_story

pytestmark = pytest.mark.django_db


def page(client, record):
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for draft in DRAFT_NAMES:
        assert draft not in html, f"draft record {draft!r} shown on {record.get_absolute_url()}"
    return html


@pytest.mark.parametrize("kind", ["memorandum", "state_visit", "council_restart", "ministry_kz"])
def test_unpublished_records_are_not_found(client, story, kind):
    record = getattr(story, kind)
    url = record.get_absolute_url()
    type(record).objects.filter(pk=record.pk).unpublish()
    assert client.get(url).status_code == 404


def test_unknown_slug_is_not_found(client, story):
    assert client.get(reverse("web:document-detail", args=["no-such-thing"])).status_code == 404


def test_document_page(client, story):
    signatory = f.person(name="Zhaslan Madiyev", country=story.kz)
    DocumentParty.objects.filter(document=story.memorandum, organization=story.ministry_kz).update(signatory=signatory)
    DocumentParty.objects.filter(document=story.memorandum, organization=story.ministry_rs).update(
        signatory=story.draft_person
    )
    follower = f.document(title="Updated digital memorandum", builds_on=story.memorandum)
    f.document(title="Draft memorandum on digital secrets v2", builds_on=story.memorandum, publication_status=f.DRAFT)
    html = page(client, story.memorandum)
    assert "Memorandum of understanding on digital cooperation" in html
    html = html[html.index("<body") :]  # the head's structured data names the parties too
    # Parties grouped by the side they sign for, with the (published) signatory.
    assert (
        html.index("<h3>Kazakhstan</h3>")
        < html.index("Ministry of Digital Development")
        < html.index("<h3>Serbia</h3>")
    )
    assert "signed by Zhaslan Madiyev" in html
    assert "Signed 19 November 2024" in html
    assert story.state_visit.get_absolute_url() in html
    assert f"{reverse('web:document-list')}?sector=digital" in html
    # Its commitments with status and progress.
    assert "Joint data centre pilot" in html
    assert '<span class="badge status-delayed">delayed</span>' in html
    assert '<progress max="100" value="20"' in html
    assert "overdue" in html
    # The chain of documents and the sources.
    assert f'Followed by: <a href="{follower.get_absolute_url()}">' in html
    assert "Draft memorandum on digital secrets v2" not in html
    assert "Tokayev visits Belgrade" in html and "Both countries signed a number of important agreements." in html


def test_document_builds_on_a_draft_is_not_shown(client, story):
    later = f.document(title="Later protocol", builds_on=story.draft_document)
    html = page(client, later)
    assert "Builds on" not in html


def test_document_signed_at_a_draft_visit_does_not_name_it(client, story):
    document = f.document(title="Quiet protocol", signed_at=story.draft_visit)
    html = page(client, document)
    assert "Signed at" not in html


def test_month_precision_is_kept(client, story):
    html = page(client, story.education_agreement)
    assert "Signed September 2024" in html
    assert "1 September 2024" not in html


def test_visit_page(client, story):
    html = page(client, story.state_visit)
    assert "Kassym-Jomart Tokayev" in html  # who took part (the draft participant is hidden)
    assert "19 November 2024" in html and "Belgrade" in html and "hosted by Serbia" in html
    assert story.memorandum.get_absolute_url() in html  # what was signed there
    assert "Restart the Business Council" in html  # what was promised there
    assert '<span class="badge status-completed">completed</span>' in html
    assert '<progress max="100" value="100"' in html
    assert "Ministry of Digital Development of Kazakhstan" in html


def test_visit_page_shows_earlier_commitments_it_carried_out(client, story):
    html = page(client, story.council_meeting)
    assert "February 2026" in html
    assert "Earlier commitments this event carried forward" in html
    assert story.council_restart.get_absolute_url() in html
    assert "The Council met in February 2026." in html


def test_commitment_page(client, story):
    html = page(client, story.council_restart)
    # Timeline: both published updates, newest first, with evidence; the draft update is hidden.
    assert html.index("2 February 2026") < html.index("1 March 2025")
    assert "3 March 2026" not in html and "1 March 2026" not in html
    assert f'<a href="{story.council_meeting.get_absolute_url()}">' in html
    assert 'href="https://example.org/tokayev-belgrade"' in html
    assert "Made at" in html and story.state_visit.get_absolute_url() in html
    assert "November 2024" in html  # due, with its precision
    assert story.ministry_kz.get_absolute_url() in html
    assert story.draft_org.get_absolute_url() not in html
    assert f'href="{reverse("reports:feed-commitment", args=[story.council_restart.slug])}"' in html
    assert f"{reverse('web:commitment-list')}?sector=digital" in html


def test_commitment_page_flags_overdue_and_its_document(client, story):
    html = page(client, story.data_centre)
    assert "<strong>overdue</strong>" in html
    assert "Made in" in html and story.memorandum.get_absolute_url() in html
    assert "Due</dt><dd>2025" in html


def test_commitment_without_published_updates_says_no_information_not_not_started(client, story):
    fresh = f.commitment(title="Open direct flights", origin_visit=story.state_visit)
    f.status_update(fresh, CommitmentStatus.IN_PROGRESS, publication_status=f.DRAFT)
    html = page(client, fresh)
    assert "No source speaks of this commitment since it was made" in html
    assert '<span class="badge status-no_information">' in html
    assert "status-in_progress" not in html  # the draft update says nothing yet


def test_commitment_from_a_draft_origin_does_not_name_it(client, story):
    hidden_origin = f.commitment(title="Born in secret", origin_visit=story.draft_visit)
    html = page(client, hidden_origin)
    assert "Made at" not in html


def test_organization_page(client, story):
    child = f.organization(name="Digital Agency", parent=story.ministry_kz, country=story.kz)
    f.organization(name="Secret Draft Unit", parent=story.ministry_kz, publication_status=f.DRAFT)
    html = page(client, story.ministry_kz)
    assert story.memorandum.get_absolute_url() in html  # what it signed
    assert story.draft_document.get_absolute_url() not in html
    assert "Restart the Business Council" in html  # what it is responsible for
    assert child.get_absolute_url() in html
    assert "Secret Draft Unit" not in html
    assert "Official visit of President Tokayev to Serbia" in html
    assert f'href="{reverse("reports:feed-organization", args=[story.ministry_kz.slug])}"' in html
    assert f"{reverse('web:document-list')}?party={story.ministry_kz.slug}" in html


def test_organization_page_hides_a_draft_parent(client, story):
    child = f.organization(name="Digital Agency", parent=story.draft_org)
    html = page(client, child)
    assert "Part of" not in html
    visible_parent = f.organization(name="Government of Kazakhstan")
    child.parent = visible_parent
    child.save()
    assert f'Part of</dt><dd><a href="{visible_parent.get_absolute_url()}">' in page(client, child)


def test_dates_use_precision_on_visits(client, story):
    year_visit = f.visit(title="Working visit", start_date=datetime.date(2019, 6, 1), start_precision="year")
    html = page(client, year_visit)
    assert "<span>2019</span>" in html


def test_pages_have_no_inline_scripts_or_styles(client, story):
    """The Content-Security-Policy blocks them: everything lives in static files."""
    urls = [
        reverse("web:document-list"),
        reverse("web:visit-list"),
        reverse("web:commitment-list") + "?sector=digital",
        reverse("web:organization-list"),
        story.memorandum.get_absolute_url(),
        story.state_visit.get_absolute_url(),
        story.council_restart.get_absolute_url(),
        story.ministry_kz.get_absolute_url(),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert "style=" not in html and "<style" not in html, url
        # A JSON-LD data block is not a script the browser runs (nor one the CSP governs).
        assert re.findall(r'<script(?![^>]*\b(?:src=|type="application/ld\+json"))[^>]*>', html) == [], url
        assert 'href="#main"' in html and 'id="main"' in html  # the skip link and its target


@pytest.mark.django_db
def test_organization_page_lists_the_first_commitments_and_counts_all(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the stored counts are refreshed on commit
        ministry = f.organization(name="Ministry of Trade and Integration")
        visit = f.visit()
        for number in range(RELATED_LIMIT + 3):
            f.commitment(title=f"Export target {number:02d}", responsible=[ministry], origin_visit=visit)
        f.commitment(title="Draft target", responsible=[ministry], origin_visit=visit, publication_status=f.DRAFT)

    page = client.get(ministry.get_absolute_url()).content.decode()

    assert page.count("Export target") == RELATED_LIMIT
    assert f"The first {RELATED_LIMIT} of {RELATED_LIMIT + 3} commitments." in page
    assert "Draft target" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("script_prefix", ["/", "/tracker/"])
def test_detail_urls_are_what_reverse_gives(script_prefix):
    from django.urls import clear_script_prefix, set_script_prefix

    story = build_story()
    set_script_prefix(script_prefix)
    try:
        for record, name in [
            (story.ministry_kz, "web:organization-detail"),
            (story.state_visit, "web:visit-detail"),
            (story.memorandum, "web:document-detail"),
            (story.data_centre, "web:commitment-detail"),
        ]:
            assert record.get_absolute_url() == reverse(name, args=[record.slug])
            assert record.get_absolute_url().startswith(script_prefix)
    finally:
        clear_script_prefix()


@pytest.mark.parametrize("language", ["en", "ru", "sr"])
def test_the_label_filter_shows_what_get_display_shows(language):
    from django.template import Context, Template
    from django.utils import translation

    from cooperation.tracker.models import Document, DocumentKind

    template = Template('{% load cells %}{{ document|label:"kind" }}')
    with translation.override(language):
        for kind in DocumentKind:
            document = Document(kind=kind)
            assert template.render(Context({"document": document})) == document.get_kind_display()
