"""Querysets for the public pages: each row with its published relations in a
fixed number of queries, whatever the number of rows."""

import functools
from itertools import groupby

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Prefetch, QuerySet

from cooperation.tracker.models import Organization, Person, Sector

# Columns that no list of records shows: bookkeeping, long text and the search index. Not reading
# them spares the driver and the ORM converting three timestamps and the text of every record
# (a quarter of a list page's ORM time).
BOOKKEEPING = {"published_at", "created_at", "updated_at", "version"}


@functools.cache
def unshown_fields(model) -> tuple[str, ...]:
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if field.name in BOOKKEEPING or isinstance(field, models.TextField | SearchVectorField)
    )


def listed(queryset: QuerySet, *related: str) -> QuerySet:
    """`queryset` without the unshown columns of its records and of the `related` ones it selects."""
    model = queryset.model
    deferred = list(unshown_fields(model))
    for path in related:
        deferred += [f"{path}__{name}" for name in unshown_fields(model._meta.get_field(path).related_model)]
    return queryset.defer(*deferred)


def published_organizations() -> QuerySet:
    return listed(Organization.objects.published())


def document_summaries(queryset: QuerySet) -> QuerySet:
    """Documents as other pages list them: with their published parties."""
    return listed(queryset.select_related("signed_at"), "signed_at").prefetch_related(
        Prefetch("organizations", queryset=published_organizations(), to_attr="public_parties"),
    )


def document_rows(queryset: QuerySet) -> QuerySet:
    """Documents as the document table shows them."""
    return document_summaries(queryset).prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.all(), to_attr="public_sectors"),
    )


def commitment_summaries(queryset: QuerySet) -> QuerySet:
    """Commitments as other pages list them: with their published responsible organizations."""
    return commitment_links(listed(queryset, "origin_document", "origin_visit"))


def commitment_links(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("origin_document", "origin_visit").prefetch_related(
        Prefetch("responsible_organizations", queryset=published_organizations(), to_attr="public_responsible"),
    )


def commitment_rows(queryset: QuerySet) -> QuerySet:
    """Commitments as the commitment table shows them."""
    return with_sectors(commitment_summaries(queryset))


def commitment_page(queryset: QuerySet) -> QuerySet:
    """A commitment as its own page shows it: every column, with what the table shows."""
    return with_sectors(commitment_links(queryset))


def with_sectors(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(Prefetch("sectors", queryset=Sector.objects.all(), to_attr="public_sectors"))


# Visits and organizations carry their counts of published documents and commitments
# (`document_count`, `commitment_count`, kept by services.refresh_public_counts).


def visit_rows(queryset: QuerySet) -> QuerySet:
    return listed(queryset.select_related("host_country")).prefetch_related(
        Prefetch("participants", queryset=listed(Person.objects.published()), to_attr="public_participants"),
    )


def organization_rows(queryset: QuerySet) -> QuerySet:
    return listed(queryset.select_related("country"))


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
