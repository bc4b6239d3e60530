"""The rooms of cooperation/ (README "Layout") and which way their imports point: down to the domain,
never back up, and the domain's models import nothing that imports them."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from tests.processes import environment_without, run_python

PACKAGE = Path(settings.BASE_DIR) / "cooperation"

# What each room may import of the project besides itself. cooperation.formulas is the one
# formula rule every spreadsheet uses; reports borrow the public pages' select widget.
ALLOWED = {
    "tracker": set(),
    "caching": {"tracker"},
    "staff": {"tracker", "formulas", "downloads"},
    "web": {"tracker", "caching", "formulas", "downloads"},
    "reports": {"tracker", "caching", "formulas", "downloads", "web"},
    "devdata": {"tracker"},
    # Open data: the lists' own filters, tables and published querysets; the content version.
    "api": {"tracker", "caching", "formulas", "web"},
    "formulas": set(),
    # Dates and numbers per language (settings.FORMAT_MODULE_PATH): plain settings modules.
    "formats": set(),
    "downloads": set(),
    "settings": set(),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module of the project `path` imports, relative imports resolved."""
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.update(f"{module}.{alias.name}" if not node.module else module for alias in node.names)
    return {name for name in found if name.startswith("cooperation.")}


def room_of(module: str) -> str:
    return module.split(".")[1]


SOURCES = sorted(path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts)


def test_every_room_is_known():
    rooms = {room_of(module_name(path)) for path in SOURCES if path.parent != PACKAGE}
    assert rooms <= set(ALLOWED)
    assert {"tracker", "staff", "caching", "web", "reports", "devdata"} <= rooms


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_imports_point_down_to_the_domain(path):
    room = room_of(module_name(path)) if path.parent != PACKAGE else path.stem
    if room not in ALLOWED:  # urls.py, wsgi.py: the entry points, which tie the rooms together
        return
    wrong = {module for module in imported_modules(path) if room_of(module) not in ALLOWED[room] | {room}}
    assert not wrong, f"{room} may not import {sorted(wrong)}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "tracker" / "models").glob("*.py")), ids=lambda path: path.name)
def test_the_models_import_nothing_that_imports_them(path):
    """Each models module imports the small rule modules and its sibling models modules, nothing else."""
    imported = {module for module in imported_modules(path) if not module.startswith("cooperation.tracker.models")}
    rules = {"slugs", "dates", "periods", "search", "treaties"}
    assert imported <= {f"cooperation.tracker.{rule}" for rule in rules}


@pytest.mark.slow  # a Python subprocess
def test_the_slug_and_date_rules_need_no_django_setup():
    """fixtures/build_seed.py runs as a plain script with the models' own slug, date and period rules."""
    assert imported_modules(PACKAGE / "tracker" / "slugs.py") == set()
    assert imported_modules(PACKAGE / "tracker" / "dates.py") == set()
    assert imported_modules(PACKAGE / "tracker" / "periods.py") == set()
    code = (
        "import datetime; from cooperation.tracker import dates, slugs; "
        "taken = {'kazakhstan-serbia-business-council'}.__contains__; "
        "print(slugs.unique_slug('Kazakhstan–Serbia Business Council', taken), "
        "dates.period_end(datetime.date(2024, 11, 5), 'month')); "
        "from cooperation.tracker import periods; print(*periods.bounds('part_year', 2024, 1, 9), "
        "periods.slug_text('part_year', 2024, 1, 9))"
    )
    result = run_python("-c", code, environment=environment_without({"DJANGO_SETTINGS_MODULE"}), check=True)
    assert result.stdout.split() == [
        "kazakhstan-serbia-business-council-2",
        "2024-11-30",
        "2024-01-01",
        "2024-09-30",
        "jan-sep-2024",
    ]
