"""A commitment's status equals its latest published update even when several staff save updates of
it at the same moment: real concurrent transactions on PostgreSQL, one database connection each."""

import datetime
import random
import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models.signals import post_save

from cooperation.tracker.models import CommitmentStatus, StatusUpdate
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL only: SQLite lets one writer at a time, so its transactions cannot interleave",
    ),
]

WORKERS = 4
ROUNDS = 12
STATUSES = [CommitmentStatus.IN_PROGRESS, CommitmentStatus.DELAYED, CommitmentStatus.PARTIALLY_COMPLETED]


def save_at_once(commitment, updates: list[dict]) -> list[BaseException]:
    """Each of `updates` saved by its own thread in its own transaction. Every thread waits, after
    its INSERT and before the status refresh, until all have inserted: then all refresh and commit
    together, the moment at which an unserialised refresh reads a history without the others."""
    barrier = threading.Barrier(len(updates), timeout=30)
    errors: list[BaseException] = []
    workers = set()

    def all_inserted(sender, instance, created, **kwargs):
        if created and threading.get_ident() in workers:
            barrier.wait()

    def save(fields):
        workers.add(threading.get_ident())
        try:
            with transaction.atomic():
                StatusUpdate.objects.create(commitment=commitment, **fields)
        except BaseException as error:  # noqa: BLE001 — reported by the test
            errors.append(error)
            barrier.abort()
        finally:
            connections.close_all()

    post_save.connect(all_inserted, sender=StatusUpdate, weak=False)
    try:
        threads = [threading.Thread(target=save, args=(fields,)) for fields in updates]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        post_save.disconnect(all_inserted, sender=StatusUpdate)
    return errors


def test_concurrent_status_updates_leave_the_latest_one_in_every_round():
    rng = random.Random(13)
    wrong = []
    for round_number in range(ROUNDS):
        commitment = factories.commitment(title=f"Round {round_number}")
        days = rng.sample(range(1, 28), WORKERS)
        updates = [
            {
                "reported_on": datetime.date(2025, 5, day),
                "status": STATUSES[index % len(STATUSES)],
                "progress": 10 + index,
                "publication_status": factories.PUBLISHED,
            }
            for index, day in enumerate(days)
        ]
        errors = save_at_once(commitment, updates)
        assert not errors, errors
        latest = StatusUpdate.objects.filter(commitment=commitment).latest()
        commitment.refresh_from_db()
        state = (commitment.status, commitment.progress, commitment.last_reviewed_on)
        if state != (latest.status, latest.progress, latest.reported_on):
            wrong.append((round_number, state, latest.reported_on))
    assert not wrong, f"{len(wrong)} of {ROUNDS} rounds left an older update: {wrong}"
