"""Every admin page renders, in a number of queries that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.tracker.models import (
    CommitmentStatus,
    Document,
    DocumentParty,
    Organization,
    PublicationStatus,
    StatusUpdate,
    Visit,
    VisitKind,
)
from tests import factories
from tests.admin_helpers import build_records, form_errors, signed_in, staff_user, submit_admin_form

pytestmark = pytest.mark.django_db

MODELS = [
    "country",
    "sector",
    "source",
    "organization",
    "person",
    "visit",
    "document",
    "documentparty",
    "commitment",
    "statusupdate",
]
# Generous for a change form with inlines and autocomplete widgets, but fixed.
PAGE_BUDGET = 40


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize("model", MODELS)
def test_changelist_queries_do_not_grow_with_rows(superuser_client, model, django_assert_max_num_queries):
    url = reverse(f"admin:tracker_{model}_changelist")
    build_records(1)
    few = count_queries(superuser_client, url)
    build_records(4)
    with django_assert_max_num_queries(few):
        response = superuser_client.get(url)
    assert response.status_code == 200
    assert few <= 15
    # The rows really are on the page, not an empty list that would be cheap anyway.
    assert response.context["cl"].result_count >= 2  # only two countries; several of everything else


@pytest.mark.parametrize("model", MODELS)
def test_add_and_change_pages_render(superuser_client, model, django_assert_max_num_queries):
    records = build_records(2)
    pk = records[model].pk
    for url in (
        reverse(f"admin:tracker_{model}_add"),
        reverse(f"admin:tracker_{model}_change", args=[pk]),
        reverse(f"admin:tracker_{model}_history", args=[pk]),
    ):
        with django_assert_max_num_queries(PAGE_BUDGET):
            response = superuser_client.get(url)
        assert response.status_code == 200, url


def test_search_and_filters_render(superuser_client):
    build_records(2)
    for url in (
        reverse("admin:tracker_commitment_changelist") + "?overdue=yes&status__exact=in_progress",
        reverse("admin:tracker_document_changelist") + "?q=memorandum&kind__exact=mou",
        reverse("admin:tracker_visit_changelist") + "?start_date__year=2024",
        reverse("admin:tracker_statusupdate_changelist") + "?q=anything",
    ):
        assert superuser_client.get(url).status_code == 200, url


def test_wrong_filter_value_is_not_a_server_error(superuser_client):
    build_records(1)
    response = superuser_client.get(reverse("admin:tracker_commitment_changelist") + "?progress__gte=lots")
    assert response.status_code in (200, 302)
    response = superuser_client.get(reverse("admin:tracker_commitment_changelist") + "?overdue=maybe")
    assert response.status_code == 200


def test_overdue_filter(superuser_client):
    visit = factories.visit()
    late = factories.commitment(origin_visit=visit, due_on=datetime.date(2020, 1, 1))
    on_time = factories.commitment(origin_visit=visit, due_on=datetime.date(2999, 1, 1))
    done = factories.commitment(origin_visit=visit, due_on=datetime.date(2020, 1, 1))
    factories.status_update(done, status=CommitmentStatus.COMPLETED)
    url = reverse("admin:tracker_commitment_changelist")
    overdue = list(superuser_client.get(url + "?overdue=yes").context["cl"].result_list)
    not_overdue = list(superuser_client.get(url + "?overdue=no").context["cl"].result_list)
    assert overdue == [late]
    assert set(not_overdue) == {on_time, done}


def test_dates_are_shown_with_their_precision(superuser_client):
    factories.visit(title="Autumn talks", start_date=datetime.date(2024, 9, 17), start_precision="month")
    factories.document(title="Undated protocol", signed_on=datetime.date(2025, 5, 5), signed_precision="year")
    visits = superuser_client.get(reverse("admin:tracker_visit_changelist")).content.decode()
    documents = superuser_client.get(reverse("admin:tracker_document_changelist")).content.decode()
    assert "September 2024" in visits and "17 September 2024" not in visits
    assert '<td class="field-signed">2025</td>' in documents


def test_non_staff_user_cannot_reach_the_admin(client):
    user = staff_user("citizen")
    user.is_staff = False
    user.save()
    client.force_login(user)
    for url in (reverse("admin:index"), reverse("admin:tracker_document_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("admin:tracker_commitment_add"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_view_on_site_only_for_published_records(superuser_client):
    published = factories.document(title="Public one")
    draft = factories.document(title="Draft one", publication_status=PublicationStatus.DRAFT)
    page = superuser_client.get(reverse("admin:tracker_document_change", args=[published.pk])).content.decode()
    assert published.get_absolute_url() in page
    page = superuser_client.get(reverse("admin:tracker_document_change", args=[draft.pk])).content.decode()
    assert draft.get_absolute_url() not in page


def test_status_update_entered_by_is_the_user_on_its_own_page(client):
    user = signed_in(client, "ed", role="Editor")
    commitment, source = factories.commitment(), factories.source()
    response = submit_admin_form(
        client,
        StatusUpdate,
        {
            "commitment": commitment.pk,
            "reported_on": "2025-03-01",
            "status": "in_progress",
            "progress": "40",
            "evidence_source": source.pk,
        },
    )
    assert response.status_code == 302, form_errors(response)
    update = StatusUpdate.objects.get(commitment=commitment)
    assert update.entered_by == user
    assert update.publication_status == PublicationStatus.DRAFT


def test_status_update_entered_by_is_the_user_in_the_commitment_inline(client):
    user = signed_in(client, "pub", role="Publisher")
    commitment, source = factories.commitment(), factories.source()
    response = submit_admin_form(
        client,
        commitment,
        {
            "updates-0-reported_on": "2025-04-02",
            "updates-0-status": "completed",
            "updates-0-progress": "100",
            "updates-0-evidence_source": source.pk,
            "updates-0-publication_status": "published",
        },
    )
    assert response.status_code == 302, form_errors(response)
    update = commitment.updates.get()
    assert update.entered_by == user
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.COMPLETED and commitment.progress == 100


REPORTED_NEEDS_A_SOURCE = (
    "A reported status needs the source that reports it (or the later document or visit that carried "
    "it out); otherwise it is assessed, with the editors' reasoning."
)


def test_a_reported_status_update_without_a_source_is_refused_on_the_evidence_source_field(client):
    """Issue 14: "reported" means a source says so. Without one the admin refuses it, on the
    evidence source field, and saves nothing."""
    signed_in(client, "ed", role="Editor")
    commitment = factories.commitment()
    response = submit_admin_form(
        client,
        StatusUpdate,
        {
            "commitment": commitment.pk,
            "reported_on": "2025-03-01",
            "status": "in_progress",
            "progress": "40",
            "basis": "reported",
        },
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"evidence_source": [REPORTED_NEEDS_A_SOURCE]}
    assert REPORTED_NEEDS_A_SOURCE.replace("'", "&#x27;") in response.content.decode()
    assert not StatusUpdate.objects.filter(commitment=commitment).exists()


def test_a_reported_status_update_in_the_commitment_inline_without_a_source_is_refused(client):
    signed_in(client, "pub", role="Publisher")
    commitment = factories.commitment()
    response = submit_admin_form(
        client,
        commitment,
        {"updates-0-reported_on": "2025-04-02", "updates-0-status": "in_progress", "updates-0-progress": "10"},
    )
    assert response.status_code == 200
    assert form_errors(response) == [{"evidence_source": [REPORTED_NEEDS_A_SOURCE]}]
    assert not commitment.updates.exists()


def test_a_reported_status_update_carried_by_a_later_document_alone_is_accepted(client):
    """The later document that carried the commitment out has its own sources: it is evidence enough."""
    signed_in(client, "ed", role="Editor")
    commitment, document = factories.commitment(), factories.document(title="Agreement that carried it out")
    response = submit_admin_form(
        client,
        StatusUpdate,
        {
            "commitment": commitment.pk,
            "reported_on": "2025-03-01",
            "status": "completed",
            "progress": "100",
            "basis": "reported",
            "evidence_document": document.pk,
        },
    )
    assert response.status_code == 302, form_errors(response)
    update = StatusUpdate.objects.get(commitment=commitment)
    assert (update.basis, update.evidence_source, update.evidence_document) == ("reported", None, document)


def test_document_with_parties_entered_through_the_admin(superuser_client):
    visit = factories.visit()
    kz, rs = factories.organization(), factories.organization(country=factories.country("RS"))
    response = submit_admin_form(
        superuser_client,
        Document,
        {
            "title": "Memorandum on digital cooperation",
            "kind": "mou",
            "level": "interdepartmental",
            "status": "signed",
            "signed_on": "2024-11-19",
            "signed_precision": "day",
            "signed_at": visit.pk,
            "parties-0-organization": kz.pk,
            "parties-1-organization": rs.pk,
            "commitments-0-title_en": "Open a joint lab",
            "commitments-0-due_precision": "year",
            "commitments-0-due_on": "2026-06-01",
            "commitments-0-publication_status": "draft",
            "commitments-TOTAL_FORMS": "1",
        },
    )
    assert response.status_code == 302, form_errors(response)
    party_sides = set(DocumentParty.objects.values_list("organization__name", "side__code"))
    assert party_sides == {(kz.name, "KZ"), (rs.name, "RS")}
    commitment = visit.documents.get().commitments.get()
    assert commitment.deadline == datetime.date(2026, 12, 31)


def test_invalid_input_gives_form_errors_not_a_500(superuser_client):
    response = submit_admin_form(
        superuser_client,
        Visit,
        {"title": "Reversed dates", "kind": VisitKind.TALKS, "start_date": "2024-11-20", "end_date": "2024-11-01"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors


def test_protected_delete_shows_cannot_delete_page(client):
    client.force_login(staff_user("pub", role="Publisher"))
    records = build_records(1)
    organization = records["organization"]
    url = reverse("admin:tracker_organization_delete", args=[organization.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Cannot delete" in response.content.decode()
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200 and "Cannot delete" in response.content.decode()
    assert Organization.objects.filter(pk=organization.pk).exists()
    # The bulk delete action refuses the same way.
    response = client.post(
        reverse("admin:tracker_commitment_changelist"),
        {"action": "delete_selected", "_selected_action": [records["commitment"].pk], "post": "yes"},
    )
    assert response.status_code == 200 and "Cannot delete" in response.content.decode()
    assert records["commitment"].__class__.objects.filter(pk=records["commitment"].pk).exists()
