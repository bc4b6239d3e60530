"""The status report from the command line, with the page's parameters:

manage.py status_report --format md --as-of 2025-06-30 --since 2025-01-01 --sector education
"""

from pathlib import Path
from urllib.parse import urlencode

from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cooperation import downloads
from cooperation.reports import exports
from cooperation.reports.forms import ReportFilterForm
from cooperation.reports.services import build_report


def static_text(name: str) -> str:
    return Path(finders.find(name)).read_text(encoding="utf-8")


def render_html(report) -> str:
    """A standalone HTML file: the page's report body with its stylesheets embedded
    (the print rules, as on the page, only when printing)."""
    stylesheet = (
        static_text("reports/reports.css")
        + "\n@media print {\n"
        + static_text("reports/print.css")
        + "\n}\n"
        + exports.print_margins_css(timezone.localdate())
    )
    return render_to_string(
        "reports/status_report_document.html",
        {"report": report, "stylesheet": stylesheet, "subtitle": exports.report_subtitle(report)},
    )


FORMATS = {
    "md": lambda report, cite: exports.to_markdown(report),
    "csv": exports.to_csv,
    "html": lambda report, cite: render_html(report),
    "xlsx": exports.to_xlsx,
}


class Command(BaseCommand):
    help = "Print the status report (the same as /reports/status/) as Markdown, CSV, HTML or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="md", help="md (default), csv, html, or xlsx.")
        parser.add_argument("--as-of", help="The report as it stood on this date (YYYY-MM-DD).")
        parser.add_argument("--since", help="Also list what changed from this date on (YYYY-MM-DD).")
        parser.add_argument("--stale-days", help="Not reviewed for this many days counts as stale.")
        parser.add_argument("--sector", help="Sector slug.")
        parser.add_argument("--organization", help="Responsible organization slug.")
        parser.add_argument("--country", help="ISO code of a responsible organization's country, e.g. KZ.")
        parser.add_argument("--visit", help="Slug of the visit the commitments were made at.")
        parser.add_argument("--document", help="Slug of the document the commitments were made in.")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args, **options):
        names = ["as_of", "since", "stale_days", "sector", "organization", "country", "visit", "document"]
        form = ReportFilterForm({name: options[name] for name in names if options[name]}, today=timezone.localdate())
        if problems := form.problems():
            raise CommandError("\n".join(problems))
        if options["format"] == "xlsx" and not options["output"]:
            raise CommandError("XLSX is a binary format: give --output FILE.")
        given = {name: options[name] for name in names if options[name]}
        # The page that shows the same report (the site's address is not known here).
        page = reverse("reports:status-report") + (f"?{urlencode(given)}" if given else "")
        cite = downloads.citation(page, timezone.localdate())
        content = FORMATS[options["format"]](build_report(form.to_params()), cite)
        if options["output"]:
            path = Path(options["output"])
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                # A CSV file gets the byte-order mark Excel needs (cooperation/downloads.py);
                # standard output, read by programs, does not.
                encoding = "utf-8-sig" if options["format"] == "csv" else "utf-8"
                path.write_text(content, encoding=encoding)
            self.stderr.write(f"Wrote {path}")
        else:
            self.stdout.write(content, ending="")
