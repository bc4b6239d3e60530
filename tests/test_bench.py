"""The benchmark's own logic: URL placeholders resolve, queries are counted, targets are judged.
(The full run — gunicorn, wrk, Datasette — is `bench/run.py`, too slow for the suite.)"""

import importlib.util
import math
from pathlib import Path

import pytest
from django.core.management import call_command

from cooperation.tracker.models import Commitment, Document, Organization, Visit

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run = load("run")
probe = load("probe")


class _Silent:
    def write(self, *args, **kwargs):
        pass


@pytest.mark.django_db
def test_every_url_placeholder_is_filled_from_published_data():
    call_command("generate_demo_data", commitments=60, stdout=_Silent())

    values = probe.placeholders(run.PER_PAGE)

    for _, path in run.URLS:
        path.format(**values)  # a KeyError here is a typo in bench/run.py's URL list
    assert values["commitments_last_page"] == str(math.ceil(60 / run.PER_PAGE))
    for name, model in [("commitment", Commitment), ("document", Document), ("visit", Visit)]:
        assert model.objects.published().filter(slug=values[name]).exists()
    assert Organization.objects.published().filter(slug=values["organization"]).exists()


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore:No directory at:UserWarning")  # WhiteNoise: no collectstatic in tests
def test_queries_and_status_are_recorded_per_page():
    call_command("generate_demo_data", commitments=20, stdout=_Silent())
    admin = probe.logged_in_client()

    counts = probe.count_queries(
        [("overview", "/"), ("missing", "/no-such-page/"), ("mistyped sort", "/commitments/?sort=-deadline")], admin
    )

    assert counts["/"]["status"] == 200 and counts["/"]["queries"] >= 1
    assert counts["/"]["warning"] == ""
    assert counts["/no-such-page/"]["status"] == 404
    # A URL that does not ask what its label says is caught, not measured as if it did.
    assert counts["/commitments/?sort=-deadline"]["warning"] == "Sorting by an unknown column was ignored."


def figures(**overrides):
    return {"requests": 500, "p95": 40.0, "failed": 0} | overrides


def measured(cold=None, built=None, cached=None, **overrides):
    row = {"path": "/commitments/", "status": 200, "queries": 4, "full_counts": 0}
    row |= {mode: figures(**(given or {})) for mode, given in [("cold", cold), ("built", built), ("cached", cached)]}
    return row | overrides


ADMIN = {"path": "/admin/tracker/commitment/", "built": None, "cached": None}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, "ok"),
        ({"cold": {"p95": 150.0}}, "cold p95 1.5× the 100 ms target"),
        (
            {"cached": {"p95": 101.0}, "cold": {"p95": 250.0}},
            "cold p95 2.5× the 100 ms target; cached p95 1.0× the 100 ms target",
        ),
        ({"built": {"p95": 120.0}}, "built p95 1.2× the 100 ms target"),
        ({**ADMIN, "cold": {"p95": 150.0}}, "ok"),
        ({**ADMIN, "cold": {"p95": 600.0}}, "cold p95 2.0× the 300 ms target"),
        ({"queries": 12}, "12 queries"),
        ({**ADMIN, "full_counts": 1}, "unfiltered COUNT(*)"),
        ({"status": 404, "cold": {"failed": 9}}, "HTTP 404; cold: 9 failed requests"),
        ({"cached": {"requests": 0}}, "cached: no request completed within the run"),
        (
            {"warning": "Sorting by an unknown column was ignored."},
            "the page warns: Sorting by an unknown column was ignored.",
        ),
    ],
)
def test_each_missed_target_is_named(overrides, expected):
    assert run.verdict(measured(**overrides)) == expected


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore:No directory at:UserWarning")  # WhiteNoise: no collectstatic in tests
def test_a_public_page_is_counted_cold_built_and_from_the_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = settings.QUERY_CACHE_SECONDS = 60
    call_command("generate_demo_data", commitments=20, stdout=_Silent())
    counts = probe.count_queries([("commitments", "/commitments/")], probe.logged_in_client())["/commitments/"]
    assert counts["queries"] >= 5  # keys, rows, their relations, the count, the choices: nothing cached
    assert counts["built_queries"] == counts["queries"] - 3  # the count and two choice lists from the cache
    assert counts["version_reads"] == 1
    assert counts["hit_queries"] == 1


@pytest.mark.django_db
def test_only_an_unfiltered_count_of_a_large_table_is_flagged(monkeypatch):
    call_command("generate_demo_data", commitments=20, stdout=_Silent())
    monkeypatch.setattr(probe, "ESTIMATE_ABOVE", 10)  # 20 commitments count as "large" here
    assert probe.counts_a_large_table('SELECT COUNT(*) AS "__count" FROM "tracker_commitment"')
    assert not probe.counts_a_large_table(
        'SELECT COUNT(*) AS "__count" FROM "tracker_commitment" WHERE "tracker_commitment"."status" = \'delayed\''
    )
    assert not probe.counts_a_large_table('SELECT COUNT(*) AS "__count" FROM "tracker_country"')  # two rows
    assert not probe.counts_a_large_table('SELECT "tracker_commitment"."id" FROM "tracker_commitment"')


def test_each_translated_page_is_measured_beside_its_english_twin():
    assert run.english_twin("/ru/commitments/?q=digital") == "/commitments/?q=digital"
    assert run.english_twin("/kk/") == "/"
    assert run.english_twin("/sr-latn/documents/{document}/") == "/documents/{document}/"
    assert run.english_twin("/commitments/") is None and run.english_twin("/api/v1/commitments/") is None
    urls = run.with_twins([("ru commitments", "/ru/commitments/"), ("kk overview", "/kk/"), ("overview", "/")])
    assert urls == [
        ("commitments", "/commitments/"),
        ("ru commitments", "/ru/commitments/"),
        ("kk overview", "/kk/"),
        ("overview", "/"),
    ]


def test_a_translated_page_slower_than_its_twin_or_with_other_queries_is_flagged():
    def row(label, path, rps, queries, cpu_ms):
        return {"label": label, "path": path, "queries": queries, "cpu_ms": cpu_ms, "cold": {"rps": rps, "p95": 10.0}}

    results = [
        row("commitments", "/commitments/", 100.0, 7, 40.0),
        row("ru commitments", "/ru/commitments/", 80.0, 7, 42.0),  # wrk 25 % slower, CPU 5 %: the CPU judges
        row("documents", "/documents/", 100.0, 7, 20.0),
        row("kk documents", "/kk/documents/", 100.0, 8, 25.0),
        row("visits", "/visits/", 100.0, 7, None),
        row("sr visits", "/sr/visits/", 100.0, 7, None),
    ]
    lines = {line.split(" | ")[0]: line for line in run.language_table(results) if line.startswith("| ")}
    assert lines["| ru commitments"] == "| ru commitments | 40.0 / 42.0 | 1.05 | 1.25 / — / — | 7 / 7 | ok |"
    assert lines["| kk documents"].endswith("| 1.25 | 1.00 / — / — | 7 / 8 | 25% more CPU; other queries |")
    assert lines["| sr visits"].endswith("| — | — | 1.00 / — / — | 7 / 7 | no CPU measure |")


def test_each_pair_is_measured_twice_in_turn_and_keeps_its_better_runs(monkeypatch):
    runs = iter([{"rps": 90.0, "p95": 12.0}, {"rps": 40.0, "p95": 30.0}])
    asked = []

    def fake_wrk(url, duration):
        asked.append(url)
        return next(runs)

    monkeypatch.setattr(run, "wrk", fake_wrk)
    monkeypatch.setattr(run, "log", lambda message: None)
    figures = {"/commitments/": {"rps": 60.0, "p95": 20.0}, "/ru/commitments/": {"rps": 50.0, "p95": 25.0}}
    run.measure_twins_again("http://b", ("/commitments/", "/ru/commitments/"), figures, 5)
    assert asked == ["http://b/commitments/", "http://b/ru/commitments/"]  # English first, then translated
    assert figures == {"/commitments/": {"rps": 90.0, "p95": 12.0}, "/ru/commitments/": {"rps": 50.0, "p95": 25.0}}


def test_the_api_and_datasette_are_measured_side_by_side_and_unthrottled(monkeypatch, tmp_path):
    """Both servers up at once, each URL measured in turn, twice, with the load average; the ratios
    are of the mean throughputs; the app runs without the API's throttle (wrk's 429s would count)."""
    started, measured = [], []

    class Server:
        def __init__(self, args, env=None, **kwargs):
            started.append((args, env))

    throughput = {run.API_FILTERED: [30.0, 10.0], run.DJANGO_FILTERED: [20.0, 20.0]}

    def wrk(url, seconds, cookie="", timeout=10):
        measured.append((url, seconds, timeout))
        path = "/" + url.split("/", 3)[3]
        rps = throughput[path].pop(0) if path in throughput else 1.0
        return {"requests": 1, "rps": rps, "p50": 1.0, "p95": 2.0, "p99": 3.0, "max": 3.0, "failed": 0}

    monkeypatch.setattr(run.subprocess, "Popen", Server)
    monkeypatch.setattr(run, "wrk", wrk)
    monkeypatch.setattr(run, "warm", lambda url, cookie="": None)
    monkeypatch.setattr(run, "wait_until_up", lambda url, process, seconds=60: None)
    monkeypatch.setattr(run, "stop", lambda process: None)
    monkeypatch.setattr(run, "RESULTS", tmp_path)
    monkeypatch.setattr(run.os, "getloadavg", lambda: (4.5, 4.0, 3.5))
    env = run.environment("sqlite:////tmp/x.sqlite3", str(tmp_path))
    assert env["API_THROTTLE_RATE"] == "1000000/second"
    options = type("Options", (), {"duration": 5, "commitments": 100})()

    result = run.bench_datasette(env, options)

    assert len(started) == 2  # Datasette and gunicorn, together
    assert [env for _, env in started if env][0]["QUERY_CACHE_SECONDS"] == "0"  # cold
    assert len(measured) == 8  # four URLs, twice
    datasette_runs = [(seconds, timeout) for url, seconds, timeout in measured if str(run.DATASETTE_PORT) in url]
    assert datasette_runs == [(run.DATASETTE_SECONDS, run.DATASETTE_SECONDS)] * 4
    assert result["api_ratio"] == 20.0  # (30 + 10) / 2 against 1
    assert result["ratio"] == 20.0
    text = run.report([], result, options, "now", "a machine")
    assert "| 2 | API (gunicorn), cold | `/api/v1/commitments/?status=delayed` | 10.00 |" in text
    assert "| 4.5 |" in text and "20.00× Datasette's JSON" in text


@pytest.mark.django_db
def test_the_probe_times_each_pair_cold_in_turn(monkeypatch):
    bumps = []
    monkeypatch.setattr(probe.content_version, "bump", lambda: bumps.append(1))
    medians = probe.cpu_of_pairs([("/commitments/", "/ru/commitments/")])
    assert set(medians) == {"/commitments/", "/ru/commitments/"}
    assert all(ms > 0 for ms in medians.values())
    assert len(bumps) == 2 * probe.CPU_ROUNDS  # every timed request after a change of the data
