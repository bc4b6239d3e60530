"""The status report: every figure computed in the database, in a fixed number of queries.

One builder (`build_report`) serves the page, the CSV/XLSX exports and the
`status_report` command. The result is plain data (dataclasses of strings,
numbers and dates), so it can be cached and rendered to any format.

Dates:
- The report date is `as_of`, or today.
- A commitment exists on a date once it was made: on its origin visit's start
  date, else its origin document's signing date, else the day it was entered.
- Its status on a date is that of its latest published status update reported
  on or before the date ("not started", 0 % when there is none). Without
  `as_of` the stored current status is used, which is the same thing for today.
- Only what is published now counts; the history is that of the facts, not of
  their publication.
- `since` lists the published updates reported from that date to the report
  date, and compares the status counts with the day before `since`.

What "overdue", "due soon" and "stale" mean is the domain's (tracker/models/core.py, "Commitment state
rules"); the report applies those rules to a commitment's state on the report date
(`REPORT_STATE`: the annotations of `commitments_on`).
"""

import dataclasses
import datetime

from django.conf import settings
from django.db import connections
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Greatest, Lead, RowNumber
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cooperation.tracker.dates import shifted
from cooperation.tracker.models import (
    NO_UPDATE_STATUS,
    Basis,
    Commitment,
    CommitmentStatus,
    Country,
    Document,
    Organization,
    PublicationStatus,
    Sector,
    Side,
    StateColumns,
    StatusUpdate,
    Visit,
    due_soon_q,
    made_on_expression,
    overdue_q,
    progress_is_measured,
    stale_q,
)
from cooperation.tracker.treaties import YesNoUnknown

from .figures import Headline, ReportFigures, headline_figures, report_figures

# Where `commitments_on` puts a commitment's state on the report date.
REPORT_STATE = StateColumns(status="state_status", reviewed_on="state_reviewed_on", made_on="made_on")
# Rows listed per commitment list (overdue, due soon, stale, changes); the totals are always exact.
LIST_LIMIT = 100
PUBLISHED = PublicationStatus.PUBLISHED
STATUSES = list(CommitmentStatus)


@dataclasses.dataclass(frozen=True)
class ReportParams:
    today: datetime.date
    as_of: datetime.date | None = None
    since: datetime.date | None = None
    stale_days: int = dataclasses.field(default_factory=lambda: settings.STALE_AFTER_DAYS)
    due_soon_days: int = dataclasses.field(default_factory=lambda: settings.DUE_SOON_DAYS)
    sector: Sector | None = None
    organization: Organization | None = None
    country: Country | None = None
    visit: Visit | None = None
    document: Document | None = None
    # The lead organization (Responsibility role "lead") and the side that must act (Side).
    lead: Organization | None = None
    side: str = ""

    @property
    def date(self) -> datetime.date:
        return self.as_of or self.today

    def filters(self) -> list[tuple[str, str]]:
        """The active filters as (label, value), for the report's heading."""
        pairs = [
            (_("Sector"), self.sector),
            (_("Responsible organization"), self.organization),
            (_("Country"), self.country),
            (_("Made at"), self.visit),
            (_("Made in"), self.document),
            (_("Lead organization"), self.lead),
            (_("Side that must act"), Side(self.side).label if self.side else None),
        ]
        return [(str(label), str(value)) for label, value in pairs if value is not None]

    def cache_key(self) -> str:
        """Every parameter (records by primary key), so that no two different reports share a key."""
        return ";".join(
            f"{field.name}={getattr(value, 'pk', value)}"
            for field in dataclasses.fields(self)
            for value in [getattr(self, field.name)]
        )


def due_soon_label(days: int) -> str:
    """The heading of the due-soon figure and list ("Due in the next 90 days"), from its window."""
    return ngettext("Due in the next %(days)d day", "Due in the next %(days)d days", days) % {"days": days}


@dataclasses.dataclass
class Summary:
    total: int
    by_status: dict[str, int]
    overdue: int
    due_soon: int
    due_soon_days: int
    stale: int
    average_progress: float | None
    first_made: datetime.date | None
    made_since: int | None = None

    @property
    def due_soon_label(self) -> str:
        return due_soon_label(self.due_soon_days)

    @property
    def completed_share(self) -> int | None:
        """Completed as a share of what was not cancelled, in whole percent."""
        countable = self.total - self.by_status.get(CommitmentStatus.CANCELLED, 0)
        if not countable:
            return None
        return round(100 * self.by_status.get(CommitmentStatus.COMPLETED, 0) / countable)


class Totalled:
    """A row of commitments counted per status: `counts`, in the order of STATUSES."""

    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclasses.dataclass
class MatrixRow(Totalled):
    name: str
    slug: str | None
    counts: list[int]


@dataclasses.dataclass
class ScoreRow:
    """How an organization or a visit is doing with what it promised."""

    name: str
    slug: str
    url: str
    detail: str  # the organization's country or the visit's date
    total: int
    counts: list[int]  # in the order of STATUSES
    overdue: int
    average_progress: float | None

    @property
    def completed(self) -> int:
        return self.counts[STATUSES.index(CommitmentStatus.COMPLETED)]


@dataclasses.dataclass
class CommitmentRow:
    title: str
    url: str
    due: str
    deadline: datetime.date | None
    status: str
    status_label: str
    progress: int
    reviewed_on: datetime.date | None
    made_on: datetime.date | None
    responsible: list[tuple[str, str]]  # (name, url) of published organizations
    basis: str = ""  # of the state on the report date: reported, assessed, or "" (no update)
    basis_label: str = ""

    @property
    def progress_measured(self) -> bool:
        return progress_is_measured(self.status, self.progress)


@dataclasses.dataclass
class ChangeRow:
    reported_on: datetime.date
    commitment: str
    url: str
    previous_status: str | None
    previous_label: str
    status: str
    status_label: str
    progress: int
    note: str


@dataclasses.dataclass
class Changes:
    since: datetime.date
    baseline_date: datetime.date
    baseline: Summary
    updates_total: int
    updates: list[ChangeRow]


@dataclasses.dataclass
class StatusReport:
    params: ReportParams
    summary: Summary
    sectors: list[MatrixRow]
    organizations: list[ScoreRow]
    organizations_left_out: int  # rows not kept (see `build_report`)
    visits: list[ScoreRow]
    visits_left_out: int
    overdue: list[CommitmentRow]
    due_soon: list[CommitmentRow]
    stale: list[CommitmentRow]
    changes: Changes | None
    figures: ReportFigures | None = None
    not_in_force: list["NotInForceRow"] = dataclasses.field(default_factory=list)
    not_in_force_total: int = 0

    @property
    def date(self) -> datetime.date:
        return self.params.date

    @property
    def statuses(self) -> list[tuple[str, str]]:
        return [(status.value, str(status.label)) for status in STATUSES]

    @property
    def status_totals(self) -> list[int]:
        return [self.summary.by_status[status] for status in STATUSES]

    @property
    def status_comparison(self) -> list[tuple[str, int, int, str]]:
        """(status, count the day before `since`, count on the report date, signed change), then the totals."""
        if not self.changes:
            return []
        before, after = self.changes.baseline, self.summary
        rows = [(str(s.label), before.by_status[s], after.by_status[s]) for s in STATUSES]
        rows.append((str(_("All commitments")), before.total, after.total))
        return [(label, old, new, f"{new - old:+d}") for label, old, new in rows]


# --- Querysets -------------------------------------------------------------------


def commitments_on(params: ReportParams, as_of: datetime.date | None):
    """Published commitments matching the filters of `params`, annotated with their state on `as_of`
    (None: now, from the stored current status).

    `state_status`, `state_progress` and `state_reviewed_on` are the status, progress and
    last review on that date; `made_on` is when the commitment was made.
    """
    queryset = Commitment.objects.published().annotate(made_on=made_on_expression())
    if params.sector:
        queryset = queryset.in_sector(params.sector)
    if params.organization:
        queryset = queryset.responsible_among([params.organization])
    if params.country:
        queryset = queryset.responsible_in_country(params.country.code)
    if params.visit:
        queryset = queryset.filter(origin_visit=params.visit)
    if params.document:
        queryset = queryset.filter(origin_document=params.document)
    if params.lead:
        queryset = queryset.led_by([params.lead])
    if params.side:
        queryset = queryset.to_act_on_side(params.side)
    if as_of is None:
        return queryset.annotate(
            state_status=F("status"),
            state_progress=F("progress"),
            state_reviewed_on=F("last_reviewed_on"),
            state_basis=F("basis"),
        )
    # One join to each commitment's latest published update up to `as_of` (picked by a window
    # function, computed once) rather than a correlated subquery per row and per figure.
    return (
        queryset.filter(made_on__lte=as_of)
        .annotate(state=FilteredRelation("updates", condition=Q(updates__pk__in=Subquery(latest_update_ids(as_of)))))
        .annotate(
            state_status=Coalesce(F("state__status"), Value(NO_UPDATE_STATUS.value)),
            state_progress=Coalesce(F("state__progress"), Value(0)),
            state_reviewed_on=F("state__reported_on"),
            state_basis=Coalesce(F("state__basis"), Value("")),
        )
    )


def latest_update_ids(as_of: datetime.date):
    """The id of each commitment's latest published status update reported on or before `as_of`."""
    return (
        StatusUpdate.objects.filter(publication_status=PUBLISHED, reported_on__lte=as_of)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("commitment_id")], order_by=[F("reported_on").desc(), F("id").desc()]
            )
        )
        .filter(rank=1)
        .order_by()
        .values("pk")
    )


def status_counts_q() -> dict:
    return {f"status_{status.value}": Count("pk", filter=Q(state_status=status)) for status in STATUSES}


# --- Figures -----------------------------------------------------------------------


def summarize(queryset, date: datetime.date, params: ReportParams, since: datetime.date | None = None) -> Summary:
    """All headline figures of `queryset` (annotated by `commitments_on`) on `date`, in one query."""
    extra = {"made_since": Count("pk", filter=Q(made_on__gte=since))} if since else {}
    figures = queryset.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_q(date, REPORT_STATE)),
        due_soon=Count("pk", filter=due_soon_q(date, params.due_soon_days, REPORT_STATE)),
        stale=Count("pk", filter=stale_q(date, params.stale_days, REPORT_STATE)),
        average_progress=Avg("state_progress"),
        first_made=Min("made_on"),
        **status_counts_q(),
        **extra,
    )
    return Summary(
        total=figures["total"],
        by_status={status: figures[f"status_{status.value}"] for status in STATUSES},
        overdue=figures["overdue"],
        due_soon=figures["due_soon"],
        due_soon_days=params.due_soon_days,
        stale=figures["stale"],
        average_progress=figures["average_progress"],
        first_made=figures["first_made"],
        made_since=figures.get("made_since"),
    )


def status_counts(queryset) -> dict[str, int]:
    """Commitments per status, grouped in the database (one query)."""
    rows = queryset.order_by().values("state_status").annotate(n=Count("pk"))
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[CommitmentStatus(row["state_status"])] = row["n"]
    return counts


def sector_matrix(queryset) -> list[MatrixRow]:
    """Commitments per sector and status; a commitment in two sectors counts in both."""
    rows = (
        queryset.order_by()
        .values("sectors__name", "sectors__slug", "state_status")
        .annotate(n=Count("pk"))
        .order_by("sectors__name")
    )
    matrix: dict[str | None, MatrixRow] = {}
    for row in rows:
        slug = row["sectors__slug"]
        if slug not in matrix:
            matrix[slug] = MatrixRow(
                name=row["sectors__name"] or str(_("No sector")), slug=slug, counts=[0] * len(STATUSES)
            )
        matrix[slug].counts[STATUSES.index(row["state_status"])] += row["n"]
    # Named sectors alphabetically, then the commitments without one.
    return sorted(matrix.values(), key=lambda row: (row.slug is None, row.name.lower()))


def _scorecard_figures(date: datetime.date) -> dict:
    return {
        "total": Count("pk"),
        "overdue": Count("pk", filter=overdue_q(date, REPORT_STATE)),
        "average_progress": Avg("state_progress"),
        **status_counts_q(),
    }


def _score_row(row: dict, name: str, slug: str, url: str, detail: str) -> ScoreRow:
    return ScoreRow(
        name=name,
        slug=slug,
        url=url,
        detail=detail,
        total=row["total"],
        counts=[row[f"status_{status.value}"] for status in STATUSES],
        overdue=row["overdue"],
        average_progress=row["average_progress"],
    )


def organization_scorecard(queryset, date: datetime.date, limit: int | None = None) -> tuple[list[ScoreRow], int]:
    """Per published responsible organization: what it owes and how far it got. The first `limit`
    rows (all if None), and how many more there are."""
    rows = (
        queryset.annotate(
            public_org=FilteredRelation(
                "responsible_organizations",
                condition=Q(responsible_organizations__publication_status=PUBLISHED),
            )
        )
        .filter(public_org__isnull=False)
        .order_by()
        .values("public_org__name", "public_org__slug", "public_org__country__code")
        .annotate(**_scorecard_figures(date))
        .order_by("public_org__name")
    )
    rows, left_out = first_rows(rows, limit)
    scores = [
        _score_row(
            row,
            name=row["public_org__name"],
            slug=row["public_org__slug"],
            url=Organization(slug=row["public_org__slug"]).get_absolute_url(),
            detail=row["public_org__country__code"] or "",
        )
        for row in rows
    ]
    return scores, left_out


def visit_scorecard(queryset, date: datetime.date, limit: int | None = None) -> tuple[list[ScoreRow], int]:
    """Per published visit: what was promised there and how much of it is done. The first `limit`
    rows (all if None), and how many more there are."""
    rows = (
        queryset.filter(origin_visit__publication_status=PUBLISHED)
        .order_by()
        .values(
            "origin_visit__title",
            "origin_visit__slug",
            "origin_visit__start_date",
            "origin_visit__start_precision",
            "origin_visit__end_date",
        )
        .annotate(**_scorecard_figures(date))
        .order_by(F("origin_visit__start_date").asc(nulls_last=True), "origin_visit__title")
    )
    rows, left_out = first_rows(rows, limit)
    scores = []
    for row in rows:
        visit = Visit(
            slug=row["origin_visit__slug"],
            start_date=row["origin_visit__start_date"],
            start_precision=row["origin_visit__start_precision"],
            end_date=row["origin_visit__end_date"],
        )
        scores.append(
            _score_row(
                row,
                name=row["origin_visit__title"],
                slug=visit.slug,
                url=visit.get_absolute_url(),
                detail=visit.date_display,
            )
        )
    return scores, left_out


def first_rows(rows, limit: int | None) -> tuple[list, int]:
    """The first `limit` of `rows` (all if None) and how many were left out. All rows are read, as
    the count needs them, but only those kept become ScoreRows (a URL and a date each: thousands
    of visits cost a third of the report's build)."""
    rows = list(rows)
    kept = rows if limit is None else rows[:limit]
    return kept, len(rows) - len(kept)


def commitment_lists(queryset, lists: dict[str, tuple], limit: int = LIST_LIMIT) -> dict[str, list[CommitmentRow]]:
    """For each name in `lists`, (condition, *order): the first `limit` commitments meeting the
    condition, with their published responsible organizations, read for all the lists at once."""
    ids = first_of_each(queryset, lists, limit)
    found = queryset.in_bulk({pk for chosen in ids.values() for pk in chosen})
    chosen = {name: [found[pk] for pk in list_ids] for name, list_ids in ids.items()}
    prefetch_related_objects(
        [commitment for commitments in chosen.values() for commitment in commitments],
        Prefetch(
            "responsible_organizations",
            queryset=Organization.objects.published().order_by("name"),
            to_attr="public_responsible",
        ),
    )
    return {name: [commitment_row(commitment) for commitment in commitments] for name, commitments in chosen.items()}


def first_of_each(queryset, lists: dict[str, tuple], limit: int) -> dict[str, list[int]]:
    """{name: the ids of the first `limit` rows of that list, in its order}, in one query: each
    list's own ORDER BY … LIMIT in a subquery, the lists joined by UNION ALL. Raw SQL because the
    ORM cannot: SQLite refuses LIMIT in the parts of a compound query, and Django's union() leaves
    each part unwrapped (supports_slicing_ordering_in_compound). Only ids come back, so every
    value is read (and converted) by the ORM afterwards; two queries instead of one a list keep
    the whole report within ten."""
    parts, params = [], []
    for number, (name, (condition, *order)) in enumerate(lists.items()):
        part = queryset.filter(condition).order_by(*order).values(report_row=F("pk"))[:limit]
        sql, part_params = part.query.sql_with_params()
        parts.append(f"SELECT part_{number}.report_row, %s FROM ({sql}) AS part_{number}")  # noqa: S608 (the ORM's own SQL; values are parameters)
        params.extend([name, *part_params])
    ids = {name: [] for name in lists}
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for pk, name in cursor.fetchall():
            ids[name].append(pk)
    return ids


def commitment_row(commitment) -> CommitmentRow:
    return CommitmentRow(
        title=commitment.title,
        url=commitment.get_absolute_url(),
        due=commitment.due_display,
        deadline=commitment.deadline,
        status=commitment.state_status,
        status_label=str(CommitmentStatus(commitment.state_status).label),
        progress=commitment.state_progress,
        reviewed_on=commitment.state_reviewed_on,
        made_on=commitment.made_on,
        responsible=[(org.name, org.get_absolute_url()) for org in commitment.public_responsible],
        basis=commitment.state_basis,
        basis_label=str(Basis(commitment.state_basis).label) if commitment.state_basis else "",
    )


# --- Signed, not yet in force ---------------------------------------------------------------


@dataclasses.dataclass
class NotInForceRow:
    title: str
    url: str
    signed: str
    signed_on: datetime.date
    since_signature: str  # "1 year, 3 months", from the signature to the report date
    status_label: str
    to_act: str  # the side still to act, or why none is named
    entry_into_force: datetime.date | None  # known, still ahead


def to_act(document) -> str:
    """Who still has to act, from the stored treaty state (tracker/treaties.py)."""
    names = {"KZ": str(_("Kazakhstan")), "RS": str(_("Serbia"))}
    if document.awaiting_sides:
        return ", ".join(names[side] for side in document.awaiting_sides)
    if document.entry_into_force:
        return str(_("no one: enters into force on its date"))
    if document.subject_to_procedures == YesNoUnknown.NO:
        return str(_("no internal procedures needed; entry into force not reported"))
    if document.subject_to_procedures == YesNoUnknown.YES:
        return str(_("both sides' procedures recorded; entry into force not reported"))
    return str(_("not reported"))


def documents_not_in_force(params: ReportParams, limit: int = LIST_LIMIT) -> tuple[list[NotInForceRow], int]:
    """Published documents signed (on or before the report date) and not in force as stored today,
    longest waiting first, with how many there are: one query (the total as a window)."""
    documents = Document.objects.published().signed_not_in_force().filter(signed_on__lte=params.date)
    if params.sector:
        documents = documents.filter(
            pk__in=Document.sectors.through.objects.filter(sector=params.sector).values("document")
        )
    if params.organization:
        documents = documents.with_party_among([params.organization])
    if params.country:
        documents = documents.with_party_in_country(params.country.code)
    if params.visit:
        documents = documents.filter(signed_at=params.visit)
    if params.document:
        documents = documents.filter(pk=params.document.pk)
    chosen = list(documents.annotate(listed_total=Window(Count("pk"))).order_by("signed_on", "title", "pk")[:limit])
    rows = [
        NotInForceRow(
            title=str(document),
            url=document.get_absolute_url(),
            signed=document.signed_display,
            signed_on=document.signed_on,
            since_signature=timesince(document.signed_on, params.date, depth=2),
            status_label=str(document.get_status_display()),
            to_act=to_act(document),
            entry_into_force=document.entry_into_force,
        )
        for document in chosen
    ]
    return rows, chosen[0].listed_total if chosen else 0


def changes_since(params: ReportParams) -> Changes:
    """Published status updates from `since` to the report date, and the status counts the day before."""
    since = params.since
    # The day before `since`; for the first day of the calendar, that day itself (nothing was made
    # before it, so the counts are those of its start).
    baseline_date = shifted(since, -1)
    baseline = summarize(commitments_on(params, baseline_date), baseline_date, params)
    # Membership needs only the filters and the made date, not the state join.
    existing = commitments_on(params, None)
    if params.as_of:
        existing = existing.filter(made_on__lte=params.as_of)
    updates = StatusUpdate.objects.published().filter(
        commitment__in=existing.values("pk"), reported_on__gte=since, reported_on__lte=params.date
    )
    rows, total = update_rows(updates, counted=True)
    return Changes(since=since, baseline_date=baseline_date, baseline=baseline, updates_total=total, updates=rows)


def update_rows(updates, limit: int = LIST_LIMIT, counted: bool = False) -> tuple[list[ChangeRow], int | None]:
    """The latest `limit` of `updates` (published ones), each with the status it replaced, and
    (`counted`) how many there are: one query, the total as a window (which reads every row, so
    the overview's latest ten, from all updates, are not counted)."""
    previous = (
        StatusUpdate.objects.filter(commitment=OuterRef("commitment"), publication_status=PUBLISHED)
        .filter(
            Q(reported_on__lt=OuterRef("reported_on")) | Q(reported_on=OuterRef("reported_on"), id__lt=OuterRef("id"))
        )
        .order_by("-reported_on", "-id")
    )
    updates = updates.select_related("commitment").annotate(previous_status=Subquery(previous.values("status")[:1]))
    if counted:
        updates = updates.annotate(listed_total=Window(Count("pk")))
    rows = list(updates.order_by("-reported_on", "-id")[:limit])
    total = (rows[0].listed_total if rows else 0) if counted else None
    return [
        ChangeRow(
            reported_on=update.reported_on,
            commitment=update.commitment.title,
            url=update.commitment.get_absolute_url(),
            previous_status=update.previous_status,
            previous_label=str(CommitmentStatus(update.previous_status).label) if update.previous_status else "",
            status=update.status,
            status_label=update.get_status_display(),
            progress=update.progress,
            note=update.note,
        )
        for update in rows
    ], total


def report_lists(params: ReportParams) -> dict[str, tuple]:
    """The report's lists of commitments: {name: (condition, *order)}."""
    date = params.date
    return {
        "overdue": (overdue_q(date, REPORT_STATE), "deadline", "title"),
        "due_soon": (due_soon_q(date, params.due_soon_days, REPORT_STATE), "deadline", "title"),
        "stale": (
            stale_q(date, params.stale_days, REPORT_STATE),
            F("state_reviewed_on").asc(nulls_first=True),
            "made_on",
            "title",
        ),
    }


def build_report(params: ReportParams, scorecard_rows: int | None = None) -> StatusReport:
    """The whole status report for `params`: nine queries, whatever the number of rows.
    `scorecard_rows` keeps only the first rows of each scorecard (the page); None keeps all (exports)."""
    date = params.date
    queryset = commitments_on(params, params.as_of)
    organizations, organizations_left_out = organization_scorecard(queryset, date, scorecard_rows)
    visits, visits_left_out = visit_scorecard(queryset, date, scorecard_rows)
    lists = commitment_lists(queryset, report_lists(params))
    not_in_force, not_in_force_total = documents_not_in_force(params)
    return StatusReport(
        params=params,
        summary=summarize(queryset, date, params, since=params.since),
        sectors=sector_matrix(queryset),
        organizations=organizations,
        organizations_left_out=organizations_left_out,
        visits=visits,
        visits_left_out=visits_left_out,
        changes=changes_since(params) if params.since else None,
        figures=report_figures(params.as_of, params.visit, params.document, limit=LIST_LIMIT),
        not_in_force=not_in_force,
        not_in_force_total=not_in_force_total,
        **lists,
    )


# --- Overview ------------------------------------------------------------------------

TIMELINE_POINTS = 12


@dataclasses.dataclass
class TimelinePoint(Totalled):
    date: datetime.date
    label: str
    counts: list[int]


@dataclasses.dataclass
class Overview:
    today: datetime.date
    documents_signed: int
    documents_in_force: int
    visits: int
    summary: Summary
    sectors: list[MatrixRow]
    timeline: list[TimelinePoint]
    latest_updates: list[ChangeRow]
    headlines: list[Headline] = dataclasses.field(default_factory=list)  # the latest of featured indicators
    visits_undated: int = 0  # events the reports do not date, counted apart

    @property
    def statuses(self) -> list[tuple[str, str]]:
        return [(status.value, str(status.label)) for status in STATUSES]


def quarter_ends(first: datetime.date, last: datetime.date, limit: int = TIMELINE_POINTS) -> list[datetime.date]:
    """The last day of each quarter from `first`'s to the one before `last`, then `last`; at most `limit` dates."""
    dates = []
    year, quarter = first.year, (first.month - 1) // 3 + 1
    while True:
        end = datetime.date(year, 3 * quarter, 31 if quarter in (1, 4) else 30)
        if end >= last:
            break
        dates.append(end)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return [*dates, last][-limit:]


def timeline(params: ReportParams, first_made: datetime.date | None) -> list[TimelinePoint]:
    """Commitments by status at the end of each quarter, from the status history, in two grouped queries.

    Each published update holds from its date (or the commitment's, if later) until the
    commitment's next published update (LEAD over the history). Both ends become the number of
    `dates` before them, so an update holds on `dates[i]` for `first <= i < until`: grouped by
    (status, first, until), the history comes back as at most a few hundred rows, and each row is
    one comparison per date instead of one filtered count per date and status. A commitment made
    by a date with no update holding then is "not started". The same answer as
    `commitments_on(params, date)` (tests check it).
    """
    if first_made is None:
        return []
    dates = quarter_ends(first_made, params.date)
    commitments = commitments_on(params, None)
    made = [0] * len(dates)
    made_rows = (
        commitments.order_by().annotate(first=dates_before("made_on", dates)).values("first").annotate(n=Count("pk"))
    )
    for row in made_rows:
        for i in range(row["first"], len(dates)):
            made[i] += row["n"]
    updates = (
        StatusUpdate.objects.filter(publication_status=PUBLISHED, commitment__in=commitments.values("pk"))
        .annotate(
            made_on=made_on_expression("commitment__"),
            start=Greatest("reported_on", "made_on"),
            next_on=Window(
                Lead("reported_on"), partition_by=[F("commitment_id")], order_by=[F("reported_on"), F("id")]
            ),
        )
        .annotate(first=dates_before("start", dates), until=dates_before("next_on", dates))
        .order_by()
    )
    column = {status.value: index for index, status in enumerate(STATUSES)}
    holding = [[0] * len(STATUSES) for _day in dates]
    for status, first, until, count in count_grouped(updates, "status", "first", "until"):
        for i in range(first, until):
            holding[i][column[status]] += count
    points = []
    for i, day in enumerate(dates):
        counts = holding[i]
        # Commitments without an update holding on that day: no information.
        counts[column[NO_UPDATE_STATUS]] += made[i] - sum(counts)
        label = str(_("today")) if day == params.today else f"{day.year} Q{(day.month - 1) // 3 + 1}"
        points.append(TimelinePoint(date=day, label=label, counts=counts))
    return points


def dates_before(field: str, dates: list[datetime.date]) -> Case:
    """How many of `dates` (ascending) are before the value of `field`; all of them when it is null."""
    return Case(
        *[When(**{f"{field}__lte": day}, then=Value(i)) for i, day in enumerate(dates)],
        default=Value(len(dates)),
        output_field=IntegerField(),
    )


def count_grouped(queryset, *columns: str) -> list[tuple]:
    """Rows of (*columns, count) of `queryset` grouped by `columns`. The ORM cannot group by an
    expression over a window function, so the queryset becomes the subquery of a plain GROUP BY."""
    connection = connections[queryset.db]
    sql, sql_params = queryset.values(*columns).query.sql_with_params()
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    # Only quoted column names and the ORM's own SQL go into the string; values stay parameters.
    query = f"SELECT {names}, COUNT(*) FROM ({sql}) AS grouped GROUP BY {names}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, sql_params)
        return cursor.fetchall()


def build_overview(today: datetime.date) -> Overview:
    """The figures of the home page, in a fixed number of queries."""
    params = default_params(today)
    documents = Document.objects.published()
    commitments = commitments_on(params, None)
    summary = summarize(commitments, today, params)
    visits = Visit.objects.published().aggregate(total=Count("pk"), undated=Count("pk", filter=Q(start_date=None)))
    return Overview(
        today=today,
        documents_signed=documents.signed().count(),
        documents_in_force=documents.in_force().count(),
        visits=visits["total"],
        visits_undated=visits["undated"],
        summary=summary,
        sectors=sector_matrix(commitments),
        timeline=timeline(params, summary.first_made),
        latest_updates=update_rows(StatusUpdate.objects.published(), limit=10)[0],
        headlines=headline_figures(),
    )


def default_params(today: datetime.date, **kwargs) -> ReportParams:
    return ReportParams(today=today, **kwargs)
