"""The period a figure is for, as a report gives it: a year, part of a year (a run of months within
one year, e.g. January–September 2024), a day, "since YEAR" (cumulative, with no end given), or not
reported at all.

Stored as its kind and what the report gives (the year, the first and last month, the day); the
first and last day (`bounds`) are derived from them, so figures sort and filter by date. A period
no report gives has no bounds: it is neither before nor after anything.

Needs no Django set-up (the labels are lazy): fixtures/build_seed.py derives the seed's bounds and
slugs with these same functions.
"""

import calendar
import datetime

from django.db import models
from django.utils import formats
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    YEAR = "year", _("a year")
    PART_YEAR = "part_year", _("part of a year (months)")
    DATE = "date", _("a date")
    SINCE = "since", _("since a year (cumulative)")
    NOT_REPORTED = "not_reported", _("not reported")


# The parts of a period each kind is given by (the rest stay empty): checked by the figure's
# constraints, and named in their messages.
NEEDS = {
    PeriodKind.YEAR: {"year"},
    PeriodKind.PART_YEAR: {"year", "first_month", "last_month"},
    PeriodKind.DATE: {"day"},
    PeriodKind.SINCE: {"year"},
    PeriodKind.NOT_REPORTED: set(),
}
PARTS = ("year", "first_month", "last_month", "day")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
# Month names in slugs, which are ASCII and never translated.
MONTH_SLUGS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def is_real(kind: str, year=None, first_month=None, last_month=None, day=None) -> bool:
    """Whether the parts make a period of `kind`: the parts it needs given and sensible, no others.
    A part of a year is a run of months within that year, shorter than the whole year."""
    given = {name for name, value in zip(PARTS, (year, first_month, last_month, day), strict=True) if value is not None}
    if kind not in NEEDS or given != NEEDS[kind]:
        return False
    if year is not None and not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return False
    if kind == PeriodKind.PART_YEAR:
        return 1 <= first_month <= last_month <= 12 and (first_month, last_month) != (1, 12)
    return True


def bounds(kind: str, year=None, first_month=None, last_month=None, day=None):
    """(first day, last day) of the period; None where there is none (the end of "since 2008",
    both ends of a period not reported, or parts that do not make a period)."""
    if not is_real(kind, year, first_month, last_month, day):
        return None, None
    if kind == PeriodKind.YEAR:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if kind == PeriodKind.PART_YEAR:
        last_day = calendar.monthrange(year, last_month)[1]
        return datetime.date(year, first_month, 1), datetime.date(year, last_month, last_day)
    if kind == PeriodKind.DATE:
        return day, day
    if kind == PeriodKind.SINCE:
        return datetime.date(year, 1, 1), None
    return None, None


def slug_text(kind: str, year=None, first_month=None, last_month=None, day=None) -> str:
    """The period in a figure's slug: "2024", "jan-sep-2024", "2026-02-26", "since-2008", or nothing."""
    if not is_real(kind, year, first_month, last_month, day):
        return ""
    if kind == PeriodKind.PART_YEAR:
        months = MONTH_SLUGS[first_month - 1]
        if last_month != first_month:
            months += f"-{MONTH_SLUGS[last_month - 1]}"
        return f"{months}-{year}"
    if kind == PeriodKind.DATE:
        return day.isoformat()
    if kind == PeriodKind.SINCE:
        return f"since-{year}"
    return str(year) if kind == PeriodKind.YEAR else ""


def display(kind: str, year=None, first_month=None, last_month=None, day=None, *, short: bool = False) -> str:
    """ "January–September 2024", "2025", "19 November 2024", "since 2008", "period not reported";
    `short` for a chart's axis: "Jan–Sep 2024", "19 Nov 2024", "not reported"."""
    if kind == PeriodKind.NOT_REPORTED:
        return gettext("not reported") if short else gettext("period not reported")
    if not is_real(kind, year, first_month, last_month, day):
        return ""
    if kind == PeriodKind.YEAR:
        return str(year)
    if kind == PeriodKind.SINCE:
        return gettext("since %(year)s") % {"year": year}
    if kind == PeriodKind.DATE:
        return formats.date_format(day, "j M Y" if short else "DATE_FORMAT")
    names = MONTHS_3 if short else MONTHS
    months = capfirst(names[first_month])
    if last_month != first_month:
        months += f"–{capfirst(names[last_month])}"
    return f"{months} {year}"
