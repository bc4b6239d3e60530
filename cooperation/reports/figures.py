"""Figures in the reports: an indicator's page (its values over time as SVG charts, its figures as a
table, and where the sources disagree), the overview's latest figure of each featured indicator, and
the status report's "Figures" section.

The overview and the report keep plain data (`FigureRow`: strings and flags), so they can be cached
and written to every file format; the indicator page renders the figures themselves. What counts as
a disagreement is the domain's rule (tracker/models/figures.py, `disagreements`).
"""

import dataclasses
import datetime

from django.db.models import Count, F, Window
from django.http import Http404
from django.utils.translation import gettext as _

from cooperation.tracker.models import (
    Document,
    Figure,
    FigureUnit,
    Indicator,
    Scale,
    Visit,
    disagreements,
    period_order,
    source_name,
)
from cooperation.web import queries

from .charts import ValuePoint


@dataclasses.dataclass
class FigureRow:
    """One figure as plain text, for the overview, the status report and its files."""

    indicator: str
    indicator_url: str
    slug: str
    subject: str
    value: str
    printed: str
    period: str
    period_assessed: bool
    period_as_printed: str
    period_reasoning: str
    direction: str
    reporter: str
    reporter_assessed: bool
    change: str
    source: str
    source_url: str
    passage: str

    @property
    def url(self) -> str:
        """The figure's row on its indicator's page."""
        return f"{self.indicator_url}#figure-{self.slug}"

    @property
    def period_text(self) -> str:
        """The period, with "(assessed: why)" where the editors read it."""
        if not self.period_assessed:
            return self.period
        return _("%(period)s (assessed: %(reasoning)s)") % {"period": self.period, "reasoning": self.period_reasoning}


def figure_row(figure: Figure) -> FigureRow:
    """`figure` read with queries.figure_rows (its related records in the same query)."""
    return FigureRow(
        indicator=figure.indicator.name,
        indicator_url=figure.indicator.get_absolute_url(),
        slug=figure.slug,
        subject=figure.subject,
        value=figure.value_or_change,
        printed=figure.value_as_printed,
        period=figure.period_display,
        period_assessed=figure.period_is_assessed,
        period_as_printed=figure.period_as_printed,
        period_reasoning=figure.period_reasoning,
        direction=figure.direction_display,
        reporter=figure.reporter_display or _("the report itself"),
        reporter_assessed=figure.reporter_is_assessed,
        change=figure.change_display,
        source=source_name(figure.source),
        source_url=figure.source.url,
        passage=figure.passage,
    )


def is_main(figure: Figure) -> bool:
    """A figure of the indicator as a whole, with a value: not a part of another, not only a change."""
    return figure.amount is not None and not figure.subject and figure.parent_id is None


def latest(figures: list[Figure]) -> Figure | None:
    """The figure for the latest period (by its end, then its start); periods not reported last."""
    floor = datetime.date.min

    def recency(figure):
        return (figure.period_end is not None, figure.period_end or floor, figure.period_start or floor, figure.pk)

    return max(figures, key=recency, default=None)


# --- The overview ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Headline:
    """The latest figure of a featured indicator, and what else the reports say of it."""

    figure: FigureRow
    name: str
    url: str
    figures: int  # published figures of the indicator
    sources: int  # reports they come from
    disagree: bool


def headline_figures() -> list[Headline]:
    """For each featured indicator with published figures, its latest one (one query)."""
    featured = list(queries.figure_rows(Figure.objects.published().filter(indicator__featured=True)))
    by_indicator: dict[int, list[Figure]] = {}
    for figure in featured:
        by_indicator.setdefault(figure.indicator_id, []).append(figure)
    headlines = []
    for figures in by_indicator.values():
        main = [figure for figure in figures if is_main(figure)]
        newest = latest(main)
        if newest is None:
            continue
        headlines.append(
            Headline(
                figure=figure_row(newest),
                name=newest.indicator.name,
                url=newest.indicator.get_absolute_url(),
                figures=len(main),
                sources=len({figure.source_id for figure in main}),
                disagree=bool(disagreements(main)),
            )
        )
    return sorted(headlines, key=lambda headline: headline.name)


# --- The status report -------------------------------------------------------------------------------


@dataclasses.dataclass
class ReportFigures:
    rows: list[FigureRow]
    total: int
    # (indicator, its page, how many figures) where the sources disagree, among the rows.
    disagreements: list[tuple[str, str, int]]


def report_figures(as_of: datetime.date | None, visit: Visit | None, document: Document | None, limit: int):
    """The published figures for the status report: with `as_of`, none for a period that begins
    later; with a visit or document, those its reports give. The first `limit`, by indicator and
    period, and how many there are (a window count: one query)."""
    figures = Figure.objects.published()
    if as_of:
        figures = figures.exclude(period_start__gt=as_of)
    if visit:
        figures = figures.given_by(Visit.objects.filter(pk=visit.pk))
    if document:
        figures = figures.given_by(Document.objects.filter(pk=document.pk))
    ordered = queries.figure_rows(figures).annotate(total=Window(Count("pk")))
    chosen = list(ordered.order_by("indicator__name", F("period_start").asc(nulls_last=True), "pk")[:limit])
    found = []
    by_indicator: dict[int, list[Figure]] = {}
    for figure in chosen:
        by_indicator.setdefault(figure.indicator_id, []).append(figure)
    for figures_of_one in by_indicator.values():
        groups = disagreements(figures_of_one)
        if groups:
            indicator = figures_of_one[0].indicator
            found.append((indicator.name, indicator.get_absolute_url(), sum(len(group.figures) for group in groups)))
    return ReportFigures(
        rows=[figure_row(figure) for figure in chosen],
        total=chosen[0].total if chosen else 0,
        disagreements=found,
    )


# --- An indicator's page ------------------------------------------------------------------------------


@dataclasses.dataclass
class Series:
    """An indicator's main figures of one direction and unit: the points of a chart (charts.value_columns)."""

    title: str
    points: list[ValuePoint]
    figures: list


def css_class(figure: Figure) -> str:
    """How a column is drawn: a part of a year lighter, an assessed period outlined in dashes, a
    period not reported grey."""
    names = ["figure-column"]
    if figure.period_start is None:
        names.append("is-undated")
    elif figure.period_kind == "part_year":
        names.append("is-part-year")
    if figure.period_is_assessed:
        names.append("is-assessed")
    return " ".join(names)


def series_of(figures: list[Figure]) -> list[Series]:
    """The main figures, one chart per direction and unit (currencies are never drawn on one scale)."""
    groups: dict[tuple, list[Figure]] = {}
    for figure in sorted(filter(is_main, figures), key=period_order):
        key = (figure.direction_display, figure.unit, figure.scale, figure.currency, figure.counted)
        groups.setdefault(key, []).append(figure)
    found = []
    for (direction, unit, scale, currency, counted), members in groups.items():
        if unit == FigureUnit.MONEY:
            measure = currency if scale == Scale.ONE else f"{Scale(scale).label} {currency}"
        else:
            measure = counted or str(FigureUnit(unit).label)
        points = [
            ValuePoint(
                label=figure.period_short,
                sublabel=figure.source.publisher.split(" (")[0],  # "Kazinform (republished by …)": Kazinform
                value=float(figure.amount),
                text=figure.value_short,
                css_class=css_class(figure),
                title=" — ".join(
                    filter(
                        None, [figure.period_display, figure.value_display, figure.reporter_display, str(figure.source)]
                    )
                ),
            )
            for figure in members
        ]
        title = _("%(indicator)s, %(direction)s, in %(measure)s") % {
            "indicator": members[0].indicator.name,
            "direction": direction,
            "measure": measure,
        }
        found.append(Series(title=title, points=points, figures=members))
    return found


@dataclasses.dataclass
class IndicatorPage:
    indicator: Indicator
    figures: list
    series: list[Series]
    disagreements: list
    sources: int


def indicator_page(indicator: Indicator) -> IndicatorPage:
    """Everything the page shows of `indicator`, from one query of its published figures; 404 when it
    has none (nothing of it is public yet)."""
    figures = sorted(queries.figure_rows(Figure.objects.published().filter(indicator=indicator)), key=period_order)
    if not figures:
        raise Http404(_("No published figures for this indicator."))
    return IndicatorPage(
        indicator=indicator,
        figures=figures,
        series=series_of(figures),
        disagreements=disagreements(figures),
        sources=len({figure.source_id for figure in figures}),
    )
