"""Issue 14: how every status is known (basis), "no information", the promise in its own words,
lead and supporting organizations per side, undated events, the methodology and the corrections."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cooperation.tracker.models import (
    Basis,
    Commitment,
    CommitmentStatus,
    Responsibility,
    Role,
    Side,
    StatusUpdate,
    Visit,
    progress_is_measured,
)
from tests import factories as f
from tests.admin_helpers import admin_form, form_errors, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    kz, rs = f.country("KZ"), f.country("RS")
    ministry_kz = f.organization(name="Ministry of Trade of Kazakhstan", country=kz)
    ministry_rs = f.organization(name="Ministry of Economy of Serbia", country=rs)
    council = f.organization(name="Joint Business Council", country=None, kind="bilateral_body")
    hidden = f.organization(name="Secret Draft Agency", country=kz, publication_status=f.DRAFT)
    report = f.source(publisher="Kazinform", title="Talks in Astana", url="https://example.org/talks")
    visit = f.visit(title="Talks in Astana")
    commitment = f.commitment(
        title="Open a trade house",
        origin_visit=visit,
        promise_passage="The parties agreed to open a trade house in Belgrade.",
        promise_source=report,
    )
    Responsibility.objects.create(commitment=commitment, organization=ministry_kz, role=Role.LEAD)
    Responsibility.objects.create(commitment=commitment, organization=ministry_rs, role=Role.SUPPORT)
    Responsibility.objects.create(commitment=commitment, organization=hidden, role=Role.SUPPORT)
    return {
        "kz": kz,
        "rs": rs,
        "ministry_kz": ministry_kz,
        "ministry_rs": ministry_rs,
        "council": council,
        "hidden": hidden,
        "report": report,
        "visit": visit,
        "commitment": commitment,
    }


# --- 1. Basis -----------------------------------------------------------------------------------


def test_an_assessed_update_needs_reasoning_in_clean_and_in_the_database(world):
    update = StatusUpdate(
        commitment=world["commitment"],
        reported_on=datetime.date(2025, 1, 1),
        status=CommitmentStatus.IN_PROGRESS,
        basis=Basis.ASSESSED,
    )
    with pytest.raises(ValidationError) as error:
        update.full_clean()
    assert "reasoning" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(
            commitment=world["commitment"],
            reported_on=datetime.date(2025, 1, 1),
            status=CommitmentStatus.IN_PROGRESS,
            basis=Basis.ASSESSED,
        )


def test_no_information_is_derived_not_entered(world):
    commitment = world["commitment"]
    assert commitment.status == CommitmentStatus.NO_INFORMATION and commitment.basis == ""
    with pytest.raises(IntegrityError), transaction.atomic():
        f.status_update(commitment, status=CommitmentStatus.NO_INFORMATION, progress=0)
    f.status_update(commitment, status=CommitmentStatus.NOT_STARTED, progress=0)
    assert commitment.status == CommitmentStatus.NOT_STARTED and commitment.basis == Basis.REPORTED


def test_the_page_says_how_each_status_is_known(client, world):
    commitment = world["commitment"]
    later = f.source(publisher="Tanjug", title="Trade house opens", url="https://example.org/opens")
    f.status_update(
        commitment,
        reported_on=datetime.date(2025, 1, 1),
        evidence_source=world["report"],
        basis_passage="Work on the trade house has begun.",
    )
    assessed = f.status_update(
        commitment,
        reported_on=datetime.date(2025, 6, 1),
        basis=Basis.ASSESSED,
        reasoning="The opening ceremony implies the work is done.",
    )
    assessed.sources.set([later])
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Reported" in page and "<blockquote" in page and "Work on the trade house has begun." in page
    assert "Assessed by the editors" in page and "The opening ceremony implies the work is done." in page
    assert "Trade house opens" in page  # the source the assessment rests on
    assert "assessed by the editors" in page  # the current status's basis, among the facts


def test_the_list_filters_by_basis_and_the_api_too(client, world):
    reported = world["commitment"]
    f.status_update(reported)
    assessed = f.commitment(title="Hold business forums", origin_visit=world["visit"])
    f.status_update(assessed, basis=Basis.ASSESSED, reasoning="Two forums were held.")
    silent = f.commitment(title="Open direct flights", origin_visit=world["visit"])

    def titles(path, **params):
        response = client.get(path, params)
        assert response.status_code == 200
        if path.startswith("/api/"):
            return {row["title"] for row in response.json()["results"]}
        return {row.record.title for row in response.context["table"].page.object_list}

    for path in (reverse("web:commitment-list"), "/api/v1/commitments/"):
        assert titles(path, basis="assessed") == {"Hold business forums"}
        assert titles(path, basis="reported") == {"Open a trade house"}
        assert titles(path, status="no_information") == {silent.title}
    assert client.get(reverse("web:commitment-list"), {"basis": "bogus"}).status_code == 200


def test_the_list_shows_the_basis_under_each_status(client, world):
    f.status_update(world["commitment"], basis=Basis.ASSESSED, reasoning="Judged from two reports.")
    f.commitment(title="Open direct flights", origin_visit=world["visit"])  # no update: no basis
    response = client.get(reverse("web:commitment-list"))
    page = response.content.decode()
    assert page.count('<span class="basis-note">assessed by the editors</span>') == 1
    assert page.count('class="basis-note"') == 1
    # Under the badge rather than a column of its own (which the column chooser still offers).
    table = response.context["table"]
    assert "basis" not in [column.name for column in table.columns if column.visible]
    assert ("basis", "Basis", False) in table.optional_columns


def test_exports_carry_the_basis(client, world):
    f.status_update(world["commitment"], basis=Basis.ASSESSED, reasoning="Judged from two reports.")
    response = client.get(reverse("web:commitment-list"), {"_export": "csv"})
    text = response.content.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert "Basis" in header and "Reasoning" in header and "Lead" in header
    assert "Judged from two reports." in text


def test_feeds_carry_the_basis(client, world):
    f.status_update(world["commitment"], evidence_source=world["report"], basis_passage="Begun, says the report.")
    feed = client.get(reverse("reports:feed-updates")).content.decode()
    assert "Reported by Kazinform" in feed and "Begun, says the report." in feed


# --- 2. The promise -------------------------------------------------------------------------------


def test_the_promise_is_quoted_with_its_source(client, world):
    page = client.get(world["commitment"].get_absolute_url()).content.decode()
    assert "The promise in its own words" in page
    assert "The parties agreed to open a trade house in Belgrade." in page
    assert 'cite="https://example.org/talks"' in page and "Talks in Astana" in page


def test_the_editors_description_is_an_editors_note_not_the_promise(client, world):
    """The description says what the report leaves out; only the quoted passage is the promise."""
    world["commitment"].description = "The report does not name the city's partner."
    world["commitment"].save()
    page = client.get(world["commitment"].get_absolute_url()).content.decode()
    assert "<h2>Editors&#x27; note</h2><p>The report does not name the city&#x27;s partner.</p>" in page
    assert "What was promised<" not in page


# --- 3. Responsibilities ---------------------------------------------------------------------------


def test_responsibilities_take_the_side_of_their_country(world):
    rows = {row.organization.name: row for row in world["commitment"].responsibilities.all()}
    assert rows["Ministry of Trade of Kazakhstan"].side == Side.KAZAKHSTAN
    assert rows["Ministry of Economy of Serbia"].side == Side.SERBIA
    tunnel = f.commitment(responsible=[world["council"], world["ministry_rs"]], origin_visit=world["visit"])
    rows = {row.organization.name: (row.role, row.side) for row in tunnel.responsibilities.all()}
    # Set through the many-to-many manager: the sides from the countries, and one of them leads.
    assert {name: side for name, (_role, side) in rows.items()} == {
        "Joint Business Council": Side.BILATERAL_BODY,
        "Ministry of Economy of Serbia": Side.SERBIA,
    }
    assert sorted(role for role, _side in rows.values()) == [Role.LEAD, Role.SUPPORT]


def test_the_page_shows_lead_and_supporting_by_side_without_drafts(client, world):
    page = client.get(world["commitment"].get_absolute_url()).content.decode()
    assert "Lead" in page and "Supporting" in page
    assert "Ministry of Trade of Kazakhstan" in page and "Ministry of Economy of Serbia" in page
    assert "Secret Draft Agency" not in page


def test_lists_filter_by_lead_and_side(client, world):
    other = f.commitment(title="Build a road", origin_visit=world["visit"])
    Responsibility.objects.create(commitment=other, organization=world["ministry_rs"], role=Role.LEAD)
    Responsibility.objects.create(commitment=other, organization=world["council"], role=Role.SUPPORT)

    def titles(**params):
        for path in (reverse("web:commitment-list"), "/api/v1/commitments/"):
            response = client.get(path, params)
            assert response.status_code == 200
        rows = response.json()["results"]
        page = client.get(reverse("web:commitment-list"), params).context["table"].page.object_list
        assert {row["title"] for row in rows} == {row.record.title for row in page}
        return {row["title"] for row in rows}

    assert titles(lead=world["ministry_kz"].slug) == {"Open a trade house"}
    assert titles(lead="Ministry of Economy") == {"Build a road"}
    assert titles(side="kazakhstan") == {"Open a trade house"}
    assert titles(side="bilateral_body") == {"Build a road"}
    assert titles(lead=world["hidden"].slug) == set()  # a draft organization is no filter value
    Responsibility.objects.filter(organization=world["ministry_kz"]).update(side=Side.BOTH)
    assert titles(side="serbia") == {"Open a trade house", "Build a road"}  # both includes each


def test_the_api_gives_basis_promise_and_responsibilities_without_drafts(client, world):
    commitment = world["commitment"]
    f.status_update(commitment, basis=Basis.ASSESSED, reasoning="From two reports.", basis_passage="")
    f.status_update(commitment, reported_on=datetime.date(2025, 2, 1), publication_status=f.DRAFT, note="secret")
    data = client.get(f"/api/v1/commitments/{commitment.slug}/").json()
    assert data["basis"] == "assessed" and data["promise_passage"].startswith("The parties agreed")
    assert data["promise_source"]["title"] == "Talks in Astana"
    assert {(row["organization"]["name"], row["role"], row["side"]) for row in data["responsibilities"]} == {
        ("Ministry of Trade of Kazakhstan", "lead", "kazakhstan"),
        ("Ministry of Economy of Serbia", "support", "serbia"),
    }
    (update,) = data["updates"]
    assert update["basis"] == "assessed" and update["reasoning"] == "From two reports."
    assert "secret" not in str(data) and "Secret Draft Agency" not in str(data)


def test_a_draft_commitment_never_reaches_the_public(client, world):
    draft = f.commitment(title="Hidden promise", origin_visit=world["visit"], publication_status=f.DRAFT)
    Responsibility.objects.create(commitment=draft, organization=world["ministry_kz"], role=Role.LEAD)
    f.status_update(draft, basis=Basis.ASSESSED, reasoning="Hidden reasoning.")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/commitments/{draft.slug}/").status_code == 404
    for path in (
        reverse("web:commitment-list") + "?lead=" + world["ministry_kz"].slug,
        "/api/v1/commitments/?side=kazakhstan",
        world["ministry_kz"].get_absolute_url(),
        reverse("reports:feed-updates"),
        reverse("web:corrections"),
        reverse("reports:status-report"),
    ):
        body = client.get(path).content.decode()
        assert "Hidden promise" not in body and "Hidden reasoning" not in body, path


# --- 4. Undated events ------------------------------------------------------------------------------


def test_an_undated_event_says_so_and_sorts_last_both_ways(client):
    f.visit(title="Dated early", start_date=datetime.date(2020, 1, 1))
    f.visit(title="Dated late", start_date=datetime.date(2024, 1, 1))
    undated = f.visit(title="Working visit to Vojvodina", start_date=None)
    assert undated.date_display == "date not reported"
    for sort in ("", "start_date", "-start_date"):
        response = client.get(reverse("web:visit-list"), {"sort": sort} if sort else {})
        titles = [row.record.title for row in response.context["table"].page.object_list]
        assert titles[-1] == "Working visit to Vojvodina", sort
    page = client.get(undated.get_absolute_url()).content.decode()
    assert "date not reported" in page
    assert "date not reported" in client.get(reverse("web:visit-list")).content.decode()


def test_an_undated_event_is_outside_every_year_and_counted_apart(client):
    f.visit(title="Dated", start_date=datetime.date(2024, 5, 1))
    f.visit(title="Undated", start_date=None)
    response = client.get(reverse("web:visit-list"), {"year": "2024"})
    assert [row.record.title for row in response.context["table"].page.object_list] == ["Dated"]
    assert Visit.objects.published().filter(start_date=None).count() == 1
    overview = client.get(reverse("reports:overview")).content.decode()
    assert "of which 1 with the date not reported" in overview
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get(reverse("reports:feed-visits")).status_code == 200
    assert client.get("/api/v1/visits/").status_code == 200


# --- 6. Methodology and corrections --------------------------------------------------------------


def test_the_methodology_explains_statuses_and_bases(client):
    page = client.get(reverse("web:methodology")).content.decode()
    for words in ("no information", "not started", "Reported", "Assessed by the editors", "How to report an error"):
        assert words in page


def edit_in_admin(client, record, reason="", **changes):
    url, data = admin_form(client, record)
    data.update(changes)
    data["change_reason"] = reason
    return client.post(url, data)


def test_a_published_record_needs_a_reason_and_its_change_is_listed(client, world):
    client.force_login(staff_user("pub", superuser=True))
    visit = world["visit"]
    response = edit_in_admin(client, visit, place="Astana, Akorda")
    assert response.status_code == 200
    assert "say in a few words why you change it" in str(form_errors(response))
    response = edit_in_admin(client, visit, reason="The report names the Akorda.", place="Astana, Akorda")
    assert response.status_code == 302, form_errors(response)
    client.logout()
    page = client.get(reverse("web:corrections")).content.decode()
    assert "The report names the Akorda." in page
    assert "Astana, Akorda" in page and "Talks in Astana" in page
    feed = client.get(reverse("reports:feed-corrections")).content.decode()
    assert "The report names the Akorda." in feed and "<feed" in feed


def test_drafts_and_edits_before_publication_are_no_corrections(client, world):
    client.force_login(staff_user("pub", superuser=True))
    draft = f.visit(title="Draft visit", publication_status=f.DRAFT)
    assert edit_in_admin(client, draft, place="Nowhere").status_code == 302  # no reason needed
    published_then_hidden = f.visit(title="Withdrawn visit")
    response = edit_in_admin(client, published_then_hidden, reason="Typo", place="Somewhere")
    assert response.status_code == 302, form_errors(response)
    Visit.objects.filter(pk=published_then_hidden.pk).unpublish()
    client.logout()
    page = client.get(reverse("web:corrections")).content.decode()
    assert "Draft visit" not in page and "Nowhere" not in page
    assert "Withdrawn visit" not in page and "Somewhere" not in page


def test_corrections_are_newest_first_and_within_the_query_bound(client, world, django_assert_max_num_queries):
    first, second = world["visit"], world["commitment"]
    first.place = "Astana"
    first._change_reason = "First fix"
    first.save()
    second.description = "Fixed description"
    second._change_reason = "Second fix"
    second.save()
    with django_assert_max_num_queries(10):
        page = client.get(reverse("web:corrections")).content.decode()
    assert page.index("Second fix") < page.index("First fix")
    assert "Fixed description" in page
    assert Commitment.objects.get(pk=second.pk).history.count() >= 2


def report_for(**query):
    from cooperation.reports.forms import ReportFilterForm
    from cooperation.reports.services import build_report

    return build_report(ReportFilterForm(query).to_params())


def test_the_status_report_shows_each_basis_counts_no_information_apart_and_filters(client, world):
    commitment = world["commitment"]
    f.status_update(commitment, basis=Basis.ASSESSED, reasoning="From the two reports.")
    silent = f.commitment(title="Open direct flights", origin_visit=world["visit"])
    Responsibility.objects.create(commitment=silent, organization=world["ministry_rs"], role=Role.LEAD)
    report = report_for()
    assert report.summary.by_status[CommitmentStatus.NO_INFORMATION] == 1
    assert report.summary.by_status[CommitmentStatus.NOT_STARTED] == 0
    page = client.get(reverse("reports:status-report")).content.decode()
    assert "no information" in page and '<span class="basis-note">assessed by the editors</span>' in page
    assert report_for(lead=world["ministry_kz"].slug).summary.total == 1
    assert report_for(side="serbia").summary.total == 2  # Serbia's ministry supports one, leads the other
    assert report_for(side="kazakhstan").summary.total == 1
    bad = client.get(reverse("reports:status-report"), {"side": "mars"})
    assert bad.status_code == 200 and "Side that must act" in bad.content.decode()


# --- Progress that no report measures -----------------------------------------------------------


def test_work_under_way_at_zero_says_progress_not_measured_not_zero_percent(client, world):
    commitment = world["commitment"]
    f.status_update(commitment, CommitmentStatus.IN_PROGRESS, progress=0, evidence_source=world["report"])
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "progress not measured" in page and "<progress" not in page
    listed = client.get(reverse("web:commitment-list")).content.decode()
    assert "progress not measured" in listed
    report = client.get(reverse("reports:status-report")).content.decode()
    assert "progress not measured" in report

    later = datetime.date(2025, 3, 1)
    f.status_update(
        commitment, CommitmentStatus.IN_PROGRESS, progress=40, reported_on=later, evidence_source=world["report"]
    )
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert 'value="40"' in page and "progress not measured" in page  # the earlier update's 0 stays unmeasured


def test_a_reported_start_at_zero_is_a_measure():
    assert progress_is_measured(CommitmentStatus.NOT_STARTED, 0)
    assert progress_is_measured(CommitmentStatus.COMPLETED, 100)
    assert not progress_is_measured(CommitmentStatus.DELAYED, 0)
    assert not progress_is_measured(CommitmentStatus.NO_INFORMATION, 0)
