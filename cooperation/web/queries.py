"""Querysets for the public pages: each row with its published relations in a
fixed number of queries, whatever the number of rows."""

from itertools import groupby

from django.db.models import Prefetch, QuerySet

from cooperation.tracker.models import Organization, Person, Sector


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


# Visits and organizations carry their counts of published documents and commitments
# (`document_count`, `commitment_count`, kept by services.refresh_public_counts).


def visit_rows(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("host_country").prefetch_related(
        Prefetch("participants", queryset=Person.objects.published(), to_attr="public_participants"),
    )


def organization_rows(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("country")


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
