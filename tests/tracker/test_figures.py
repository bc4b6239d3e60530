"""Figures in the domain: the constraints that keep a figure a real number for a real period, how a
figure reads (value, period, change, direction, reporter), and the detection of sources that
disagree (tested on in-memory figures, without the database)."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from cooperation.tracker import periods
from cooperation.tracker.models import (
    Figure,
    FigureBasis,
    FigureSide,
    FigureUnit,
    Indicator,
    PeriodKind,
    Qualifier,
    Scale,
    Source,
    disagreements,
)
from tests import factories as f

D = datetime.date


def refused(constraint: str, **fields):
    """Saving a figure with `fields` breaks the named constraint (both databases name it)."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        f.figure(**fields)


# --- Constraints ----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestConstraints:
    @pytest.mark.parametrize("value", ["0", "90", "100", "85.5"])
    def test_a_share_from_0_to_100_is_kept(self, value):
        figure = f.figure(unit=FigureUnit.PERCENT, currency="", scale=Scale.ONE, value=Decimal(value))
        assert figure.value == Decimal(value)

    @pytest.mark.parametrize("value", ["100.01", "150", "-1"])
    def test_a_share_outside_0_to_100_is_refused(self, value):
        refused("figure_share_within_0_100", unit=FigureUnit.PERCENT, currency="", value=Decimal(value))

    def test_a_fall_of_more_than_100_percent_is_refused(self):
        refused("figure_change_not_below_minus_100", change_percent=Decimal("-100.5"))
        assert f.figure(change_percent=Decimal("-98.9")).change_percent == Decimal("-98.9")

    def test_a_figure_needs_a_value_or_a_change(self):
        refused("figure_has_value_or_change", value=None, value_as_printed="up by")
        only_a_change = f.figure(value=None, change_absolute=Decimal("6.4"), value_as_printed="up by $6.4 million")
        assert only_a_change.amount is None

    def test_a_figure_needs_its_passage_and_printed_value(self):
        refused("figure_passage_given", passage="")
        refused("figure_value_as_printed_given", value_as_printed="")

    @pytest.mark.parametrize(
        ("unit", "currency"), [("money", ""), ("money", "usd"), ("money", "US$"), ("percent", "USD")]
    )
    def test_money_and_only_money_has_an_iso_currency(self, unit, currency):
        refused("figure_currency_iso_4217_for_money", unit=unit, currency=currency, value=Decimal("5"))

    @pytest.mark.parametrize(
        "period",
        [
            {
                "period_kind": PeriodKind.PART_YEAR,
                "period_year": 2024,
                "period_first_month": 1,
                "period_last_month": 12,
            },
            {"period_kind": PeriodKind.PART_YEAR, "period_year": 2024, "period_first_month": 9, "period_last_month": 1},
            {"period_kind": PeriodKind.PART_YEAR, "period_year": 2024, "period_first_month": 0, "period_last_month": 9},
            {
                "period_kind": PeriodKind.PART_YEAR,
                "period_year": 2024,
                "period_first_month": 1,
                "period_last_month": 13,
            },
        ],
    )
    def test_part_of_a_year_is_a_real_run_of_months_within_it(self, period):
        refused("figure_part_year_within_one_year", **period)

    @pytest.mark.parametrize(
        "period",
        [
            {"period_kind": PeriodKind.YEAR, "period_year": None},
            {"period_kind": PeriodKind.YEAR, "period_year": 2024, "period_first_month": 3},
            {"period_kind": PeriodKind.PART_YEAR, "period_year": 2024, "period_first_month": 1},
            {"period_kind": PeriodKind.DATE, "period_year": None},
            {"period_kind": PeriodKind.DATE, "period_year": 2024, "period_day": D(2024, 11, 19)},
            {"period_kind": PeriodKind.SINCE, "period_year": None},
            {"period_kind": PeriodKind.NOT_REPORTED, "period_year": 2024},
            {"period_kind": "someday", "period_year": 2024},
        ],
    )
    def test_a_period_has_exactly_the_parts_its_kind_needs(self, period):
        refused("figure_period_matches_kind", **period)

    @pytest.mark.parametrize("year", [1899, 2101])
    def test_the_year_is_a_plausible_one(self, year):
        refused("figure_period_year_in_range", period_year=year)

    def test_the_period_end_is_never_before_its_start(self):
        figure = f.figure()
        with pytest.raises(IntegrityError, match="figure_period_end_not_before_start"), transaction.atomic():
            Figure.objects.filter(pk=figure.pk).update(period_end=D(2023, 1, 1))

    def test_an_assessed_period_or_reporter_says_why(self):
        refused("figure_assessed_period_has_reasoning", period_basis=FigureBasis.ASSESSED)
        refused("figure_assessed_reporter_has_reasoning", reporter_basis=FigureBasis.ASSESSED)
        figure = f.figure(period_basis=FigureBasis.ASSESSED, period_reasoning="The report says “last year”.")
        assert figure.period_is_assessed

    def test_a_direction_names_the_countries_it_needs(self):
        kz, rs = f.country("KZ"), f.country("RS")
        refused("figure_side_matches_countries", side=FigureSide.FLOW, country=kz)
        refused("figure_side_matches_countries", side=FigureSide.FLOW, country=kz, counterpart=kz)
        refused("figure_side_matches_countries", side=FigureSide.ONE_SIDE)
        refused("figure_side_matches_countries", side=FigureSide.BILATERAL, country=kz)
        assert f.figure(side=FigureSide.FLOW, country=kz, counterpart=rs).direction_display == "Kazakhstan → Serbia"

    def test_a_figure_is_not_its_own_parent(self):
        figure = f.figure()
        with pytest.raises(IntegrityError, match="figure_not_own_parent"), transaction.atomic():
            Figure.objects.filter(pk=figure.pk).update(parent=figure)

    def test_the_admin_form_hears_the_constraints_in_words(self):
        figure = Figure(
            indicator=f.indicator(unit=FigureUnit.PERCENT),
            value=Decimal("120"),
            value_as_printed="120 percent",
            source=f.source(),
            passage="120 percent",
        )
        with pytest.raises(ValidationError) as error:
            figure.full_clean()
        assert "A percentage is from 0 to 100." in str(error.value)


# --- Derived fields and how a figure reads -------------------------------------------------------


@pytest.mark.django_db
def test_the_period_bounds_amount_unit_and_slug_are_derived_on_save():
    turnover = f.indicator(name="Trade turnover")
    figure = f.figure(
        indicator=turnover,
        value=Decimal("69.4"),
        unit="",
        period_kind=PeriodKind.PART_YEAR,
        period_year=2024,
        period_first_month=1,
        period_last_month=9,
    )
    assert (figure.period_start, figure.period_end) == (D(2024, 1, 1), D(2024, 9, 30))
    assert figure.amount == Decimal("69400000")
    assert figure.unit == FigureUnit.MONEY  # the indicator's default unit
    assert figure.slug == "trade-turnover-jan-sep-2024"
    assert f.figure(indicator=turnover, period_kind=PeriodKind.NOT_REPORTED).slug == "trade-turnover"
    assert f.figure(indicator=turnover, period_kind=PeriodKind.NOT_REPORTED).slug == "trade-turnover-2"


@pytest.mark.parametrize(
    ("parts", "expected", "short", "bounds"),
    [
        ((PeriodKind.YEAR, 2025), "2025", "2025", (D(2025, 1, 1), D(2025, 12, 31))),
        ((PeriodKind.PART_YEAR, 2024, 1, 9), "January–September 2024", "Jan–Sep 2024", (D(2024, 1, 1), D(2024, 9, 30))),
        ((PeriodKind.PART_YEAR, 2024, 2, 2), "February 2024", "Feb 2024", (D(2024, 2, 1), D(2024, 2, 29))),
        (
            (PeriodKind.DATE, None, None, None, D(2024, 11, 19)),
            "19 November 2024",
            "19 Nov 2024",
            (D(2024, 11, 19),) * 2,
        ),
        ((PeriodKind.SINCE, 2008), "since 2008", "since 2008", (D(2008, 1, 1), None)),
        ((PeriodKind.NOT_REPORTED,), "period not reported", "not reported", (None, None)),
    ],
)
def test_periods_read_as_the_reports_give_them(parts, expected, short, bounds):
    with translation.override("en"):
        assert periods.display(*parts) == expected
        assert periods.display(*parts, short=True) == short
    assert periods.bounds(*parts) == bounds


def test_parts_that_make_no_period_have_no_bounds_and_no_text():
    assert periods.bounds(PeriodKind.PART_YEAR, 2024, 9, 1) == (None, None)
    assert periods.display(PeriodKind.YEAR) == ""
    assert periods.slug_text(PeriodKind.PART_YEAR, 2024, 1, 13) == ""


def _figure(**fields) -> Figure:
    """An unsaved figure with its derived fields, for reading tests without the database."""
    fields.setdefault("indicator", Indicator(pk=1, name="Trade turnover", unit=FigureUnit.MONEY))
    fields.setdefault("source", Source(pk=fields.pop("source_pk", 1), publisher="Kazinform", title="Report"))
    defaults = {
        "value": Decimal("100"),
        "value_as_printed": "$100 million",
        "scale": Scale.MILLION,
        "unit": FigureUnit.MONEY,
        "currency": "USD",
        "period_kind": PeriodKind.YEAR,
        "period_year": 2024,
        "passage": "…",
    }
    figure = Figure(**{**defaults, **fields})
    figure.derive()
    return figure


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"value": Decimal("107"), "qualifier": Qualifier.SURPASSING}, "surpassing 107 million USD"),
        ({"value": Decimal("69.4000")}, "69.4 million USD"),
        ({"value": Decimal("813"), "qualifier": Qualifier.ABOUT, "currency": "EUR"}, "about 813 million EUR"),
        (
            {
                "value": Decimal("90"),
                "unit": FigureUnit.PERCENT,
                "currency": "",
                "scale": Scale.ONE,
                "qualifier": "about",
            },
            "about 90%",
        ),
        (
            {
                "value": Decimal("14"),
                "unit": FigureUnit.NUMBER,
                "currency": "",
                "scale": 0,
                "counted": "passenger flights per week",
            },
            "14 passenger flights per week",
        ),
        ({"value": None, "change_absolute": Decimal("6.4")}, ""),
    ],
)
def test_a_value_reads_with_its_qualifier_scale_and_unit(fields, expected):
    with translation.override("en"):
        assert _figure(**fields).value_display == expected


def test_a_change_reads_as_the_report_gives_it():
    with translation.override("en"):
        decline = _figure(
            change_percent=Decimal("-9.7"),
            change_compared_with="the same period in 2023",
            earlier_value=Decimal("76.9"),
        )
        assert decline.change_display == "−9.7% compared with the same period in 2023 (76.9 million USD)"
        both = _figure(change_percent=Decimal("-44.5"), change_absolute=Decimal("-11"))
        assert both.change_display == "−44.5%, −11 million USD"
        assert _figure(change_percent=Decimal("7.6")).change_display.startswith("+7.6%")
        assert _figure().change_display == ""


@pytest.mark.django_db
def test_a_draft_reporting_organization_is_never_named():
    draft = f.organization(name="Hidden Statistics Bureau", publication_status=f.DRAFT)
    person = f.person(name="Published Expert")
    figure = f.figure(reporter_organization=draft)
    assert figure.reporter_display == ""
    assert figure.public_reporter_organization is None
    assert f.figure(reporter_organization=draft, reporter_person=person).reporter_display == "Published Expert"
    assert f.figure(reported_by="official Serbian statistics").reporter_display == "official Serbian statistics"


# --- Where sources disagree -----------------------------------------------------------------------


def trade_turnover_as_reported() -> dict[str, Figure]:
    """The five trade-turnover figures of the reports (seed facts §3.2, D1), by their G number."""
    return {
        "G2": _figure(
            pk=2, value=Decimal("813"), qualifier="about", currency="EUR", period_kind=PeriodKind.NOT_REPORTED,
            period_year=None, reported_by="official Serbian statistics", source_pk=10,
        ),
        "G3": _figure(
            pk=3, value=Decimal("107"), qualifier="surpassing", period_year=2025, period_basis="assessed",
            period_reasoning="“last year”, in a report of 26 February 2026",
            reported_by="the Prime Minister’s press service", source_pk=12,
        ),
        "G5": _figure(
            pk=5, value=Decimal("90"), qualifier="slightly_more_than", period_kind=PeriodKind.NOT_REPORTED,
            period_year=None, reported_by="Abdreshev", source_pk=13,
        ),
        "G6": _figure(
            pk=6, value=Decimal("69.4"), period_kind=PeriodKind.PART_YEAR, period_first_month=1, period_last_month=9,
            period_basis="assessed", period_reasoning="until September", reported_by="the Ministry", source_pk=13,
        ),
        "G8": _figure(
            pk=8, value=Decimal("76.9"), period_kind=PeriodKind.PART_YEAR, period_year=2023, period_first_month=1,
            period_last_month=9, period_basis="assessed", period_reasoning="the same period",
            reported_by="the Ministry", source_pk=13,
        ),
    }  # fmt: skip


def test_figures_for_overlapping_periods_with_different_values_disagree():
    ministry = _figure(pk=1, value=Decimal("69.4"), reported_by="the Ministry")
    bank = _figure(pk=2, value=Decimal("71"), reported_by="the National Bank")
    (found,) = disagreements([ministry, bank])
    assert found.figures == [ministry, bank]
    assert [name for name, _values in found.differences] == ["value", "reporter"]
    assert found.same_stated_period
    assert not found.rests_on_assessment


def test_figures_for_different_periods_or_measures_do_not():
    base = _figure(pk=1, period_year=2023)
    later = _figure(pk=2, period_year=2024, value=Decimal("120"))
    exports = _figure(pk=3, indicator=Indicator(pk=2, name="Exports"), value=Decimal("5"))
    other_way = _figure(pk=4, value=Decimal("7"), side=FigureSide.NOT_STATED)
    part = _figure(pk=5, value=Decimal("8"), subject="mineral fertilizers")
    assert disagreements([base, later, exports, other_way, part]) == []


def test_the_same_number_from_the_same_reporter_is_no_disagreement():
    assert disagreements([_figure(pk=1, source_pk=1), _figure(pk=2, source_pk=1)]) == []


def test_a_different_currency_alone_is_a_disagreement():
    (found,) = disagreements([_figure(pk=1), _figure(pk=2, currency="EUR")])
    assert "currency" in [name for name, _values in found.differences]


def test_figures_that_give_only_a_change_are_left_out():
    change = _figure(pk=1, value=None, change_absolute=Decimal("6.4"))
    assert disagreements([change, _figure(pk=2)]) == []


def test_a_period_not_reported_may_be_any_period_and_links_the_others():
    """Trade turnover (D1): the ministry's part-years of 2023 and 2024 and the press service's 2025
    overlap none of each other, but the two figures without a period may be for any of them."""
    reported = trade_turnover_as_reported()
    (found,) = disagreements(reported.values())
    assert found.figures == [reported[g] for g in ("G8", "G6", "G3", "G2", "G5")]  # in period order
    with translation.override("en"):
        differences = dict(found.differences)
    assert differences["period"] == ["January–September 2023", "January–September 2024", "2025", "period not reported"]
    assert differences["currency"] == ["USD", "EUR"]
    assert "official Serbian statistics" in differences["reporter"]
    assert differences["wording"] == ["exactly", "surpassing", "about", "slightly more than"]
    assert not found.same_stated_period  # no two for the same period as stated
    assert found.rests_on_assessment


def test_the_groups_do_not_depend_on_the_order_of_the_figures():
    reported = list(trade_turnover_as_reported().values())
    for order in itertools.permutations(reported):
        (found,) = disagreements(order)
        assert [figure.pk for figure in found.figures] == [8, 6, 3, 2, 5]


def test_without_the_undated_figures_the_years_do_not_disagree():
    reported = trade_turnover_as_reported()
    assert disagreements([reported["G8"], reported["G6"], reported["G3"]]) == []


def test_an_open_ended_period_overlaps_what_comes_after_its_start():
    since = _figure(pk=1, period_kind=PeriodKind.SINCE, period_year=2008)
    later = _figure(pk=2, period_year=2024, value=Decimal("17.3"))
    earlier = _figure(pk=3, period_year=2005, value=Decimal("3"))
    (found,) = disagreements([since, later, earlier])
    assert found.figures == [since, later]
