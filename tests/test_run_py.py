"""`python3 run.py serve` takes a port or HOST:PORT, like runserver."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings


def run_py():
    spec = importlib.util.spec_from_file_location("run_py", Path(settings.BASE_DIR) / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("extra", "where", "rest"),
    [
        ([], "127.0.0.1:8000", []),
        (["8080"], "127.0.0.1:8080", []),
        (["0.0.0.0:8080"], "0.0.0.0:8080", []),
        (["8080", "--nothreading"], "127.0.0.1:8080", ["--nothreading"]),
        (["--nothreading"], "127.0.0.1:8000", ["--nothreading"]),
    ],
)
def test_serve_address(extra, where, rest):
    assert run_py().address(extra) == (where, rest)


@pytest.mark.parametrize("bad", ["eighty", "localhost:", "1:99999", "0"])
def test_a_bad_address_stops_with_a_message(bad):
    with pytest.raises(SystemExit, match="Not a port or HOST:PORT"):
        run_py().address([bad])
