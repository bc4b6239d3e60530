#!/usr/bin/env python3
"""Serbian Latin from Serbian Cyrillic: nobody translates Serbian twice.

    python3 tools/i18n/sr_latn.py            # both of the below
    python3 tools/i18n/sr_latn.py --po       # locale/sr_Latn/LC_MESSAGES/django.po from locale/sr/…
    python3 tools/i18n/sr_latn.py --content  # fixtures/translations/sr_latn.json from sr.json
    python3 tools/i18n/sr_latn.py --check    # exit 1 if either file is not what the script makes

The Latin catalogue has exactly the entries of the Cyrillic one (same ids, contexts, flags,
references, plural forms), each translation transliterated with cyrtranslit, except the messages in
EXCEPTIONS below, where Latin usage differs from a letter-by-letter transliteration. Text that is
already Latin in the Cyrillic catalogue (brand names such as Astana Hub, placeholders such as
%(name)s or {name}, HTML) stays as it is. tests/test_translations.py checks that the Latin file is
what this script makes.
"""

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
try:
    import cyrtranslit
    import polib
except ImportError:  # run under the project's virtual environment, which has both
    if VENV_PYTHON.exists() and Path(sys.executable).resolve() != VENV_PYTHON.resolve():
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), __file__, *sys.argv[1:]])  # noqa: S606 - our own script
    sys.exit("cyrtranslit and polib are needed: run `python3 run.py test` once to set up .venv.")

CYRILLIC_PO = ROOT / "locale" / "sr" / "LC_MESSAGES" / "django.po"
LATIN_PO = ROOT / "locale" / "sr_Latn" / "LC_MESSAGES" / "django.po"
CYRILLIC_CONTENT = ROOT / "fixtures" / "translations" / "sr.json"
LATIN_CONTENT = ROOT / "fixtures" / "translations" / "sr_latn.json"

# msgid → the Latin translation, where it is not the transliteration of the Cyrillic one. Keep this
# short: each entry is a message whose Latin spelling an editor chose (e.g. a foreign name that Latin
# Serbian writes in its original form).
EXCEPTIONS: dict[str, str] = {}

# In a word written in capitals, Љ Њ Џ are LJ NJ DŽ (ЊЕГОШ → NJEGOŠ); cyrtranslit gives Lj Nj Dž.
_CAPITAL_DIGRAPHS = {"Љ": "LJ", "Њ": "NJ", "Џ": "DŽ"}
_CAPITAL_WORD = re.compile(r"\b[А-ЯЂЈЉЊЋЏ]{2,}\b")


def to_latin(text: str) -> str:
    """Serbian Cyrillic → Serbian Latin; anything not Cyrillic is left as it is."""

    def capitals(match: re.Match) -> str:
        word = match.group(0)
        return "".join(_CAPITAL_DIGRAPHS.get(letter, letter) for letter in word)

    return cyrtranslit.to_latin(_CAPITAL_WORD.sub(capitals, text), "sr")


def latin_catalogue(cyrillic: polib.POFile) -> polib.POFile:
    latin = polib.POFile(wrapwidth=cyrillic.wrapwidth)
    latin.header = (
        "Cooperation Tracker: the interface in Serbian (Latin script).\n"
        "Generated from locale/sr/LC_MESSAGES/django.po by tools/i18n/sr_latn.py: edit the Cyrillic catalogue,\n"
        "then run the script."
    )
    latin.metadata = dict(cyrillic.metadata)
    latin.metadata["Language"] = "sr_Latn"
    latin.metadata["Language-Team"] = "Serbian (Latin)"
    for entry in cyrillic:
        copy = polib.POEntry(
            msgid=entry.msgid,
            msgid_plural=entry.msgid_plural,
            msgctxt=entry.msgctxt,
            occurrences=list(entry.occurrences),
            flags=list(entry.flags),
            comment=entry.comment,
            tcomment=entry.tcomment,
            obsolete=entry.obsolete,
        )
        if entry.msgid in EXCEPTIONS and not entry.msgid_plural:
            copy.msgstr = EXCEPTIONS[entry.msgid]
        elif entry.msgid_plural:
            copy.msgstr_plural = {index: to_latin(text) for index, text in entry.msgstr_plural.items()}
        else:
            copy.msgstr = to_latin(entry.msgstr)
        latin.append(copy)
    return latin


def latin_content(cyrillic: dict) -> dict:
    result = {}
    for model, records in cyrillic.items():
        if model.startswith("_"):
            result[model] = {**records, "language": "sr_latn", "generated_from": "sr.json (tools/i18n/sr_latn.py)"}
            continue
        result[model] = {
            key: {field: to_latin(text) for field, text in fields.items()} for key, fields in records.items()
        }
    return result


def render_po() -> str:
    return str(latin_catalogue(polib.pofile(str(CYRILLIC_PO), wrapwidth=79))) + "\n"


def render_content() -> str:
    cyrillic = json.loads(CYRILLIC_CONTENT.read_text(encoding="utf-8"))
    return json.dumps(latin_content(cyrillic), ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--po", action="store_true", help="the interface catalogue only")
    parser.add_argument("--content", action="store_true", help="the content translations only")
    parser.add_argument("--check", action="store_true", help="change nothing; fail if a file is out of date")
    options = parser.parse_args()
    both = not (options.po or options.content)
    jobs = []
    if options.po or both:
        jobs.append((LATIN_PO, render_po))
    if (options.content or both) and CYRILLIC_CONTENT.exists():
        jobs.append((LATIN_CONTENT, render_content))
    stale = []
    for path, render in jobs:
        text = render()
        if options.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"Wrote {path.relative_to(ROOT)}")
    for path in stale:
        print(f"Out of date: {path.relative_to(ROOT)} (run tools/i18n/sr_latn.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
