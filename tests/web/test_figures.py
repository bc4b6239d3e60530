"""The figures in public: the /figures/ list (filters, search, sorting, downloads with sources and
passages, bad input), an indicator's page (chart, table, where the sources disagree), and the
figures a visit's or document's reports give. The data is tests/web/story.py's."""

import csv
import io
import json
import re

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cooperation.tracker.models import Figure, PeriodKind
from tests import factories as f
from tests.web.story import DRAFT_NAMES

pytestmark = pytest.mark.django_db
LIST = "/figures/"


def listed(client, **params) -> list[str]:
    """The slugs of the figures the list shows for `params`."""
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [row.record.slug for row in response.context["table"].page.object_list]


def assert_no_draft(html: str):
    for draft in DRAFT_NAMES:
        assert draft not in html, draft


# --- The list -------------------------------------------------------------------------------------


def test_the_list_shows_published_figures_only(client, story):
    response = client.get(LIST)
    html = response.content.decode()
    assert response.context["table"].paginator.count == 6  # of 7, one a draft
    assert_no_draft(html)
    # The value in the report's words beside its reading, the period marked as assessed with why.
    assert "surpassing 107 million USD" in html and "“surpassing $107 million”" in html
    assert 'class="flag flag-assessed" title="The report of 26 February 2026 says “last year”."' in html
    assert "a change of +6.4 million USD" in html
    assert "part of Exports (2024)" in html
    # Figures in the main navigation, current here.
    assert '<a href="/figures/" aria-current="page">Figures</a>' in html


def test_a_figure_reported_by_a_draft_organization_does_not_name_it(client, story):
    html = client.get(LIST, {"indicator": "exports"}).content.decode()
    assert "$3 million" in html
    assert "Secret Draft Agency" not in html
    assert listed(client, reporter="Secret Draft") == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"indicator": "trade-turnover"}, {"part_year", "last_year", "undated"}),
        ({"indicator": "trade-turnover", "year": "2024"}, {"part_year"}),
        ({"indicator": "trade-turnover", "year": "2025"}, {"last_year"}),
        ({"period": PeriodKind.NOT_REPORTED}, {"undated"}),
        ({"direction": "KZ-RS"}, {"change_only"}),
        ({"direction": "not_stated"}, {"reported_by_draft"}),
        ({"reporter": "press service"}, {"last_year"}),
        ({"reporter": "Tokayev"}, {"undated"}),  # a published person, by name
        ({"reporter": "MDDIAI"}, {"part_year"}),  # a published organization, by short name
        ({"q": "fertilizers"}, {"change_only"}),
        ({"q": "September"}, {"part_year"}),
    ],
)
def test_filters_and_search(client, story, params, expected):
    slugs = {getattr(story, key).slug for key in expected}
    if params.get("direction") == "KZ-RS":
        slugs.add(story.change_only.public_parent.slug)
    assert set(listed(client, **params)) == slugs


def test_source_visit_and_document_filters(client, story):
    later = story.last_year.source
    assert listed(client, source=str(later.pk)) == [story.last_year.slug]
    # The figures the visit's reports give: its source's, and the one about it.
    by_visit = set(listed(client, visit=story.state_visit.slug))
    assert by_visit == set(Figure.objects.published().filter(source=story.source).values_list("slug", flat=True))
    assert set(listed(client, document=story.memorandum.slug)) == by_visit  # cites the same source
    assert listed(client, document=story.education_agreement.slug) == []


def test_a_year_shows_where_to_find_the_figures_without_one(client, story):
    html = client.get(LIST, {"indicator": "trade-turnover", "year": "2024"}).content.decode()
    assert "belongs to no year" in html
    assert "?indicator=trade-turnover&amp;period=not_reported" in html
    # One indicator chosen: its page, with the figures side by side.
    assert 'href="/figures/trade-turnover/"' in html


def test_sorted_by_value_and_period(client, story):
    by_value = listed(client, indicator="trade-turnover", sort="-value")
    assert by_value == [story.last_year.slug, story.undated.slug, story.part_year.slug]
    by_period = listed(client, indicator="trade-turnover", sort="-period")
    assert by_period.index(story.last_year.slug) < by_period.index(story.part_year.slug)


@pytest.mark.parametrize(
    "params",
    [
        {"year": "1066"},
        {"year": "twenty"},
        {"indicator": "no-such-indicator"},
        {"direction": "KZ-XX"},
        {"source": "999999"},
        {"source": "'; DROP TABLE"},
        {"period": "someday"},
        {"reporter": "x" * 500},
        {"sort": "passage"},
    ],
)
def test_bad_filter_values_give_a_message_never_an_error(client, story, params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert messages, params


def test_a_draft_figure_is_not_a_filter_choice(client, story):
    f.figure(indicator=f.indicator(name="Secret indicator of drafts"), publication_status=f.DRAFT, period_year=1999)
    html = client.get(LIST).content.decode()
    assert "Secret indicator of drafts" not in html
    assert '<option value="1999">' not in html


# --- Downloads ---------------------------------------------------------------------------------


def test_csv_download_carries_the_source_and_the_passage(client, story):
    response = client.get(LIST, {"indicator": "trade-turnover", "_export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    by_value = {row["Number"]: row for row in rows}
    latest = by_value["107"]
    assert latest["Source"] == "The Astana Times, 26 February 2026"
    assert latest["Passage quoted"] == "Bilateral trade turnover increased by 7.6% last year, surpassing $107 million."
    assert (latest["Qualifier"], latest["Currency"], latest["Scale"]) == ("surpassing", "USD", "million")
    assert (latest["Period"], latest["Period as printed"], latest["Period basis"]) == (
        "2025 (assessed)",
        "last year",
        "assessed by the editors",
    )
    assert latest["Why the period is read so"] == "The report of 26 February 2026 says “last year”."
    part_year = by_value["69.4"]
    assert (part_year["Period start"], part_year["Period end"]) == ("2024-01-01", "2024-09-30")
    assert (part_year["Change %"], part_year["Earlier value"]) == ("-9.7", "76.9")  # plain numbers stay numbers
    assert by_value["90"]["Period"] == "period not reported"


def test_xlsx_and_json_downloads_hold_the_same_rows(client, story):
    book = openpyxl.load_workbook(io.BytesIO(client.get(LIST, {"_export": "xlsx"}).content), read_only=True)
    header, *rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert "Passage quoted" in header and "Source" in header and len(rows) == 6
    records = json.loads(client.get(LIST, {"_export": "json"}).content)
    assert len(records) == 6
    assert {record["Source"] for record in records} >= {"The Astana Times, 26 February 2026"}
    assert_no_draft(json.dumps(records, ensure_ascii=False))


# --- An indicator's page ------------------------------------------------------------------------


def indicator_page(client, slug="trade-turnover") -> str:
    response = client.get(reverse("reports:indicator", args=[slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_draft(html)
    return html


def test_the_indicator_page_charts_every_figure_with_a_table(client, story):
    html = indicator_page(client)
    assert html.count('<svg class="figure-chart"') == 1  # one direction, one currency
    columns = re.findall(r'<rect class="(figure-column[^"]*)"', html)
    # Earliest first, the period not reported last; the legend's four swatches after them.
    assert columns[:3] == [
        "figure-column is-part-year is-assessed",
        "figure-column is-assessed",
        "figure-column is-undated",
    ]
    assert re.findall(r'class="figure-chart-value"[^>]*>([^<]*)<', html) == ["69.4", "&gt; 107", "&gt; 90"]
    # Readable as a table: every figure is a row with its anchor.
    for figure in (story.part_year, story.last_year, story.undated):
        assert f'id="figure-{figure.slug}"' in html
    assert "Download, with sources and passages" in html
    assert "/figures/?indicator=trade-turnover&amp;_export=csv" in html


def test_where_the_sources_disagree_the_figures_stand_side_by_side(client, story):
    html = indicator_page(client)
    assert "The sources differ." in html
    assert html.count('<section class="figure-card"') == 3
    assert "They differ in period: January–September 2024; 2025; period not reported." in html
    assert "They differ in reporter:" in html
    assert "They differ in wording: exactly; surpassing; slightly more than." in html
    assert "No two of them are for the same period as the reports state it" in html


def test_a_currency_of_its_own_gets_a_chart_of_its_own(client, story):
    f.figure(
        indicator=story.turnover,
        value=813,
        currency="EUR",
        value_as_printed="around 813 million euros",
        period_kind=PeriodKind.NOT_REPORTED,
    )
    html = indicator_page(client)
    assert html.count('<svg class="figure-chart"') == 2
    assert "They differ in currency: USD; EUR." in html


def test_agreeing_figures_show_no_disagreement(client, story):
    html = indicator_page(client, "exports")
    assert "The sources differ." not in html
    assert "mineral fertilizers" in html and "a change of +6.4 million USD" in html


def test_the_indicator_page_needs_a_published_figure(client, story):
    assert client.get(reverse("reports:indicator", args=["no-such-indicator"])).status_code == 404
    empty = f.indicator(name="Nothing published yet")
    f.figure(indicator=empty, publication_status=f.DRAFT)
    assert client.get(empty.get_absolute_url()).status_code == 404


def test_figure_pages_keep_the_content_security_policy(client, story):
    for url in (LIST, reverse("reports:indicator", args=["trade-turnover"])):
        html = client.get(url).content.decode()
        assert "style=" not in html and "<style" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)


# --- Visits and documents: the figures their reports give ------------------------------------------


def test_a_visit_page_shows_the_figures_its_reports_give(client, story):
    html = client.get(story.state_visit.get_absolute_url()).content.decode()
    assert_no_draft(html)
    assert "Figures its reports give" in html
    assert "69.4 million USD" in html and "a change of +6.4 million USD" in html
    assert "107 million" not in html  # from a report the visit does not cite
    assert "about this one" in html  # the figure linked to the visit
    assert f"/figures/?visit={story.state_visit.slug}" in html
    # The sources card still lists each source once.
    assert html.count(story.source.title) == 1


def test_a_document_page_shows_them_too_and_nothing_without_sources(client, story):
    html = client.get(story.memorandum.get_absolute_url()).content.decode()
    assert "Figures its reports give" in html and "69.4 million USD" in html
    assert "Figures its reports give" not in client.get(story.education_agreement.get_absolute_url()).content.decode()


def test_a_figure_about_a_visit_comes_from_one_of_its_reports(story):
    figure = Figure.objects.get(pk=story.last_year.pk)
    figure.about_visit = story.state_visit
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "does not cite this figure's source" in str(error.value.message_dict["about_visit"])
