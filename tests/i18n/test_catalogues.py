"""The catalogues stay complete (README "Languages"): makemessages finds nothing that the
catalogues lack, and the catalogues are compiled without GNU gettext."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from cooperation.tracker import catalogues

ROOT = Path(settings.BASE_DIR)
LOCALES = ["kk", "ru", "sr", "sr_Latn"]


def messages(po: Path) -> set:
    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(po)) if not entry.obsolete}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext's xgettext")
def test_makemessages_leaves_nothing_new(tmp_path, settings, monkeypatch):
    # In a copy of the project: makemessages writes each file's strings into the nearest locale
    # folder above it, so run in the checkout it would rewrite the committed catalogues.
    project = tmp_path / "project"
    for folder in ("cooperation", "templates", "locale"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    monkeypatch.chdir(project)
    settings.LOCALE_PATHS = [project / "locale"]
    before = {po: po.read_bytes() for po in (ROOT / "locale").glob("*/LC_MESSAGES/django.po")}
    call_command("makemessages", locale=LOCALES, verbosity=0)
    assert {po: po.read_bytes() for po in before} == before, "the committed catalogues were rewritten"
    for locale in LOCALES:
        committed = ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"
        regenerated = project / "locale" / locale / "LC_MESSAGES" / "django.po"
        new = messages(regenerated) - messages(committed)
        gone = messages(committed) - messages(regenerated)
        assert not new, f"{locale}: strings not in the catalogue yet (run makemessages): {sorted(new)[:5]}"
        assert not gone, f"{locale}: strings no longer in the code (run makemessages): {sorted(gone)[:5]}"
        untranslated = [entry.msgid for entry in polib.pofile(str(regenerated)) if not entry.translated()]
        assert not untranslated, f"{locale}: untranslated after makemessages: {untranslated[:5]}"


def test_catalogues_compile_without_gettext(tmp_path, settings):
    copy = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", copy, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [copy]
    compiled = catalogues.compile_all()
    assert {po.parent.parent.name for po in compiled} == set(LOCALES)
    for locale in LOCALES:
        mo = polib.mofile(str(copy / locale / "LC_MESSAGES" / "django.mo"))
        po = polib.pofile(str(copy / locale / "LC_MESSAGES" / "django.po"))
        assert len(mo) == len(po.translated_entries())
    assert catalogues.compile_all() == []  # nothing changed: nothing compiled again
    assert catalogues.catalogues_compiled() == []
