"""Production serving: gunicorn settings, the optional Redis cache, compressed hashed static files."""

import json
import multiprocessing
import runpy
import socket
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def load_settings(path: str, monkeypatch, **environment) -> dict:
    """Execute a settings file as a fresh module under the given environment."""
    for name in ("PORT", "BIND", "HOST", "WEB_CONCURRENCY", "REDIS_URL", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / path))


def redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            return True
    except OSError:
        return False


def test_gunicorn_binds_to_port_from_the_environment(monkeypatch):
    assert load_settings("gunicorn.conf.py", monkeypatch)["bind"] == "127.0.0.1:8000"
    assert load_settings("gunicorn.conf.py", monkeypatch, PORT="9001")["bind"] == "127.0.0.1:9001"
    config = load_settings("gunicorn.conf.py", monkeypatch, BIND="unix:/run/tracker.sock", PORT="9001")
    assert config["bind"] == "unix:/run/tracker.sock"


def test_gunicorn_workers_follow_the_cores_with_a_cap(monkeypatch):
    workers = load_settings("gunicorn.conf.py", monkeypatch)["workers"]
    assert workers == min(2 * multiprocessing.cpu_count() + 1, 12)
    assert load_settings("gunicorn.conf.py", monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3
    assert "%(M)s" in load_settings("gunicorn.conf.py", monkeypatch)["access_log_format"], "request time is logged"


def test_settings_switch_the_cache_to_redis_only_when_configured(monkeypatch):
    assert "LocMemCache" in load_settings("cooperation/settings.py", monkeypatch)["CACHES"]["default"]["BACKEND"]
    caches_setting = load_settings("cooperation/settings.py", monkeypatch, REDIS_URL="redis://cache:6379/1")["CACHES"]
    assert caches_setting["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches_setting["default"]["LOCATION"] == "redis://cache:6379/1"


@pytest.mark.skipif(not redis_reachable(), reason=f"no Redis server at {REDIS_HOST}:{REDIS_PORT}")
def test_the_cache_works_against_redis(settings, monkeypatch):
    redis_settings = load_settings("cooperation/settings.py", monkeypatch, REDIS_URL=f"redis://{REDIS_HOST}:6379/0")
    prefix = f"test-{uuid.uuid4().hex}"  # other processes may share this Redis
    settings.CACHES = {"default": {**redis_settings["CACHES"]["default"], "KEY_PREFIX": prefix}}
    cache = caches["default"]
    try:
        cache.set("overview", {"commitments": 3}, timeout=30)
        assert cache.get("overview") == {"commitments": 3}
        # Really in Redis, where every app server sees it: read it back with a separate client.
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=0)
        assert client.exists(cache.make_and_validate_key("overview")) == 1
        cache.delete("overview")
        assert cache.get("overview") is None
        assert client.exists(cache.make_and_validate_key("overview")) == 0
    finally:
        cache.delete("overview")  # not cache.clear(): that would flush the whole Redis database
        cache.close()


def test_collectstatic_writes_compressed_files_with_hashed_names(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed = manifest["admin/css/base.css"]
    assert hashed != "admin/css/base.css" and hashed.startswith("admin/css/base.")
    assert (tmp_path / hashed).exists()
    assert (tmp_path / f"{hashed}.gz").exists(), "WhiteNoise serves the pre-compressed copy"
