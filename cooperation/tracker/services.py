"""Small service functions that keep derived data right."""

from collections.abc import Iterable

from django.db import connections
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Commitment, CommitmentStatus, StatusUpdate


def refresh_commitment_status(commitment_ids: Iterable[int]) -> None:
    """Copy each commitment's latest published status update onto it.

    One UPDATE for any number of commitments; a commitment with no published
    update is "not started" at 0%.
    """
    ids = list(commitment_ids)
    if not ids:
        return
    latest = StatusUpdate.objects.filter(commitment=OuterRef("pk"), publication_status="published").order_by(
        "-reported_on", "-id"
    )
    Commitment.objects.filter(pk__in=ids).update(
        status=Coalesce(Subquery(latest.values("status")[:1]), Value(CommitmentStatus.NOT_STARTED)),
        progress=Coalesce(Subquery(latest.values("progress")[:1]), Value(0)),
        last_reviewed_on=Subquery(latest.values("reported_on")[:1]),
    )


def refresh_all_commitment_statuses(batch_size: int = 5000) -> None:
    """For bulk loads (fixtures, imports, demo data) that bypass StatusUpdate.save()."""
    connection = connections[Commitment.objects.db]
    if connection.vendor == "postgresql":
        # Freshly bulk-loaded tables have no planner statistics yet; without them PostgreSQL
        # scans every status update for each commitment instead of using the history index.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tracker_statusupdate, tracker_commitment")
    ids = list(Commitment.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        refresh_commitment_status(ids[start : start + batch_size])
