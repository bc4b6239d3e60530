#!/usr/bin/env python3
"""The benchmark, one command:  .venv/bin/python bench/run.py  [--commitments N] [--only sqlite|postgresql]

For PostgreSQL and for SQLite: a fresh database, migrate, generate_demo_data,
collectstatic into a temporary directory, gunicorn (DEBUG off) on 127.0.0.1,
then wrk (concurrency 4) over every URL below, cold, built and cached (MODES);
SQL queries per page counted by bench/probe.py; EXPLAIN ANALYZE of the search
(both databases: each answers it from an index); Datasette on the
same SQLite file for a side-by-side throughput ratio. Results are printed and
written to bench/results/<date>-<size>.md. Needs wrk (apt-get install wrk) and
bench/requirements.txt. Only 127.0.0.1 is ever contacted; every loop is bounded.
"""

import argparse
import contextlib
import datetime
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

# --- What is measured: edit freely --------------------------------------------------
# Placeholders come from the generated data (bench/probe.py): {commitment}, {document},
# {visit}, {organization} are slugs; {commitments_last_page} etc. the last page of each list.
URLS = [
    ("overview", "/"),
    ("status report", "/reports/status/"),
    ("commitments", "/commitments/"),
    ("commitments filtered", "/commitments/?status=delayed"),
    ("commitments searched", "/commitments/?q=digital"),
    ("commitments sorted", "/commitments/?sort=-due_on"),
    ("commitments deep page", "/commitments/?page={commitments_last_page}"),
    ("documents", "/documents/"),
    ("documents filtered", "/documents/?kind=mou"),
    ("documents searched", "/documents/?q=energy"),
    ("documents sorted", "/documents/?sort=title"),
    ("documents deep page", "/documents/?page={documents_last_page}"),
    ("visits", "/visits/"),
    ("visits filtered", "/visits/?kind=official_visit"),
    ("visits searched", "/visits/?q=almaty"),
    ("visits sorted", "/visits/?sort=title"),
    ("visits deep page", "/visits/?page={visits_last_page}"),
    ("organizations", "/organizations/"),
    ("organizations filtered", "/organizations/?kind=ministry"),
    ("organizations searched", "/organizations/?q=institute"),
    ("organizations sorted", "/organizations/?sort=-name"),
    ("commitment detail", "/commitments/{commitment}/"),
    ("document detail", "/documents/{document}/"),
    ("visit detail", "/visits/{visit}/"),
    ("organization detail", "/organizations/{organization}/"),
    # The same pages in another language, each measured beside its English twin (the path without
    # the prefix; README "Languages": at most 10 % over the English page, the same queries).
    ("ru commitments", "/ru/commitments/"),
    ("kk commitments searched", "/kk/commitments/?q=digital"),
    ("sr documents sorted", "/sr/documents/?sort=title"),
    ("sr-latn visits", "/sr-latn/visits/"),
    ("kk organizations", "/kk/organizations/"),
    ("ru commitment detail", "/ru/commitments/{commitment}/"),
    ("sr-latn document detail", "/sr-latn/documents/{document}/"),
    ("kk overview", "/kk/"),
    ("ru status report", "/ru/reports/status/"),
    ("api commitments", "/api/v1/commitments/"),
    ("api commitments filtered", "/api/v1/commitments/?status=delayed"),
    ("api commitments deep page", "/api/v1/commitments/?page={commitments_last_page}"),
    ("api documents memorandums", "/api/v1/documents/?kind=memorandum"),
    ("admin commitments", "/admin/tracker/commitment/"),
    ("admin commitments filtered", "/admin/tracker/commitment/?status__exact=delayed"),
    ("admin documents", "/admin/tracker/document/"),
    ("admin status updates", "/admin/tracker/statusupdate/"),
    ("admin visits", "/admin/tracker/visit/"),
    ("admin documents in Russian", "/ru/admin/tracker/document/"),
    ("admin organizations", "/admin/tracker/organization/"),
]
# The same question asked of the app and of Datasette, on the same SQLite file.
DJANGO_FILTERED = "/commitments/?status=delayed"
DATASETTE_FILTERED = "/{database}/tracker_commitment?status=delayed&_size=25"
# The API's JSON against Datasette's JSON for the same filter (issue 18: at least 10×).
API_FILTERED = "/api/v1/commitments/?status=delayed"
DATASETTE_JSON = "/{database}/tracker_commitment.json?status=delayed&_size=25"
API_DATASETTE_RATIO = 10
DATASETTE_SECONDS = 30  # Datasette's load time and timeout per URL, at least
SEARCH_TERM = "digital"
PER_PAGE = 25  # rows per list page, to find the last page

# Targets from the issue.
PUBLIC_P95_MS, ADMIN_P95_MS, MAX_QUERIES, DATASETTE_RATIO = 100, 300, 10, 3
TRANSLATED_OVERHEAD = 0.10  # a translated page costs at most 10 % more than its English twin (issue 17)
LANGUAGE_PREFIX = re.compile(r"^/(?:kk|ru|sr|sr-latn)(?=/)")

# How each URL is served. wrk asks for one URL over and over, so the caches would answer all but
# the first request: "cold" turns them off (every request builds its page and counts its rows, as
# the first visitor after a change of the data gets it), "built" keeps the query cache (counts and
# filter choices: a page of a filter somebody counted since the last change, in another order or
# page), "cached" is what every later visitor of the same URL gets. Report figures are cached in
# all three (REPORT_CACHE_SECONDS, default 60).
MODES = {
    "cold": {"PAGE_CACHE_SECONDS": "0", "QUERY_CACHE_SECONDS": "0"},
    "built": {"PAGE_CACHE_SECONDS": "0", "QUERY_CACHE_SECONDS": "60"},
    "cached": {"PAGE_CACHE_SECONDS": "60", "QUERY_CACHE_SECONDS": "60"},
}

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench/results"
PYTHON = sys.executable
APP_PORT, DATASETTE_PORT = int(os.environ.get("BENCH_PORT", 8105)), int(os.environ.get("BENCH_DATASETTE_PORT", 8115))
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
POSTGRES_DB = os.environ.get("BENCH_POSTGRES_DB", "coop_perf")
SQLITE_PATH = Path(os.environ.get("BENCH_SQLITE_PATH", "/tmp/coop_bench.sqlite3"))


def english_twin(path: str) -> str | None:
    """The English page of a translated one: the same path without its language prefix."""
    twin = LANGUAGE_PREFIX.sub("", path, count=1)
    return None if twin == path or path.startswith("/api/") else twin


def with_twins(urls: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The URLs with each translated page's English twin, measured just before it if it is not
    already (minutes apart, the machine's speed drifts)."""
    labels = {path: label for label, path in URLS}
    paths = {path for _, path in urls}
    ordered = []
    for label, path in urls:
        twin = english_twin(path)
        if twin and twin not in paths:
            ordered.append((labels.get(twin, twin), twin))
            paths.add(twin)
        ordered.append((label, path))
    return ordered


def log(message: str) -> None:
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def run(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def redis_available(host: str = "127.0.0.1", port: int = 6379) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
        return True
    return False


def environment(database_url: str, static_root: str) -> dict:
    # The production setup the README recommends: the overview and report figures are
    # cached in Redis, shared by every gunicorn worker, rather than once per worker.
    cache = {"REDIS_URL": "redis://127.0.0.1:6379/15"} if redis_available() else {}
    return {
        **os.environ,
        **cache,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-" + "x" * 20,
        "STATIC_ROOT": static_root,
        "GUNICORN_ACCESS_LOG": "",
        "LOG_LEVEL": "ERROR",
        "CONN_MAX_AGE": "600",
        # wrk asks from one address many times a second: the API's anonymous throttle (120/minute
        # by default) would answer most requests with a 429 and measure that instead.
        "API_THROTTLE_RATE": "1000000/second",
    }


def fresh_database(vendor: str) -> str:
    if vendor == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_PATH}"
    for statement in (f"DROP DATABASE IF EXISTS {POSTGRES_DB} WITH (FORCE)", f"CREATE DATABASE {POSTGRES_DB}"):
        subprocess.run(["psql", POSTGRES_ADMIN_URL, "-qc", statement], check=True)
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{POSTGRES_DB}"


def database_url(vendor: str) -> str:
    if vendor == "sqlite":
        return f"sqlite:///{SQLITE_PATH}"
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{POSTGRES_DB}"


def wait_until_up(url: str, process: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (127.0.0.1 only)
            return
        except urllib.error.HTTPError:
            return  # it answers, whatever the status
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wrk(url: str, duration: int, cookie: str = "", timeout: int = 10) -> dict:
    args = ["wrk", "-t2", "-c4", f"-d{duration}s", "--timeout", f"{timeout}s", "-s", str(ROOT / "bench/latency.lua")]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*args, url], capture_output=True, text=True, timeout=duration + 60).stdout
    line = next((line for line in output.splitlines() if line.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result for {url}:\n{output}")
    return json.loads(line.removeprefix("WRK_JSON "))


def warm(url: str, cookie: str = "") -> None:
    """A first request, then a second of load: every worker has served the page (each loads
    its templates and code on first use) before it is measured."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=30).read()  # noqa: S310 (127.0.0.1 only)
    wrk(url, 1, cookie)


def bench_database(vendor: str, options) -> dict:
    static_root = tempfile.mkdtemp(prefix="coop-bench-static-")
    url = database_url(vendor) if options.reuse_data else fresh_database(vendor)
    env = environment(url, static_root)
    timings = {}
    try:
        if not options.reuse_data:
            log(f"{vendor}: migrate")
            run([PYTHON, "manage.py", "migrate", "-v0"], env)
            log(f"{vendor}: generate_demo_data --commitments {options.commitments}")
            started = time.monotonic()
            run([PYTHON, "manage.py", "generate_demo_data", "--commitments", str(options.commitments)], env)
            timings["generate"] = time.monotonic() - started
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        log(f"{vendor}: counting queries per page")
        urls = with_twins([(label, path) for label, path in URLS if not options.pages or options.pages.search(label)])
        for label, path in (("commitments filtered", DJANGO_FILTERED), ("api commitments filtered", API_FILTERED)):
            if path not in {path for _, path in urls}:
                urls.append((label, path))  # needed for the Datasette comparison
        pairs = [(twin, path) for _, path in urls if (twin := english_twin(path))]
        request = {"urls": urls, "search": SEARCH_TERM, "per_page": PER_PAGE, "pairs": pairs}
        probe = json.loads(
            run([PYTHON, "bench/probe.py"], env, input=json.dumps(request), capture_output=True, text=True).stdout
        )
        # Each URL in each mode (MODES); the admin, which neither cache serves, once.
        public = [(label, path) for label, path in probe["urls"] if not path.startswith("/admin/")]
        figures = {}
        for mode in MODES:
            urls = probe["urls"] if mode == "cold" else public
            figures[mode] = serve_and_measure(vendor, env, {**probe, "urls": urls}, options, mode)
        results = [
            {
                "label": label,
                "path": path,
                **{mode: figures[mode].get(path) for mode in MODES},
                **probe["queries"][path],
                "cpu_ms": probe.get("cpu_ms", {}).get(path),
            }
            for label, path in probe["urls"]
        ]
        datasette = None
        if vendor == "sqlite":
            try:
                datasette = bench_datasette(env, options)
            except RuntimeError as error:  # keep the other results
                log(f"datasette: {error}")
        return {"vendor": vendor, "probe": probe, "results": results, "timings": timings, "datasette": datasette}
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


def measure_twins_again(base: str, paths: tuple[str, str], figures: dict, duration: int) -> None:
    """English, translated, then English and translated once more: each keeps its better run. A
    pair meets the same machine, and a burst of other work on it costs one run, not the ratio."""
    for path in paths:
        again = wrk(base + path, duration)
        if again["rps"] > figures[path]["rps"]:
            figures[path] = again
    english, translated = (figures[path]["rps"] for path in paths)
    log(f"  best of two in turn: {paths[0]} {english:.1f}, {paths[1]} {translated:.1f} req/s")


def serve_and_measure(vendor: str, env: dict, probe: dict, options, mode: str) -> dict[str, dict]:
    """wrk over each URL of the probe against gunicorn in one of the MODES; {path: figures}."""
    server_log = open(RESULTS / f"{vendor}-{mode}-gunicorn.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cooperation.wsgi"],
        env={**env, "BIND": f"127.0.0.1:{APP_PORT}", **MODES[mode]},
        cwd=ROOT,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    figures = {}
    try:
        base = f"http://127.0.0.1:{APP_PORT}"
        wait_until_up(base + "/admin/login/", server)
        for label, path in probe["urls"]:
            cookie = probe["cookie"] if path.startswith("/admin/") else ""
            warm(base + path, cookie)
            figures[path] = wrk(base + path, options.duration, cookie)
            rps, p95 = figures[path]["rps"], figures[path]["p95"]
            log(f"{vendor}: {label:<28} {mode:<8} {rps:8.1f} req/s  p95 {p95:7.1f} ms")
            if (twin := english_twin(path)) in figures:
                measure_twins_again(base, (twin, path), figures, options.duration)
    finally:
        stop(server)
        server_log.close()
    return figures


def bench_datasette(env: dict, options) -> dict:
    """Datasette and the app (cold: page and query caches off) serving the same SQLite file at the
    same time, measured in turn, twice: the page against Datasette's HTML table, the API against its
    JSON. Each server idles while the other is measured, so both meet the same machine minutes
    apart at most; the load average is recorded at each measurement, and each ratio is of the means."""
    database = SQLITE_PATH.stem
    datasette = subprocess.Popen(
        [PYTHON, "-m", "datasette", "serve", str(SQLITE_PATH), "-h", "127.0.0.1", "-p", str(DATASETTE_PORT)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server_log = open(RESULTS / "sqlite-datasette-side-by-side-gunicorn.log", "w")  # noqa: SIM115 (closed below)
    app = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cooperation.wsgi"],
        env={**env, "BIND": f"127.0.0.1:{APP_PORT}", **MODES["cold"]},
        cwd=ROOT,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    app_base, datasette_base = f"http://127.0.0.1:{APP_PORT}", f"http://127.0.0.1:{DATASETTE_PORT}"
    # One Datasette request on this table takes over a second (it counts the matches and tries a
    # facet on every column); with four connections a few seconds of load may finish none.
    datasette_seconds = max(options.duration, DATASETTE_SECONDS)
    json_path = DATASETTE_JSON.format(database=database)
    pairs = [
        ("page", "Django page (gunicorn), cold", app_base, DJANGO_FILTERED, options.duration),
        ("html", "Datasette HTML", datasette_base, DATASETTE_FILTERED.format(database=database), datasette_seconds),
        ("api", "API (gunicorn), cold", app_base, API_FILTERED, options.duration),
        ("json", "Datasette JSON", datasette_base, json_path, datasette_seconds),
    ]
    rows = []
    try:
        wait_until_up(app_base + "/admin/login/", app)
        wait_until_up(datasette_base + json_path, datasette)
        for round_number in (1, 2):
            for key, server, base, path, seconds in pairs:
                warm(base + path)
                load = os.getloadavg()[0]
                measured = wrk(base + path, seconds, timeout=DATASETTE_SECONDS)
                row = {"key": key, "server": server, "url": path, "round": round_number, "load": load}
                rows.append({**row, **measured})
                log(
                    f"side by side {round_number}: {server:<28} {measured['rps']:8.2f} req/s  "
                    f"p95 {measured['p95']:7.1f} ms  load {load:.1f}"
                )
    finally:
        stop(app)
        stop(datasette)
        server_log.close()

    def mean_rps(key: str) -> float:
        figures = [row["rps"] for row in rows if row["key"] == key]
        return sum(figures) / len(figures)

    def ratio(ours: str, theirs: str) -> float:
        return mean_rps(ours) / mean_rps(theirs) if mean_rps(theirs) else float("inf")

    return {"rows": rows, "ratio": ratio("page", "html"), "api_ratio": ratio("api", "json")}


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line
    )
    postgres = subprocess.run(
        ["psql", POSTGRES_ADMIN_URL, "-tAc", "SHOW server_version"], capture_output=True, text=True
    ).stdout.strip()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory_kb / 1024 / 1024:.0f} GiB RAM, Python {platform.python_version()}, "
        f"PostgreSQL {postgres or '?'}, SQLite {sqlite3.sqlite_version}; load average at start {load}"
    )


def verdict(row: dict) -> str:
    problems = []
    limit = ADMIN_P95_MS if row["path"].startswith("/admin/") else PUBLIC_P95_MS
    if row["status"] != 200:
        problems.append(f"HTTP {row['status']}")
    for mode in MODES:
        figures = row.get(mode)
        if figures is None:
            continue
        if not figures["requests"]:
            problems.append(f"{mode}: no request completed within the run")
            continue
        if figures["p95"] > limit:
            problems.append(f"{mode} p95 {figures['p95'] / limit:.1f}× the {limit} ms target")
        if figures["failed"]:
            problems.append(f"{mode}: {figures['failed']} failed requests")
    if row["queries"] > MAX_QUERIES:
        problems.append(f"{row['queries']} queries")
    if row["path"].startswith("/admin/") and row["full_counts"]:
        problems.append("unfiltered COUNT(*)")
    if row.get("warning"):
        problems.append(f"the page warns: {row['warning']}")
    return "ok" if not problems else "; ".join(problems)


def language_table(results: list[dict]) -> list[str]:
    """Each translated page beside its English twin: the CPU time of a request built cold (in one
    process, the two in turn: bench/probe.py), which judges the target, wrk's cost per mode, and
    the queries. Flagged: CPU more than TRANSLATED_OVERHEAD above the twin's, or other queries."""
    by_path = {row["path"]: row for row in results}
    pairs = [(row, by_path[twin]) for row in results if (twin := english_twin(row["path"])) in by_path]
    if not pairs:
        return []
    lines = [
        "",
        "Languages: each translated page beside its English twin. CPU: median CPU ms of a request built cold, "
        "the two requested in turn 12 times each in one process (bench/probe.py), and its cost, translated ÷ English "
        f"(1.00 = as fast; target ≤ {1 + TRANSLATED_OVERHEAD:.2f}). wrk: English req/s ÷ translated req/s per mode, "
        "the two measured in turn twice, each with its better run; it swings with the machine's load. "
        "Queries cold: English / translated.",
        "",
        "| translated page | CPU ms English / translated | CPU cost | wrk cost cold / built / cached "
        "| queries | targets |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for translated, english in pairs:
        wrk_costs = []
        for mode in MODES:
            ours, theirs = translated.get(mode), english.get(mode)
            if ours and theirs:
                wrk_costs.append(f"{theirs['rps'] / ours['rps']:.2f}" if ours["rps"] else "inf")
            else:
                wrk_costs.append("—")
        problems = []
        cpu_english, cpu_translated = english.get("cpu_ms"), translated.get("cpu_ms")
        if cpu_english and cpu_translated:
            cpu_cost = cpu_translated / cpu_english
            cpu = f"{cpu_english:.1f} / {cpu_translated:.1f}"
            if cpu_cost > 1 + TRANSLATED_OVERHEAD:
                problems.append(f"{cpu_cost - 1:.0%} more CPU")
            cpu_cost = f"{cpu_cost:.2f}"
        else:
            cpu, cpu_cost = "—", "—"
            problems.append("no CPU measure")
        if translated["queries"] != english["queries"]:
            problems.append("other queries")
        lines.append(
            f"| {translated['label']} | {cpu} | {cpu_cost} | {' / '.join(wrk_costs)} "
            f"| {english['queries']} / {translated['queries']} | {'; '.join(problems) or 'ok'} |"
        )
    return lines


def throughput_row(server: str, url: str, measured: dict) -> str:
    return f"| {server} | `{url}` | {measured['rps']:.1f} | {measured['p50']:.1f} | {measured['p95']:.1f} |"


def report(runs: list[dict], datasette: dict | None, options, started: str, machine_info: str) -> str:
    lines = [
        f"# Benchmark, {options.commitments:,} commitments ({started})",
        "",
        f"Machine: {machine_info}.",
        f"wrk: 2 threads, 4 connections, {options.duration} s per URL; gunicorn with gunicorn.conf.py (DEBUG off).",
        "Caches (page cache, query cache, report figures) in Redis"
        if redis_available()
        else "No Redis: the caches are per worker process.",
        "",
    ]
    for bench in runs:
        probe = bench["probe"]
        generated = f", generated in {bench['timings']['generate']:.0f} s" if "generate" in bench["timings"] else ""
        lines += [
            f"## {bench['vendor']} ({probe['commitments']:,} commitments, {probe['documents']:,} documents{generated})",
            "",
            "Cold: page and query caches off, every request builds its page and counts its rows (the first "
            "visitor after a change). Built: the query cache on (the count and filter choices were read since "
            "the last change: another page or order of the filter). Cached: the page cache on (every later "
            "visitor of the URL). The admin is measured once: neither cache serves it. Queries: the page's own "
            "cold / built, + the read of the content version, / on a page cache hit.",
            "",
            "| page | URL | cold req/s | p50 ms | p95 ms | p99 ms | built req/s | p95 ms | cached req/s | p95 ms "
            "| queries | status | targets |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for row in bench["results"]:
            cold = row["cold"]
            others = " | ".join(
                f"{row[mode]['rps']:.1f} | {row[mode]['p95']:.1f}" if row.get(mode) else "– | –"
                for mode in ("built", "cached")
            )
            queries = f"{row['queries']}"
            if row.get("cached"):
                queries += f" / {row['built_queries']} + {row['version_reads']} / {row['hit_queries']}"
            lines.append(
                f"| {row['label']} | `{row['path']}` | {cold['rps']:.1f} | {cold['p50']:.1f} | {cold['p95']:.1f} "
                f"| {cold['p99']:.1f} | {others} | {queries} | {row['status']} | {verdict(row)} |"
            )
        by_path = {row["path"]: row for row in bench["results"]}
        for list_name in ("commitments", "documents", "visits"):
            first = by_path.get(f"/{list_name}/")
            deep = next((row for row in bench["results"] if row["label"] == f"{list_name} deep page"), None)
            if first and deep:
                ratio = deep["cold"]["p50"] / max(first["cold"]["p50"], 0.001)
                lines.append(f"\n{list_name}: deep page p50 is {ratio:.2f}× page 1, cold (target ≤ 2×).")
        lines += language_table(bench["results"])
        if probe["explain"]:
            lines += ["", f"Plan of the search `q={SEARCH_TERM}`:", "", "```", probe["explain"], "```"]
        lines.append("")
    if datasette:
        lines += [
            "## Django and the API against Datasette, side by side on the same SQLite file",
            "",
            "Both servers up together, each measured in turn, twice (`bench_datasette`); the load average"
            " (1 min) when each measurement started.",
            "",
            "| round | server | URL | req/s | p50 ms | p95 ms | failed | load |",
            "|---:|---|---|---:|---:|---:|---:|---:|",
            *(
                f"| {row['round']} | {row['server']} | `{row['url']}` | {row['rps']:.2f} | {row['p50']:.1f} "
                f"| {row['p95']:.1f} | {row['failed']} | {row['load']:.1f} |"
                for row in datasette["rows"]
            ),
            "",
            f"Ratios of the mean throughputs: the page, building every page from scratch, serves "
            f"{datasette['ratio']:.2f}× Datasette's HTML (target ≥ {DATASETTE_RATIO}×); the API, building every "
            f"response from scratch, {datasette['api_ratio']:.2f}× Datasette's JSON (target ≥ {API_DATASETTE_RATIO}×).",
            "",
        ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commitments", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per URL")
    parser.add_argument("--only", choices=["postgresql", "sqlite"], help="one database instead of both")
    parser.add_argument("--reuse-data", action="store_true", help="keep the databases of the previous run")
    parser.add_argument("--pages", type=re.compile, help="only the URLs whose label matches this regular expression")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    if options.only != "postgresql" and importlib.util.find_spec("datasette") is None:
        sys.exit(f"Datasette is not installed: {PYTHON} -m pip install -r bench/requirements.txt")
    RESULTS.mkdir(exist_ok=True)
    started = f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC"
    machine_info = machine()
    runs, datasette = [], None
    for vendor in ["postgresql", "sqlite"]:
        if options.only in (None, vendor):
            runs.append(bench_database(vendor, options))
    sqlite_run = next((bench for bench in runs if bench["vendor"] == "sqlite"), None)
    datasette = sqlite_run and sqlite_run["datasette"]
    text = report(runs, datasette, options, started, machine_info)
    path = RESULTS / f"{datetime.datetime.now():%Y%m%d-%H%M}-{options.commitments}.md"
    path.write_text(text)
    print(text)
    log(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
