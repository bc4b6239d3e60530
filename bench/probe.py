"""Django-side half of the benchmark (run by bench/run.py with the database's
environment): fills the URL placeholders from the data, logs in a superuser for
the admin pages, counts SQL queries per page, measures the CPU time of each
translated page beside its English twin and explains the search query.

Reads {"urls": [[label, path], …], "search": term, "per_page": n, "pairs": [[english, translated], …]}
on stdin and writes one JSON object on stdout.
"""

import json
import math
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cooperation.caching import content_version  # noqa: E402
from cooperation.caching.middleware import page_key  # noqa: E402
from cooperation.staff.admin.paginators import ESTIMATE_ABOVE  # noqa: E402
from cooperation.tracker.models import Commitment, Document, Organization, Visit  # noqa: E402

HOST = "127.0.0.1"
MESSAGE = re.compile(r'class="message message-(?:warning|error)"[^>]*>([^<]*)<')


def placeholders(per_page: int) -> dict[str, str]:
    """A record from the middle of each table (not the first, which may be cached
    everywhere) and the last page of each list."""
    values = {}
    for name, model in [
        ("commitment", Commitment),
        ("document", Document),
        ("visit", Visit),
        ("organization", Organization),
    ]:
        published = model.objects.published()
        count = published.count()
        values[name] = published.order_by("pk").values_list("slug", flat=True)[count // 2] if count else "none"
        values[f"{name}s_last_page"] = str(max(1, math.ceil(count / per_page)))
    return values


def logged_in_client() -> Client:
    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)  # a failing page is a 500 in the table
    client.force_login(user)
    return client


def counts_a_large_table(sql: str) -> bool:
    """An unfiltered COUNT(*) of a table above the size where the admin estimates instead
    (a few thousand rows are counted in a millisecond, and exactly)."""
    table = re.search(r'FROM "(\w+)"', sql)
    if "COUNT(*)" not in sql.upper() or " WHERE " in sql.upper() or not table:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COUNT(*) FROM "{table.group(1)}"')  # noqa: S608 (a table name from Django's own SQL)
        return cursor.fetchone()[0] > ESTIMATE_ABOVE


def own_queries(statements: list[str]) -> list[str]:
    """A page's queries but the read of the content version (which the caches key on)."""
    return [sql for sql in statements if "tracker_contentversion" not in sql]


def count_queries(urls: list[tuple[str, str]], admin: Client) -> dict[str, dict]:
    """Queries per page, in the order a worker that served the page before meets them: cold (just
    after a change of the data: every count and choice list queried), built (the page cache does
    not have the page; the query cache has its count and choices) and from the page cache. The
    read of the content version is counted apart."""
    public = Client(HTTP_HOST=HOST, raise_request_exception=False)
    counts = {}
    for _, path in urls:
        client = admin if path.startswith("/admin/") else public
        client.get(path)  # warm up: what a worker that served the page before does
        content_version.bump()  # a change of the data: every cache misses
        with CaptureQueriesContext(connection) as cold:
            response = client.get(path)
        cache.delete(page_key(RequestFactory().get(path)))  # the page, not its counts and choices
        with CaptureQueriesContext(connection) as built:
            client.get(path)
        with CaptureQueriesContext(connection) as hit:
            client.get(path)
        statements = [query["sql"] for query in cold.captured_queries]
        page = own_queries(statements)
        counts[path] = {
            "queries": len(page),
            "built_queries": len(own_queries([query["sql"] for query in built.captured_queries])),
            "version_reads": len(statements) - len(page),
            "hit_queries": len(hit.captured_queries),
            "status": response.status_code,
            # An admin changelist must not count a whole large table on every load.
            "full_counts": sum(1 for sql in statements if counts_a_large_table(sql)),
            # A warning on the page means the URL asked for something else than intended
            # (say an unknown sort column), so its figures would not measure what the label says.
            "warning": next(iter(MESSAGE.findall(response.content.decode(errors="replace"))), ""),
        }
    return counts


CPU_ROUNDS = 12


def cpu_of_pairs(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """{path: median CPU ms of one request built cold}, for each (English, translated) pair
    requested in turn, CPU_ROUNDS times each, in this one process: process time, which another
    program on the machine slows far less than it slows wrk's throughput (the query time of
    SQLite, in this process, is in it; PostgreSQL's server time is not)."""
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    medians = {}
    for pair in pairs:
        times = {path: [] for path in pair}
        for path in pair:
            client.get(path)  # warm up
        for _ in range(CPU_ROUNDS):
            for path in pair:
                content_version.bump()  # cold: every cache misses
                started = time.process_time()
                client.get(path)
                times[path].append((time.process_time() - started) * 1000)
        medians.update({path: statistics.median(spent) for path, spent in times.items()})
    return medians


def explain_search(term: str) -> str:
    """The plans of a searched list's count and first page: PostgreSQL's with timings (ANALYZE),
    SQLite's query plan (which has none)."""
    options = {"analyze": True} if connection.vendor == "postgresql" else {}
    matches = Commitment.objects.published().search(term)
    return "\n".join(
        [
            f"-- rows matching {term!r} (what the count of a searched list does)",
            matches.order_by().only("pk").explain(**options),
            "",
            "-- the first page of the searched list",
            matches.order_by("deadline", "title")[:25].explain(**options),
        ]
    )


def main():
    request = json.load(sys.stdin)
    values = placeholders(request["per_page"])
    urls = [(label, path.format(**values)) for label, path in request["urls"]]
    pairs = [
        (english.format(**values), translated.format(**values)) for english, translated in request.get("pairs", [])
    ]
    admin = logged_in_client()
    result = {
        "urls": urls,
        "cookie": f"sessionid={admin.cookies['sessionid'].value}",
        "queries": count_queries(urls, admin),
        "cpu_ms": cpu_of_pairs(pairs),
        "explain": explain_search(request["search"]),
        "vendor": connection.vendor,
        "commitments": Commitment.objects.count(),
        "documents": Document.objects.count(),
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
