"""HTML fragments drawn many times a page: by the list tables (one per cell) and by the templates
(through the `cells` template tags). Built with format_html rather than small templates: at 25
rows a page, rendering a template per cell cost more than the page's queries."""

import functools

from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _


@functools.cache
def _choice_labels(field, language: str) -> dict:
    return {value: str(label) for value, label in field.flatchoices}


def choice_label(record, field_name: str):
    """What record.get_<field_name>_display() gives, with the labels read once per field and
    language: Django rebuilds the choice map on every call (60 µs; three columns, 25 rows)."""
    value = getattr(record, field_name)
    return _choice_labels(record._meta.get_field(field_name), get_language()).get(value, value)


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
    return format_html('<span class="badge status-{}">{}</span>', record.status, choice_label(record, "status"))


def progress_bar(progress):
    return format_html(
        '<span class="progress"><progress max="100" value="{0}" aria-label="{1}">{0}%</progress>'
        '<span class="progress-text">{0}%</span></span>',
        progress,
        _("Progress"),
    )


def overdue_flag(commitment):
    return format_html('<span class="flag flag-overdue">{}</span>', _("overdue")) if commitment.is_overdue else ""
