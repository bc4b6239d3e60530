"""Dates that keep their precision: a report may give only "September 2024"."""

import calendar
import datetime
import functools

from django.db import models
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def period(value: datetime.date, precision: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the day, month or year that `value` stands for."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1), value.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1), value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value, value


def normalize(value: datetime.date | None, precision: str) -> datetime.date | None:
    """The first day of the period, so that sorting and ranges behave."""
    return None if value is None else period(value, precision)[0]


def period_end(value: datetime.date | None, precision: str) -> datetime.date | None:
    """The last day of the period: a promise due "in November 2024" is late on 1 December."""
    return None if value is None else period(value, precision)[1]


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """'19 November 2024', 'November 2024' or '2024'."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    return _localized(value, precision, translation.get_language())


@functools.lru_cache(maxsize=4096)
def _localized(value: datetime.date, precision: str, language: str) -> str:
    # Kept per language (date_format reads the active one): a list page formats the same few
    # dates again and again, at ~8 µs each.
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


def shifted(day: datetime.date, days: int) -> datetime.date:
    """`day` moved by `days` (negative: back), stopping at the ends of the calendar (1 January of
    year 1, 31 December 9999) instead of failing: a report "as of" 2 January of year 1 with a
    180-day stale window has no cutoff before year 1, so nothing there is stale."""
    ordinal = min(max(day.toordinal() + days, datetime.date.min.toordinal()), datetime.date.max.toordinal())
    return datetime.date.fromordinal(ordinal)
