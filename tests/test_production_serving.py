"""Production serving: gunicorn settings, the optional Redis cache, compressed hashed static files."""

import json
import multiprocessing
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
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
    assert caches_setting["default"]["BACKEND"] == "cooperation.caching.backends.OutageTolerantRedisCache"
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


def test_gunicorn_preloads_the_app_and_warms_it_up_before_forking(monkeypatch):
    config = load_settings("gunicorn.conf.py", monkeypatch)
    assert config["preload_app"] is True
    assert config["max_requests_jitter"] == config["max_requests"] // 10
    assert load_settings("gunicorn.conf.py", monkeypatch, GUNICORN_PRELOAD="0")["preload_app"] is False

    calls = []
    monkeypatch.setattr("cooperation.wsgi.warm_up", lambda: calls.append("warmed"))
    config["when_ready"](server=None)
    load_settings("gunicorn.conf.py", monkeypatch, GUNICORN_PRELOAD="0")["when_ready"](server=None)
    assert calls == ["warmed"]  # only when the app is preloaded


def test_warm_up_compiles_the_templates_without_touching_the_database():
    """No django_db mark: pytest-django makes any query here an error."""
    from django.template import engines

    from cooperation.wsgi import warm_up

    (cached_loader,) = engines["django"].engine.template_loaders
    cached_loader.reset()
    warm_up()
    compiled = set(cached_loader.get_template_cache)
    assert {"web/list.html", "web/commitment_detail.html", "reports/overview.html", "base.html"} <= compiled


@pytest.mark.slow  # gunicorn in a subprocess
@pytest.mark.django_db
def test_recycled_workers_keep_serving(tmp_path):
    """gunicorn as configured (preloaded, warmed up), with workers recycled every few requests: every
    request succeeds, and a recycled worker's page is the same page."""
    database = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECRET_KEY": "test-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_MAX_REQUESTS": "10",
        "GUNICORN_ACCESS_LOG": "",
        "PAGE_CACHE_SECONDS": "0",
    }
    env.pop("REDIS_URL", None)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=600
    )  # a loaded 2-core machine took over 120 s
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as output:
        server = subprocess.Popen(
            [python, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cooperation.wsgi"],
            cwd=ROOT,
            env={**env, "BIND": f"127.0.0.1:{port}"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/commitments/"
            pages = [fetch(url, server) for _ in range(60)]
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert all(status == 200 for status, _ in pages)
    assert len({body for _, body in pages}) == 1
    assert log.read_text().count("Booting worker") >= 4  # two at start, and recycled ones


def fetch(url: str, server, attempts: int = 100) -> tuple[int, bytes]:
    """GET `url`, waiting (a bounded time) for the server to start."""
    for _ in range(attempts):
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (127.0.0.1 only)
                return response.status, response.read()
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")
