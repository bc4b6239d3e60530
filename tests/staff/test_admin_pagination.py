"""Admin changelists do not count a whole large table on every load (see also test_admin_performance)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.staff.admin import paginators
from tests import factories as f
from tests.admin_helpers import staff_user

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


@pytest.fixture
def commitments(client, monkeypatch):
    monkeypatch.setattr(paginators, "ESTIMATE_ABOVE", 2)  # "large" for the test
    client.force_login(staff_user("chief", superuser=True))
    for number in range(5):
        f.commitment(title=f"Promise {number}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tracker_commitment")


def test_unfiltered_changelist_uses_an_estimate_not_count(client, commitments):
    url = reverse("admin:tracker_commitment_changelist")
    assert not [sql for sql in count_queries(client, url) if "tracker_commitment" in sql]


def test_filtered_changelist_counts_exactly(client, commitments):
    url = reverse("admin:tracker_commitment_changelist") + "?q=Promise+3"
    response = client.get(url)
    assert response.context["cl"].result_count == 1
    assert [sql for sql in count_queries(client, url) if "tracker_commitment" in sql]
