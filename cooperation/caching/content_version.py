"""The content version: one number, stored in the database, that rises after every committed
change to tracker data. Every public cache key holds it (remember.py's key recipe), so a change,
above all an unpublication, shows on the next request in every process.

Why in the database: every app process and server reads the same row (an in-memory cache per
worker could not be told), and reading it is one primary-key lookup, once per request.

When it rises: on commit, once per transaction (signals.py calls `changed_on_commit` for every
save, delete and many-to-many change of a tracker model, for bulk (un)publication and for the
domain's other bulk changes). Raising it inside the transaction instead would lock the row until
commit, making every editor wait for a long import. The cost is a moment, between a commit and its
callback, in which a page cached just before may still be served: the same as a request that
began just before the change.

Never lower: a bump sets it to at least the current time in microseconds, so that even after the
table is emptied (a test flush, a restore) or a database dump is restored, the number never
returns to one that cached pages were stored under.
"""

import time

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from cooperation.tracker.models import ContentVersion

ROW = 1


def current(using: str = DEFAULT_DB_ALIAS) -> int:
    """The version now (0 before the first change)."""
    return ContentVersion.objects.using(using).filter(pk=ROW).values_list("value", flat=True).first() or 0


def for_request(request) -> int:
    """The version as one request sees it: read once, so all of its cache keys agree."""
    if not hasattr(request, "content_version"):
        request.content_version = current()
    return request.content_version


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise the version now (an UPDATE of one row; the row is created the first time)."""
    now = time.time_ns() // 1000
    raised = ContentVersion.objects.using(using).filter(pk=ROW).update(value=Greatest(F("value") + 1, Value(now)))
    if not raised:
        ContentVersion.objects.using(using).get_or_create(pk=ROW, defaults={"value": now})


def changed_on_commit(using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise the version once when the current transaction commits (at once outside one).

    A callback is queued with every call, as a rolled-back savepoint drops its callbacks; the
    first to run raises the version, the rest find nothing to do. A failure is logged, not
    raised: the data is saved, and cached pages expire after PAGE_CACHE_SECONDS anyway.
    """
    connections[using].__dict__["content_changed"] = True
    transaction.on_commit(lambda: _bump_pending(using), using=using, robust=True)


def _bump_pending(using: str) -> None:
    if connections[using].__dict__.pop("content_changed", False):
        bump(using)
