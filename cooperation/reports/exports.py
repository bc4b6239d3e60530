"""The status report as tables, and those tables as CSV, XLSX and Markdown.

`report_tables` is the one flat form of the report; every file format is a
rendering of it, so the page's export and the command always agree. The spreadsheet formats
neutralise formula-like text (a title such as "=HYPERLINK(…)") by the site's one rule,
cooperation/formulas.py.
"""

import csv
import dataclasses
import datetime
import io

import tablib
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cooperation import downloads
from cooperation.formulas import neutralise, neutralised
from cooperation.tracker.models import CommitmentStatus

from .services import LIST_LIMIT, STATUSES, CommitmentRow, ScoreRow, StatusReport


@dataclasses.dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]
    note: str = ""
    sheet: str = ""  # a short name for the spreadsheet tab; the title when empty


def format_date(value: datetime.date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def percent(value: float | None) -> str:
    return "" if value is None else f"{round(value)} %"


def report_title(report: StatusReport) -> str:
    return _("Status report on %(date)s") % {"date": format_date(report.date)}


def report_subtitle(report: StatusReport) -> str:
    """The date semantics and the filters, in one line."""
    parts = [
        _("as it stood on %(date)s") % {"date": format_date(report.date)}
        if report.params.as_of
        else _("current status")
    ]
    parts += [f"{label}: {value}" for label, value in report.params.filters()]
    if report.params.since:
        parts.append(_("changes since %(date)s") % {"date": format_date(report.params.since)})
    return capfirst("; ".join(parts))


def _status_headers() -> list[str]:
    return [capfirst(status.label) for status in STATUSES]


def _list_note(shown: int, total: int) -> str:
    return _("The first %(shown)s of %(total)s.") % {"shown": shown, "total": total} if total > shown else ""


def _commitment_table(
    title: str, rows: list[CommitmentRow], total: int, reviewed: bool = False, sheet: str = ""
) -> Table:
    headers = [_("Commitment"), _("Due"), _("Status"), _("Progress")]
    if reviewed:
        headers.append(_("Last reviewed"))
    headers.append(_("Responsible"))
    body = []
    for row in rows:
        cells = [row.title, row.due or "—", capfirst(row.status_label), f"{row.progress} %"]
        if reviewed:
            cells.append(format_date(row.reviewed_on) or _("never"))
        cells.append(", ".join(name for name, _url in row.responsible))
        body.append(cells)
    return Table(title, headers, body, _list_note(len(rows), total), sheet)


def _scorecard_table(title: str, name_headers: list[str], rows: list[ScoreRow], sheet: str) -> Table:
    headers = [*name_headers, _("Promised"), *_status_headers(), _("Overdue"), _("Average progress")]
    body = [[row.name, row.detail, row.total, *row.counts, row.overdue, percent(row.average_progress)] for row in rows]
    return Table(title, headers, body, sheet=sheet)


def _figures_table(report: StatusReport) -> Table:
    """Every figure as its report gives it, with the passage: the report's "Figures" section."""
    figures = report.figures
    headers = [
        _("Indicator"),
        _("Of what"),
        _("Value"),
        _("Value as printed"),
        _("Period"),
        _("Direction or side"),
        _("Reported by"),
        _("Change"),
        _("Source"),
        _("Source address"),
        _("Passage quoted"),
    ]
    rows = [
        [
            row.indicator,
            row.subject,
            row.value,
            row.printed,
            row.period_text,
            row.direction,
            f"{row.reporter} ({_('assessed')})" if row.reporter_assessed else row.reporter,
            row.change,
            row.source,
            row.source_url,
            row.passage,
        ]
        for row in figures.rows
    ]
    notes = [_list_note(len(figures.rows), figures.total)]
    if figures.disagreements:
        names = "; ".join(f"{name} ({count})" for name, _url, count in figures.disagreements)
        notes.append(_("The sources differ on: %(names)s.") % {"names": names})
    return Table(_("Figures"), headers, rows, " ".join(filter(None, notes)))


def report_tables(report: StatusReport) -> list[Table]:
    summary = report.summary
    key_figures = [
        [_("Commitments"), summary.total],
        *[[capfirst(status.label), summary.by_status[status]] for status in STATUSES],
        [_("Overdue"), summary.overdue],
        [summary.due_soon_label, summary.due_soon],
        [_("Not reviewed for %(days)s days") % {"days": report.params.stale_days}, summary.stale],
        [_("Average progress"), percent(summary.average_progress)],
        [_("Completed (of those not cancelled)"), percent(summary.completed_share)],
    ]
    if summary.made_since is not None:
        key_figures.append([_("Made since %(date)s") % {"date": format_date(report.params.since)}, summary.made_since])
    tables = [
        Table(_("Key figures"), [_("Figure"), _("Value")], key_figures),
        Table(
            _("Commitments by sector and status"),
            [_("Sector"), *_status_headers(), _("Total")],
            [[row.name, *row.counts, row.total] for row in report.sectors]
            + [[_("All commitments"), *report.status_totals, summary.total]],
            _("A commitment in several sectors counts in each."),
            sheet=_("By sector"),
        ),
        _scorecard_table(
            _("Scorecard by responsible organization"),
            [_("Organization"), _("Country")],
            report.organizations,
            _("By organization"),
        ),
        _scorecard_table(
            _("Scorecard by visit: promised there, and how much is done"),
            [_("Visit"), _("Date")],
            report.visits,
            _("By visit"),
        ),
        _commitment_table(_("Overdue"), report.overdue, summary.overdue),
        _commitment_table(summary.due_soon_label, report.due_soon, summary.due_soon, sheet=_("Due soon")),
        _commitment_table(
            _("Stale: not reviewed for %(days)s days") % {"days": report.params.stale_days},
            report.stale,
            summary.stale,
            reviewed=True,
            sheet=_("Stale"),
        ),
        Table(
            _("Signed, not yet in force"),
            [
                _("Document"),
                _("Signed"),
                _("Time since signature"),
                _("Status"),
                _("Still to act"),
                _("Enters into force"),
            ],
            [
                [
                    row.title,
                    row.signed,
                    row.since_signature,
                    capfirst(row.status_label),
                    capfirst(row.to_act),
                    format_date(row.entry_into_force) or _("not reported"),
                ]
                for row in report.not_in_force
            ],
            _list_note(len(report.not_in_force), report.not_in_force_total),
            sheet=_("Not yet in force"),
        ),
    ]
    if report.figures is not None:
        tables.append(_figures_table(report))
    if report.changes:
        changes = report.changes
        before, after = format_date(changes.baseline_date), format_date(report.date)
        tables += [
            Table(
                _("Status counts: %(before)s and %(after)s") % {"before": before, "after": after},
                [_("Status"), before, after, _("Change")],
                [[capfirst(label), *counts] for label, *counts in report.status_comparison],
                sheet=_("Change in status"),
            ),
            Table(
                _("Status updates since %(date)s") % {"date": format_date(changes.since)},
                [_("Date"), _("Commitment"), _("From"), _("To"), _("Progress"), _("Note")],
                [
                    [
                        format_date(update.reported_on),
                        update.commitment,
                        capfirst(update.previous_label) or _("(first update)"),
                        capfirst(update.status_label),
                        f"{update.progress} %",
                        update.note,
                    ]
                    for update in changes.updates
                ],
                _list_note(len(changes.updates), changes.updates_total),
                sheet=_("Updates since"),
            ),
        ]
    return tables


# --- File formats ----------------------------------------------------------------------


def to_csv(report: StatusReport, cite: str = "") -> str:
    """Each table under a title row, tables separated by an empty row. A document to read, not one
    table, so the citation (the tracker and the page's address) is one of its opening lines."""
    buffer = io.StringIO()
    rows = [[report_title(report)], [report_subtitle(report)], *([[cite]] if cite else [])]
    for table in report_tables(report):
        rows += [[], [table.title], table.headers, *table.rows, *([[table.note]] if table.note else [])]
    csv.writer(buffer).writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join(" " if char in "[]:*?/\\" else char for char in title)[:31].strip()
    candidate, counter = clean, 2
    while candidate in used:
        candidate = f"{clean[:28]} {counter}"
        counter += 1
    used.add(candidate)
    return candidate


def to_xlsx(report: StatusReport, cite: str = "") -> bytes:
    """One sheet a table, each with its header frozen and filters on; an "About" sheet with the
    title, the filters and the citation (cooperation/downloads.py)."""
    sheets, used = [], set()
    for table in report_tables(report):
        rows = [*table.rows, *([[table.note]] if table.note else [])]
        width = len(table.headers)
        sheet = neutralised(
            tablib.Dataset(*[list(row) + [""] * (width - len(row)) for row in rows], headers=table.headers)
        )
        sheets.append((_sheet_title(table.sheet or table.title, used), sheet.headers, sheet))
    about = [neutralise(line) for line in (report_title(report), report_subtitle(report), cite) if line]
    return downloads.xlsx_bytes(sheets, about)


def _markdown_cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def to_markdown(report: StatusReport) -> str:
    """Headings, a sentence of key figures and pipe tables: ready to paste into a briefing note."""
    summary = report.summary
    lines = [f"# {report_title(report)}", "", f"*{report_subtitle(report)}*", ""]
    lines.append(
        _(
            "%(total)s commitments: %(completed)s completed, %(overdue)s overdue, "
            "%(due_soon)s due in the next %(due_soon_days)s days, %(stale)s not reviewed for %(days)s days."
        )
        % {
            "total": summary.total,
            "completed": summary.by_status[CommitmentStatus.COMPLETED],
            "overdue": summary.overdue,
            "due_soon": summary.due_soon,
            "due_soon_days": summary.due_soon_days,
            "stale": summary.stale,
            "days": report.params.stale_days,
        }
    )
    for table in report_tables(report):
        lines += ["", f"## {table.title}", ""]
        if not table.rows:
            lines.append(_("None."))
            continue
        lines.append("| " + " | ".join(_markdown_cell(header) for header in table.headers) + " |")
        lines.append("|" + "---|" * len(table.headers))
        lines += ["| " + " | ".join(_markdown_cell(cell) for cell in row) + " |" for row in table.rows]
        if table.note:
            lines += ["", f"*{table.note}*"]
    lines += [
        "",
        _("Only published records are counted. At most %(limit)s rows are listed per list.") % {"limit": LIST_LIMIT},
    ]
    return "\n".join(lines) + "\n"


# --- Print -----------------------------------------------------------------------------


def css_string(text: str) -> str:
    """`text` as a CSS string literal."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def print_margins_css(printed_on: datetime.date) -> str:
    """The printed report's running header and footer, as CSS page-margin boxes (Chromium 131+,
    Firefox 138+ print them): what it is and the print date at the top of every page, "Page N of
    M" at the bottom. Made per day and per language, because CSS cannot read a date or a
    translation from the page."""
    title = css_string(_("Cooperation Tracker · Kazakhstan–Serbia status report"))
    printed = css_string(_("Printed %(date)s") % {"date": format_date(printed_on)})
    page, of = css_string(_("Page") + " "), css_string(" " + _("of") + " ")
    return (
        "@page {\n"
        f"  @top-left {{ content: {title}; font: 8pt sans-serif; color: #444; }}\n"
        f"  @top-right {{ content: {printed}; font: 8pt sans-serif; color: #444; }}\n"
        f"  @bottom-right {{ content: {page} counter(page) {of} counter(pages); font: 8pt sans-serif; color: #444; }}\n"
        "}\n"
    )
