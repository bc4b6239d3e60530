"""Test-wide settings.

The production defaults (HTTPS redirect, hashed static manifest built by
collectstatic) would get in the way of the test client and the live server.
They are overridden once for the whole session, before any live server starts:
middleware reads these settings when a server is built.
"""

import pytest
from django.test.utils import override_settings

TEST_SETTINGS = {
    "SECURE_SSL_REDIRECT": False,
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
    # Serve static files from the app folders, as collectstatic is not run for tests.
    "WHITENOISE_USE_FINDERS": True,
    "WHITENOISE_AUTOREFRESH": True,
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    # Each test builds its own data; a cached figure from an earlier test would be wrong.
    "REPORT_CACHE_SECONDS": 0,
    # Likewise for whole pages; tests/caching/test_page_cache.py turns it on.
    "PAGE_CACHE_SECONDS": 0,
    # And for counts and filter choices; tests/caching/test_query_cache.py turns it on.
    "QUERY_CACHE_SECONDS": 0,
}


def pytest_configure(config):
    """The translations compiled (tracker/catalogues.py), for a bare `pytest` as for run.py."""
    import django

    django.setup()
    from cooperation.tracker import catalogues

    catalogues.compile_all()


@pytest.fixture(autouse=True, scope="session")
def _test_settings(django_test_environment):
    with override_settings(**TEST_SETTINGS):
        yield


@pytest.fixture(autouse=True)
def _english_to_begin_with():
    """Each test starts in English: a request to /ru/… leaves Russian active in the thread (Django
    does not deactivate after a response), and the next test's records would be made in it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
