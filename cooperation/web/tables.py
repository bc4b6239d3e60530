"""The tables of the public lists, and their exports.

Cells of related records read lists prefetched by the views (`public_*`
attributes) that hold published records only. Each column's export value is
the text the cell shows, so an export matches the table on screen.
"""

import datetime
from itertools import cycle
from operator import attrgetter

import django_tables2 as tables
from django.db.models import F, QuerySet
from django.http import HttpResponse
from django.utils.encoding import force_str
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_tables2.export import TableExport

from cooperation import downloads
from cooperation.formulas import neutralised
from cooperation.tracker.models import Commitment, Document, Figure, Organization, Visit, side_state, source_name

from . import cells, queries
from .templatetags.languages import english_only

# Rows read from the database at a time when exporting (each batch with its prefetches).
EXPORT_BATCH = 2000


class SafeTableExport(TableExport):
    """CSV, XLSX and JSON only; the same cell values in every format, formula-like text neutralised
    (cooperation/formulas.py) and an empty cell empty text."""

    PUBLIC_FORMATS = (TableExport.CSV, TableExport.XLSX, TableExport.JSON)

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format in cls.PUBLIC_FORMATS

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        return neutralised(super().table_to_dataset(table, exclude_columns, dataset_kwargs), empty="")

    def response_for(self, citation: str) -> HttpResponse:
        """The file: CSV with a byte-order mark, XLSX with its header frozen and filters on and the
        citation on an "About" sheet, JSON as tablib writes it (cooperation/downloads.py)."""
        if self.format == self.CSV:
            return HttpResponse(downloads.csv_bytes(self.dataset.export("csv")), content_type=downloads.CSV_TYPE)
        if self.format == self.XLSX:
            sheet = (str(self.dataset.title)[:31] or "Data", self.dataset.headers, self.dataset)
            return HttpResponse(downloads.xlsx_bytes([sheet], [citation]), content_type=downloads.XLSX_TYPE)
        return HttpResponse(self.export(), content_type=self.content_type())


def display(field: str):
    """The label of a choice field, as record.get_<field>_display() gives it."""
    return lambda record: cells.choice_label(record, field)


def if_published(field: str):
    """A foreign key's record when the public may see it, else None."""
    return lambda record: queries.if_published(getattr(record, field))


def optional(function, html):
    """`html(value)` for a value `function` finds, else an empty cell."""
    return lambda record: "" if (value := function(record)) is None else html(value)


class Cell(tables.Column):
    """A column drawn by plain functions of the record: `text` for exports (and for the page,
    escaped, unless `html` is given).

    django-tables2 still makes the header, the sorting and the pagination; `PublicTable`
    draws the body and the exports by calling these functions directly. Its per-cell
    machinery (signature inspection, accessors, attribute dicts, a template per value) cost
    more than everything else on a list page.
    """

    def __init__(self, text, html=None, *, optional=False, card=False, **kwargs):
        # `optional`: not shown at first (the table fits a laptop screen); the column chooser
        # (`?columns=name`) adds it, and the downloads always carry it. `card`: kept on the
        # phone's card (title, status, progress, key dates); the other cells are folded away there.
        self.text, self.html = text, html or text
        self.optional, self.card = optional, card
        kwargs.setdefault("empty_values", ())
        super().__init__(**kwargs)

    def render(self, record):
        return self.html(record)

    def value(self, record):
        return self.text(record)


class RelatedCell(Cell):
    """A list of related published records, read from a prefetched attribute (see queries.py)."""

    def __init__(self, attribute, *, linked=True, **kwargs):
        related = attrgetter(attribute)
        kwargs.setdefault("orderable", False)
        super().__init__(
            lambda record: cells.names(related(record)),
            (lambda record: cells.links(related(record))) if linked else None,
            **kwargs,
        )


def linked(text):
    """The record's own page, linked with `text(record)`, marked "English only" when its title has
    no translation in the page's language (the downloads have the text alone)."""

    def cell(record):
        html = cells.link(record, text(record))
        mark = english_only(record)
        return format_html("{} {}", html, mark) if mark else html

    return cell


WIDE = {"td": {"class": "wide"}, "th": {"class": "wide"}}


TITLE = {"td": {"class": "wide card-title"}, "th": {"class": "wide"}}


def name_cell(attribute: str, verbose_name) -> Cell:
    """The record's name or title, linked to its page, in the widest column (the card's title)."""
    text = attrgetter(attribute)
    return Cell(text, linked(text), verbose_name=verbose_name, attrs=TITLE, card=True, order_by=(attribute, "pk"))


def count_cell(attribute: str, verbose_name, **kwargs) -> Cell:
    """A stored count (tracker/counts.py), sorted by its index."""
    return Cell(attrgetter(attribute), verbose_name=verbose_name, order_by=(attribute, "pk"), **kwargs)


class PublicTable(tables.Table):
    """The columns are the declared cells, in the order they are declared."""

    class Meta:
        template_name = "web/_table.html"
        attrs = {"class": "data-table"}
        empty_text = _("Nothing matches these filters.")
        # Empty cells stay empty so the export matches the screen; CSS draws a dash.
        default = ""

    # The order the rows come in when no `sort` is asked for (the model's Meta.ordering), shown
    # on the page as the sort in force: (column name, descending).
    default_sort = (None, False)

    def body_html(self):
        """The rows of the current page as HTML: one `html` call per cell (see Cell). Each cell
        carries its column's name (`data-label`), which the phone's cards show before it."""
        columns = [(cell_attributes(column), column.column.html) for column in self.columns]
        rows = []
        for parity, row in zip(cycle(("even", "odd")), self.page.object_list if self.page else self.rows):
            record = row.record
            cells_html = "".join(f"<td {attrs}>{empty_if_none(html(record))}</td>" for attrs, html in columns)
            rows.append(f'<tr class="{parity}">{cells_html}</tr>')
        if not rows and self.empty_text:
            rows.append(format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), self.empty_text))
        return mark_safe("\n".join(rows))  # noqa: S308 (every cell passed through conditional_escape)

    def as_values(self, exclude_columns=()):
        """Rows for the exports: the header, then each record's `text` per column, read in batches."""
        columns = [
            column
            for column in self.columns.iterall()
            if not (column.column.exclude_from_export or column.name in (exclude_columns or ()))
        ]
        yield [force_str(column.header) for column in columns]
        for record in self.export_records():
            yield [column.column.text(record) for column in columns]

    def export_records(self):
        data = self.data.data
        # In batches, with each batch's prefetches: one IN list per batch, not one of 100,000 keys.
        return data.iterator(chunk_size=EXPORT_BATCH) if isinstance(data, QuerySet) else iter(data)

    def choose_columns(self, names) -> list[str]:
        """Show the optional columns named (the column chooser), hide the others; the names that
        are not optional columns are returned, for a message."""
        optional = {name for name, column in self.base_columns.items() if getattr(column, "optional", False)}
        for name in optional:
            self.columns[name].column.visible = name in names
        return [name for name in names if name not in optional]

    @property
    def optional_columns(self):
        """(name, header, shown) of each column the chooser offers."""
        return [
            (name, column.header, column.visible)
            for name, column in ((n, self.columns[n]) for n in self.base_columns)
            if getattr(column.column, "optional", False)
        ]

    @property
    def sort_choices(self) -> list[tuple[str, str, bool]]:
        """(value of `sort`, label, chosen) for each shown sortable column, both ways: the filter
        panel's "Sort by", the way to sort where the header row is not shown (a phone's cards).
        The default order's value is empty, so that choosing it asks for no sort."""
        in_force = self.sort_in_force or {}
        chosen = (in_force.get("name"), in_force.get("descending"))
        choices = []
        for column in self.columns:
            if not column.orderable:
                continue
            for descending in (False, True):
                if descending:
                    label = _("%(column)s, descending") % {"column": column.header}
                else:
                    label = _("%(column)s, ascending") % {"column": column.header}
                default = (column.name, descending) == self.default_sort
                if default:
                    label = _("%(order)s (the default order)") % {"order": label}
                value = "" if default else f"{'-' if descending else ''}{column.name}"
                choices.append((value, label, (column.name, descending) == chosen))
        return choices

    @property
    def sort_in_force(self) -> dict | None:
        """The column the rows are sorted by, its direction, and whether it is the default order."""
        if self.order_by:
            alias = self.order_by[0]
            name, descending, default = alias.removeprefix("-"), alias.startswith("-"), False
        else:
            (name, descending), default = self.default_sort, True
        if name not in self.columns:
            return None
        return {"name": name, "header": self.columns[name].header, "descending": descending, "default": default}


def cell_attributes(column) -> str:
    """The cell's classes (its column's, and `not-in-card` for the cells a phone's card folds away)
    and its column's name, which the card shows before it."""
    classes = " ".join(filter(None, [column.attrs["td"].get("class", ""), "" if column.column.card else "not-in-card"]))
    label = format_html('data-label="{}"', force_str(column.header))
    return format_html('class="{}" {}', classes, label) if classes else label


def empty_if_none(value):
    return "" if value is None else conditional_escape(value)


def export_only(text, verbose_name) -> Cell:
    """A column of the downloads only: the figure's parts, for anyone who checks or recomputes."""
    return Cell(text, verbose_name=verbose_name, visible=False, orderable=False)


class DocumentTable(PublicTable):
    title = Cell(str, linked(str), verbose_name=_("Title"), attrs=TITLE, card=True, order_by=("title", "pk"))
    kind = Cell(display("kind"), verbose_name=_("Kind"), order_by=("kind", "title", "pk"))
    level = Cell(display("level"), verbose_name=_("Level"), optional=True, order_by=("level", "title", "pk"))
    status = Cell(
        display("status"),
        cells.document_status_badge,
        verbose_name=_("Status"),
        card=True,
        order_by=("status", "title", "pk"),
    )
    signed_on = Cell(attrgetter("signed_display"), verbose_name=_("Signed"), card=True, order_by=("signed_on", "pk"))
    parties = RelatedCell("public_parties", attrs=WIDE, verbose_name=_("Parties"))
    sectors = RelatedCell("public_sectors", linked=False, optional=True, verbose_name=_("Sectors"))
    signed_at = Cell(
        optional(if_published("signed_at"), str),
        optional(if_published("signed_at"), cells.link),
        attrs=WIDE,
        optional=True,
        verbose_name=_("Signed at"),
        order_by=("signed_at__start_date", "pk"),
    )
    default_sort = ("signed_on", True)
    # Derived and stored on the document (tracker/treaties.py): no step is read for a list.
    entry_into_force = Cell(
        optional(attrgetter("entry_into_force"), datetime.date.isoformat),
        verbose_name=_("Entry into force"),
        orderable=False,
    )
    kazakhstan = export_only(lambda document: side_state(document, "KZ"), _("Kazakhstan's state"))
    serbia = export_only(lambda document: side_state(document, "RS"), _("Serbia's state"))
    expires_on = export_only(optional(attrgetter("expires_on"), datetime.date.isoformat), _("Expires on"))
    ended_on = export_only(optional(attrgetter("ended_on"), datetime.date.isoformat), _("Terminated on"))

    class Meta(PublicTable.Meta):
        model = Document
        fields = ()


def public_origins(commitment) -> list:
    """The document and the visit a commitment was made in or at, those the public may see."""
    return [origin for origin in (commitment.origin_document, commitment.origin_visit) if queries.if_published(origin)]


class CommitmentTable(PublicTable):
    title = name_cell("title", _("Commitment"))
    # Each order has a matching index (Commitment.Meta.indexes).
    status = Cell(
        display("status"),
        cells.status_badge_with_basis,
        verbose_name=_("Status"),
        card=True,
        order_by=("status", "deadline", "title", "pk"),
    )
    progress = Cell(
        lambda commitment: cells.percent(commitment.progress),
        cells.progress_bar,
        verbose_name=_("Progress"),
        card=True,
        order_by=("progress", "pk"),
    )
    due_on = Cell(attrgetter("due_display"), verbose_name=_("Due"), card=True, order_by=("deadline", "title", "pk"))
    overdue = Cell(
        lambda commitment: str(_("overdue")) if commitment.is_overdue else "",
        cells.overdue_flag,
        verbose_name=_("Overdue"),
        card=True,
        orderable=False,
    )
    responsible = RelatedCell("public_responsible", attrs=WIDE, verbose_name=_("Responsible"))
    # How the current status is known (Commitment.basis; README "Basis of a status"): shown under the
    # status badge; a column of its own on request, and in the downloads.
    basis = Cell(display("basis"), verbose_name=_("Basis"), optional=True, orderable=False)
    lead = Cell(
        lambda commitment: cells.names(queries.leads(commitment)),
        lambda commitment: cells.links(queries.leads(commitment)),
        attrs=WIDE,
        optional=True,
        verbose_name=_("Lead"),
        orderable=False,
    )
    sectors = RelatedCell("public_sectors", linked=False, optional=True, verbose_name=_("Sectors"))
    origin = Cell(
        lambda commitment: cells.names(public_origins(commitment)),
        lambda commitment: cells.links(public_origins(commitment)),
        attrs=WIDE,
        optional=True,
        verbose_name=_("Made in / at"),
        orderable=False,
    )
    last_reviewed_on = Cell(
        optional(attrgetter("last_reviewed_on"), datetime.date.isoformat),
        verbose_name=_("Last update"),
        card=True,
        order_by=("last_reviewed_on", "pk"),
    )
    # The downloads carry what the page shows of the basis and the promise.
    reasoning = export_only(lambda commitment: commitment.current_reasoning or "", _("Reasoning"))
    basis_passage = export_only(lambda commitment: commitment.current_passage or "", _("Quoted passage"))
    responsibilities = export_only(
        lambda commitment: "; ".join(
            f"{row.organization} ({row.get_role_display()}, {row.get_side_display()})"
            for row in commitment.public_responsibilities
        ),
        _("Lead and supporting organizations"),
    )
    promise_passage = export_only(attrgetter("promise_text"), _("The promise in its own words"))
    default_sort = ("due_on", False)

    class Meta(PublicTable.Meta):
        model = Commitment
        fields = ()


class VisitTable(PublicTable):
    title = name_cell("title", _("Visit or event"))
    kind = Cell(display("kind"), verbose_name=_("Kind"), order_by=("kind", "start_date", "pk"))
    start_date = Cell(attrgetter("date_display"), verbose_name=_("Date"), card=True, order_by=("start_date", "pk"))
    place = Cell(attrgetter("place"), verbose_name=_("Place"), card=True, order_by=("place", "pk"))
    host_country = Cell(
        optional(attrgetter("host_country"), str),
        verbose_name=_("Host country"),
        optional=True,
        order_by=("host_country__name", "pk"),
    )
    participants = RelatedCell("public_participants", linked=False, optional=True, verbose_name=_("Leading persons"))
    document_count = count_cell("document_count", _("Documents signed"), card=True)
    commitment_count = count_cell("commitment_count", _("Commitments made"), card=True)
    default_sort = ("start_date", True)

    class Meta(PublicTable.Meta):
        model = Visit
        fields = ()

    # An event the reports do not date ("date not reported") comes last whichever way a list is
    # sorted by date (on every database: SQLite and PostgreSQL put NULLs at opposite ends). Sorted
    # by kind, the dates within a kind follow the index (visit_public_kind_idx) as they are.

    def order_start_date(self, queryset, is_descending):
        return queryset.order_by(undated_last("start_date", is_descending), "-pk" if is_descending else "pk"), True


def undated_last(field: str, descending: bool):
    return F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)


class OrganizationTable(PublicTable):
    name = name_cell("name", _("Organization"))
    short_name = Cell(attrgetter("short_name"), verbose_name=_("Short name"), order_by=("short_name", "pk"))
    kind = Cell(display("kind"), verbose_name=_("Kind"), card=True, order_by=("kind", "name", "pk"))
    country = Cell(
        optional(attrgetter("country"), str),
        verbose_name=_("Country"),
        card=True,
        order_by=("country__name", "name", "pk"),
    )
    document_count = count_cell("document_count", _("Documents signed"), card=True)
    commitment_count = count_cell("commitment_count", _("Commitments"), card=True)
    default_sort = ("name", False)

    class Meta(PublicTable.Meta):
        model = Organization
        fields = ()


# --- Figures ------------------------------------------------------------------------------------


def plain_number(field: str):
    """A decimal column as a plain number for spreadsheets (69.4, -9.7), empty when not given."""
    return lambda figure: "" if (value := getattr(figure, field)) is None else format(value.normalize(), "f")


def figure_subject(figure) -> str:
    """What part of the indicator it is, and of which published figure: "mineral fertilizers, part of
    Exports (Jan–Sep 2024)"."""
    parent = figure.public_parent
    part_of = _("part of %(figure)s") % {"figure": f"{parent.indicator} ({parent.period_short})"} if parent else ""
    return ", ".join(filter(None, [figure.subject, part_of]))


def figure_indicator_html(figure):
    """The indicator's page, and under it what part of it the figure is and its direction."""
    lines = format_html_join(
        "",
        '<br><span class="muted">{}</span>',
        ((line,) for line in (figure_subject(figure), figure.direction_display) if line),
    )
    return format_html("{}{}", cells.link(figure.indicator), lines)


def figure_value_html(figure):
    """The value in the report's words, and under it the change it gives."""
    if not figure.change_display or figure.value is None:
        return cells.figure_value(figure)
    return format_html('{}<span class="printed">{}</span>', cells.figure_value(figure), figure.change_display)


def with_assessed(text, is_assessed):
    return lambda figure: f"{text(figure)} ({_('assessed')})" if is_assessed(figure) else text(figure)


class FigureTable(PublicTable):
    indicator = Cell(
        lambda figure: " — ".join(filter(None, [figure.indicator.name, figure_subject(figure)])),
        figure_indicator_html,
        verbose_name=_("Indicator"),
        attrs=TITLE,
        card=True,
        order_by=("indicator__name", "period_start", "pk"),
    )
    value = Cell(
        attrgetter("value_or_change"),
        figure_value_html,
        verbose_name=_("Value"),
        card=True,
        order_by=("amount", "pk"),
    )
    period = Cell(
        with_assessed(attrgetter("period_display"), attrgetter("period_is_assessed")),
        cells.figure_period,
        verbose_name=_("Period"),
        card=True,
        order_by=("period_start", "pk"),
    )
    reporter = Cell(
        with_assessed(
            lambda figure: figure.reporter_display or str(_("the report itself")), attrgetter("reporter_is_assessed")
        ),
        cells.figure_reporter,
        verbose_name=_("Reported by"),
        orderable=False,
    )
    source = Cell(
        lambda figure: source_name(figure.source),
        lambda figure: cells.source_link(figure.source),
        verbose_name=_("Source"),
        card=True,
        order_by=("source__published_on", "source__publisher", "pk"),
    )
    # On screen under the indicator and the value; in the downloads columns of their own, with
    # every other part of the figure, the passage above all.
    direction = export_only(attrgetter("direction_display"), _("Direction or side"))
    change = export_only(attrgetter("change_display"), _("Change"))
    passage = export_only(attrgetter("passage"), _("Passage quoted"))
    value_as_printed = export_only(attrgetter("value_as_printed"), _("Value as printed"))
    number = export_only(plain_number("value"), _("Number"))
    qualifier = export_only(display("qualifier"), _("Qualifier"))
    scale = export_only(display("scale"), _("Scale"))
    unit = export_only(display("unit"), _("Unit"))
    counted = export_only(attrgetter("counted"), _("Thing counted"))
    currency = export_only(attrgetter("currency"), _("Currency"))
    period_kind = export_only(display("period_kind"), _("Kind of period"))
    period_start = export_only(optional(attrgetter("period_start"), datetime.date.isoformat), _("Period start"))
    period_end = export_only(optional(attrgetter("period_end"), datetime.date.isoformat), _("Period end"))
    period_as_printed = export_only(attrgetter("period_as_printed"), _("Period as printed"))
    period_basis = export_only(display("period_basis"), _("Period basis"))
    period_reasoning = export_only(attrgetter("period_reasoning"), _("Why the period is read so"))
    reporter_basis = export_only(display("reporter_basis"), _("Reporter basis"))
    reporter_reasoning = export_only(attrgetter("reporter_reasoning"), _("Why the reporter is read so"))
    change_percent = export_only(plain_number("change_percent"), _("Change %"))
    change_absolute = export_only(plain_number("change_absolute"), _("Change (amount)"))
    change_compared_with = export_only(attrgetter("change_compared_with"), _("Compared with"))
    earlier_value = export_only(plain_number("earlier_value"), _("Earlier value"))
    source_title = export_only(lambda figure: figure.source.title, _("Source title"))
    source_url = export_only(lambda figure: figure.source.url, _("Source address"))
    note = export_only(attrgetter("note"), _("Editors' note"))
    default_sort = ("indicator", False)

    class Meta(PublicTable.Meta):
        model = Figure
        fields = ()
