"""Figures: the numbers of the relationship as the reports give them (trade turnover for a year or
part of one, exports and the goods behind their change, investment since 2008, flights a week, a
share of trade, a count of agreements), each with its period, unit, currency, direction, who
reported it, the source and its quoted passage.

Conventions (README "Domain"):
- The value is the report's own number with its qualifier ("surpassing $107 million" is more than
  107 million USD, never an exact 107), and `value_as_printed` keeps the words. A percentage the
  report computes stays the report's number; nothing here is computed from other figures.
- A period, reporter or currency that a report does not state in words is either "not reported"
  or *assessed*: labelled as the editors' reading, with the reasoning (`period_basis`,
  `reporter_basis`).
- Where sources give different numbers for what may be the same measure and period,
  `disagreements` finds them, and says how they differ.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import periods, slugs
from ..periods import PeriodKind
from .core import (
    Country,
    Document,
    Organization,
    Person,
    Publishable,
    PublishableQuerySet,
    SluggedMixin,
    Source,
    Visit,
    optional_link,
    slug_url,
)

__all__ = [
    "Disagreement",
    "Figure",
    "FigureBasis",
    "FigureQuerySet",
    "FigureSide",
    "FigureUnit",
    "Indicator",
    "IndicatorKind",
    "PeriodKind",
    "Qualifier",
    "Scale",
    "disagreements",
    "period_order",
    "source_name",
]


class IndicatorKind(models.TextChoices):
    MONEY = "money", _("amount of money")
    COUNT = "count", _("count")
    SHARE = "share", _("share")
    RATE = "rate", _("rate (per period)")
    DURATION = "duration", _("duration")


class FigureUnit(models.TextChoices):
    MONEY = "money", _("money (in a currency)")
    PERCENT = "percent", _("percent")
    NUMBER = "number", _("number of things (say which)")


class Indicator(SluggedMixin, models.Model):
    """What a figure measures: trade turnover, exports, passenger flights a week, … Staff add them
    as needed; like sectors they have no drafts: what the public sees is their published figures."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=slugs.MAX_LENGTH, unique=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=IndicatorKind)
    unit = models.CharField(
        _("default unit"),
        max_length=10,
        choices=FigureUnit,
        help_text=_("A new figure's unit, unless it says another."),
    )
    counted = models.CharField(
        _("default thing counted"),
        max_length=100,
        blank=True,
        help_text=_("For numbers: what is counted, e.g. “passenger flights per week”, “agreements”."),
    )
    comparable_over_time = models.BooleanField(
        _("comparable over time"),
        default=True,
        help_text=_(
            "Whether values for different periods measure the same thing and can be read as a series "
            "(trade turnover by year: yes; years since relations were established: no)."
        ),
    )
    featured = models.BooleanField(
        _("on the overview"), default=False, help_text=_("Show its latest published figure on the overview.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("reports:indicator", self.slug)


class Qualifier(models.TextChoices):
    """How the report words the value: "surpassing $107 million" is not an exact 107."""

    EXACTLY = "exactly", _("exactly")
    ABOUT = "about", _("about")
    MORE_THAN = "more_than", _("more than")
    SLIGHTLY_MORE_THAN = "slightly_more_than", _("slightly more than")
    SURPASSING = "surpassing", _("surpassing")
    LESS_THAN = "less_than", _("less than")
    UP_TO = "up_to", _("up to")


# A qualifier as a sign in front of a number, where words do not fit (a chart's labels).
QUALIFIER_SIGNS = {
    Qualifier.EXACTLY: "",
    Qualifier.ABOUT: "≈ ",
    Qualifier.MORE_THAN: "> ",
    Qualifier.SLIGHTLY_MORE_THAN: "> ",
    Qualifier.SURPASSING: "> ",
    Qualifier.LESS_THAN: "< ",
    Qualifier.UP_TO: "≤ ",
}


class Scale(models.IntegerChoices):
    """The power of ten the report prints the number in ("$69.4 million": 69.4 at 6)."""

    ONE = 0, _("as written")
    THOUSAND = 3, _("thousand")
    MILLION = 6, _("million")
    BILLION = 9, _("billion")


class FigureSide(models.TextChoices):
    FLOW = "flow", _("from one country to the other")
    BILATERAL = "bilateral", _("between the two countries")
    ONE_SIDE = "one_side", _("one country")
    NOT_STATED = "not_stated", _("not stated")


class FigureBasis(models.TextChoices):
    REPORTED = "reported", _("as the report states it")
    ASSESSED = "assessed", _("assessed by the editors")


def source_name(source) -> str:
    """ "nCa, 20 November 2024", or "DKNews.kz, undated": a source as a list of figures names it."""
    day = formats.date_format(source.published_on, "DATE_FORMAT") if source.published_on else gettext("undated")
    return f"{source.publisher}, {day}"


def number_text(value: Decimal | None) -> str:
    """A stored decimal as the report would print it: 69.4, 107, 17.3 (no trailing zeros), localized."""
    if value is None:
        return ""
    plain = format(value.normalize(), "f")
    return formats.number_format(Decimal(plain), use_l10n=True)


def signed(text: str, value: Decimal) -> str:
    """+7.6 / −9.7: a change with its sign (a minus sign, which no spreadsheet reads as a formula)."""
    return f"−{text.lstrip('-')}" if value < 0 else f"+{text}"


class FigureQuerySet(PublishableQuerySet):
    search_fields = ("indicator__name", "subject", "value_as_printed", "passage", "reported_by", "note")

    def given_by(self, records):
        """The figures the reports of `records` give (a queryset of visits or of documents): those
        whose source one of them cites, and those about one of them."""
        name = records.model._meta.model_name
        citing = records.model.sources.through.objects.filter(**{f"{name}__in": records}).values("source")
        return self.filter(Q(source__in=citing) | Q(**{f"about_{name}__in": records}))

    def overlapping(self, start, end):
        """Figures whose period shares a day with start–end (a period not reported shares none)."""
        return self.filter(period_start__lte=end).filter(Q(period_end__gte=start) | Q(period_end__isnull=True))

    def latest_first(self):
        """Latest period first; periods not reported last."""
        return self.order_by(F("period_end").desc(nulls_last=True), F("period_start").desc(nulls_last=True), "-id")


PERCENT_RANGE = (0, 100)


def period_constraints() -> list[models.CheckConstraint]:
    """A period is a real period of its kind (periods.is_real): the parts its kind needs, no others,
    a year in range, and part of a year a run of months within one year, shorter than the year."""
    given = {
        "year": Q(period_year__isnull=False),
        "first_month": Q(period_first_month__isnull=False),
        "last_month": Q(period_last_month__isnull=False),
        "day": Q(period_day__isnull=False),
    }
    shapes = Q()
    for kind, needed in periods.NEEDS.items():
        shape = Q(period_kind=kind)
        for part, condition in given.items():
            shape &= condition if part in needed else ~condition
        shapes |= shape
    year_range = (periods.EARLIEST_YEAR, periods.LATEST_YEAR)
    months = Q(period_first_month__gte=1, period_last_month__lte=12, period_first_month__lte=F("period_last_month"))
    return [
        models.CheckConstraint(
            condition=shapes,
            name="figure_period_matches_kind",
            violation_error_message=_(
                "Give the period's parts for its kind only: a year (year), part of a year (year, first and last "
                "month), a date (date), since a year (year), or none for a period not reported."
            ),
        ),
        models.CheckConstraint(
            condition=Q(period_year__isnull=True) | Q(period_year__range=year_range),
            name="figure_period_year_in_range",
            violation_error_message=_("The year is from 1900 to 2100."),
        ),
        models.CheckConstraint(
            condition=~Q(period_kind=PeriodKind.PART_YEAR) | (months & ~Q(period_first_month=1, period_last_month=12)),
            name="figure_part_year_within_one_year",
            violation_error_message=_(
                "Part of a year runs from a first to a last month (1–12) of that year, and is shorter than the year."
            ),
        ),
    ]


class Figure(SluggedMixin, Publishable):
    """One number a report gives: what it measures, its value and unit, period, direction, who
    reported it, its change against an earlier period, what it breaks down, and its source."""

    slug_source = "slug_text"

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="figures", verbose_name=_("indicator")
    )
    slug = models.SlugField(_("slug"), max_length=slugs.MAX_LENGTH, unique=True, blank=True)
    subject = models.CharField(
        _("subject"),
        max_length=300,
        blank=True,
        help_text=_("What part of the indicator this is, e.g. “mineral fertilizers” within exports."),
    )
    parent = optional_link(
        "self",
        "breakdown",
        _("breaks down"),
        help_text=_("The figure this one is part of (the exports whose growth the fertilizers explain)."),
    )

    # The value, as the report words it.
    value_as_printed = models.CharField(
        _("value as printed"),
        max_length=200,
        help_text=_("The report's own words for the number, e.g. “surpassing $107 million”."),
    )
    qualifier = models.CharField(_("qualifier"), max_length=20, choices=Qualifier, default=Qualifier.EXACTLY)
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "The number as printed, in the scale below (69.4 for “$69.4 million”). Empty when the "
            "report gives only a change."
        ),
    )
    scale = models.PositiveSmallIntegerField(_("scale"), choices=Scale, default=Scale.ONE)
    unit = models.CharField(_("unit"), max_length=10, choices=FigureUnit, blank=True)
    counted = models.CharField(
        _("thing counted"), max_length=100, blank=True, help_text=_("For numbers, e.g. “passenger flights per week”.")
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code (USD, EUR, KZT, RSD), for money only.")
    )
    # value × 10^scale, derived on save: figures in different scales sort and compare by it.
    amount = models.DecimalField(_("amount"), max_digits=30, decimal_places=4, null=True, editable=False)

    # The period.
    period_kind = models.CharField(_("period"), max_length=20, choices=PeriodKind, default=PeriodKind.NOT_REPORTED)
    period_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    period_first_month = models.PositiveSmallIntegerField(
        _("first month"), null=True, blank=True, help_text=_("1–12, for part of a year.")
    )
    period_last_month = models.PositiveSmallIntegerField(
        _("last month"), null=True, blank=True, help_text=_("1–12, for part of a year.")
    )
    period_day = models.DateField(_("date"), null=True, blank=True)
    period_as_printed = models.CharField(
        _("period as printed"),
        max_length=200,
        blank=True,
        help_text=_("The report's words: “until September”, “last year”."),
    )
    period_basis = models.CharField(_("period basis"), max_length=10, choices=FigureBasis, default=FigureBasis.REPORTED)
    period_reasoning = models.TextField(
        _("why the period is read so"), blank=True, help_text=_("Required when the period is assessed.")
    )
    # First and last day, derived on save (periods.bounds); empty when not reported (and the end of "since").
    period_start = models.DateField(_("period start"), null=True, editable=False, db_index=True)
    period_end = models.DateField(_("period end"), null=True, editable=False)

    # The direction or side.
    side = models.CharField(_("direction or side"), max_length=12, choices=FigureSide, default=FigureSide.BILATERAL)
    country = optional_link(
        Country, "figures", _("country"), help_text=_("The country a flow comes from, or the one side.")
    )
    counterpart = optional_link(
        Country, "figures_received", _("to country"), help_text=_("The country a flow goes to.")
    )

    # Who reported it.
    reported_by = models.CharField(
        _("reported by (as the report names it)"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “official Serbian statistics”. Empty when the report states it itself."),
    )
    reporter_organization = optional_link(Organization, "figures_reported", _("reporting organization"))
    reporter_person = optional_link(Person, "figures_reported", _("reporting person"))
    reporter_basis = models.CharField(
        _("reporter basis"), max_length=10, choices=FigureBasis, default=FigureBasis.REPORTED
    )
    reporter_reasoning = models.TextField(
        _("why the reporter is read so"), blank=True, help_text=_("Required when the reporter is assessed.")
    )

    # The change against an earlier period, as given (neither part computed from the other).
    change_percent = models.DecimalField(_("change %"), max_digits=9, decimal_places=2, null=True, blank=True)
    change_absolute = models.DecimalField(
        _("change (amount)"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("In the figure's scale, unit and currency; negative for a fall."),
    )
    change_compared_with = models.CharField(
        _("compared with"), max_length=200, blank=True, help_text=_("The earlier period, as printed.")
    )
    earlier_value = models.DecimalField(
        _("earlier value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("The earlier period's value, if the report gives it."),
    )

    # Where it comes from.
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="figures", verbose_name=_("source"))
    passage = models.TextField(
        _("quoted passage"), help_text=_("The report's sentence that gives the number, verbatim.")
    )
    about_visit = optional_link(Visit, "figures", _("about (visit or event)"))
    about_document = optional_link(Document, "figures", _("about (document)"))
    note = models.TextField(_("editors' note"), blank=True)

    objects = FigureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        # Undated figures last on every database.
        ordering = ["indicator__name", F("period_start").asc(nulls_last=True), "id"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        permissions = [("publish_figure", _("Can publish and unpublish figures"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(change_percent__isnull=False) | Q(change_absolute__isnull=False),
                name="figure_has_value_or_change",
                violation_error_message=_(
                    "A figure needs its value (or, where the report gives only a change, the change)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(value_as_printed=""),
                name="figure_value_as_printed_given",
                violation_error_message=_("Copy the report's words for the number into “value as printed”."),
            ),
            models.CheckConstraint(
                condition=~Q(passage=""),
                name="figure_passage_given",
                violation_error_message=_("A figure needs the passage of its source that gives it."),
            ),
            models.CheckConstraint(
                condition=~Q(unit=FigureUnit.PERCENT) | Q(value__isnull=True) | Q(value__range=PERCENT_RANGE),
                name="figure_share_within_0_100",
                violation_error_message=_("A percentage is from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(change_percent__isnull=True) | Q(change_percent__gte=-100),
                name="figure_change_not_below_minus_100",
                violation_error_message=_("Nothing falls by more than 100 percent."),
            ),
            models.CheckConstraint(
                condition=(Q(unit=FigureUnit.MONEY) & Q(currency__regex=r"^[A-Z]{3}$"))
                | (~Q(unit=FigureUnit.MONEY) & Q(currency="")),
                name="figure_currency_iso_4217_for_money",
                violation_error_message=_("Money needs its ISO 4217 currency code (USD, EUR); other units none."),
            ),
            *period_constraints(),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="figure_period_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=~Q(period_basis=FigureBasis.ASSESSED) | ~Q(period_reasoning=""),
                name="figure_assessed_period_has_reasoning",
                violation_error_message=_("Say why the period is read so (it is assessed)."),
            ),
            models.CheckConstraint(
                condition=~Q(reporter_basis=FigureBasis.ASSESSED) | ~Q(reporter_reasoning=""),
                name="figure_assessed_reporter_has_reasoning",
                violation_error_message=_("Say why the reporter is read so (it is assessed)."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(side=FigureSide.FLOW, country__isnull=False, counterpart__isnull=False)
                    & ~Q(country=F("counterpart"))
                )
                | Q(side=FigureSide.ONE_SIDE, country__isnull=False, counterpart__isnull=True)
                | Q(
                    side__in=[FigureSide.BILATERAL, FigureSide.NOT_STATED],
                    country__isnull=True,
                    counterpart__isnull=True,
                ),
                name="figure_side_matches_countries",
                violation_error_message=_(
                    "A flow goes from one country to another; one side is one country; "
                    "between the two countries, or not stated, names none."
                ),
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="figure_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["publication_status", "indicator", "period_start", "id"], name="figure_public_idx"),
            models.Index(fields=["publication_status", "period_start", "id"], name="figure_public_period_idx"),
        ]

    def __str__(self):
        parts = [str(self.indicator)]
        if self.subject:
            parts.append(self.subject)
        parts += [self.period_display, self.value_display or self.value_as_printed]
        return " · ".join(part for part in parts if part)

    def clean(self):
        # Before the constraints are checked (full_clean), so that they check the unit saved.
        self.take_indicator_defaults()
        errors = {}
        for field, record in (("about_visit", self.about_visit), ("about_document", self.about_document)):
            if record is not None and self.source_id and not record.sources.filter(pk=self.source_id).exists():
                # The record's page shows the figures of its sources (web/queries.py, sources_with_figures).
                errors[field] = _(
                    "“%(record)s” does not cite this figure's source: add the source to it first, so that "
                    "its page shows the figure."
                ) % {"record": record}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.take_indicator_defaults()
        self.derive()
        super().save(*args, **kwargs)

    def take_indicator_defaults(self) -> None:
        """A unit (and thing counted) left empty is the indicator's."""
        if self.indicator_id is not None:
            self.unit = self.unit or self.indicator.unit
            if self.unit == FigureUnit.NUMBER:
                self.counted = self.counted or self.indicator.counted

    def derive(self) -> None:
        """The stored fields derived from the others: the period's first and last day, and the
        amount (fixtures/build_seed.py derives the same, since loaddata bypasses save())."""
        self.period_start, self.period_end = periods.bounds(*self.period_parts)
        self.amount = None if self.value is None else Decimal(self.value).scaleb(self.scale)

    def get_absolute_url(self):
        return f"{self.indicator.get_absolute_url()}#figure-{self.slug}"

    @property
    def slug_text(self) -> str:
        return " ".join(filter(None, [self.indicator.name, self.subject, periods.slug_text(*self.period_parts)]))

    # --- How it reads ---------------------------------------------------------------------------

    @property
    def period_parts(self) -> tuple:
        return self.period_kind, self.period_year, self.period_first_month, self.period_last_month, self.period_day

    @property
    def period_display(self) -> str:
        """ "January–September 2024", "2025", "since 2008", "period not reported"."""
        return periods.display(*self.period_parts)

    @property
    def period_short(self) -> str:
        return periods.display(*self.period_parts, short=True)

    @property
    def period_is_assessed(self) -> bool:
        return self.period_basis == FigureBasis.ASSESSED

    @property
    def reporter_is_assessed(self) -> bool:
        return self.reporter_basis == FigureBasis.ASSESSED

    def _in_unit(self, number: str) -> str:
        scale = "" if self.scale == Scale.ONE else f" {Scale(self.scale).label}"
        if self.unit == FigureUnit.PERCENT:
            return gettext("%(number)s%%") % {"number": number}
        if self.unit == FigureUnit.MONEY:
            return f"{number}{scale} {self.currency}"
        return " ".join(filter(None, [f"{number}{scale}", self.counted]))

    @property
    def value_display(self) -> str:
        """ "more than 107 million USD", "about 90%", "14 passenger flights per week"; empty when the
        report gives only a change."""
        if self.value is None:
            return ""
        words = "" if self.qualifier == Qualifier.EXACTLY else f"{Qualifier(self.qualifier).label} "
        return words + self._in_unit(number_text(self.value))

    @property
    def value_or_change(self) -> str:
        """The value; for a figure that gives only a change, that change ("a change of +6.4 million USD")."""
        if self.value is not None or not self.change_display:
            return self.value_display
        return gettext("a change of %(change)s") % {"change": self.change_display}

    @property
    def value_short(self) -> str:
        """ "> 107", "≈ 813", "69.4": the value with its qualifier as a sign, for a chart."""
        if self.value is None:
            return ""
        return QUALIFIER_SIGNS[Qualifier(self.qualifier)] + number_text(self.value)

    @property
    def change_display(self) -> str:
        """ "−9.7%, compared with the same period in 2023 (76.9 million USD)", "−44.5%, −11 million USD"."""
        parts = []
        if self.change_percent is not None:
            parts.append(
                signed(gettext("%(number)s%%") % {"number": number_text(self.change_percent)}, self.change_percent)
            )
        if self.change_absolute is not None:
            parts.append(signed(self._in_unit(number_text(self.change_absolute)), self.change_absolute))
        if not parts:
            return ""
        text = ", ".join(parts)
        if self.change_compared_with:
            earlier = f" ({self._in_unit(number_text(self.earlier_value))})" if self.earlier_value is not None else ""
            return gettext("%(change)s compared with %(period)s%(earlier)s") % {
                "change": text,
                "period": self.change_compared_with,
                "earlier": earlier,
            }
        return text

    @property
    def direction_display(self) -> str:
        """ "Kazakhstan → Serbia", "between the two countries", "Serbia", "not stated"."""
        if self.side == FigureSide.FLOW:
            return f"{self.country} → {self.counterpart}"
        if self.side == FigureSide.ONE_SIDE:
            return str(self.country)
        return str(FigureSide(self.side).label)

    @property
    def direction_key(self) -> str:
        """The direction as a filter value: "KZ-RS", "RS", "bilateral", "not_stated"."""
        if self.side == FigureSide.FLOW:
            return f"{self.country.code}-{self.counterpart.code}"
        if self.side == FigureSide.ONE_SIDE:
            return self.country.code
        return self.side

    @property
    def public_reporter_organization(self):
        organization = self.reporter_organization
        return organization if organization is not None and organization.is_published else None

    @property
    def public_reporter_person(self):
        person = self.reporter_person
        return person if person is not None and person.is_published else None

    @property
    def reporter_display(self) -> str:
        """Who reported it, as the public may see it: the report's words, else the published person
        and organization; a draft one is never named. Empty: the report states it itself."""
        if self.reported_by:
            return self.reported_by
        named = [self.public_reporter_person and self.public_reporter_person.name, self.public_reporter_organization]
        return ", ".join(str(part) for part in named if part)

    @property
    def public_parent(self):
        parent = self.parent
        return parent if parent is not None and parent.is_published else None


# --- Where the sources disagree ------------------------------------------------------------------


def _same_measure(figure: Figure) -> tuple:
    return (figure.indicator_id, figure.side, figure.country_id, figure.counterpart_id, figure.subject.strip().lower())


def _reporter_key(figure: Figure):
    """Who stands behind the number: the body the report names, else the report itself."""
    if figure.reported_by:
        return ("named", figure.reported_by.strip().lower())
    if figure.reporter_person_id or figure.reporter_organization_id:
        return ("record", figure.reporter_person_id, figure.reporter_organization_id)
    return ("source", figure.source_id)


def may_share_a_period(first: Figure, second: Figure) -> bool:
    """Whether the two periods overlap. A period no report gives may be any period, so it may."""
    if first.period_start is None or second.period_start is None:
        return True
    first_end, second_end = first.period_end, second.period_end  # None: open-ended ("since 2008")
    return (second_end is None or first.period_start <= second_end) and (
        first_end is None or second.period_start <= first_end
    )


def disagree(first: Figure, second: Figure) -> bool:
    """Of the same measure, for what may be the same period, with a different value, currency or reporter."""
    return (
        _same_measure(first) == _same_measure(second)
        and may_share_a_period(first, second)
        and (
            first.amount != second.amount
            or first.currency != second.currency
            or _reporter_key(first) != _reporter_key(second)
        )
    )


@dataclasses.dataclass
class Disagreement:
    """Figures of one measure (indicator, direction, subject) that may be for the same period but
    differ in value, currency or reporter. `figures` in period order."""

    figures: list

    def _distinct(self, text) -> list[str]:
        seen = []
        for figure in self.figures:
            value = text(figure)
            if value not in seen:
                seen.append(value)
        return seen

    @property
    def differences(self) -> list[tuple[str, list[str]]]:
        """How they differ: (what, the distinct values), for each of value, period, currency,
        reporter, qualifier and source that is not the same for all."""
        aspects = [
            (gettext("value"), lambda figure: figure.value_display),
            (gettext("period"), lambda figure: figure.period_display),
            (gettext("currency"), lambda figure: figure.currency or gettext("none")),
            (gettext("reporter"), lambda figure: figure.reporter_display or gettext("the report itself")),
            (gettext("wording"), lambda figure: str(Qualifier(figure.qualifier).label)),
            (gettext("source"), lambda figure: source_name(figure.source)),
        ]
        found = [(name, self._distinct(text)) for name, text in aspects]
        return [(name, values) for name, values in found if len(values) > 1]

    @property
    def same_stated_period(self) -> bool:
        """Whether any two of them are for the same period as the reports state it (not assessed)."""
        stated = [
            figure.period_parts
            for figure in self.figures
            if figure.period_start is not None and not figure.period_is_assessed
        ]
        return len(stated) != len(set(stated))

    @property
    def rests_on_assessment(self) -> bool:
        return any(figure.period_is_assessed or figure.period_start is None for figure in self.figures)


def disagreements(figures) -> list[Disagreement]:
    """Groups of `figures` that disagree: of the same measure (indicator, direction, subject), with
    periods that overlap or may (one not reported), and different values, currencies or reporters.
    Figures linked by such a pair are in one group (a figure with no period links those for 2024 and
    2025). Figures that give only a change have no value to compare and are left out. No queries:
    the figures come with their related records."""
    candidates = [figure for figure in figures if figure.amount is not None]
    leader = list(range(len(candidates)))  # union-find: each figure's group, by its first member

    def group(index: int) -> int:
        while leader[index] != index:
            leader[index] = leader[leader[index]]  # halve the path
            index = leader[index]
        return index

    for i, first in enumerate(candidates):
        for j in range(i + 1, len(candidates)):
            second = candidates[j]
            if disagree(first, second):
                leader[group(j)] = group(i)
    groups: dict[int, list] = {}
    for index, figure in enumerate(candidates):
        groups.setdefault(group(index), []).append(figure)
    found = [Disagreement(sorted(members, key=period_order)) for members in groups.values() if len(members) > 1]
    return sorted(found, key=lambda disagreement: period_order(disagreement.figures[0]))


def period_order(figure: Figure) -> tuple:
    """Earliest period first, periods not reported last."""
    return (figure.period_start is None, figure.period_start or datetime.date.min, figure.pk or 0)
