"""HTML fragments drawn many times a page: by the list tables (one per cell) and by the templates
(through the `cells` template tags). Built with format_html rather than small templates: at 25
rows a page, rendering a template per cell cost more than the page's queries."""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _


def link(record, text=None):
    return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record if text is None else text)


def links(records):
    """Related records as links, separated by semicolons."""
    return format_html_join("; ", '<a href="{}">{}</a>', ((record.get_absolute_url(), record) for record in records))


def names(records) -> str:
    """The same records as plain text, as exports show them."""
    return "; ".join(str(record) for record in records)


def status_badge(record):
    """A commitment's or status update's status."""
    return format_html('<span class="badge status-{}">{}</span>', record.status, record.get_status_display())


def progress_bar(progress):
    return format_html(
        '<span class="progress"><progress max="100" value="{0}" aria-label="{1}">{0}%</progress>'
        '<span class="progress-text">{0}%</span></span>',
        progress,
        _("Progress"),
    )


def overdue_flag(commitment):
    return format_html('<span class="flag flag-overdue">{}</span>', _("overdue")) if commitment.is_overdue else ""
