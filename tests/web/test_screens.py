"""Issue 19 on the server side of the public pages: the column chooser, the sort in force, the
phone's card markup, the downloads' names and formats, the favicon, the feeds' Subscribe links,
the "in force" figure's note and the printed report's page-margin stylesheet."""

import csv
import io
import re

import openpyxl
import pytest
from django.utils import timezone
from openpyxl.utils import get_column_letter

from cooperation import downloads
from tests import factories as f

pytestmark = pytest.mark.django_db


def headers(response) -> list[str]:
    return [str(column.header) for column in response.context["table"].columns]


def test_optional_columns_are_chosen_in_the_url_and_the_downloads_keep_every_column(client, story):
    page = client.get("/commitments/")
    assert "Sectors" not in headers(page) and "Made in / at" not in headers(page)
    assert 'name="columns" value="sectors"' in page.content.decode()  # the chooser offers it
    chosen = client.get("/commitments/", {"columns": ["sectors", "origin"]})
    assert "Sectors" in headers(chosen) and "Made in / at" in headers(chosen)
    # The filter form keeps the chosen columns when it is sent again.
    assert '<input type="hidden" name="columns" value="sectors">' in chosen.content.decode()
    export = client.get("/commitments/", {"_export": "csv"})
    header = next(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert {"Sectors", "Made in / at", "Responsible"} <= set(header)


def test_an_unknown_column_is_ignored_with_a_message(client, story):
    response = client.get("/documents/", {"columns": ["sectors", "<nope>"]})
    assert response.status_code == 200
    assert "Sectors" in headers(response)
    assert "Unknown columns were ignored: &lt;nope&gt;." in response.content.decode()


@pytest.mark.parametrize(
    ("path", "query", "shown"),
    [
        ("/documents/", {}, "Sorted by Signed, descending"),
        ("/commitments/", {}, "Sorted by Due, ascending"),
        ("/visits/", {}, "Sorted by Date, descending"),
        ("/organizations/", {}, "Sorted by Organization, ascending"),
        ("/figures/", {}, "Sorted by Indicator, ascending"),
        ("/commitments/", {"sort": "-progress"}, "Sorted by Progress, descending"),
    ],
)
def test_the_sort_in_force_is_shown_the_default_one_too(client, story, path, query, shown):
    html = client.get(path, query).content.decode()
    in_force = re.search(r'<p class="sort-in-force">(.*?)</p>', html, re.S).group(1)
    assert shown in in_force
    assert ("(the default order)" in in_force) == (not query)
    assert html.count('aria-sort="ascending"') + html.count('aria-sort="descending"') == 1


def test_cells_carry_their_column_name_for_the_phone_cards(client, story):
    html = client.get("/commitments/").content.decode()
    assert '<td class="card-title wide" data-label="Commitment">' in html
    assert 'data-label="Status"' in html and 'class="wide not-in-card" data-label="Responsible"' in html


def test_the_filter_form_sends_the_focus_to_the_results(client, story):
    html = client.get("/documents/").content.decode()
    assert 'action="/documents/#results"' in html and 'id="results" tabindex="-1"' in html


def test_download_names_say_what_and_when(client, story):
    today = timezone.localdate().isoformat()
    response = client.get("/commitments/", {"status": "in_progress", "_export": "csv"})
    assert response["Content-Disposition"] == f'attachment; filename="commitments-status-in_progress-{today}.csv"'
    response = client.get("/documents/", {"kind": "memorandum", "country": "KZ", "_export": "xlsx"})
    assert (
        response["Content-Disposition"] == f'attachment; filename="documents-kind-memorandum-country-kz-{today}.xlsx"'
    )
    plain = client.get("/visits/", {"_export": "json"})
    assert plain["Content-Disposition"] == f'attachment; filename="visits-{today}.json"'


def test_a_long_or_odd_filter_value_still_gives_a_safe_short_name():
    name = downloads.file_name("documents", [("q", '"; rm -rf / ' + "x" * 300)], timezone.localdate(), "csv")
    assert len(name) < 140 and name.startswith("documents-q-rm-rf-x") and '"' not in name and "/" not in name


def test_csv_opens_in_excel_with_the_right_characters(client, story):
    f.organization(name="Министерство цифрового развития Қазақстан — Vučić")
    response = client.get("/organizations/", {"_export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads UTF-8
    text = response.content.decode("utf-8-sig")
    assert "Министерство цифрового развития Қазақстан — Vučić" in text
    assert text.splitlines()[0].startswith("Organization,")  # the header is the first line: machine-readable


def test_xlsx_has_a_frozen_header_filters_and_cites_the_view(client, story):
    response = client.get("/documents/", {"kind": "memorandum", "_export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"  # every column
    assert sheet["A1"].font.bold
    assert book.sheetnames[-1] == "About"
    assert book["About"]["A1"].value == (
        "Cooperation Tracker (Kazakhstan–Serbia), http://testserver/documents/?kind=memorandum, "
        f"{timezone.localdate().isoformat()}"
    )


def test_xlsx_cells_are_neutralised_by_the_one_formula_rule(client, story):
    f.document(title='=HYPERLINK("http://evil")')
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/documents/", {"_export": "xlsx"}).content)).worksheets[0]
    titles = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in titles


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg") and "/static/" in response["Location"]


def test_pages_with_a_feed_show_a_subscribe_link(client, story):
    for path, feed in [
        ("/", "/feeds/updates/"),
        ("/reports/status/", "/feeds/updates/"),
        ("/reports/status/?sector=digital", "/feeds/sectors/digital/"),
        (story.council_restart.get_absolute_url(), f"/feeds/commitments/{story.council_restart.slug}/"),
        (story.ministry_kz.get_absolute_url(), f"/feeds/organizations/{story.ministry_kz.slug}/"),
        ("/commitments/?sector=digital", "/feeds/sectors/digital/"),
        ("/documents/", "/feeds/documents/"),
        ("/documents/?kind=memorandum", "/feeds/documents/"),
        ("/visits/", "/feeds/visits/"),
    ]:
        html = client.get(path).content.decode()
        assert f'<a class="subscribe-link" href="{feed}" type="application/atom+xml">' in html, path
        # The link the page shows is the feed its head announces.
        announced = rf'<link rel="alternate" type="application/atom\+xml"[^>]* href="{re.escape(feed)}"'
        assert re.search(announced, html), path
    for path in ("/commitments/", "/organizations/", "/figures/"):  # no feed of their own
        assert "subscribe-link" not in client.get(path).content.decode(), path


def test_the_in_force_figure_explains_itself(client, story):
    html = client.get("/").content.decode()
    assert 'aria-describedby="in-force-note"' in html
    assert "No source yet reports that a signed document has entered into force" in html


def test_the_printed_report_has_page_numbers_and_the_print_date(client):
    css = client.get("/reports/status/print.css")
    assert css["Content-Type"] == "text/css; charset=utf-8"
    text = css.content.decode()
    assert 'content: "Page " counter(page) " of " counter(pages)' in text
    assert f"Printed {timezone.localdate():%-d %B %Y}" in text
    html = client.get("/reports/status/").content.decode()
    assert '<link rel="stylesheet" href="/reports/status/print.css" media="print">' in html


def test_css_strings_cannot_break_out():
    from cooperation.reports.exports import css_string

    assert css_string('a"; } body { x') == '"a\\"; } body { x"'
    assert css_string("back\\slash\nline") == '"back\\\\slash\\A line"'


def test_the_filter_panel_sorts_too_for_the_phones_cards(client, story):
    """A phone's cards have no header row to click: the filter panel's "Sort by" offers every
    shown sortable column both ways, the order in force chosen, the default one as no sort."""
    html = client.get("/documents/").content.decode()
    assert '<select name="sort" id="id_sort">' in html
    assert '<option value="" selected>Signed, descending (the default order)</option>' in html
    assert '<option value="signed_on">Signed, ascending</option>' in html
    assert '<option value="-title">Title, descending</option>' in html
    sorted_html = client.get("/documents/", {"sort": "-title"}).content.decode()
    assert '<option value="-title" selected>Title, descending</option>' in sorted_html
    assert '<option value="">Signed, descending (the default order)</option>' in sorted_html
    # Choosing the default sends an empty sort: the page says it is the default order.
    default = client.get("/documents/", {"sort": "", "kind": "memorandum"})
    assert default.status_code == 200
    assert "(the default order)" in default.content.decode().split('class="sort-in-force"')[1][:300]
    assert [row.record.slug for row in default.context["table"].page.object_list] == [
        row.record.slug for row in client.get("/documents/", {"kind": "memorandum"}).context["table"].page.object_list
    ]
