"""Stored counts: how many published documents and commitments each organization and visit has
(`document_count`, `commitment_count`), kept exact so that the public lists show and sort by them
without counting. signals.py notes what a change touches; `refresh_public_counts_on_commit`
recounts it once per transaction.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Commitment, Document, DocumentParty, Organization, PublicationStatus, Visit

PUBLISHED = PublicationStatus.PUBLISHED
Responsibility = Commitment.responsible_organizations.through


def count_of(queryset: QuerySet, field: str):
    """How many rows of `queryset` point at the outer row through `field` (a correlated subquery)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(total=Count("pk")).values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def organization_counts() -> dict:
    """An organization's published documents (as a party) and published commitments (as responsible)."""
    parties = DocumentParty.objects.filter(document__publication_status=PUBLISHED)
    responsibilities = Responsibility.objects.filter(commitment__publication_status=PUBLISHED)
    return {
        "document_count": count_of(parties, "organization"),
        "commitment_count": count_of(responsibilities, "organization"),
    }


def visit_counts() -> dict:
    """A visit's published documents (signed there) and published commitments (made there)."""
    return {
        "document_count": count_of(Document.objects.published(), "signed_at"),
        "commitment_count": count_of(Commitment.objects.published(), "origin_visit"),
    }


def _store_counts(queryset: QuerySet, counts: dict) -> None:
    connection = connections[queryset.db]
    if not connection.features.has_select_for_update:
        queryset.update(**counts)  # SQLite: one writer at a time, each statement reads the latest data
        return
    with transaction.atomic(using=queryset.db):
        # Lock the rows first: the UPDATE then reads (READ COMMITTED) everything committed before
        # any concurrent refresh of the same rows finished, so the last refresh to run is exact.
        list(queryset.select_for_update().order_by("pk").values_list("pk", flat=True))
        queryset.update(**counts)


def refresh_public_counts(organization_ids: Iterable[int] = (), visit_ids: Iterable[int] = ()) -> None:
    """Recount the given organizations and visits: one UPDATE per model, whatever the number."""
    organization_ids, visit_ids = set(organization_ids) - {None}, set(visit_ids) - {None}
    if organization_ids:
        _store_counts(Organization.objects.filter(pk__in=organization_ids), organization_counts())
    if visit_ids:
        _store_counts(Visit.objects.filter(pk__in=visit_ids), visit_counts())


def refresh_all_public_counts() -> None:
    """Recount every organization and visit: after bulk loads, raw SQL, or to be safe."""
    connection = connections[Organization.objects.db]
    if connection.vendor == "postgresql":
        # Without statistics on freshly loaded tables, PostgreSQL plans the counts as scans of
        # whole tables per row: 38 s instead of 2 s at 100,000 commitments.
        tables = [
            model._meta.db_table for model in (Organization, Visit, Document, DocumentParty, Commitment, Responsibility)
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")
    _store_counts(Organization.objects.all(), organization_counts())
    _store_counts(Visit.objects.all(), visit_counts())


# Beyond this many records changed in one transaction, recounting everything is cheaper
# than looking up what they touch (and keeps `IN (...)` lists within SQLite's limits).
RECOUNT_ALL_ABOVE = 2000


@dataclass
class PendingCounts:
    """What one transaction changed, to be recounted when it commits."""

    organizations: set = field(default_factory=set)
    visits: set = field(default_factory=set)
    documents: set = field(default_factory=set)  # whose parties' organizations to recount
    commitments: set = field(default_factory=set)  # whose responsible organizations to recount
    everything: bool = False

    def size(self) -> int:
        return len(self.organizations) + len(self.visits) + len(self.documents) + len(self.commitments)


def refresh_public_counts_on_commit(
    *, organizations=(), visits=(), documents=(), commitments=(), everything=False, using=DEFAULT_DB_ALIAS
) -> None:
    """Note what changed; recount it all once, when the transaction commits (at once outside one).

    The notes are kept on the connection (one per thread). A callback is queued with every note,
    as a rolled-back savepoint drops its callbacks; the first to run recounts, the rest find nothing.
    """
    connection = connections[using]
    pending = connection.__dict__.setdefault("pending_public_counts", PendingCounts())
    pending.organizations.update(organizations)
    pending.visits.update(visits)
    pending.documents.update(documents)
    pending.commitments.update(commitments)
    pending.everything |= everything
    transaction.on_commit(partial(_refresh_pending_counts, using), using=using)


def _refresh_pending_counts(using: str) -> None:
    pending = connections[using].__dict__.pop("pending_public_counts", None)
    if pending is None or not (pending.everything or pending.size()):
        return
    if pending.everything or pending.size() > RECOUNT_ALL_ABOVE:
        refresh_all_public_counts()
        return
    organizations = set(pending.organizations)
    if pending.documents:
        parties = DocumentParty.objects.filter(document__in=pending.documents)
        organizations.update(parties.values_list("organization_id", flat=True))
    if pending.commitments:
        responsible = Responsibility.objects.filter(commitment__in=pending.commitments)
        organizations.update(responsible.values_list("organization_id", flat=True))
    refresh_public_counts(organization_ids=organizations, visit_ids=pending.visits)
