"""Login throttling with django-axes, exercised through the admin login form."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-42"


@pytest.fixture
def staff_user():
    return User.objects.create_user("editor", password=PASSWORD, is_staff=True)


def admin_login(client, password, username="editor", address="198.51.100.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        secure=True,
        REMOTE_ADDR=address,
    )


def fail_until_locked(client, **kwargs):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        admin_login(client, "wrong-password", **kwargs)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_failed_logins_below_the_limit_show_the_normal_form_error(client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = admin_login(client, "wrong-password")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    # One failure short of the limit, the right password still works.
    assert admin_login(client, PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_locked_after_the_failure_limit_even_with_the_right_password(client, staff_user):
    fail_until_locked(client)

    response = admin_login(client, PASSWORD)

    assert response.status_code == 429
    assert not is_signed_in(client)
    page = response.content.decode()
    assert "Sign-in locked" in page
    assert "even the correct password is refused" in page
    assert "Try again in 1\xa0hour" in page
    # The lockout page is served with the same hardened headers as every page.
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_lockout_is_per_username_and_address(client, staff_user):
    fail_until_locked(client, address="198.51.100.7")
    assert admin_login(client, PASSWORD, address="198.51.100.7").status_code == 429

    assert admin_login(client, PASSWORD, address="203.0.113.9").status_code == 302
    assert is_signed_in(client)


def test_axes_reset_unlocks(client, staff_user):
    fail_until_locked(client)
    assert admin_login(client, PASSWORD).status_code == 429

    call_command("axes_reset", verbosity=0)

    assert admin_login(client, PASSWORD).status_code == 302
    assert is_signed_in(client)
