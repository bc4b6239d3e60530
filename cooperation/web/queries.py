"""Querysets for the public pages: each row with its published relations in a
fixed number of queries, whatever the number of rows."""

from itertools import groupby

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from cooperation.tracker.models import (
    Commitment,
    Document,
    DocumentParty,
    Organization,
    Person,
    PublicationStatus,
    Sector,
)

PUBLISHED = PublicationStatus.PUBLISHED


def count_of(queryset: QuerySet, field: str):
    """How many rows of `queryset` point at the outer row through `field` (a correlated subquery)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(total=Count("pk")).values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def document_summaries(queryset: QuerySet) -> QuerySet:
    """Documents as other pages list them: with their published parties."""
    return queryset.select_related("signed_at").prefetch_related(
        Prefetch("organizations", queryset=Organization.objects.published(), to_attr="public_parties"),
    )


def document_rows(queryset: QuerySet) -> QuerySet:
    """Documents as the document table shows them."""
    return document_summaries(queryset).prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.all(), to_attr="public_sectors"),
    )


def commitment_summaries(queryset: QuerySet) -> QuerySet:
    """Commitments as other pages list them: with their published responsible organizations."""
    return queryset.select_related("origin_document", "origin_visit").prefetch_related(
        Prefetch(
            "responsible_organizations",
            queryset=Organization.objects.published(),
            to_attr="public_responsible",
        ),
    )


def commitment_rows(queryset: QuerySet) -> QuerySet:
    """Commitments as the commitment table (and the commitment page) show them."""
    return commitment_summaries(queryset).prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.all(), to_attr="public_sectors"),
    )


def visit_rows(queryset: QuerySet) -> QuerySet:
    return (
        queryset.select_related("host_country")
        .annotate(
            document_count=count_of(Document.objects.published(), "signed_at"),
            commitment_count=count_of(Commitment.objects.published(), "origin_visit"),
        )
        .prefetch_related(
            Prefetch("participants", queryset=Person.objects.published(), to_attr="public_participants"),
        )
    )


def organization_rows(queryset: QuerySet) -> QuerySet:
    responsibilities = Commitment.responsible_organizations.through.objects.filter(
        commitment__publication_status=PUBLISHED
    )
    return queryset.select_related("country").annotate(
        document_count=count_of(DocumentParty.objects.filter(document__publication_status=PUBLISHED), "organization"),
        commitment_count=count_of(responsibilities, "organization"),
    )


def if_published(record):
    """The related record if the public may see it, else None."""
    return record if record is not None and record.is_published else None


def parties_by_side(parties) -> list[tuple]:
    """[(country or None, [party, …]), …] in the order the parties come."""
    for party in parties:
        party.public_signatory = if_published(party.signatory)
    return [(side, list(group)) for side, group in groupby(parties, key=lambda party: party.side)]


def timeline(updates) -> list:
    """Status updates, newest first, each with the published records that evidence it."""
    for update in updates:
        update.public_evidence = [
            record for record in (update.evidence_document, update.evidence_visit) if if_published(record)
        ]
    return list(updates)
