"""Querysets for the public pages: each row with its published relations in a
fixed number of queries, whatever the number of rows. Every relation a page shows is prefetched
through a published-only queryset into `public_<relation>` (`public`), so templates and tables
never have to check."""

import dataclasses
import functools
from itertools import groupby

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery, TextField
from django.utils.translation import gettext_lazy as _

from cooperation.tracker import treaties
from cooperation.tracker.models import (
    Commitment,
    Document,
    DocumentParty,
    DocumentStep,
    Organization,
    Person,
    PublicationStatus,
    Responsibility,
    Source,
    StatusUpdate,
    period_order,
)
from cooperation.tracker.translated import in_active_language

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
    return queryset.defer(*unshown_fields(queryset.model), *unshown_related(queryset.model, *related))


def unshown_related(model, *paths: str) -> list[str]:
    """The unshown columns of the records `model` reaches by `paths` (foreign keys, `a__b` for further)."""
    deferred = []
    for path in paths:
        target = model
        for name in path.split("__"):
            target = target._meta.get_field(name).related_model
        deferred += [f"{path}__{name}" for name in unshown_fields(target)]
    return deferred


def public(relation: str, queryset: QuerySet | None = None, to_attr: str | None = None) -> Prefetch:
    """`relation`'s records that the public may see (`queryset`; None: all of them, as for sectors
    and sources, which have no drafts), as `public_<relation>`."""
    return Prefetch(relation, queryset=queryset, to_attr=to_attr or f"public_{relation}")


def published_organizations() -> QuerySet:
    return listed(Organization.objects.published())


def sectors() -> Prefetch:
    return public("sectors")


# --- Rows of lists -------------------------------------------------------------------------


def document_summaries(queryset: QuerySet) -> QuerySet:
    """Documents as other pages list them: with their published parties."""
    return listed(queryset.select_related("signed_at"), "signed_at").prefetch_related(
        public("organizations", published_organizations(), "public_parties"),
    )


def document_rows(queryset: QuerySet) -> QuerySet:
    """Documents as the document table shows them."""
    return document_summaries(queryset).prefetch_related(sectors())


def commitment_summaries(queryset: QuerySet) -> QuerySet:
    """Commitments as other pages list them: with their published responsible organizations."""
    return commitment_links(listed(queryset, "origin_document", "origin_visit"))


def commitment_links(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("origin_document", "origin_visit").prefetch_related(
        public("responsible_organizations", published_organizations(), "public_responsible"),
    )


def public_responsibilities() -> Prefetch:
    """Who leads and who supports, for which side: the rows of published organizations, leads first."""
    rows = (
        Responsibility.objects.of_published_organizations()
        .select_related("organization")
        .defer(*(f"organization__{name}" for name in unshown_fields(Organization)))
        .order_by("role", "side", "organization__name")
    )
    return public("responsibilities", rows)


def current_update():
    """The latest published update of the commitment (as CommitmentQuerySet.refresh_status reads it)."""
    return StatusUpdate.objects.published().filter(commitment=OuterRef("pk")).order_by("-reported_on", "-id")


def commitment_rows(queryset: QuerySet) -> QuerySet:
    """Commitments as the commitment table and its downloads show them: with who leads, and the
    reasoning and passage of the current status."""
    latest = current_update()
    return (
        commitment_summaries(queryset)
        .annotate(
            current_reasoning=Subquery(
                latest.annotate(text=in_active_language("reasoning")).values("text")[:1], output_field=TextField()
            ),
            current_passage=Subquery(latest.values("basis_passage")[:1], output_field=TextField()),
            # Long text is deferred from lists (`listed`); the downloads carry this one.
            promise_text=F("promise_passage"),
        )
        .prefetch_related(sectors(), public_responsibilities())
    )


# Visits and organizations carry their counts of published documents and commitments
# (`document_count`, `commitment_count`, kept by tracker/counts.py).


def visit_rows(queryset: QuerySet) -> QuerySet:
    return listed(queryset.select_related("host_country")).prefetch_related(
        public("participants", listed(Person.objects.published())),
    )


def organization_rows(queryset: QuerySet) -> QuerySet:
    return listed(queryset.select_related("country"))


# --- Detail pages ---------------------------------------------------------------------------


def detail_page(queryset: QuerySet, *related: Prefetch, sources: Prefetch | None = None) -> QuerySet:
    """A record as its own page shows it: every column, its sectors and sources (`sources`: how they
    are read, by default as they are), and `related`."""
    return queryset.prefetch_related(sectors(), sources or public("sources"), *related)


def document_page(queryset: QuerySet) -> QuerySet:
    parties = (
        DocumentParty.objects.of_published_organizations()
        .select_related("organization", "side", "signatory")
        .order_by("side__name", "organization__name")
    )
    return detail_page(
        queryset.select_related("signed_at", "builds_on"),
        public("parties", parties),
        public("followed_by", Document.objects.published(), "public_followers"),
        public("commitments", commitment_summaries(Commitment.objects.published())),
        Prefetch("steps", DocumentStep.objects.select_related("side", "source", "amending_document")),
        sources=sources_with_figures(),
    )


def visit_page(queryset: QuerySet) -> QuerySet:
    carried_out = StatusUpdate.objects.published().select_related("commitment")  # updates citing the visit
    return detail_page(
        queryset.select_related("host_country"),
        public("participants", Person.objects.published().select_related("country")),
        public("organizations", Organization.objects.published()),
        public("documents", document_summaries(Document.objects.published())),
        public("commitments", commitment_summaries(Commitment.objects.published())),
        public("fulfilled_updates", carried_out, "public_evidence_updates"),
        sources=sources_with_figures(),
    )


def commitment_page(queryset: QuerySet) -> QuerySet:
    """A commitment with its promise's source, who leads and supports it, and its published updates,
    each with the sources it rests on."""
    updates = (
        StatusUpdate.objects.published()
        .select_related("evidence_source", "evidence_visit", "evidence_document")
        .prefetch_related(public("sources"))
    )
    return detail_page(
        commitment_links(queryset.select_related("promise_source")),
        public("updates", updates),
        public_responsibilities(),
    )


def leads(commitment) -> list:
    """The published lead organizations of a commitment read with `public_responsibilities`."""
    return [row.organization for row in commitment.public_responsibilities if row.role == "lead"]


def responsibilities_by_side(commitment) -> list[tuple[str, list, list]]:
    """[(side label, leads, supporting), …] of a commitment, in the order of Side."""
    grouped = {}
    for row in commitment.public_responsibilities:
        leading, supporting = grouped.setdefault(row.side, ([], []))
        (leading if row.role == "lead" else supporting).append(row.organization)
    labels = dict(Responsibility._meta.get_field("side").flatchoices)
    return [(labels.get(side, side), *grouped[side]) for side in labels if side in grouped] + [
        (_("side not given"), *grouped[side]) for side in grouped if side not in labels
    ]


def organization_page(queryset: QuerySet) -> QuerySet:
    """The organization itself; its documents, commitments and visits are read apart, a page's worth
    each (OrganizationDetailView)."""
    return detail_page(
        queryset.select_related("country", "parent"),
        public("children", Organization.objects.published()),
        public("people", Person.objects.published()),
    )


def if_published(record):
    """The related record if the public may see it, else None."""
    return record if record is not None and record.is_published else None


def parties_by_side(parties) -> list[tuple]:
    """[(country or None, [party, …]), …] in the order the parties come."""
    for party in parties:
        party.public_signatory = if_published(party.signatory)
    return [(side, list(group)) for side, group in groupby(parties, key=lambda party: party.side)]


@dataclasses.dataclass
class SideTimeline:
    """One side's steps after signature on a document's page, and what no source reports."""

    code: str
    name: str
    steps: list
    not_reported: list


def treaty_timelines(document) -> list[SideTimeline]:
    """Kazakhstan's and Serbia's steps (read with the page: `document_page`), oldest first, each
    with its amending document only if published; and, said plainly, what has not been reported."""
    names = {"KZ": _("Kazakhstan"), "RS": _("Serbia")}
    steps = sorted(document.steps.all(), key=lambda step: (step.act_on or step.effective_on, step.pk))
    timelines = []
    for code in treaties.SIDES:
        own = [step for step in steps if step.side.code == code]
        for step in own:
            step.public_amending_document = if_published(step.amending_document)
        kinds = {step.kind for step in own}
        missing = []
        if document.status not in treaties.BEFORE_SIGNATURE:
            if document.subject_to_procedures != treaties.YesNoUnknown.NO and not kinds & set(
                treaties.COMPLETION_KINDS
            ):
                missing.append(_("internal procedures: not reported"))
            if not kinds & {treaties.StepKind.NOTIFICATION_SENT, treaties.StepKind.NOTIFICATION_RECEIVED}:
                missing.append(_("notification: not reported"))
        timelines.append(SideTimeline(code, names[code], own, missing))
    return timelines


def timeline(updates) -> list:
    """Status updates, newest first, each with the published records that evidence it."""
    for update in updates:
        update.public_evidence = [
            record for record in (update.evidence_document, update.evidence_visit) if if_published(record)
        ]
    return list(updates)


# --- Figures ------------------------------------------------------------------------------------

# What a figure's cells show besides its own columns (reporters and parents: only if published).
FIGURE_RELATED = ("indicator", "country", "counterpart", "reporter_organization", "reporter_person")


def figure_rows(queryset: QuerySet) -> QuerySet:
    """Figures as their table, its exports and an indicator's page show them, in one query: every
    column of their own (the exports carry the passage and the note), and their related records."""
    related = (*FIGURE_RELATED, "source", "parent", "parent__indicator")
    shown = ("indicator", "country", "counterpart", "parent__indicator")
    hidden = [path for path in related if path not in shown]
    return queryset.select_related(*related).defer(*unshown_related(queryset.model, *hidden))


def sources_with_figures() -> Prefetch:
    """A visit's or document's sources, each with the published figures it gives, in one query: the
    sources LEFT JOINed to their figures (a source giving three figures comes three times, one with
    each; `split_sources` sorts them out). A figure about the record cites one of its sources
    (Figure.clean), so this finds those too."""
    figure = FilteredRelation("figures", condition=Q(figures__publication_status=PublicationStatus.PUBLISHED))
    rows = Source.objects.annotate(given_figure=figure).select_related(
        "given_figure", *(f"given_figure__{path}" for path in FIGURE_RELATED)
    )
    return Prefetch("sources", queryset=rows, to_attr="public_source_rows")


def split_sources(record) -> list:
    """After `sources_with_figures`: the record's sources, once each, as `public_sources` (what the
    page's sources card reads), and the figures they give, by indicator and period."""
    sources, figures = {}, []
    for row in record.public_source_rows:
        source = sources.setdefault(row.pk, row)
        figure = getattr(row, "given_figure", None)  # unset when the source gives none
        if figure is not None:
            figure.source = source
            figures.append(figure)
    record.public_sources = list(sources.values())
    return sorted(figures, key=lambda figure: (figure.indicator.name, *period_order(figure)))
