"""generate_demo_data: proportions, determinism, derived fields, publication, constraints, --clear."""

import itertools
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cooperation.devdata.generator import Scale, clear_tracker_data
from cooperation.tracker import slugs
from cooperation.tracker.dates import normalize, period_end
from cooperation.tracker.models import (
    Commitment,
    CommitmentStatus,
    Document,
    DocumentParty,
    DocumentStatus,
    Figure,
    Indicator,
    Organization,
    Person,
    Source,
    StatusUpdate,
    Visit,
)
from tests import factories

pytestmark = pytest.mark.django_db

N = 200
PUBLISHABLE = [Organization, Person, Visit, Document, Commitment, StatusUpdate]


def generate(commitments=N, seed=3, clear=False):
    options = {"commitments": commitments, "seed": seed, "stdout": _Silent()}
    if clear:
        options["clear"] = True
    call_command("generate_demo_data", **options)


class _Silent:
    def write(self, *args, **kwargs):
        pass


def snapshot():
    """Everything the generator decides, by natural keys (primary keys may differ between runs)."""
    return {
        "organizations": list(Organization.objects.order_by("slug").values_list("slug", "name", "kind", "country")),
        "people": list(Person.objects.order_by("slug").values_list("slug", "position", "organization__slug")),
        "visits": list(Visit.objects.order_by("slug").values_list("slug", "kind", "start_date", "end_date", "place")),
        "documents": list(
            Document.objects.order_by("slug").values_list(
                "slug", "kind", "level", "status", "signed_on", "signed_at__slug", "builds_on__slug", "expires_on"
            )
        ),
        "parties": sorted(DocumentParty.objects.values_list("document__slug", "organization__slug", "signatory__slug")),
        "commitments": list(
            Commitment.objects.order_by("slug").values_list(
                "slug", "origin_document__slug", "origin_visit__slug", "due_on", "deadline", "status", "progress"
            )
        ),
        "responsible": sorted(Commitment.objects.values_list("slug", "responsible_organizations__slug")),
        "sectors": sorted(Commitment.objects.values_list("slug", "sectors__slug")),
        "updates": sorted(
            StatusUpdate.objects.values_list(
                "commitment__slug", "reported_on", "status", "progress", "evidence_visit__slug", "note"
            )
        ),
    }


def test_counts_are_in_proportion():
    generate()

    assert Commitment.objects.count() == N
    assert Document.objects.count() == N // 5
    assert Visit.objects.count() == N // 20
    assert Organization.objects.count() >= 20
    assert Person.objects.exists() and Source.objects.exists()
    updates_per_commitment = Counter(StatusUpdate.objects.values_list("commitment_id", flat=True))
    assert len(updates_per_commitment) == N, "every commitment has a history"
    assert set(updates_per_commitment.values()) <= {1, 2, 3, 4}
    assert len(set(updates_per_commitment.values())) > 1
    assert StatusUpdate.objects.exclude(evidence_source=None).exists()
    # A spread of outcomes, not one status everywhere.
    assert len(set(Commitment.objects.values_list("status", flat=True))) >= 5


def test_every_document_has_parties_from_both_sides():
    generate()

    sides = defaultdict(set)
    for document_id, side in DocumentParty.objects.values_list("document_id", "side__code"):
        sides[document_id].add(side)
    assert len(sides) == Document.objects.count()
    assert all({"KZ", "RS"} <= document_sides for document_sides in sides.values())


def test_same_seed_gives_same_data_and_another_seed_does_not():
    generate(seed=11)
    first = snapshot()
    generate(seed=11, clear=True)
    assert snapshot() == first
    generate(seed=12, clear=True)
    assert snapshot()["commitments"] != first["commitments"]


def test_derived_fields_match_what_save_and_the_services_would_compute():
    generate()

    for commitment in Commitment.objects.all():
        assert commitment.due_on == normalize(commitment.due_on, commitment.due_precision)
        assert commitment.deadline == period_end(commitment.due_on, commitment.due_precision)
        latest = commitment.updates.latest()
        assert (commitment.status, commitment.progress, commitment.last_reviewed_on) == (
            latest.status,
            latest.progress,
            latest.reported_on,
        )
    for visit in Visit.objects.all():
        assert visit.start_date == normalize(visit.start_date, visit.start_precision)
    for document in Document.objects.exclude(signed_on=None):
        assert document.signed_on == normalize(document.signed_on, document.signed_precision)

    before = list(Commitment.objects.order_by("pk").values_list("status", "progress", "last_reviewed_on"))
    Commitment.objects.refresh_status_in_batches()
    assert list(Commitment.objects.order_by("pk").values_list("status", "progress", "last_reviewed_on")) == before


def test_histories_run_forward_in_time_and_progress():
    generate()

    histories = defaultdict(list)
    for commitment_id, reported_on, progress in StatusUpdate.objects.order_by("reported_on").values_list(
        "commitment_id", "reported_on", "progress"
    ):
        histories[commitment_id].append((reported_on, progress))
    for history in histories.values():
        dates = [reported_on for reported_on, _ in history]
        assert len(set(dates)) == len(dates), "no two updates of one commitment share a date"
        assert [progress for _, progress in history] == sorted(progress for _, progress in history)
    for update in StatusUpdate.objects.exclude(evidence_visit=None).select_related("evidence_visit"):
        assert update.evidence_visit.start_date <= update.reported_on


def test_every_update_is_valid_by_the_domain_and_a_reported_one_names_its_evidence():
    """The generator inserts in bulk, past StatusUpdate.clean: it must keep the rules itself (a
    reported update names its source, or the later visit or document that carried it out)."""
    generate()

    updates = list(StatusUpdate.objects.all())
    for update in updates:
        update.clean()
    assert all(update.basis == "reported" for update in updates)
    carried_out = [update for update in updates if update.evidence_visit_id or update.evidence_document_id]
    assert carried_out and any(update.evidence_source_id is None for update in carried_out)


def test_everything_is_published():
    generate()

    for model in PUBLISHABLE:
        assert model.objects.exists()
        assert not model.objects.drafts().exists(), model
        assert not model.objects.filter(published_at=None).exists(), model
    assert StatusUpdate.objects.published().count() == StatusUpdate.objects.count()


def test_constraints_and_unique_slugs_hold():
    generate()

    for model in [Organization, Person, Visit, Document, Commitment]:
        slugs = list(model.objects.values_list("slug", flat=True))
        assert "" not in slugs and len(set(slugs)) == len(slugs), model
    for model in PUBLISHABLE + [DocumentParty]:
        for obj in model.objects.all()[:300]:
            obj.validate_constraints()
    signed = Document.objects.exclude(status__in=[DocumentStatus.PLANNED, DocumentStatus.UNDER_NEGOTIATION])
    assert not signed.filter(signed_on=None).exists()
    assert not StatusUpdate.objects.filter(status=CommitmentStatus.COMPLETED).exclude(progress=100).exists()
    connection.check_constraints()  # foreign keys (SQLite checks them here; PostgreSQL at commit)


def test_a_second_run_adds_without_clashing_and_clear_starts_over():
    existing = factories.organization(name="Ministry of Digital of Kazakhstan", country=factories.country("KZ"))
    generate(commitments=40)
    generate(commitments=40, seed=4)
    assert Commitment.objects.count() == 80
    slugs = list(Commitment.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == len(slugs)
    assert Organization.objects.filter(name=existing.name).count() == 1

    generate(commitments=40, clear=True)
    assert Commitment.objects.count() == 40
    assert Organization.objects.count() == Scale(40).organizations, "the earlier organizations are gone"
    assert not Commitment.history.exists(), "cleared records leave no history behind"


def test_rejects_a_non_positive_size():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_demo_data", commitments=0)
    assert not Commitment.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: the GIN search indexes")
def test_search_indexes_are_rebuilt_and_answer_searches():
    generate()

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["tracker_%_search_idx"])
        names = {name for (name,) in cursor.fetchall()}
    assert names == {f"tracker_{table}_search_idx" for table in ("organization", "visit", "document", "commitment")}
    digital = Commitment.objects.published().search("digital")
    assert digital.count() == Commitment.objects.filter(title__icontains="digital").count() > 0


def test_slugs_are_made_by_the_models_rule():
    generate()
    texts = {Organization: "name", Person: "name", Visit: "title", Document: "title", Commitment: "title"}
    for model, field in texts.items():
        for text, slug in model.objects.values_list(field, "slug"):
            assert slug in itertools.islice(slugs.candidates(text), 1000), (model, text, slug)
    bilateral = Organization.objects.filter(name__startswith="Kazakhstan–Serbia working group").first()
    assert bilateral.slug.startswith("kazakhstan-serbia-working-group-on-")  # the dash between the names is kept
    assert factories.organization(name=bilateral.name, country=None).slug == next(
        candidate for candidate in slugs.candidates(bilateral.name) if candidate != bilateral.slug
    )


def test_clearing_empties_the_figures_and_keeps_the_indicators():
    """Figures cite sources, organizations and people, which clearing empties (PostgreSQL refuses to
    truncate a table that another one still references)."""
    figure = factories.figure(reporter_organization=factories.organization(), reporter_person=factories.person())
    clear_tracker_data()
    assert not Figure.objects.exists()
    assert Indicator.objects.filter(pk=figure.indicator_id).exists()


def test_the_demo_documents_store_the_state_their_steps_derive():
    """bulk_create skips save(): the generator derives each document's state as save() would."""
    import datetime

    from cooperation.tracker.models import Document, DocumentStep, derive_for

    generate()
    steps = DocumentStep.objects.steps_by_document(Document.objects.values_list("pk", flat=True))
    statuses = set()
    for document in Document.objects.all():
        state = derive_for(document, steps.get(document.pk, []), datetime.date.today())
        assert (document.status, document.entry_into_force, document.awaiting_sides) == (
            state.status,
            state.entry_into_force,
            sorted(state.awaiting),
        )
        statuses.add(document.status)
    assert {"in_force", "signed", "awaiting", "terminated"} <= statuses
