"""Our own Python in a subprocess, in the project folder: settings are read from the environment
once, when they are imported, so a test of what an environment does needs a fresh interpreter."""

import os
import subprocess
import sys

from django.conf import settings


def environment_without(names, **overrides: str) -> dict[str, str]:
    """This process's environment without the variables `names` (nor their NAME_FILE forms), plus `overrides`."""
    kept = {key: value for key, value in os.environ.items() if key.removesuffix("_FILE") not in names}
    return {**kept, **overrides}


def run_python(*args: str, environment: dict[str, str], check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and files, fixed arguments
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )
