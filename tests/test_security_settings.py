"""Production hardening: `check --deploy`, security headers, CSP, cookies and CSRF.

The deploy checks run `manage.py` in a subprocess because settings are read from
the environment once, at import time."""

import re
import secrets
import subprocess

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from tests.processes import environment_without, run_python

pytestmark = pytest.mark.django_db

# Variables that would change what is checked; each test sets what it needs.
# DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests in this process (check async.W001).
_SETTINGS_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run_manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    return run_python("manage.py", *args, environment=environment_without(_SETTINGS_VARIABLES, **environment))


def production_environment(**overrides: str) -> dict[str, str]:
    return {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "tracker.example.org", **overrides}


def deploy_check(**environment: str) -> subprocess.CompletedProcess:
    # --fail-level WARNING: any security warning makes the command fail.
    return run_manage("check", "--deploy", "--fail-level", "WARNING", **environment)


def setting_in_subprocess(name: str, **environment: str) -> str:
    result = run_manage(
        "shell", "--no-imports", "-c", f"from django.conf import settings; print(settings.{name})", **environment
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow  # manage.py in a subprocess
def test_check_deploy_is_clean_with_production_settings():
    result = deploy_check(**production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow  # manage.py in a subprocess
def test_check_deploy_flags_the_placeholder_secret_key():
    environment = production_environment()
    del environment["SECRET_KEY"]
    result = deploy_check(**environment)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.slow  # manage.py in a subprocess
def test_check_deploy_flags_debug_on():
    result = deploy_check(**production_environment(DEBUG="1"))
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


@pytest.mark.slow  # manage.py in a subprocess
def test_ssl_redirect_is_on_by_default_and_can_be_turned_off_for_a_proxy():
    assert setting_in_subprocess("SECURE_SSL_REDIRECT", **production_environment()) == "True"
    behind_proxy = production_environment(SECURE_SSL_REDIRECT="0")
    assert setting_in_subprocess("SECURE_SSL_REDIRECT", **behind_proxy) == "False"
    # Turning it off is a deliberate choice for a TLS-terminating proxy: still no warnings.
    result = deploy_check(**behind_proxy)
    assert result.returncode == 0, result.stdout + result.stderr


def test_http_request_is_redirected_to_https_when_redirect_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/documents/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/documents/"


# --- Headers ---------------------------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("url", ["/", "/documents/", "/admin/login/"])
def test_content_security_policy_forbids_inline_script_and_framing(client, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200
    directives = csp_directives(response)
    for directive in ("script-src", "style-src", "default-src"):
        assert directives[directive] == ["'self'"], directive
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_admin_pages_load_their_scripts_and_styles_from_self_only(client):
    staff = User.objects.create_superuser("chief", "chief@example.org", "a-long-password-1")
    client.force_login(staff)
    response = client.get("/admin/auth/group/add/", secure=True)
    assert response.status_code == 200
    html = response.content.decode()
    script_tags = re.findall(r"<script\b[^>]*>", html)
    assert any("/static/admin/js/SelectFilter2.js" in tag for tag in script_tags)
    # Every script has a same-origin src (no inline code); no style attributes or blocks.
    for tag in script_tags:
        assert re.search(r'\bsrc="/(?!/)', tag), tag
    assert " style=" not in html
    assert "<style" not in html


@pytest.mark.parametrize("url", ["/", "/admin/login/"])
def test_transport_and_sniffing_headers(client, url):
    response = client.get(url, secure=True)
    hsts = dict(
        item.strip().partition("=")[::2] for item in response["Strict-Transport-Security"].split(";") if item.strip()
    )
    assert int(hsts["max-age"]) >= 365 * 24 * 3600
    assert "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {"no-referrer", "same-origin", "strict-origin"}
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


# --- Cookies ---------------------------------------------------------------------


def assert_hardened(cookie):
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] in {"Lax", "Strict"}


def test_csrf_and_session_cookies_are_secure_httponly_and_samesite(client):
    User.objects.create_user("editor", password="a-long-password-1", is_staff=True)
    login_page = client.get("/admin/login/", secure=True)
    assert_hardened(login_page.cookies["csrftoken"])

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "a-long-password-1"},
        secure=True,
    )
    assert response.status_code == 302
    assert_hardened(response.cookies["sessionid"])


# --- CSRF --------------------------------------------------------------------------


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def csrf_token_of(client, url) -> str:
    client.get(url, secure=True)
    return client.cookies["csrftoken"].value


def test_admin_login_post_without_csrf_token_is_refused(csrf_client):
    User.objects.create_user("editor", password="a-long-password-1", is_staff=True)
    response = csrf_client.post("/admin/login/", {"username": "editor", "password": "a-long-password-1"}, secure=True)
    assert response.status_code == 403
    assert "_auth_user_id" not in csrf_client.session


def test_admin_change_post_needs_the_csrf_token(csrf_client):
    csrf_client.force_login(User.objects.create_superuser("chief", "chief@example.org", "a-long-password-1"))
    forged = csrf_client.post("/admin/auth/group/add/", {"name": "Forged"}, secure=True)
    assert forged.status_code == 403
    assert not Group.objects.filter(name="Forged").exists()

    token = csrf_token_of(csrf_client, "/admin/auth/group/add/")
    genuine = csrf_client.post(
        "/admin/auth/group/add/",
        {"name": "Genuine", "csrfmiddlewaretoken": token},
        secure=True,
        HTTP_REFERER="https://testserver/admin/auth/group/add/",
    )
    assert genuine.status_code == 302
    assert Group.objects.filter(name="Genuine").exists()


def test_admin_logout_without_csrf_token_keeps_the_session(csrf_client):
    csrf_client.force_login(User.objects.create_superuser("chief", "chief@example.org", "a-long-password-1"))
    response = csrf_client.post("/admin/logout/", secure=True)
    assert response.status_code == 403
    assert csrf_client.get("/admin/", secure=True).status_code == 200
