"""The public page cache (caching/middleware.py), keyed on the content version
(test_content_version.py): what is cached, for whom, and that every committed change,
above all an unpublication, is seen on the very next request.

pytest-django keeps each test inside a transaction that never commits; `commit()` runs a block
as one, so its on_commit callbacks (the version bump among them) run.
"""

import datetime
import time

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from cooperation.caching.middleware import PublicPageCacheMiddleware
from cooperation.tracker.models import (
    Commitment,
    Document,
    Figure,
    Organization,
    Person,
    PublicationStatus,
    StatusUpdate,
    Visit,
)
from tests import factories
from tests.admin_helpers import form_data, staff_user
from tests.test_publication_leaks import DRAFT_WORDS, assert_no_leak, build_world, forbidden_texts

pytestmark = pytest.mark.django_db
TIMEOUT = 60
PUBLIC_MODELS = (Organization, Person, Visit, Document, Commitment, StatusUpdate, Figure)


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = TIMEOUT
    settings.QUERY_CACHE_SECONDS = TIMEOUT  # as in production: counts and choices cached too
    cache.clear()
    yield
    cache.clear()


def cache_state(response) -> str | None:
    return response.get("X-Page-Cache")


def get_twice(client, url, **headers):
    first, second = client.get(url, headers=headers), client.get(url, headers=headers)
    return first, second


# --- What is cached, and what a hit costs ------------------------------------------------------


def test_a_list_page_is_built_once_then_served_from_the_cache_with_one_query(client, django_assert_num_queries):
    factories.commitment(title="Open a trade house in Almaty")
    first = client.get("/commitments/")
    assert cache_state(first) == "miss"
    with django_assert_num_queries(1):  # the content version
        again = client.get("/commitments/")
    assert cache_state(again) == "hit"
    assert again.content == first.content
    assert "Open a trade house in Almaty" in again.content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/reports/status/", "/documents/", "/visits/", "/organizations/", "/feeds/updates/"]
)
def test_every_public_kind_of_page_is_cached(client, url):
    factories.commitment()
    first, second = get_twice(client, url)
    assert (cache_state(first), cache_state(second)) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_hit_carries_the_same_security_headers(client):
    first, second = get_twice(client, "/commitments/")
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert second.get(header) == first.get(header) is not None, header


def test_a_detail_page_is_cached(client):
    commitment = factories.commitment(title="Joint customs checkpoint")
    first, second = get_twice(client, commitment.get_absolute_url())
    assert (cache_state(first), cache_state(second)) == ("miss", "hit")
    assert "Joint customs checkpoint" in second.content.decode()


def test_each_url_language_and_day_has_its_own_entry(client, monkeypatch):
    factories.commitment()
    client.get("/commitments/")
    assert cache_state(client.get("/commitments/?status=delayed")) == "miss"
    # The language is the URL's (README "Languages"): the browser's Accept-Language does not make
    # /commitments/ another page, so a proxy or CDN may cache it as it is; /ru/commitments/ is.
    english = client.get("/commitments/", headers={"accept-language": "ru"})
    assert cache_state(english) == "hit" and '<html lang="en">' in english.content.decode()
    assert cache_state(client.get("/ru/commitments/")) == "miss"
    russian = client.get("/ru/commitments/", headers={"accept-language": "en"})
    assert cache_state(russian) == "hit" and '<html lang="ru">' in russian.content.decode()
    assert "Accept-Language" not in russian.get("Vary", "") and "Accept-Language" not in english.get("Vary", "")
    # Pages say what is overdue today: tomorrow is another page.
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: tomorrow)
    assert cache_state(client.get("/commitments/")) == "miss"


def test_entries_expire_after_page_cache_seconds(client, monkeypatch):
    client.get("/visits/")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + TIMEOUT + 1)  # the in-memory cache expires by it
    assert cache_state(client.get("/visits/")) == "miss"


def test_zero_seconds_turns_the_cache_off(client, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    settings.QUERY_CACHE_SECONDS = 0  # which reads the version too (tests/caching/test_query_cache.py)
    client.get("/visits/")
    response = client.get("/visits/")
    assert cache_state(response) is None
    with CaptureQueriesContext(connection) as queries:
        client.get("/visits/")
    assert not [query for query in queries if "tracker_contentversion" in query["sql"]]


# --- Who bypasses it -------------------------------------------------------------------------


def test_staff_with_a_session_always_get_a_page_built_for_them(client):
    factories.commitment(title="Visible to all")
    client.get("/commitments/")  # cached for the anonymous
    client.force_login(staff_user("editor"))
    response = client.get("/commitments/")
    assert cache_state(response) is None
    assert cache_state(client.get("/commitments/")) is None


def test_a_visitor_with_pending_messages_is_not_served_from_the_cache(client):
    client.get("/commitments/")
    client.cookies[CookieStorage.cookie_name] = "anything"
    assert cache_state(client.get("/commitments/")) is None


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "json"])
def test_exports_are_not_cached(client, export_format):
    factories.commitment()
    first, second = get_twice(client, f"/commitments/?_export={export_format}")
    assert cache_state(first) is cache_state(second) is None
    assert second.content == first.content


def test_not_found_pages_are_not_cached(client):
    draft = factories.commitment(publication_status=PublicationStatus.DRAFT)
    first, second = get_twice(client, draft.get_absolute_url())
    assert first.status_code == second.status_code == 404
    assert cache_state(second) is None


def test_a_bad_filter_value_is_cached_with_its_message(client):
    first, second = get_twice(client, "/commitments/?status=nonsense")
    assert first.status_code == second.status_code == 200
    assert cache_state(second) == "hit"
    assert second.content == first.content


def test_the_admin_is_never_cached(client):
    client.force_login(staff_user("boss", superuser=True))
    client.get("/admin/tracker/commitment/")
    client.logout()
    first, second = get_twice(client, "/admin/login/")
    assert cache_state(first) is cache_state(second) is None


def test_post_and_head_requests_pass_through(client):
    assert cache_state(client.post("/commitments/")) is None
    client.get("/commitments/")
    assert cache_state(client.head("/commitments/")) is None


# The public pages set no cookie and use no CSRF token today; should one ever do so, the cache
# must not hand one visitor's cookie or token to the next. Checked on the middleware itself.


def _through_middleware(view, path="/commitments/"):
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)
    request.COOKIES = {}
    middleware = PublicPageCacheMiddleware(lambda request: view(request))
    hit = middleware.process_view(request, view, (), {})
    return hit if hit is not None else middleware(request)


@pytest.mark.parametrize(
    "view",
    [
        pytest.param(lambda request: HttpResponse(get_token(request)), id="uses a CSRF token"),
        pytest.param(lambda request: _with_cookie(HttpResponse("x")), id="sets a cookie"),
        pytest.param(lambda request: _private(HttpResponse("x")), id="says it is private"),
        pytest.param(lambda request: HttpResponse("x", status=500), id="is an error"),
    ],
)
def test_a_response_that_is_personal_or_failed_is_not_stored(view):
    _through_middleware(view)
    assert cache_state(_through_middleware(view)) is None


def test_the_middleware_check_can_store(client):
    """Guard: the same harness stores an ordinary response."""
    view = lambda request: HttpResponse("ordinary")  # noqa: E731
    _through_middleware(view)
    assert cache_state(_through_middleware(view)) == "hit"


def _with_cookie(response):
    response.set_cookie("tracking", "1")
    return response


def _private(response):
    response["Cache-Control"] = "private, max-age=0"
    return response


# --- Every committed change is seen at once -----------------------------------------------------


def test_a_committed_change_is_seen_on_the_next_request(client, commit):
    commitment = factories.commitment(title="Launch a cargo rail link")
    assert cache_state(client.get("/commitments/")) == "miss"
    with commit():
        commitment.title = "Launch a cargo and passenger rail link"
        commitment.save()
    response = client.get("/commitments/")
    assert cache_state(response) == "miss"
    assert "Launch a cargo and passenger rail link" in response.content.decode()


def test_unpublishing_removes_a_record_from_every_cached_page_at_once(client, commit):
    """The leak sweep of tests/test_publication_leaks.py, with every page cached first while the
    drafts were public."""
    with commit():
        world = build_world()
        drafts = {model: list(model.objects.drafts().values_list("pk", flat=True)) for model in PUBLIC_MODELS}
        for model in PUBLIC_MODELS:
            model.objects.publish()
    urls = sweep_urls(world)
    for url in urls:
        client.get(url)
    assert [url for url in urls if cache_state(client.get(url)) != "hit"] == []
    cached_text = " ".join(client.get(url).content.decode().lower() for url in urls)
    assert [text for text in forbidden_texts() if text not in cached_text] == []  # all of it was cached

    with commit():
        for model, ids in drafts.items():
            model.objects.filter(pk__in=ids).unpublish()

    for url in urls:
        assert_no_leak(client, url, may_be_missing=True)


def sweep_urls(world) -> list[str]:
    published, drafts, sector = world["published"], world["drafts"], world["sector"]
    urls = ["/", "/reports/status/", "/feeds/updates/", sector.get_absolute_url()]
    for list_url in ("/documents/", "/visits/", "/commitments/", "/organizations/", "/figures/"):
        urls.append(list_url)
        urls += [f"{list_url}?q={search}" for search, _ in DRAFT_WORDS.values()]
    urls += [record.get_absolute_url() for record in published.values()]
    urls += [record.get_absolute_url() for record in drafts.values()]
    urls += [f"/feeds/commitments/{published['commitment'].slug}/", f"/feeds/sectors/{sector.slug}/"]
    return urls


def test_deleting_a_record_removes_it_at_once(client, commit):
    commitment = factories.commitment(title="Exchange of museum collections")
    assert "Exchange of museum collections" in client.get("/commitments/").content.decode()
    with commit():
        commitment.delete()
    assert "Exchange of museum collections" not in client.get("/commitments/").content.decode()


def test_a_change_of_links_is_seen_at_once(client, commit):
    commitment = factories.commitment(title="Joint film fund")
    culture = factories.sector("Culture")
    url = f"/commitments/?sector={culture.slug}"
    assert "Joint film fund" not in client.get(url).content.decode()
    with commit():
        commitment.sectors.add(culture)
    assert "Joint film fund" in client.get(url).content.decode()


def test_an_admin_unpublication_is_seen_at_once(client, commit):
    commitment = factories.commitment(title="Direct flights Astana–Belgrade")
    assert "Direct flights" in client.get("/commitments/").content.decode()
    publisher = staff_user("publisher", superuser=True)
    staff = type(client)()
    staff.force_login(publisher)
    change_url = f"/admin/tracker/commitment/{commitment.pk}/change/"
    data = form_data(staff.get(change_url), "commitment_form")
    data["publication_status"] = PublicationStatus.DRAFT
    with commit():
        response = staff.post(change_url, data)
    assert response.status_code == 302
    assert "Direct flights" not in client.get("/commitments/").content.decode()
    assert client.get(commitment.get_absolute_url()).status_code == 404


def test_an_uncommitted_change_leaves_the_cache_alone(client):
    """The version rises when a change commits; here nothing commits (see the module docstring)."""
    commitment = factories.commitment(title="Twin cities agreement")
    client.get("/commitments/")
    commitment.title = "Twin cities programme"
    commitment.save()
    assert cache_state(client.get("/commitments/")) == "hit"
