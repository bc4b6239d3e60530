"""No query string makes a public list fail: any value of any parameter gives
the page (with a message) or an empty result — never a server error."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cooperation.web.views import PER_PAGE_CHOICES

pytestmark = pytest.mark.django_db

COMMON = ["q", "page", "per_page", "sort", "_export"]
PARAMETERS = {
    "web:document-list": [
        *COMMON,
        "kind",
        "level",
        "status",
        "sector",
        "country",
        "party",
        "visit",
        "signed_from",
        "signed_to",
    ],
    "web:commitment-list": [
        *COMMON,
        "status",
        "overdue",
        "sector",
        "responsible",
        "country",
        "document",
        "visit",
        "due_from",
        "due_to",
    ],
    "web:visit-list": [*COMMON, "kind", "host_country", "year", "sector", "person"],
    "web:organization-list": [*COMMON, "country", "kind", "sector"],
}

# Values that have broken real sites: NUL bytes (PostgreSQL refuses them), huge numbers,
# impossible dates, SQL and LIKE metacharacters, very long strings, odd Unicode.
NASTY = [
    "\x00",
    "a\x00b",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "x" * 5000,
    "csv",
    "xlsx",
    "json",
    "-title",
    "--",
    "digital",
    "KZ",
    "\u202e\ufeff",
    "𝕯𝖎𝖌𝖎𝖙𝖆𝖑",
    "<script>alert(1)</script>",
    " ",
    "",
    *[str(choice) for choice in PER_PAGE_CHOICES],
]


def query_strategy(names):
    value = st.one_of(st.text(max_size=300), st.sampled_from(NASTY))
    return st.lists(st.tuples(st.sampled_from(names), value), max_size=6)


def as_data(pairs):
    data = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data


def check_list(client, name, pairs):
    response = client.get(reverse(name), as_data(pairs))
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        assert b"<table" in response.content


@pytest.mark.parametrize("name", list(PARAMETERS))
def test_any_query_string_gives_a_page(client, story, name):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(pairs=query_strategy(PARAMETERS[name]))
    def run(pairs):
        check_list(client, name, pairs)

    run()


@pytest.mark.parametrize("name", list(PARAMETERS))
@pytest.mark.parametrize("raw", ["q=%FF%FE%00", "sector=%C0%AF", "%00=%00", "page=%EF%BF%BD", "sort=&sort=-&sort=%00"])
def test_bytes_that_are_not_utf8_give_a_page(client, story, name, raw):
    response = client.get(f"{reverse(name)}?{raw}")
    assert response.status_code == 200


@pytest.mark.parametrize("name", list(PARAMETERS))
def test_every_filter_with_a_nul_byte_gives_a_message(client, story, name):
    data = dict.fromkeys(PARAMETERS[name], "digital\x00")
    response = client.get(reverse(name), data)
    assert response.status_code == 200
    assert "were removed from the query" in response.content.decode()


@pytest.mark.parametrize("name", ["web:document-list", "web:commitment-list"])
def test_any_slug_on_a_detail_url_is_a_page_or_not_found(client, story, name):
    detail = name.replace("-list", "-detail")

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(slug=st.from_regex(r"[-a-zA-Z0-9_]{1,200}", fullmatch=True))
    def run(slug):
        response = client.get(reverse(detail, args=[slug]))
        assert response.status_code in (200, 404)

    run()
