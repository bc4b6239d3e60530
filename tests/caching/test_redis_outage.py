"""The cache is a cache: with REDIS_URL pointing at a Redis that is down, every public page is still
served (uncached), the log says so once, and no request tries to connect more than once. The admin,
sessions and the login throttle do not use the cache at all."""

import logging

import pytest
import redis.connection
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from cooperation.settings import cache_settings
from tests.admin_helpers import signed_in

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: each connection attempt is refused at once.
DOWN = "redis://127.0.0.1:1/0"
CACHED = {"PAGE_CACHE_SECONDS": 60, "QUERY_CACHE_SECONDS": 60, "REPORT_CACHE_SECONDS": 60}


@pytest.fixture
def attempts(monkeypatch):
    """Every socket connection redis-py tries, counted."""
    made = []
    real_connect = redis.connection.Connection._connect

    def counted(self):
        made.append(self.port)
        return real_connect(self)

    monkeypatch.setattr(redis.connection.Connection, "_connect", counted)
    return made


@pytest.fixture
def redis_down(attempts):
    with override_settings(CACHES=cache_settings(DOWN), **CACHED):
        yield attempts


def public_urls(story) -> list[str]:
    urls = [reverse("reports:overview"), reverse("reports:status-report"), reverse("reports:feed-updates")]
    records = {
        "document": story.memorandum,
        "commitment": story.council_restart,
        "visit": story.state_visit,
        "organization": story.ministry_kz,
    }
    for name, record in records.items():
        urls += [reverse(f"web:{name}-list"), reverse(f"web:{name}-list") + "?q=digital", record.get_absolute_url()]
    urls += [reverse("reports:feed-commitment", args=[story.council_restart.slug]), "/reports/status/?_export=csv"]
    return urls


def test_the_settings_make_a_short_connect_timeout_and_the_tolerant_backend():
    settings = cache_settings(DOWN)["default"]
    assert settings["BACKEND"] == "cooperation.caching.backends.OutageTolerantRedisCache"
    assert settings["LOCATION"] == DOWN
    assert 0 < settings["OPTIONS"]["socket_connect_timeout"] <= 1
    assert 0 < settings["OPTIONS"]["socket_timeout"] <= 1


def test_every_public_page_is_served_while_redis_is_down(client, story, redis_down, caplog):
    caplog.set_level(logging.WARNING, logger="cooperation.caching")
    for url in public_urls(story):
        before = len(redis_down)
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get("X-Page-Cache") != "hit", "nothing can be stored"
        assert len(redis_down) - before <= 1, f"{url} tried to connect {len(redis_down) - before} times"
    warnings = [record for record in caplog.records if record.name.startswith("cooperation.caching")]
    assert len(warnings) == 1, [record.getMessage() for record in warnings]
    assert "Redis" in warnings[0].getMessage() and "without the cache" in warnings[0].getMessage()
    assert warnings[0].levelno == logging.WARNING
    assert len(redis_down) == 1, "once found down, Redis is not asked again for a while"


def test_redis_is_tried_again_after_a_while(client, story, redis_down, monkeypatch):
    from cooperation.caching import backends

    now = [1000.0]
    monkeypatch.setattr(backends.time, "monotonic", lambda: now[0])
    url = reverse("web:document-list")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert len(redis_down) == 1
    now[0] += backends.RETRY_AFTER_SECONDS + 1
    assert client.get(url).status_code == 200
    assert len(redis_down) == 2


def test_each_cache_operation_answers_as_a_miss(redis_down):
    assert cache.get("a", "default") == "default"
    assert cache.add("a", 1) is False
    cache.set("a", 1)
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("a", 2) == 2
    assert cache.delete("a") is False
    assert cache.has_key("a") is False
    cache.set_many({"a": 1})
    cache.delete_many(["a"])
    assert cache.touch("a") is False
    cache.clear()


def test_the_admin_and_the_login_work_without_redis(client, story, redis_down):
    signed_in(client, "chief", superuser=True)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:tracker_document_changelist")).status_code == 200
    assert client.get(reverse("admin:tracker_document_change", args=[story.memorandum.pk])).status_code == 200
    client.logout()
    response = client.post(reverse("admin:login"), {"username": "chief", "password": "wrong"})
    assert response.status_code == 200  # a failed login, counted by axes in the database
    assert redis_down == [], "the admin, sessions and axes never touch the cache"
