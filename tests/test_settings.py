"""cooperation/settings.py read from the environment: values that cannot be read stop start-up with
a message naming them, secrets may come from files (NAME_FILE), and the settings import no code of
the project's own. Settings are read once, when the module is imported, so each case imports them
in a fresh interpreter with its own environment."""

import json
import subprocess

import pytest
from django.conf import settings

from tests.processes import environment_without, run_python

pytestmark = pytest.mark.slow  # a Python subprocess per case

# Variables the settings read; each case starts without any of them (nor their _FILE forms).
READ_BY_SETTINGS = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "CONN_MAX_AGE",
    "REDIS_URL",
    "CACHE_TIMEOUT",
    "STATIC_ROOT",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "AXES_FAILURE_LIMIT",
    "STALE_AFTER_DAYS",
    "DUE_SOON_DAYS",
    "REPORT_CACHE_SECONDS",
    "PAGE_CACHE_SECONDS",
    "QUERY_CACHE_SECONDS",
    "LOG_LEVEL",
    "API_THROTTLE_RATE",
    "DATA_PACKAGE_ROOT",
)
SHOWN = (
    "DEBUG",
    "SECRET_KEY",
    "SECURE_SSL_REDIRECT",
    "PAGE_CACHE_SECONDS",
    "DUE_SOON_DAYS",
    "STALE_AFTER_DAYS",
    "CACHES",
    "DATABASES",
    "API_THROTTLE_RATE",
)


def import_settings(**environment: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter; on success it prints SHOWN settings as JSON."""
    code = (
        "import json, cooperation.settings as s; "
        f"print(json.dumps({{name: getattr(s, name) for name in {SHOWN!r}}}, default=str))"
    )
    fresh = environment_without((*READ_BY_SETTINGS, "DJANGO_SETTINGS_MODULE"), **environment)
    return run_python("-c", code, environment=fresh)


def read(**environment: str) -> dict:
    result = import_settings(**environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refused(**environment: str) -> str:
    """The last line of the traceback of a start-up that was stopped: the message people see."""
    result = import_settings(**environment)
    assert result.returncode != 0, result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: "), result.stderr
    return last_line


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("Yes", True), (" on ", True), ("0", False), ("false", False), ("NO", False)],
)
def test_a_boolean_takes_the_usual_words(value, expected):
    assert read(DEBUG=value)["DEBUG"] is expected


def test_an_unset_or_empty_boolean_is_its_default():
    assert read()["DEBUG"] is False
    assert read(DEBUG="")["DEBUG"] is False
    assert read()["SECURE_SSL_REDIRECT"] is True
    assert read(SECURE_SSL_REDIRECT="")["SECURE_SSL_REDIRECT"] is True


@pytest.mark.parametrize("name", ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_PRELOAD"])
def test_a_boolean_that_cannot_be_read_stops_start_up(name):
    message = refused(**{name: "maybe"})
    assert f"{name}='maybe'" in message
    assert "use 1 or 0" in message


@pytest.mark.parametrize("name", ["PAGE_CACHE_SECONDS", "CONN_MAX_AGE", "DUE_SOON_DAYS", "AXES_FAILURE_LIMIT"])
def test_a_number_that_cannot_be_read_stops_start_up(name):
    assert f"{name}='soon' is not a whole number" in refused(**{name: "soon"})
    assert f"{name}='2.5' is not a whole number" in refused(**{name: "2.5"})


def test_a_number_below_its_least_value_stops_start_up():
    assert "DUE_SOON_DAYS=0 is too small: it must be at least 1" in refused(DUE_SOON_DAYS="0")
    assert "PAGE_CACHE_SECONDS=-5 is too small: it must be at least 0" in refused(PAGE_CACHE_SECONDS="-5")


def test_numbers_are_read_and_default_when_unset():
    values = read(PAGE_CACHE_SECONDS=" 0 ", DUE_SOON_DAYS="30")
    assert (values["PAGE_CACHE_SECONDS"], values["DUE_SOON_DAYS"], values["STALE_AFTER_DAYS"]) == (0, 30, 180)
    assert read()["DUE_SOON_DAYS"] == 90


def test_an_unknown_log_level_stops_start_up():
    assert "LOG_LEVEL='LOUD' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL" in refused(LOG_LEVEL="loud")


def test_secrets_are_read_from_files(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("a-secret-from-a-mounted-file\n")  # as `echo` writes it: the line break is not the key's
    database = tmp_path / "database_url"
    database.write_text(f"sqlite:///{tmp_path / 'from-file.sqlite3'}\n")
    redis = tmp_path / "redis_url"
    redis.write_text("redis://cache.internal:6379/4")
    values = read(SECRET_KEY_FILE=str(secret), DATABASE_URL_FILE=str(database), REDIS_URL_FILE=str(redis))
    assert values["SECRET_KEY"] == "a-secret-from-a-mounted-file"
    assert values["DATABASES"]["default"]["NAME"] == str(tmp_path / "from-file.sqlite3")
    assert values["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/4"


def test_a_value_given_twice_or_a_missing_file_stops_start_up(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-the-file")
    assert "Both SECRET_KEY and SECRET_KEY_FILE are set" in refused(SECRET_KEY="inline", SECRET_KEY_FILE=str(secret))
    missing = tmp_path / "nowhere"
    message = refused(SECRET_KEY_FILE=str(missing))
    assert f"SECRET_KEY_FILE={missing}: the file cannot be read" in message


def test_settings_import_no_application_code():
    code = (
        "import sys, cooperation.settings; "
        "print(sorted(m for m in sys.modules if m.startswith('cooperation.') and m != 'cooperation.settings'))"
    )
    result = run_python("-c", code, environment=environment_without(READ_BY_SETTINGS), check=True)
    assert result.stdout.strip() == "[]"


def test_no_setting_that_nothing_reads():
    assert not hasattr(settings, "DJANGO_TABLES2_TEMPLATE")  # the tables have templates of their own
    assert not hasattr(settings, "IMPORT_EXPORT_FORMATS")  # the admin's spreadsheet mixin names its formats


def test_the_api_rate_must_be_a_rate():
    assert "API_THROTTLE_RATE='soon' is not a rate" in refused(API_THROTTLE_RATE="soon")
    assert "API_THROTTLE_RATE='0/minute' is not a rate" in refused(API_THROTTLE_RATE="0/minute")
    assert read(API_THROTTLE_RATE="30/hour")["API_THROTTLE_RATE"] == "30/hour"
