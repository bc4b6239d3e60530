#!/usr/bin/env python3
"""One entry point for a fresh machine with only Python 3.11.

    python3 run.py serve   # set up, load the seed data, serve http://127.0.0.1:8000 (SQLite)
    python3 run.py serve 8080            # another port; or HOST:PORT, e.g. 0.0.0.0:8080
    python3 run.py test    # set up, run the whole test suite (extra arguments go to pytest)

Setting up means: a virtual environment in .venv, the pinned requirements,
the translations compiled (no GNU gettext needed), and (for serve) the migrations and
the seed data with its translations. Each step is skipped when
already done, so running it again is quick.
"""

import hashlib
import os
import secrets
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / ".requirements.sha256"


def sh(*args: str, env: dict | None = None) -> None:
    subprocess.run(args, cwd=ROOT, check=True, env={**os.environ, **(env or {})})


def setup_environment() -> None:
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv …")
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        print("Installing the pinned requirements …")
        sh(str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        sh(str(PYTHON), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS))
        STAMP.write_text(digest)


def manage(*args: str, env: dict | None = None) -> None:
    sh(str(PYTHON), "manage.py", *args, env=env)


def ensure_staff_login(env: dict) -> None:
    """Create a local superuser `admin` with a fresh password the first time."""
    password = secrets.token_urlsafe(12)
    code = (
        "from django.contrib.auth import get_user_model as g; U = g(); "
        "import sys; "
        "sys.exit(0) if U.objects.filter(username='admin').exists() else "
        f"U.objects.create_superuser('admin', 'admin@example.org', '{password}') and sys.exit(3)"
    )
    result = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "-c", code], cwd=ROOT, env={**os.environ, **env}, check=False
    )
    if result.returncode == 3:
        print(f"\n  Staff login created: user 'admin', password '{password}' (shown once).\n")
    else:
        print(
            "\n  Staff login: user 'admin' already exists. To set its password: "
            ".venv/bin/python manage.py changepassword admin\n"
        )


def address(extra: list[str]) -> tuple[str, list[str]]:
    """`serve 8080` or `serve 0.0.0.0:8080` (runserver's own forms); the default 127.0.0.1:8000."""
    if extra and not extra[0].startswith("-"):
        given, *rest = extra
        host, _, port = given.rpartition(":")
        if not port.isdecimal() or not 0 < int(port) < 65536:
            sys.exit(f"Not a port or HOST:PORT: {given!r} (e.g. 8080 or 0.0.0.0:8080)")
        return f"{host or '127.0.0.1'}:{port}", rest
    return "127.0.0.1:8000", extra


def serve(extra: list[str]) -> None:
    where, extra = address(extra)
    env = {"DEBUG": os.environ.get("DEBUG", "1")}
    setup_environment()
    manage("compile_catalogues", env=env)  # the translations, without GNU gettext
    manage("migrate", "--noinput", env=env)
    # English of rows made before the content had a column per language (none on a fresh database).
    manage("update_translation_fields", "tracker", "--verbosity", "0", env=env)
    manage("load_seed", "--if-empty", env=env)
    manage("setup_roles", env=env)
    ensure_staff_login(env)
    print(f"Serving on http://{where}  (staff: http://{where}/admin/)")
    manage("runserver", where, *extra, env=env)


def test(extra: list[str]) -> None:
    setup_environment()
    manage("compile_catalogues", env={"DEBUG": "1"})  # conftest.py does it too, for a bare pytest
    result = subprocess.run([str(PYTHON), "-m", "pytest", *extra], cwd=ROOT, check=False)
    sys.exit(result.returncode)


if __name__ == "__main__":
    commands = {"serve": serve, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])
