"""Overview, status report and its exports. The figures come from services.py; views only read
the request, pick a format and render.

The costly part of each page (the figures, as HTML) is cached by `remember(REPORTS, …)` with
stale-while-revalidate, and rendered without the request; what varies per request (the filter
form, messages, the header) is rendered around it every time. Anonymous visitors' whole pages are
also in the page cache: why both, in cooperation/caching/middleware.py.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation import downloads
from cooperation.caching.remember import REPORTS, refresh_after_response, remember
from cooperation.tracker.models import Indicator

from . import charts, exports, figures
from .forms import ReportFilterForm
from .services import STATUSES, build_overview, build_report

# Scorecard rows on the page; more are in the CSV/XLSX export and the status_report command.
SCORECARD_ROWS_ON_SCREEN = 50

# The figure list's downloads, which an indicator's page links to.
DOWNLOADS = ("csv", "xlsx", "json")

EXPORTS = {
    "csv": (downloads.CSV_TYPE, "csv", lambda report, cite: downloads.csv_bytes(exports.to_csv(report, cite))),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", exports.to_xlsx),
}


def cached_figures(request, name: str, build):
    """`build()` through the report cache (REPORT_CACHE_SECONDS), rebuilt after the response once aged."""
    return remember(request, REPORTS, name, build, revalidate=True)


@refresh_after_response
def overview(request):
    today = timezone.localdate()
    figures = cached_figures(request, f"overview-html:{today}", lambda: render_overview_figures(today))
    return render(request, "reports/overview.html", {"figures": figures})


def render_overview_figures(today):
    data = build_overview(today)
    status_rows = [
        (str(status.label), [count if other == status else 0 for other in STATUSES])
        for status, count in data.summary.by_status.items()
    ]
    context = {
        "overview": data,
        "status_chart": charts.horizontal_bars(status_rows),
        "sector_chart": charts.horizontal_bars([(row.name, row.counts) for row in data.sectors]),
        "timeline_chart": charts.stacked_columns([(point.label, point.counts) for point in data.timeline]),
    }
    return render_to_string("reports/_overview_figures.html", context)


@refresh_after_response
def status_report(request):
    today = timezone.localdate()
    form = ReportFilterForm(request.GET, today=today, request=request)
    params, problems = form.to_params(), form.problems()
    export = request.GET.get("_export", "")
    if export and export not in EXPORTS:
        problems.append(_("Unknown export format “%(format)s”: use csv or xlsx.") % {"format": export})
    if export in EXPORTS and not problems:
        report = cached_figures(request, f"status-data:{params.cache_key()}", lambda: build_report(params))
        content_type, extension, render_file = EXPORTS[export]
        page = request.build_absolute_uri(f"{request.path}?{query_without_export(request)}".rstrip("?"))
        response = HttpResponse(
            render_file(report, downloads.citation(page, timezone.localdate())), content_type=content_type
        )
        filters = [(name, request.GET[name]) for name in form.fields if request.GET.get(name)]
        response["Content-Disposition"] = downloads.attachment(
            downloads.file_name("status-report", filters, report.date, extension)
        )
        return response
    # Keyed by the checked parameters, not the query string: unknown or rejected parameters
    # do not change the figures, so they neither miss the cache nor fill it.
    body = cached_figures(request, f"status-html:{params.cache_key()}", lambda: render_report_body(params))
    context = {
        "form": form,
        "params": params,
        "body": body,
        "problems": problems,
        "query": query_without_export(request),
    }
    # A rejected export is not a file with a silently different content: the page says why.
    return render(request, "reports/status_report.html", context, status=400 if export else 200)


def render_report_body(params):
    # At 100,000 commitments the scorecards run to thousands of rows, several megabytes of HTML;
    # the page shows the first ones, the exports and the command keep every row.
    report = build_report(params, scorecard_rows=SCORECARD_ROWS_ON_SCREEN)
    return render_to_string("reports/_status_report_body.html", {"report": report})


def print_margins(request):
    """The printed report's page numbers and print date (exports.print_margins_css), as a
    stylesheet of this site: the Content-Security-Policy allows no inline style."""
    response = HttpResponse(exports.print_margins_css(timezone.localdate()), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def query_without_export(request) -> str:
    query = request.GET.copy()
    query.pop("_export", None)
    return query.urlencode()


def indicator(request, slug):
    """An indicator's published figures: charted over time, as a table, and where the sources disagree
    side by side. Two queries; whole pages are in the page cache for anonymous visitors."""
    page = figures.indicator_page(get_object_or_404(Indicator, slug=slug))
    downloads = [(export, f"{reverse('web:figure-list')}?indicator={slug}&_export={export}") for export in DOWNLOADS]
    series = [(each, charts.value_columns(each.points)) for each in page.series]
    return render(request, "reports/indicator.html", {"page": page, "series": series, "downloads": downloads})
