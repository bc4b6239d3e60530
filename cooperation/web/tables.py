"""The tables of the public lists, and their exports.

Cells of related records read lists prefetched by the views (`public_*`
attributes) that hold published records only. Each column's export value is
the text the cell shows, so an export matches the table on screen.
"""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_tables2.export import TableExport
from tablib import Dataset

from cooperation.tracker.models import Commitment, Document, Organization, Visit

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def export_cell(value):
    """An empty cell is empty text in every format; text a spreadsheet would run
    as a formula gets a leading apostrophe (OWASP advice)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    """CSV, XLSX and JSON only; the same cell values, formula-like text escaped, in every format."""

    PUBLIC_FORMATS = (TableExport.CSV, TableExport.XLSX, TableExport.JSON)

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format in cls.PUBLIC_FORMATS

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        escaped = Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            escaped.append([export_cell(cell) for cell in row])
        return escaped


def names(records) -> str:
    return "; ".join(str(record) for record in records)


def links(records):
    return format_html_join("; ", '<a href="{}">{}</a>', ((r.get_absolute_url(), str(r)) for r in records))


def status_badge(record):
    return render_to_string("web/_status.html", {"commitment": record})


class RelatedColumn(tables.Column):
    """A list of related published records, read from a prefetched attribute."""

    def __init__(self, attribute, *, linked=True, **kwargs):
        self.attribute, self.linked = attribute, linked
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ())
        super().__init__(accessor="pk", **kwargs)

    def render(self, record):
        records = getattr(record, self.attribute)
        if not records:
            return ""
        return links(records) if self.linked else names(records)

    def value(self, record):
        return names(getattr(record, self.attribute))


class PartialDateColumn(tables.Column):
    """A date shown with its precision ('November 2024'); sorts by the stored date."""

    def __init__(self, display_attribute, **kwargs):
        self.display_attribute = display_attribute
        super().__init__(**kwargs)

    def render(self, record):
        return getattr(record, self.display_attribute) or ""

    def value(self, record):
        return getattr(record, self.display_attribute)


class PublishedLinkColumn(tables.Column):
    """A foreign key shown only when the related record is published."""

    def render(self, value):
        if not value.is_published:
            return ""
        return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value)

    def value(self, value):
        return str(value) if value.is_published else ""


WIDE = {"td": {"class": "wide"}, "th": {"class": "wide"}}


class PublicTable(tables.Table):
    class Meta:
        template_name = "web/_table.html"
        attrs = {"class": "data-table"}
        empty_text = _("Nothing matches these filters.")
        # Empty cells stay empty so the export matches the screen; CSS draws a dash.
        default = ""


class DocumentTable(PublicTable):
    title = tables.Column(verbose_name=_("Title"), attrs=WIDE, linkify=True, order_by=("title", "pk"))
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "title", "pk"))
    level = tables.Column(verbose_name=_("Level"), order_by=("level", "title", "pk"))
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "title", "pk"))
    signed_on = PartialDateColumn("signed_display", verbose_name=_("Signed"), order_by=("signed_on", "pk"))
    parties = RelatedColumn("public_parties", attrs=WIDE, verbose_name=_("Parties"))
    sectors = RelatedColumn("public_sectors", linked=False, verbose_name=_("Sectors"))
    signed_at = PublishedLinkColumn(attrs=WIDE, verbose_name=_("Signed at"), order_by=("signed_at__start_date", "pk"))

    class Meta(PublicTable.Meta):
        model = Document
        fields = ()
        sequence = ("title", "kind", "level", "status", "signed_on", "parties", "sectors", "signed_at")

    def render_title(self, record):
        return str(record)

    def value_title(self, record):
        return str(record)


class CommitmentTable(PublicTable):
    title = tables.Column(verbose_name=_("Commitment"), attrs=WIDE, linkify=True, order_by=("title", "pk"))
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "title", "pk"))
    progress = tables.Column(verbose_name=_("Progress"), order_by=("progress", "pk"))
    due_on = PartialDateColumn("due_display", verbose_name=_("Due"), order_by=("deadline", "pk"))
    overdue = tables.Column(verbose_name=_("Overdue"), accessor="pk", orderable=False, empty_values=())
    responsible = RelatedColumn("public_responsible", attrs=WIDE, verbose_name=_("Responsible"))
    sectors = RelatedColumn("public_sectors", linked=False, verbose_name=_("Sectors"))
    origin = tables.Column(attrs=WIDE, verbose_name=_("Made in / at"), accessor="pk", orderable=False, empty_values=())
    last_reviewed_on = tables.DateColumn(verbose_name=_("Last update"), format="Y-m-d")

    class Meta(PublicTable.Meta):
        model = Commitment
        fields = ()
        sequence = (
            "title",
            "status",
            "progress",
            "due_on",
            "overdue",
            "responsible",
            "sectors",
            "origin",
            "last_reviewed_on",
        )

    def render_status(self, record):
        return status_badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def render_progress(self, record):
        return render_to_string("web/_progress.html", {"progress": record.progress})

    def value_progress(self, record):
        return f"{record.progress}%"

    def render_overdue(self, record):
        return format_html('<span class="flag flag-overdue">{}</span>', _("overdue")) if record.is_overdue else ""

    def value_overdue(self, record):
        return str(_("overdue")) if record.is_overdue else ""

    @staticmethod
    def public_origins(record):
        return [origin for origin in (record.origin_document, record.origin_visit) if origin and origin.is_published]

    def render_origin(self, record):
        return links(self.public_origins(record)) or ""

    def value_origin(self, record):
        return names(self.public_origins(record))


class VisitTable(PublicTable):
    title = tables.Column(verbose_name=_("Visit or event"), attrs=WIDE, linkify=True, order_by=("title", "pk"))
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "start_date", "pk"))
    start_date = PartialDateColumn("date_display", verbose_name=_("Date"), order_by=("start_date", "pk"))
    place = tables.Column(verbose_name=_("Place"), order_by=("place", "pk"))
    host_country = tables.Column(verbose_name=_("Host country"), order_by=("host_country__name", "pk"))
    participants = RelatedColumn("public_participants", linked=False, verbose_name=_("Leading persons"))
    document_count = tables.Column(verbose_name=_("Documents signed"), order_by=("document_count", "pk"))
    commitment_count = tables.Column(verbose_name=_("Commitments made"), order_by=("commitment_count", "pk"))

    class Meta(PublicTable.Meta):
        model = Visit
        fields = ()
        sequence = (
            "title",
            "kind",
            "start_date",
            "place",
            "host_country",
            "participants",
            "document_count",
            "commitment_count",
        )

    def render_title(self, record):
        return record.title

    def value_title(self, record):
        return record.title


class OrganizationTable(PublicTable):
    name = tables.Column(verbose_name=_("Organization"), attrs=WIDE, linkify=True, order_by=("name", "pk"))
    short_name = tables.Column(verbose_name=_("Short name"), order_by=("short_name", "pk"))
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "name", "pk"))
    country = tables.Column(verbose_name=_("Country"), order_by=("country__name", "name", "pk"))
    document_count = tables.Column(verbose_name=_("Documents signed"), order_by=("document_count", "pk"))
    commitment_count = tables.Column(verbose_name=_("Commitments"), order_by=("commitment_count", "pk"))

    class Meta(PublicTable.Meta):
        model = Organization
        fields = ()
        sequence = ("name", "short_name", "kind", "country", "document_count", "commitment_count")
