"""What the open data shows of each kind: published records only, each with its published
relations. Related records come through `Prefetch` querysets filtered by `published()` (the
pages' own, web/queries.py, where they read the same relation), so a serializer never checks;
a foreign key to a record that may be a draft is shown through `if_published`.

Sectors and sources have no publication state of their own: they are public through the
published records that name them (staff/publishing.py's rule, `shown_by`), and only those are
listed here (`named_by_published`).
"""

import functools

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from cooperation.tracker.models import (
    Commitment,
    Document,
    DocumentParty,
    DocumentStep,
    Figure,
    Indicator,
    Organization,
    Person,
    Publishable,
    Sector,
    Source,
    StatusUpdate,
    Visit,
)
from cooperation.web import queries
from cooperation.web.queries import if_published, public

__all__ = ["if_published"]


def published(model) -> QuerySet:
    return model.objects.published()


def references() -> tuple:
    return (queries.sectors(), public("sources"))


def documents(queryset: QuerySet) -> QuerySet:
    parties = (
        DocumentParty.objects.of_published_organizations()
        .select_related("organization", "side", "signatory")
        .order_by("side__name", "organization__name", "pk")
    )
    return queryset.select_related("signed_at", "builds_on").prefetch_related(
        public("parties", parties),
        public("commitments", published(Commitment).order_by("deadline", "title", "pk")),
        # Steps are public with their document (issue 16); oldest first, as on the page.
        Prefetch(
            "steps",
            DocumentStep.objects.select_related("side", "source", "amending_document").order_by(
                "side__name", F("act_on").asc(nulls_last=True), "pk"
            ),
        ),
        *references(),
    )


def visits(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("host_country").prefetch_related(
        public("participants", published(Person).select_related("country")),
        public("organizations", published(Organization)),
        public("documents", published(Document)),
        public("commitments", published(Commitment).order_by("deadline", "title", "pk")),
        *references(),
    )


def commitments(queryset: QuerySet) -> QuerySet:
    updates = (
        StatusUpdate.objects.published()
        .select_related("evidence_source", "evidence_visit", "evidence_document")
        .prefetch_related(public("sources"))
    )
    return queryset.select_related("origin_document", "origin_visit", "promise_source").prefetch_related(
        public("responsible_organizations", published(Organization), "public_responsible"),
        queries.public_responsibilities(),
        public("updates", updates),
        *references(),
    )


def organizations(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("country", "parent").prefetch_related(*references())


def people(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("country", "organization").prefetch_related(public("sources"))


def figures(queryset: QuerySet) -> QuerySet:
    # As the figures' table reads them, with every column of the source (its passage and notes).
    return queryset.select_related(*queries.FIGURE_RELATED, "source", "parent", "parent__indicator")


def sectors(queryset: QuerySet) -> QuerySet:
    return queryset


def sources(queryset: QuerySet) -> QuerySet:
    return queryset


@functools.cache
def public_links(model) -> tuple[tuple[type[Publishable], str], ...]:
    """(publishable model, the lookup from it to `model`) for every relation of a publishable
    model to `model`: (Visit, "sectors"), (StatusUpdate, "evidence_source"), (Figure, "source")…"""
    links = []
    for relation in model._meta.related_objects:
        related = relation.related_model
        if issubclass(related, Publishable):
            links.append((related, relation.field.name))
    return tuple(links)


def named_by_published(model) -> QuerySet:
    """The rows of reference data `model` (sectors, sources) that at least one published record
    names: one EXISTS per relation, each on the published queryset of that model."""
    condition = Q()
    for publishable, lookup in public_links(model):
        condition |= Q(Exists(publishable.objects.published().filter(**{lookup: OuterRef("pk")})))
    return model.objects.filter(condition)


# No publication state of their own: public through the published records that name them.
REFERENCE_DATA = (Sector, Source, Indicator)


def base(model) -> QuerySet:
    """Every record of `model` the public may see, before filters."""
    if model in REFERENCE_DATA:
        return named_by_published(model)
    return published(model)


ROWS = {
    Document: documents,
    Visit: visits,
    Commitment: commitments,
    Organization: organizations,
    Person: people,
    Figure: figures,
    Sector: sectors,
    Source: sources,
}


def rows(model, queryset: QuerySet) -> QuerySet:
    """`queryset`'s records with everything the API shows of them."""
    return ROWS[model](queryset)
