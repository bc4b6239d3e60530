"""The pages that show figures run as many queries for 200 figures as for 5, and no more than ten:
the list and its downloads, an indicator's page, a visit's and a document's page (whose sources
bring their figures in the same query), the overview and the status report."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation.tracker.models import Figure, FigureSide, PeriodKind
from tests import factories as f
from tests.web.test_queries import MAX_QUERIES, count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _caches_on(settings):
    settings.PAGE_CACHE_SECONDS = settings.QUERY_CACHE_SECONDS = 60


def build_figures(rows: int, prefix: str) -> dict:
    """A featured indicator with `rows` figures from one source, each reported by its own
    organization and person, of every kind of period and direction, some breaking down another;
    a visit and a document that cite the source."""
    kz, rs = f.country("KZ"), f.country("RS")
    source = f.source(title=f"{prefix} report")
    indicator = f.indicator(name=f"{prefix} turnover", featured=True)
    visit = f.visit(title=f"{prefix} visit", sources=[source])
    document = f.document(title=f"{prefix} memorandum", sources=[source])
    parent = f.figure(indicator=indicator, source=source, passage=f"{prefix} parent")
    kinds = [
        {"period_kind": PeriodKind.YEAR, "period_year": 2020},
        {"period_kind": PeriodKind.PART_YEAR, "period_year": 2021, "period_first_month": 1, "period_last_month": 9},
        {"period_kind": PeriodKind.DATE, "period_day": datetime.date(2022, 5, 5)},
        {"period_kind": PeriodKind.SINCE, "period_year": 2008},
        {"period_kind": PeriodKind.NOT_REPORTED},
    ]
    sides = [
        {"side": FigureSide.FLOW, "country": kz, "counterpart": rs},
        {"side": FigureSide.ONE_SIDE, "country": rs},
        {"side": FigureSide.BILATERAL},
    ]
    figures = []
    for n in range(rows):
        figure = Figure(
            indicator=indicator,
            slug=f"{prefix}-figure-{n}",
            value=Decimal(n + 1),
            value_as_printed=f"${n + 1} million",
            scale=6,
            unit="money",
            currency="USD",
            reporter_organization=f.organization(name=f"{prefix} bureau {n}"),
            reporter_person=f.person(name=f"{prefix} expert {n}"),
            parent=parent if n % 4 == 0 else None,
            subject="part" if n % 4 == 0 else "",
            source=source,
            passage=f"{prefix} passage {n}",
            about_visit=visit if n % 3 == 0 else None,
            publication_status=f.PUBLISHED,
            **kinds[n % len(kinds)],
            **sides[n % len(sides)],
        )
        figure.derive()
        figures.append(figure)
    Figure.objects.bulk_create(figures)
    return {"indicator": indicator, "visit": visit, "document": document}


def pages(world) -> list[tuple[str, dict]]:
    return [
        (reverse("web:figure-list"), {"per_page": "100", "indicator": world["indicator"].slug}),
        (reverse("web:figure-list"), {"per_page": "100", "year": "2021", "direction": "KZ-RS", "reporter": "bureau"}),
        (reverse("web:figure-list"), {"_export": "csv", "sort": "-value"}),
        (reverse("web:figure-list"), {"_export": "xlsx", "visit": world["visit"].slug}),
        (world["indicator"].get_absolute_url(), {}),
        (world["visit"].get_absolute_url(), {}),
        (world["document"].get_absolute_url(), {}),
        ("/", {}),
        ("/reports/status/", {}),
        ("/reports/status/", {"_export": "csv", "visit": world["visit"].slug}),
    ]


def test_figure_pages_run_the_same_few_queries_for_5_and_for_200_figures(client, django_assert_max_num_queries):
    small = build_figures(5, "small")
    few = [count_queries(client, url, params)[0] for url, params in pages(small)]
    large = build_figures(200, "large")
    many, responses = [], []
    for url, params in pages(large):
        count, response = count_queries(client, url, params)
        many.append(count)
        responses.append(response)
    assert few == many
    assert max(many) <= MAX_QUERIES
    # The pages do show the 200 figures (the detail pages the first of them, and how many).
    html = [response.content.decode() for response in responses if response["Content-Type"].startswith("text/html")]
    assert len(responses[0].context["table"].page.object_list) == 100
    assert html[0].count("large expert") == 100  # each row names its reporter (a published person)
    assert 'id="figure-large-figure-199"' in html[2]  # the indicator's page
    assert "The first 25 of 201." in html[3] and "The first 25 of 201." in html[4]
    with django_assert_max_num_queries(MAX_QUERIES + 1):  # and the content version
        client.get(large["indicator"].get_absolute_url())
