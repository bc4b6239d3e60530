"""Overview, status report and its exports. The figures come from services.py; views only read
the request, pick a format and render."""

import dataclasses
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import charts, exports
from .forms import ReportFilterForm
from .services import STATUSES, build_overview, build_report

# Scorecard rows on the page; more are in the CSV/XLSX export and the status_report command.
SCORECARD_ROWS_ON_SCREEN = 50

EXPORTS = {
    "csv": ("text/csv; charset=utf-8", "csv", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", exports.to_xlsx),
}


def cached(key: str, build):
    """`build()`, kept for REPORT_CACHE_SECONDS (0 turns the cache off, so edits show at once)."""
    timeout = settings.REPORT_CACHE_SECONDS
    if not timeout:
        return build()
    key = "reports:" + hashlib.sha256(key.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def overview(request):
    today = timezone.localdate()
    data = cached(f"overview:{today}", lambda: build_overview(today))
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
    return render(request, "reports/overview.html", context)


def status_report(request):
    today = timezone.localdate()
    form = ReportFilterForm(request.GET, today=today)
    params, problems = form.to_params(), form.problems()
    export = request.GET.get("_export", "")
    if export and export not in EXPORTS:
        problems.append(_("Unknown export format “%(format)s”: use csv or xlsx.") % {"format": export})
    report = cached(f"status:{today}:{request.GET.urlencode()}", lambda: build_report(params))
    if export in EXPORTS and not problems:
        content_type, extension, render_file = EXPORTS[export]
        response = HttpResponse(render_file(report), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="status-report-{report.date}.{extension}"'
        return response
    context = {
        "form": form,
        "report": on_screen(report),
        "hidden_scorecard_rows": {
            "organizations": max(len(report.organizations) - SCORECARD_ROWS_ON_SCREEN, 0),
            "visits": max(len(report.visits) - SCORECARD_ROWS_ON_SCREEN, 0),
        },
        "problems": problems,
        "query": query_without_export(request),
    }
    # A rejected export is not a file with a silently different content: the page says why.
    return render(request, "reports/status_report.html", context, status=400 if export else 200)


def on_screen(report):
    """The report as the page shows it: at 100,000 commitments the scorecards run to thousands of
    rows, several megabytes of HTML; the exports and the command keep every row."""
    return dataclasses.replace(
        report,
        organizations=report.organizations[:SCORECARD_ROWS_ON_SCREEN],
        visits=report.visits[:SCORECARD_ROWS_ON_SCREEN],
    )


def query_without_export(request) -> str:
    query = request.GET.copy()
    query.pop("_export", None)
    return query.urlencode()
