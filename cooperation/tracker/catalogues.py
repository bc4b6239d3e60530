"""The interface's translations compiled without GNU gettext (README "Languages"): Django reads
`.mo` files, which `msgfmt` makes from the `.po` files the editors write. The Quick start must
work on a machine with only Python, so the `.mo` files are not committed (they would go stale
beside an edited `.po`, and two branches' binaries cannot be merged); they are compiled by polib,
a pure-Python library, when `run.py serve` or `run.py test` sets up, when the test session
starts, and by `manage.py compile_catalogues` in a deployment (README "Running in production").
Only what changed is compiled again. A system check warns when a catalogue is not compiled or is
older than its `.po`."""

from pathlib import Path

import polib
from django.conf import settings
from django.core import checks


def catalogues() -> list[Path]:
    return sorted(po for root in settings.LOCALE_PATHS for po in Path(root).glob("*/LC_MESSAGES/*.po"))


def stale(po: Path) -> bool:
    mo = po.with_suffix(".mo")
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_all(force: bool = False) -> list[Path]:
    """Compile each `.po` whose `.mo` is missing or older; return those compiled. Fuzzy and
    untranslated messages are left out, as msgfmt does."""
    compiled = []
    for po in catalogues():
        if force or stale(po):
            polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))
            compiled.append(po)
    return compiled


@checks.register()
def catalogues_compiled(app_configs=None, **kwargs):
    missing = [po for po in catalogues() if stale(po)]
    if not missing:
        return []
    names = ", ".join(str(po.relative_to(settings.BASE_DIR)) for po in missing)
    return [
        checks.Warning(
            f"Translations not compiled (or older than their .po): {names}; the pages fall back to English.",
            hint="Run: manage.py compile_catalogues",
            id="tracker.W001",
        )
    ]
