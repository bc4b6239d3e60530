"""HTML fragments drawn many times a page: by the list tables (one per cell) and by the templates
(through the `cells` template tags). Built with format_html rather than small templates: at 25
rows a page, rendering a template per cell cost more than the page's queries."""

import functools

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cooperation.tracker.models import progress_is_measured, source_name


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


def status_badge_with_basis(commitment):
    """A commitment's status and, under it, how it is known (reported / assessed), as the report
    shows it: a journalist reads both in one cell."""
    if not commitment.basis:
        return status_badge(commitment)
    return format_html(
        '{}<span class="basis-note">{}</span>', status_badge(commitment), choice_label(commitment, "basis")
    )


def document_status_badge(document):
    """A document's lifecycle status (signed, in force, …), as its page shows it."""
    return format_html('<span class="badge doc-status-{}">{}</span>', document.status, choice_label(document, "status"))


@functools.lru_cache(maxsize=1024)
def _percent(number, language: str) -> str:
    return _("%(number)s%%") % {"number": formats.number_format(number, use_l10n=True)}


def percent(number) -> str:
    """A percentage as the language writes it: 45%, 9,7 %, … (the catalogue's "%(number)s%%")."""
    return _percent(number, get_language())


def progress_bar(record):
    """A commitment's or update's progress as a bar, or "not measured" where its 0 % is no measure."""
    progress = record.progress
    if not progress_is_measured(record.status, progress):
        return format_html('<span class="progress progress-unmeasured muted">{}</span>', _("progress not measured"))
    text = percent(progress)
    return format_html(
        '<span class="progress"><progress max="100" value="{0}" aria-label="{1}">{2}</progress>'
        '<span class="progress-text">{2}</span></span>',
        progress,
        _("Progress"),
        text,
    )


def overdue_flag(commitment):
    return format_html('<span class="flag flag-overdue">{}</span>', _("overdue")) if commitment.is_overdue else ""


# --- Figures ------------------------------------------------------------------------------------


def assessed_flag(reasoning: str):
    """Marks what the editors read into a report, with why (the full reasoning is also in the exports
    and on the indicator's page)."""
    return format_html('<span class="flag flag-assessed" title="{}">{}</span>', reasoning, _("assessed"))


def figure_value(figure):
    """The value with its qualifier, and under it the report's own words."""
    value = figure.value_or_change
    return format_html(
        '<span class="figure-value">{}</span> <span class="printed">“{}”</span>', value, figure.value_as_printed
    )


def figure_period(figure):
    """ "January–September 2024 [assessed] “until September”"."""
    parts = [format_html("{}", figure.period_display)]
    if figure.period_is_assessed:
        parts.append(assessed_flag(figure.period_reasoning))
    if figure.period_as_printed:
        parts.append(format_html('<span class="printed">“{}”</span>', figure.period_as_printed))
    return format_html_join(" ", "{}", ((part,) for part in parts))


def figure_reporter(figure):
    """Who reported it (a published organization linked), or that the report states it itself."""
    organization = figure.public_reporter_organization
    text = figure.reporter_display or _("the report itself")
    html = link(organization, text) if organization is not None else format_html("{}", text)
    if figure.reporter_is_assessed:
        html = format_html("{} {}", html, assessed_flag(figure.reporter_reasoning))
    return html


def source_link(source):
    """The source's name, linked to it when it has an address, with its title on hover."""
    if source.url:
        return format_html(
            '<a href="{}" rel="noopener noreferrer" title="{}">{}</a>', source.url, source.title, source_name(source)
        )
    return format_html('<span title="{}">{}</span>', source.title, source_name(source))
