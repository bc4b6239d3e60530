"""Figures in the admin: indicators staff add, figures with the same publishing, history and
locking rules as every publishable record, and their spreadsheet export and import."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation.staff.roles import EDITOR, PUBLISHER
from cooperation.staff.spreadsheets import resources
from cooperation.staff.spreadsheets.files import SafeCSV
from cooperation.tracker.models import Figure, FigureBasis, Indicator, PeriodKind, PublicationStatus
from tests import factories
from tests.admin_helpers import form_errors, signed_in, submit_admin_form
from tests.staff.test_import_export import (
    admin_confirm,
    admin_export,
    admin_preview,
    counts,
    csv_bytes,
    read_export,
    row_errors,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    source = factories.source(title="Kazinform: 28 years", url="https://example.org/28-years")
    return {
        "source": source,
        "indicator": factories.indicator(name="Trade turnover"),
        "ministry": factories.organization(name="Ministry of Trade and Integration", slug="ministry-of-trade"),
        "visit": factories.visit(title="Third commission meeting", slug="igc-3", sources=[source]),
    }


def figure_form(records, **changes) -> dict:
    return {
        "indicator": records["indicator"].pk,
        "value_as_printed": "$69.4 million",
        "qualifier": "exactly",
        "value": "69.4",
        "scale": "6",
        "unit": "",
        "currency": "USD",
        "period_kind": PeriodKind.PART_YEAR,
        "period_year": "2024",
        "period_first_month": "1",
        "period_last_month": "9",
        "period_as_printed": "until September",
        "period_basis": FigureBasis.ASSESSED,
        "period_reasoning": "No year is given; it compares with the same period in 2023.",
        "side": "bilateral",
        "reported_by": "the Kazakh Ministry of Trade and Integration",
        "reporter_organization": records["ministry"].pk,
        "reporter_basis": FigureBasis.REPORTED,
        "change_percent": "-9.7",
        "source": records["source"].pk,
        "passage": "The trade turnover until September reached $69.4 million.",
        "about_visit": records["visit"].pk,
        "publication_status": PublicationStatus.PUBLISHED,
        **changes,
    }


def test_a_publisher_adds_a_figure_in_the_admin(client, records):
    signed_in(client, "pub", role=PUBLISHER)
    response = submit_admin_form(client, Figure, figure_form(records))
    assert response.status_code == 302, form_errors(response)
    figure = Figure.objects.get()
    assert (figure.unit, figure.amount, figure.period_end.isoformat()) == ("money", Decimal("69400000"), "2024-09-30")
    assert figure.is_published and figure.history.get().history_user.username == "pub"
    # The changelist reads it back with the period as it reads.
    changelist = client.get(reverse("admin:tracker_figure_changelist")).content.decode()
    assert "January–September 2024 (assessed)" in changelist


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": "percent", "currency": "", "value": "150"}, "A percentage is from 0 to 100."),
        ({"period_last_month": "12"}, "shorter than the year"),
        ({"period_reasoning": ""}, "Say why the period is read so"),
        ({"currency": "usd"}, "ISO 4217"),
        ({"passage": ""}, "This field is required."),
        ({"about_visit": ""}, None),
    ],
)
def test_the_form_says_what_is_wrong_and_saves_nothing(client, records, changes, message):
    signed_in(client, "pub", role=PUBLISHER)
    response = submit_admin_form(client, Figure, figure_form(records, **changes))
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert message in str(form_errors(response))
    assert not Figure.objects.exists()


def test_a_figure_about_a_visit_must_come_from_its_reports(client, records):
    signed_in(client, "pub", role=PUBLISHER)
    other = factories.source(title="Another report")
    response = submit_admin_form(client, Figure, figure_form(records, source=other.pk))
    assert "does not cite this figure's source" in str(form_errors(response))


def test_an_editor_saves_drafts_only_and_cannot_touch_a_published_figure(client, records):
    signed_in(client, "ed", role=EDITOR)
    response = submit_admin_form(client, Figure, figure_form(records))
    assert response.status_code == 302, form_errors(response)
    figure = Figure.objects.get()
    assert figure.publication_status == PublicationStatus.DRAFT  # the forged "published" was ignored
    Figure.objects.filter(pk=figure.pk).publish()
    change_url = reverse("admin:tracker_figure_change", args=[figure.pk])
    client.post(change_url, figure_form(records, value="70", version=figure.version + 1))
    figure.refresh_from_db()
    assert figure.value == Decimal("69.4")


def test_staff_add_indicators(client):
    signed_in(client, "ed", role=EDITOR)
    response = submit_admin_form(
        client, Indicator, {"name": "Remittances", "kind": "money", "unit": "money", "comparable_over_time": "on"}
    )
    assert response.status_code == 302, form_errors(response)
    assert Indicator.objects.get().slug == "remittances"


# --- Spreadsheets ----------------------------------------------------------------------------------


def test_figures_export_and_reimport_unchanged(client, records):
    part = factories.figure(indicator=records["indicator"], source=records["source"], subject="whole")
    factories.figure(
        indicator=records["indicator"],
        parent=part,
        subject="mineral fertilizers",
        value=None,
        change_absolute=Decimal("6.4"),
        value_as_printed="up by $6.4 million",
        period_kind=PeriodKind.SINCE,
        period_year=2008,
        reporter_organization=records["ministry"],
        reporter_basis=FigureBasis.ASSESSED,
        reporter_reasoning="The paragraph continues the ministry's figures.",
        source=records["source"],
        about_visit=records["visit"],
    )
    signed_in(client, "chief", superuser=True)
    response = admin_export(client, Figure)
    exported = read_export(response)
    row = dict(zip(exported.headers, exported[1], strict=True))
    assert (row["indicator"], row["parent"], row["source"]) == (
        "trade-turnover",
        part.slug,
        "https://example.org/28-years",
    )
    assert (row["value"], row["change_absolute"], row["scale"], row["period_kind"]) == ("", "6.4", "6", "since")
    before, history = counts(), Figure.history.count()
    preview = admin_preview(client, Figure, response.content)
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    assert result.totals["skip"] == 2
    admin_confirm(client, Figure, preview)
    assert counts() == before and Figure.history.count() == history


def test_a_figure_row_with_mistakes_is_named_and_nothing_is_saved(records):
    header = ["indicator", "value_as_printed", "value", "scale", "currency", "period_kind", "period_year"]
    header += ["period_first_month", "source", "passage"]
    rows = [
        header,
        ["trade-turnover", "$69.4 million", "69.4", "million", "USD", "year", "2024", "", "Kazinform: 28 years", "…"],
        [
            "trade-turnover",
            "about 90%",
            "ninety",
            "million",
            "USD",
            "part_year",
            "2024",
            "13",
            "Kazinform: 28 years",
            "…",
        ],
        ["no-such-indicator", "x", "1", "", "", "year", "2024", "", "Kazinform: 28 years", "…"],
    ]
    result = resources.FigureResource().import_data(SafeCSV().create_dataset(csv_bytes(rows)), dry_run=False)
    errors = row_errors(result)
    assert set(errors) == {3, 4}
    assert '"ninety" is not a number' in errors[3]
    assert "period_first_month must be a whole number from 1 to 12" in errors[3]
    assert 'unknown indicator "no-such-indicator"' in errors[4]
    assert not Figure.objects.exists()


def test_an_imported_row_without_slug_updates_the_same_figure(records):
    factories.figure(
        indicator=records["indicator"],
        source=records["source"],
        value_as_printed="$69.4 million",
        publication_status=PublicationStatus.DRAFT,  # a script changes drafts only
    )
    rows = [
        [
            "indicator",
            "value_as_printed",
            "value",
            "scale",
            "currency",
            "period_kind",
            "period_year",
            "source",
            "passage",
        ],
        ["Trade turnover", "$69.4 million", "69.4", "6", "USD", "year", "2024", "https://example.org/28-years", "…"],
    ]
    data = SafeCSV().create_dataset(csv_bytes(rows))
    result = resources.FigureResource().import_data(data, dry_run=False)
    assert not result.has_validation_errors(), row_errors(result)
    assert result.totals["update"] == 1 and Figure.objects.count() == 1
    assert Figure.objects.get().value == Decimal("69.4")
