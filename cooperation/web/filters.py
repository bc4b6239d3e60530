"""The filter forms of the public lists.

Every choice offered comes from published data or from fixed vocabularies.
Choices that could run into thousands (organizations, people, visits,
documents) are plain text inputs resolved on the server: a slug picks one
record, any other text matches names without case or diacritics (`RecordFilter`). The short lists (sectors
in use, countries, years) are read through the query cache (`CachedChoiceFilter`).
"""

import datetime
import functools

import django_filters as filters
from django import forms
from django.core.validators import EMPTY_VALUES
from django.db import connections
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cooperation.caching.remember import QUERIES, remember
from cooperation.tracker.models import (
    Basis,
    Commitment,
    Country,
    Document,
    DocumentKind,
    Figure,
    FigureSide,
    Indicator,
    Organization,
    Person,
    PublicationStatus,
    Sector,
    Side,
    Source,
    Visit,
)

from .widgets import PlainSelect

PUBLISHED = PublicationStatus.PUBLISHED

# Long enough for any real name or title; bounds the work a query string can ask for.
TEXT_MAX_LENGTH = 200


class RecordFilter(filters.CharFilter):
    """Rows related to a published record typed by its slug or part of its name (there may be
    thousands of them, too many for a select), found among `records` by their queryset's `named`
    (without case or diacritics: "vucic" finds "Vučić"). The rows reach those records through
    their foreign key `field`, or through `method`, a method of their queryset that takes the
    records (a many-to-many relation, read by a subquery so that no row is listed twice)."""

    def __init__(self, label, placeholder, records, *, field=None, method=None):
        widget = forms.TextInput(attrs={"placeholder": placeholder, "autocomplete": "off"})
        super().__init__(label=label, max_length=TEXT_MAX_LENGTH, widget=widget)
        self.records, self.via_field, self.via_method = records, field, method

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        found = self.records.objects.published().named(value)
        if self.via_method:
            return getattr(queryset, self.via_method)(found)
        return queryset.filter(**{f"{self.via_field}__in": found})


def vocabulary_filter(model, field: str, label, empty_label) -> filters.ChoiceFilter:
    """One of the values of `model`'s choice field `field`, offered as the model offers them."""
    return filters.ChoiceFilter(
        label=label, field_name=field, choices=model._meta.get_field(field).choices, empty_label=empty_label
    )


def date_filter(label, field: str, lookup: str) -> filters.DateFilter:
    return filters.DateFilter(
        label=label, field_name=field, lookup_expr=lookup, widget=forms.DateInput(attrs={"type": "date"})
    )


def used_sectors(model) -> list[tuple[str, str]]:
    """(slug, name) of the sectors that at least one published record of the listed model carries.

    A correlated subquery with LIMIT 1 stops at the first published record of each sector.
    (PostgreSQL turns an EXISTS into a semi-join that reads every link row of every
    sector: 4 ms instead of 0.2 ms at 100,000 commitments.)
    """
    links = model.sectors.through.objects.filter(
        sector=OuterRef("pk"), **{f"{model._meta.model_name}__publication_status": PUBLISHED}
    )
    used = Sector.objects.alias(first_link=Subquery(links.values("pk")[:1])).filter(first_link__isnull=False)
    return list(used.values_list("slug", "name"))


def all_countries() -> list[tuple[str, str]]:
    return list(Country.objects.values_list("code", "name"))


class CachedChoiceFilter(filters.ChoiceFilter):
    """A choice among values that the data holds (sectors in use, countries, years).

    `choices` is a function of no arguments that queries them; the filter set reads its result
    through the query cache (caching/remember.py): one query per change of the data, not one per page.
    """

    def __init__(self, *args, choices, **kwargs):
        self.choices_query = choices
        super().__init__(*args, choices=choices, **kwargs)


def country_filter(label, **target) -> CachedChoiceFilter:
    """A country by its ISO code; `target` is the filter's field_name= or method=."""
    return CachedChoiceFilter(label=label, choices=all_countries, empty_label=_("any country"), **target)


def sector_filter(model):
    """Records in one sector, chosen by its slug among the sectors that published `model` records carry."""
    return CachedChoiceFilter(
        label=_("Sector"),
        field_name="sectors__slug",
        choices=functools.partial(used_sectors, model),
        empty_label=_("any sector"),
    )


class PublicFilterSet(filters.FilterSet):
    q = filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words to look for")}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for name, choice_filter in self.filters.items():
            if isinstance(choice_filter, filters.ChoiceFilter):
                choice_filter.extra.setdefault("widget", PlainSelect)
            if isinstance(choice_filter, CachedChoiceFilter):
                # Per language: the choices' names are translated (README "Languages").
                key = f"choices:{model._meta.label}:{name}:{get_language()}"
                # Read once per form (rendering and validation both go through the choices).
                choice_filter.extra["choices"] = functools.cache(
                    functools.partial(remember, self.request, QUERIES, key, choice_filter.choices_query)
                )

    def search(self, queryset, name, value):
        return queryset.search(value)

    def choice_label(self, name: str, value: str) -> str:
        """The label the form shows for a choice of filter `name`."""
        return dict(self.filters[name].extra["choices"]()).get(value, value)


YES = "yes"

# Readers ask for "memorandums" without caring which of the two kinds a report named.
ANY_MEMORANDUM = "memorandum"
MEMORANDUM_KINDS = (DocumentKind.MEMORANDUM_OF_UNDERSTANDING, DocumentKind.MEMORANDUM_OF_COOPERATION)
DOCUMENT_KIND_CHOICES = [(ANY_MEMORANDUM, _("any memorandum")), *DocumentKind.choices]


class DocumentFilter(PublicFilterSet):
    kind = filters.ChoiceFilter(
        label=_("Kind"), choices=DOCUMENT_KIND_CHOICES, method="filter_kind", empty_label=_("any kind")
    )
    level = vocabulary_filter(Document, "level", _("Level"), _("any level"))
    status = vocabulary_filter(Document, "status", _("Lifecycle status"), _("any status"))
    sector = sector_filter(Document)
    country = country_filter(_("Country of a party"), method="filter_country")
    party = RecordFilter(_("Party organization"), _("name or short name"), Organization, method="with_party_among")
    visit = RecordFilter(_("Signed at (visit)"), _("visit title"), Visit, field="signed_at")
    # What the overview counts as "documents signed" (DocumentQuerySet.signed).
    signed = filters.ChoiceFilter(
        label=_("Signed"), choices=[(YES, _("signed only"))], method="filter_signed", empty_label=_("any")
    )
    signed_from = date_filter(_("Signed from"), "signed_on", "gte")
    signed_to = date_filter(_("Signed until"), "signed_on", "lte")
    # Answered from the stored, indexed treaty state (status, awaiting_kz, awaiting_rs).
    in_force = filters.ChoiceFilter(
        label=_("In force"),
        choices=[(YES, _("in force")), ("no", _("not in force"))],
        method="filter_in_force",
        empty_label=_("either"),
    )
    awaiting = filters.ChoiceFilter(
        label=_("Awaiting internal procedures of"),
        choices=[("KZ", _("Kazakhstan")), ("RS", _("Serbia"))],
        method="filter_awaiting",
        empty_label=_("no matter"),
    )

    class Meta:
        model = Document
        fields = []

    def filter_in_force(self, queryset, name, value):
        return queryset.in_force() if value == YES else queryset.not_in_force()

    def filter_awaiting(self, queryset, name, value):
        return queryset.awaiting(value)

    def filter_kind(self, queryset, name, value):
        if value == ANY_MEMORANDUM:
            return queryset.filter(kind__in=MEMORANDUM_KINDS)
        return queryset.filter(kind=value)

    def filter_country(self, queryset, name, value: str):
        return queryset.with_party_in_country(value)

    def filter_signed(self, queryset, name, value):
        return queryset.signed()


class OverdueChoice:
    YES = "yes"
    NO = "no"
    choices = [(YES, _("overdue only")), (NO, _("not overdue"))]


class CommitmentFilter(PublicFilterSet):
    status = vocabulary_filter(Commitment, "status", _("Status"), _("any status"))
    overdue = filters.ChoiceFilter(
        label=_("Overdue"), choices=OverdueChoice.choices, method="filter_overdue", empty_label=_("either")
    )
    sector = sector_filter(Commitment)
    responsible = RecordFilter(
        _("Responsible organization"), _("name or short name"), Organization, method="responsible_among"
    )
    country = country_filter(_("Country of a responsible organization"), method="filter_country")
    # The lead organization (Responsibility, role "lead"), by slug or name, and the side that must act.
    lead = RecordFilter(_("Lead organization"), _("name or short name"), Organization, method="led_by")
    side = filters.ChoiceFilter(
        label=_("Side that must act"), choices=Side.choices, method="filter_side", empty_label=_("either side")
    )
    # How the current status is known: the latest published update's basis (Commitment.basis).
    basis = filters.ChoiceFilter(
        label=_("Basis of the status"), choices=Basis.choices, field_name="basis", empty_label=_("any basis")
    )
    document = RecordFilter(_("Made in (document)"), _("document title"), Document, field="origin_document")
    visit = RecordFilter(_("Made at (visit)"), _("visit title"), Visit, field="origin_visit")
    # What the overview counts as due soon (CommitmentQuerySet.due_within, DUE_SOON_DAYS).
    due_soon = filters.ChoiceFilter(
        label=_("Due soon"), choices=[(YES, _("due soon only"))], method="filter_due_soon", empty_label=_("any")
    )
    # The deadline (the last day of the due month or year) falls in the range.
    due_from = date_filter(_("Due from"), "deadline", "gte")
    due_to = date_filter(_("Due until"), "deadline", "lte")

    class Meta:
        model = Commitment
        fields = []

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.overdue(today) if value == OverdueChoice.YES else queryset.not_overdue(today)

    def filter_due_soon(self, queryset, name, value):
        return queryset.due_within(today=timezone.localdate())

    def filter_country(self, queryset, name, value: str):
        return queryset.responsible_in_country(value)

    def filter_side(self, queryset, name, value: str):
        return queryset.to_act_on_side(value)


def visit_years() -> list[tuple[str, str]]:
    """Years that published visits fall in, newest first (an undated event falls in none)."""
    published = Visit.objects.published().exclude(start_date=None)
    if connections[published.db].vendor == "sqlite":
        # SQLite stores dates as ISO text; dates() would call a Python function on every row there
        # (10 ms at 5,000 visits).
        first_four = published.annotate(year=Substr("start_date", 1, 4)).order_by("-year")
        years = list(first_four.values_list("year", flat=True).distinct())
    else:
        years = [str(day.year) for day in published.dates("start_date", "year", order="DESC")]
    return [(year, year) for year in years]


class VisitFilter(PublicFilterSet):
    kind = vocabulary_filter(Visit, "kind", _("Kind"), _("any kind"))
    host_country = country_filter(_("Host country"), field_name="host_country__code")
    year = CachedChoiceFilter(label=_("Year"), method="filter_year", choices=visit_years, empty_label=_("any year"))
    sector = sector_filter(Visit)
    person = RecordFilter(_("Person taking part"), _("name"), Person, method="with_participant_among")

    class Meta:
        model = Visit
        fields = []

    def filter_year(self, queryset, name, value: str):
        return queryset.filter(start_date__year=int(value))


class OrganizationFilter(PublicFilterSet):
    country = country_filter(_("Country"), field_name="country__code")
    kind = vocabulary_filter(Organization, "kind", _("Kind"), _("any kind"))
    sector = sector_filter(Organization)

    class Meta:
        model = Organization
        fields = []


# --- Figures --------------------------------------------------------------------------------------


def published_figures():
    return Figure.objects.published()


def figure_indicators() -> list[tuple[str, str]]:
    """(slug, name) of the indicators that published figures measure."""
    used = Indicator.objects.filter(pk__in=published_figures().values("indicator"))
    return list(used.values_list("slug", "name"))


def figure_years() -> list[tuple[str, str]]:
    """The years the periods of published figures begin or end in, newest first (a figure "since
    2008" is also found under any later year, by overlap)."""
    years = set()
    for start, end in (
        published_figures().exclude(period_start=None).values_list("period_start", "period_end").distinct()
    ):
        years.update(day.year for day in (start, end) if day)
    return [(str(year), str(year)) for year in sorted(years, reverse=True)]


def figure_directions() -> list[tuple[str, str]]:
    """The directions of published figures as (key, label): "KZ-RS" Kazakhstan → Serbia, "RS" one
    side, "bilateral", "not_stated" (Figure.direction_key)."""
    columns = ("side", "country__code", "country__name", "counterpart__code", "counterpart__name")
    found = {}
    for side, code, name, to_code, to_name in published_figures().values_list(*columns).distinct():
        if side == FigureSide.FLOW:
            found[f"{code}-{to_code}"] = f"{name} → {to_name}"
        elif side == FigureSide.ONE_SIDE:
            found[code] = _("%(country)s (one side)") % {"country": name}
        else:
            found[side] = str(FigureSide(side).label)
    return sorted(found.items(), key=lambda item: item[1])


def figure_sources() -> list[tuple[str, str]]:
    """(id, "publisher, date: title") of the sources published figures cite; sources have no slug."""
    used = Source.objects.filter(pk__in=published_figures().values("source"))
    return [(str(source.pk), Truncator(str(source)).chars(90)) for source in used]


class FigureFilter(PublicFilterSet):
    indicator = CachedChoiceFilter(
        label=_("Indicator"), field_name="indicator__slug", choices=figure_indicators, empty_label=_("any indicator")
    )
    year = CachedChoiceFilter(
        label=_("Year (the period overlaps it)"),
        method="filter_year",
        choices=figure_years,
        empty_label=_("any year"),
    )
    period = vocabulary_filter(Figure, "period_kind", _("Kind of period"), _("any kind of period"))
    direction = CachedChoiceFilter(
        label=_("Direction or side"), method="filter_direction", choices=figure_directions, empty_label=_("any")
    )
    reporter = filters.CharFilter(
        label=_("Reported by"),
        method="filter_reporter",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("body, person or words"), "autocomplete": "off"}),
    )
    source = CachedChoiceFilter(
        label=_("Source"), field_name="source", choices=figure_sources, empty_label=_("any source")
    )
    visit = RecordFilter(_("In the reports of (visit)"), _("visit title"), Visit, method="given_by")
    document = RecordFilter(_("In the reports of (document)"), _("document title"), Document, method="given_by")

    class Meta:
        model = Figure
        fields = []

    def filter_year(self, queryset, name, value: str):
        year = int(value)
        return queryset.overlapping(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def filter_direction(self, queryset, name, value: str):
        if value in (FigureSide.BILATERAL, FigureSide.NOT_STATED):
            return queryset.filter(side=value)
        origin, _separator, destination = value.partition("-")
        if destination:
            return queryset.filter(side=FigureSide.FLOW, country__code=origin, counterpart__code=destination)
        return queryset.filter(side=FigureSide.ONE_SIDE, country__code=origin)

    def filter_reporter(self, queryset, name, value):
        """The report's words for the reporter, or a published organization or person by slug or name."""
        organizations = Organization.objects.published().named(value)
        people = Person.objects.published().named(value)
        return queryset.filter(
            Q(reported_by__icontains=value) | Q(reporter_organization__in=organizations) | Q(reporter_person__in=people)
        )
