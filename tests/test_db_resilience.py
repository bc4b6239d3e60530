"""A PostgreSQL restart costs no failed request once the server is back.

Django keeps a connection for CONN_MAX_AGE seconds and, with CONN_HEALTH_CHECKS,
checks it at the first query of each request (reset by `request_started`). The
test client skips those signals, so these tests go through Django's real WSGI
handler, as gunicorn does.
"""

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.test import RequestFactory

from tests import factories

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL only: SQLite has no server connection to lose (set DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),  # autocommit, as in production: no test-wide transaction
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),  # WhiteNoise: no collectstatic in tests
]

URL = "/commitments/"  # a page that always reads the database


def wsgi_get(path: str) -> int:
    """One full request cycle (request_started … request_finished), like a WSGI server's."""
    statuses = []
    response = WSGIHandler()(RequestFactory().get(path).environ, lambda status, headers: statuses.append(status))
    b"".join(response)
    response.close()
    return int(statuses[0].split()[0])


def backend_pid() -> int:
    return connection.connection.info.backend_pid


def kill_backend(pid: int) -> None:
    """What a PostgreSQL restart does to every open connection."""
    admin = connections.create_connection("default")
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        admin.close()


@pytest.fixture
def page():
    factories.commitment(title="Open a joint digital centre")


def test_settings_keep_connections_and_check_them():
    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] > 0


def test_a_request_after_the_server_dropped_the_connection_succeeds(page):
    assert wsgi_get(URL) == 200
    assert connection.connection is not None, "the connection outlives the request (CONN_MAX_AGE)"
    old_pid = backend_pid()

    kill_backend(old_pid)

    assert wsgi_get(URL) == 200
    assert backend_pid() != old_pid, "the request reconnected"
    assert wsgi_get(URL) == 200


def test_without_health_checks_the_same_restart_fails_a_request(page):
    """The control: proves the test above depends on the health check."""
    assert wsgi_get(URL) == 200
    connection.health_check_enabled = False
    try:
        kill_backend(backend_pid())
        assert wsgi_get(URL) == 500
    finally:
        connection.close()
    # Django drops the broken connection at the end of that request; the next one works again.
    assert wsgi_get(URL) == 200
