"""The domain's own rules: database constraints, status derivation from updates,
the commitment date windows, partial dates and text search. Run on SQLite and
PostgreSQL alike."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cooperation.tracker.dates import DatePrecision, format_partial_date, normalize, period_end
from cooperation.tracker.models import (
    Commitment,
    CommitmentStatus,
    Country,
    Document,
    DocumentParty,
    DocumentStatus,
    Organization,
    OrganizationKind,
    Sector,
    StatusUpdate,
    Visit,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 6, 15)


def _on_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- Constraints -------------------------------------------------------------------------------


def _bad_country_code():
    Country.objects.create(code="kz", name="Lowercase")


def _duplicate_organization_in_country():
    kz = f.country("KZ")
    f.organization(name="Ministry of Finance", country=kz)
    f.organization(name="Ministry of Finance", country=kz)


def _organization_its_own_parent():
    org = f.organization()
    org.parent_id = org.pk
    org.save()


def _visit_ending_before_it_starts():
    f.visit(start_date=D(2024, 11, 19), end_date=D(2024, 11, 18))


# The treaty columns are derived on save (tracker/treaties.py); the constraints guard the stored
# values against any other writer, so these write them directly.


def _in_force_before_signing():
    document = f.document(signed_on=D(2024, 11, 19))
    Document.objects.filter(pk=document.pk).update(entry_into_force=D(2024, 11, 1))


def _expiring_before_entry_into_force():
    document = f.document(signed_on=D(2024, 1, 1))
    Document.objects.filter(pk=document.pk).update(entry_into_force=D(2024, 6, 1), expires_on=D(2024, 5, 31))


def _signed_without_date():
    document = f.document(signed_on=None)
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.SIGNED)


def _same_party_twice():
    org = f.organization()
    doc = f.document(parties=[org])
    DocumentParty.objects.create(document=doc, organization=org)


def _commitment_without_origin():
    Commitment.objects.create(title="From nowhere", origin_visit=None, origin_document=None)


def _commitment_progress_over_100():
    commitment = f.commitment()
    Commitment.objects.filter(pk=commitment.pk).update(progress=101)


def _update_progress_over_100():
    f.status_update(f.commitment(), status=CommitmentStatus.IN_PROGRESS, progress=101)


def _completed_below_100():
    f.status_update(f.commitment(), status=CommitmentStatus.COMPLETED, progress=90)


CHECK_CONSTRAINTS = {
    "country_code_iso_alpha2": _bad_country_code,
    "organization_not_own_parent": _organization_its_own_parent,
    "visit_end_not_before_start": _visit_ending_before_it_starts,
    "document_in_force_not_before_signing": _in_force_before_signing,
    "document_expiry_not_before_entry_into_force": _expiring_before_entry_into_force,
    "document_signed_has_date": _signed_without_date,
    "commitment_has_origin": _commitment_without_origin,
    "commitment_progress_0_100": _commitment_progress_over_100,
    "status_update_progress_0_100": _update_progress_over_100,
    "status_update_completed_is_100": _completed_below_100,
}

UNIQUE_CONSTRAINTS = {
    "organization_unique_name_per_country": _duplicate_organization_in_country,
    "document_party_unique": _same_party_twice,
}


@pytest.mark.parametrize("name", CHECK_CONSTRAINTS)
def test_check_constraint_rejects_bad_data(name):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        CHECK_CONSTRAINTS[name]()
    # Both SQLite and PostgreSQL name the check that failed.
    assert name in str(error.value)


@pytest.mark.parametrize("name", UNIQUE_CONSTRAINTS)
def test_unique_constraint_rejects_duplicates(name):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        UNIQUE_CONSTRAINTS[name]()
    if _on_postgres():  # SQLite names the columns instead of the constraint
        assert name in str(error.value)
    else:
        assert "UNIQUE" in str(error.value)


def test_same_organization_name_allowed_in_other_country():
    f.organization(name="Ministry of Finance", country=f.country("KZ"))
    f.organization(name="Ministry of Finance", country=f.country("RS"))
    assert Organization.objects.filter(name="Ministry of Finance").count() == 2


def test_sector_slugs_are_unique():
    Sector.objects.create(name="Trade", slug="trade")
    with pytest.raises(IntegrityError), transaction.atomic():
        Sector.objects.create(name="Commerce", slug="trade")


def test_organization_slugs_are_unique():
    f.organization(name="Astana Hub", slug="hub")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.organization(name="Another hub", slug="hub")


def test_generated_slugs_do_not_clash():
    first = f.organization(name="Astana Hub", country=f.country("KZ"))
    second = f.organization(name="Astana Hub", country=f.country("RS"))
    assert (first.slug, second.slug) == ("astana-hub", "astana-hub-2")


def test_generated_slugs_keep_dashes_between_words():
    council = f.organization(name="Kazakhstan–Serbia Business Council — restarted")
    assert council.slug == "kazakhstan-serbia-business-council-restarted"


def test_model_validation_explains_missing_origin():
    commitment = Commitment(title="From nowhere", publication_status="published")
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "must come from a visit or a document" in str(error.value)


def test_deleting_a_visit_with_documents_is_protected():
    visit = f.visit()
    f.document(signed_at=visit)
    with pytest.raises(ProtectedError), transaction.atomic():
        visit.delete()
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_deleting_a_commitment_with_history_is_protected():
    commitment = f.commitment()
    f.status_update(commitment)
    with pytest.raises(ProtectedError), transaction.atomic():
        commitment.delete()


def test_party_side_defaults_to_the_organizations_country():
    serbian = f.organization(country=f.country("RS"))
    doc = f.document(parties=[serbian])
    assert doc.parties.get().side.code == "RS"


# --- Status derivation ---------------------------------------------------------------------------


def _state(commitment):
    commitment.refresh_from_db()
    return commitment.status, commitment.progress, commitment.last_reviewed_on


def test_commitment_without_updates_has_no_information():
    assert _state(f.commitment()) == (CommitmentStatus.NO_INFORMATION, 0, None)


def test_latest_published_update_wins_whatever_the_entry_order():
    commitment = f.commitment()
    f.status_update(commitment, CommitmentStatus.IN_PROGRESS, 40, reported_on=D(2025, 3, 1))
    # Entered later but reports an earlier state: it must not become current.
    f.status_update(commitment, CommitmentStatus.DELAYED, 10, reported_on=D(2025, 1, 1))
    assert _state(commitment) == (CommitmentStatus.IN_PROGRESS, 40, D(2025, 3, 1))


def test_same_day_updates_the_last_entered_wins():
    commitment = f.commitment()
    f.status_update(commitment, CommitmentStatus.IN_PROGRESS, 40, reported_on=D(2025, 3, 1))
    f.status_update(commitment, CommitmentStatus.COMPLETED, 100, reported_on=D(2025, 3, 1))
    assert _state(commitment) == (CommitmentStatus.COMPLETED, 100, D(2025, 3, 1))


def test_draft_updates_are_ignored_until_published():
    commitment = f.commitment()
    f.status_update(commitment, CommitmentStatus.IN_PROGRESS, 30, reported_on=D(2025, 1, 1))
    draft = f.status_update(
        commitment, CommitmentStatus.COMPLETED, 100, reported_on=D(2025, 6, 1), publication_status=f.DRAFT
    )
    assert _state(commitment) == (CommitmentStatus.IN_PROGRESS, 30, D(2025, 1, 1))

    StatusUpdate.objects.filter(pk=draft.pk).publish()
    assert _state(commitment) == (CommitmentStatus.COMPLETED, 100, D(2025, 6, 1))

    StatusUpdate.objects.filter(pk=draft.pk).unpublish()
    assert _state(commitment) == (CommitmentStatus.IN_PROGRESS, 30, D(2025, 1, 1))


def test_only_draft_updates_leave_commitment_without_information():
    commitment = f.commitment()
    f.status_update(commitment, CommitmentStatus.DELAYED, 20, publication_status=f.DRAFT)
    assert _state(commitment) == (CommitmentStatus.NO_INFORMATION, 0, None)


def test_deleting_an_update_re_derives_the_status():
    commitment = f.commitment()
    f.status_update(commitment, CommitmentStatus.IN_PROGRESS, 30, reported_on=D(2025, 1, 1))
    latest = f.status_update(commitment, CommitmentStatus.DELAYED, 30, reported_on=D(2025, 2, 1))
    latest.delete()
    assert _state(commitment) == (CommitmentStatus.IN_PROGRESS, 30, D(2025, 1, 1))
    commitment.updates.get().delete()
    assert _state(commitment) == (CommitmentStatus.NO_INFORMATION, 0, None)


def test_moving_an_update_re_derives_both_commitments():
    first, second = f.commitment(), f.commitment()
    moved = f.status_update(first, CommitmentStatus.COMPLETED, 100, reported_on=D(2025, 4, 1))
    assert _state(first)[0] == CommitmentStatus.COMPLETED

    moved.commitment = second
    moved.save()
    assert _state(first) == (CommitmentStatus.NO_INFORMATION, 0, None)
    assert _state(second) == (CommitmentStatus.COMPLETED, 100, D(2025, 4, 1))


def test_editing_an_update_re_derives_the_status():
    commitment = f.commitment()
    update = f.status_update(commitment, CommitmentStatus.IN_PROGRESS, 30)
    update.progress = 70
    update.save()
    assert _state(commitment)[1] == 70


def test_refresh_is_two_queries_for_any_number_of_commitments(django_assert_num_queries):
    visit = f.visit()
    commitments = [f.commitment(origin_visit=visit) for _ in range(12)]
    for commitment in commitments:
        # bulk_create skips save(), so nothing is derived yet.
        StatusUpdate.objects.bulk_create(
            [
                StatusUpdate(
                    commitment=commitment,
                    reported_on=TODAY,
                    status="delayed",
                    progress=5,
                    publication_status=f.PUBLISHED,
                )
            ]
        )
    assert not Commitment.objects.filter(status=CommitmentStatus.DELAYED).exists()
    # The row lock that serialises refreshes of one commitment (test_status_concurrency.py), then the UPDATE.
    with django_assert_num_queries(2):
        Commitment.objects.filter(pk__in=[c.pk for c in commitments]).refresh_status()
    assert set(Commitment.objects.values_list("status", flat=True)) == {CommitmentStatus.DELAYED}


def test_public_updates_exclude_those_of_draft_commitments():
    hidden = f.commitment(publication_status=f.DRAFT)
    shown = f.commitment()
    f.status_update(hidden)
    visible = f.status_update(shown)
    assert list(StatusUpdate.objects.published()) == [visible]


# --- Date windows: overdue, due soon, stale --------------------------------------------------


def _due(day, precision=DatePrecision.DAY, status=None, **kw):
    commitment = f.commitment(due_on=day, due_precision=precision, **kw)
    if status:
        f.status_update(commitment, status, reported_on=TODAY)
    return commitment


def test_overdue_is_measured_against_the_end_of_the_due_period():
    november = _due(D(2024, 11, 20), DatePrecision.MONTH)
    assert november.deadline == D(2024, 11, 30)
    assert not Commitment.objects.overdue(today=D(2024, 11, 30)).exists()
    assert list(Commitment.objects.overdue(today=D(2024, 12, 1))) == [november]


def test_overdue_excludes_closed_undated_and_future_commitments():
    late = _due(D(2025, 1, 1))
    _due(D(2025, 1, 1), status=CommitmentStatus.COMPLETED)
    _due(D(2025, 1, 1), status=CommitmentStatus.CANCELLED)
    delayed = _due(D(2025, 1, 1), status=CommitmentStatus.DELAYED)
    _due(None)
    _due(D(2025, 12, 31))
    assert set(Commitment.objects.overdue(today=TODAY)) == {late, delayed}


def test_is_overdue_agrees_with_the_queryset():
    commitments = [
        _due(D(2020, 1, 1)),
        _due(D(2020, 1, 1), status=CommitmentStatus.COMPLETED),
        _due(None),
        _due(D(2099, 1, 1)),
    ]
    overdue = set(Commitment.objects.overdue())
    assert {c for c in commitments if c.is_overdue} == overdue
    assert len(overdue) == 1


def test_due_within_includes_both_ends_of_the_window():
    due_today = _due(TODAY)
    due_at_end = _due(TODAY + datetime.timedelta(days=30))
    _due(TODAY + datetime.timedelta(days=31))
    _due(TODAY - datetime.timedelta(days=1))
    _due(TODAY + datetime.timedelta(days=5), status=CommitmentStatus.COMPLETED)
    assert set(Commitment.objects.due_within(30, today=TODAY)) == {due_today, due_at_end}


def test_year_precision_due_date_is_due_until_the_end_of_the_year():
    this_year = _due(D(2025, 3, 3), DatePrecision.YEAR)
    assert (this_year.due_on, this_year.deadline) == (D(2025, 1, 1), D(2025, 12, 31))
    assert list(Commitment.objects.due_within(200, today=TODAY)) == [this_year]


def test_stale_means_open_and_not_reviewed_within_the_window():
    reviewed_long_ago = f.commitment()
    f.status_update(reviewed_long_ago, reported_on=TODAY - datetime.timedelta(days=100))
    reviewed_recently = f.commitment()
    f.status_update(reviewed_recently, reported_on=TODAY - datetime.timedelta(days=10))
    closed = f.commitment()
    f.status_update(closed, CommitmentStatus.COMPLETED, reported_on=TODAY - datetime.timedelta(days=100))
    # Never reviewed: measured from when the promise was made (the origin visit's date).
    never_reviewed_old = f.commitment(origin_visit=f.visit(start_date=TODAY - datetime.timedelta(days=400)))
    f.commitment(origin_visit=f.visit(start_date=TODAY - datetime.timedelta(days=5)))
    # From a planned (unsigned) document: measured from the day it was entered.
    planned = f.document(status="planned", signed_on=None)
    entered_recently = f.commitment(origin_document=planned)
    entered_long_ago = f.commitment(origin_document=planned)
    Commitment.objects.filter(pk=entered_long_ago.pk).update(
        created_at=timezone.make_aware(datetime.datetime.combine(TODAY - datetime.timedelta(days=90), datetime.time()))
    )
    assert entered_recently not in Commitment.objects.stale(days=30, today=TODAY)

    assert set(Commitment.objects.stale(days=30, today=TODAY)) == {
        reviewed_long_ago,
        never_reviewed_old,
        entered_long_ago,
    }


def test_stale_uses_the_configured_default(settings):
    settings.STALE_AFTER_DAYS = 50
    commitment = f.commitment()
    f.status_update(commitment, reported_on=TODAY - datetime.timedelta(days=60))
    assert list(Commitment.objects.stale(today=TODAY)) == [commitment]
    settings.STALE_AFTER_DAYS = 70
    assert not Commitment.objects.stale(today=TODAY).exists()


def test_due_soon_uses_the_configured_window(settings):
    settings.DUE_SOON_DAYS = 20
    soon, later = _due(TODAY + datetime.timedelta(days=20)), _due(TODAY + datetime.timedelta(days=21))
    assert list(Commitment.objects.due_within(today=TODAY)) == [soon]
    settings.DUE_SOON_DAYS = 21
    assert set(Commitment.objects.due_within(today=TODAY)) == {soon, later}


# --- Responsible organizations and their countries --------------------------------------------------


def test_responsible_among_finds_each_commitment_once():
    kz, rs = f.organization(), f.organization(country=f.country("RS"))
    both = f.commitment(responsible=[kz, rs])
    only_rs = f.commitment(responsible=[rs])
    f.commitment(responsible=[])
    assert list(Commitment.objects.responsible_among([kz, rs]).order_by("pk")) == [both, only_rs]
    assert list(Commitment.objects.responsible_among(Organization.objects.filter(pk=kz.pk))) == [both]


def test_responsible_in_country_counts_published_organizations_only():
    published_rs = f.organization(country=f.country("RS"))
    draft_rs = f.organization(country=f.country("RS"), publication_status=f.DRAFT)
    by_published = f.commitment(responsible=[published_rs, draft_rs])
    f.commitment(responsible=[draft_rs])
    f.commitment(responsible=[f.organization()])  # a Kazakh one
    assert list(Commitment.objects.responsible_in_country("RS")) == [by_published]


# --- Partial dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("precision", "first", "last", "shown"),
    [
        (DatePrecision.DAY, D(2024, 2, 17), D(2024, 2, 17), "17 February 2024"),
        (DatePrecision.MONTH, D(2024, 2, 1), D(2024, 2, 29), "February 2024"),
        (DatePrecision.YEAR, D(2024, 1, 1), D(2024, 12, 31), "2024"),
    ],
)
def test_partial_date_normalisation_end_and_display(precision, first, last, shown):
    value = D(2024, 2, 17)
    assert normalize(value, precision) == first
    assert period_end(first, precision) == last
    assert format_partial_date(first, precision) == shown


def test_missing_dates_stay_missing():
    assert normalize(None, DatePrecision.MONTH) is None
    assert period_end(None, DatePrecision.YEAR) is None
    assert format_partial_date(None, DatePrecision.DAY) == ""


@given(
    value=st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)),
    precision=st.sampled_from(list(DatePrecision)),
)
def test_every_date_lies_within_its_period(value, precision):
    start, end = normalize(value, precision), period_end(normalize(value, precision), precision)
    assert start <= value <= end
    assert normalize(end, precision) == start
    # The day after the period belongs to the next one.
    assert normalize(end + datetime.timedelta(days=1), precision) > start


def test_saving_normalises_dates_to_the_start_of_their_period():
    visit = f.visit(start_date=D(2024, 9, 23), start_precision=DatePrecision.MONTH)
    document = f.document(signed_on=D(2016, 5, 5), signed_precision=DatePrecision.YEAR)
    visit.refresh_from_db()
    document.refresh_from_db()
    assert (visit.start_date, visit.date_display) == (D(2024, 9, 1), "September 2024")
    assert (document.signed_on, document.signed_display) == (D(2016, 1, 1), "2016")


def test_visit_display_spans_several_days():
    visit = f.visit(start_date=D(2024, 11, 18), end_date=D(2024, 11, 19))
    assert visit.date_display == "18 November 2024 – 19 November 2024"
    assert str(visit).endswith("(18 November 2024 – 19 November 2024)")


# --- Text search ---------------------------------------------------------------------------------


@pytest.fixture
def searchable():
    return {
        "readmission": f.document(title="Agreement on the readmission of persons", summary="Migration"),
        "defence": f.document(title="Agreement on cooperation in the field of defence", summary="Armed forces"),
        "space": f.document(title="Memorandum on space activities", summary="Satellites and cooperation"),
    }


def test_search_matches_words_in_title_or_summary(searchable):
    assert list(Document.objects.search("readmission")) == [searchable["readmission"]]
    assert list(Document.objects.search("satellites")) == [searchable["space"]]


def test_search_requires_every_word(searchable):
    assert set(Document.objects.search("cooperation")) == {searchable["defence"], searchable["space"]}
    assert list(Document.objects.search("cooperation defence")) == [searchable["defence"]]
    assert not Document.objects.search("defence satellites").exists()


def test_empty_search_returns_everything_and_unknown_words_nothing(searchable):
    assert Document.objects.search("  ").count() == 3
    assert not Document.objects.search("zeppelin").exists()


def test_search_is_case_insensitive_and_combines_with_published(searchable):
    Document.objects.filter(pk=searchable["defence"].pk).unpublish()
    assert list(Document.objects.search("DEFENCE")) == [searchable["defence"]]
    assert not Document.objects.published().search("DEFENCE").exists()


def test_search_finds_a_document_by_its_short_title():
    found = f.document(title="Memorandum of Understanding between the two ministries", short_title="Space MoU")
    assert list(Document.objects.search("space")) == [found]


def test_undated_records_sort_last_on_every_database():
    dated = f.commitment(title="B dated", due_on=D(2025, 1, 1))
    undated = f.commitment(title="A undated")
    assert list(Commitment.objects.all()) == [dated, undated]
    signed = f.document(title="B signed")
    planned = f.document(title="A planned", status="planned", signed_on=None)
    assert list(Document.objects.all()) == [signed, planned]


def test_search_on_other_models():
    kz = f.country("KZ")
    hub = f.organization(name="Astana Hub", kind=OrganizationKind.OTHER, country=kz)
    visit = f.visit(title="Business forum", place="Belgrade")
    commitment = f.commitment(title="Open direct flights", description="Between Astana and Belgrade")
    assert list(Organization.objects.search("hub")) == [hub]
    assert list(Visit.objects.search("belgrade")) == [visit]
    assert list(Commitment.objects.search("flights")) == [commitment]
