"""The translations themselves (README "Languages"): the interface catalogues in locale/, the admin's
JavaScript catalogue supplement in cooperation/thirdparty_locale/, and the seed's content translations in
fixtures/translations/. No database: these read files."""

import gettext
import importlib.util
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
CONTENT = ROOT / "fixtures" / "translations"
GLOSSARY = ROOT / "tools" / "i18n" / "glossary.md"
THIRD_PARTY = ROOT / "cooperation" / "thirdparty_locale"

# Serbian Latin is generated; Russian uses the standard three forms of gettext (Django's own Russian
# catalogue has a fourth, for fractions, which a project catalogue may do without).
PLURALS = {"kk": 2, "ru": 3, "sr": 3, "sr_Latn": 3}
LANGUAGES = list(PLURALS)
TRANSLATED_BY_EDITORS = ["kk", "ru", "sr"]

_spec = importlib.util.spec_from_file_location("sr_latn", ROOT / "tools" / "i18n" / "sr_latn.py")
sr_latn = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sr_latn)


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def forms(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


# --- Placeholders and markup --------------------------------------------------------------------

_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([sdifrxXeEgGc%])")
_BRACES = re.compile(r"\{(\w*)(?:[!:][^{}]*)?\}")
_TAG = re.compile(r"</?([a-zA-Z][\w-]*)[^<>]*>")
_HREF = re.compile(r"""\s(href|src|target|rel)=("[^"]*"|'[^']*')""")


def placeholders(text: str, *, brace: bool) -> Counter:
    """The placeholders a translation must keep: %(name)s, %s, %d, %%, and with brace formatting {name}
    and {}. Named ones count once each (a translation may repeat them); positional ones by number."""
    found = Counter()
    for name, conversion in _PERCENT.findall(text):
        if conversion == "%":
            found["%%"] = 1
        elif name:
            found[f"%({name})"] = 1
        else:
            found[f"%{conversion}"] += 1
    if brace:
        for name in _BRACES.findall(text):
            if name:
                found["{" + name + "}"] = 1
            else:
                found["{}"] += 1
    return found


def markup(text: str) -> Counter:
    return Counter(_TAG.findall(text)) + Counter(f"{k}={v}" for k, v in _HREF.findall(text))


def uses_braces(entry: polib.POEntry) -> bool:
    return "python-brace-format" in entry.flags or bool(_BRACES.search(entry.msgid))


def format_problems(entry: polib.POEntry) -> list[str]:
    brace = uses_braces(entry)
    problems = []
    singular = placeholders(entry.msgid, brace=brace)
    if not entry.msgid_plural:
        if placeholders(entry.msgstr, brace=brace) != singular:
            problems.append(f"placeholders {dict(singular)} → {entry.msgstr!r}")
        if markup(entry.msgstr) != markup(entry.msgid):
            problems.append(f"markup differs: {entry.msgstr!r}")
        return problems
    plural = placeholders(entry.msgid_plural, brace=brace)
    allowed = singular | plural
    texts = forms(entry)
    for text in texts:
        extra = placeholders(text, brace=brace) - allowed
        if extra:
            problems.append(f"unknown placeholders {dict(extra)} in {text!r}")
    # The last form serves "many" (every language here): it carries all of the plural's placeholders.
    missing = plural - placeholders(texts[-1], brace=brace)
    if missing:
        problems.append(f"plural form lacks {dict(missing)}: {texts[-1]!r}")
    return problems


def test_placeholder_check_catches_a_lost_or_renamed_placeholder():
    good = polib.POEntry(msgid="Deleted %(name)s", msgstr="Удалено: %(name)s", flags=["python-format"])
    lost = polib.POEntry(msgid="Deleted %(name)s", msgstr="Удалено", flags=["python-format"])
    renamed = polib.POEntry(msgid="Added {name}.", msgstr="Добавлен {имя}.", flags=["python-brace-format"])
    link = polib.POEntry(msgid='See <a href="%(url)s">it</a>', msgstr="См. %(url)s")
    assert format_problems(good) == []
    assert format_problems(lost) and format_problems(renamed) and format_problems(link)


# --- The interface catalogues -----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    po = catalogue(language)
    assert not po.metadata_is_fuzzy, f"{language}: the header is marked fuzzy"
    untranslated = [entry.msgid for entry in po if not entry.obsolete and not all(forms(entry))]
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags]
    assert untranslated == [], f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert fuzzy == [], f"{language}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert len(po) > 100


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_check_passes_with_every_message_translated(language):
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages\.\n", result.stderr), result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_are_right_for_the_language(language):
    po = catalogue(language)
    header = po.metadata["Plural-Forms"]
    assert header.replace(" ", "").startswith(f"nplurals={PLURALS[language]};")
    wrong = [entry.msgid for entry in po if entry.msgid_plural and len(entry.msgstr_plural) != PLURALS[language]]
    assert wrong == []
    assert sum(1 for entry in po if entry.msgid_plural) > 10


def test_plural_formulas_pick_the_forms_grammar_needs():
    """1 / 2–4 / 5–20 / 21 / 22 / 25 / 111: one, few, many in ru and sr; kk has one and other."""
    expected = {
        "kk": [0, 1, 1, 1, 1, 1, 1],
        "ru": [0, 1, 2, 0, 1, 2, 2],
        "sr": [0, 1, 2, 0, 1, 2, 2],
        "sr_Latn": [0, 1, 2, 0, 1, 2, 2],
    }
    numbers = [1, 3, 11, 21, 22, 25, 111]
    for language, indexes in expected.items():
        formula = catalogue(language).metadata["Plural-Forms"].split("plural=", 1)[1].rstrip(";")
        assert [gettext.c2py(formula)(n) for n in numbers] == indexes, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_its_placeholders_and_markup(language):
    problems = {entry.msgid: format_problems(entry) for entry in catalogue(language) if not entry.obsolete}
    problems = {msgid: found for msgid, found in problems.items() if found}
    assert problems == {}, f"{language}: {len(problems)} entries, e.g. {list(problems.items())[:3]}"


def test_the_four_catalogues_have_the_same_messages():
    ids = {language: {(entry.msgctxt, entry.msgid) for entry in catalogue(language)} for language in LANGUAGES}
    assert ids["kk"] == ids["ru"] == ids["sr"] == ids["sr_Latn"]


def test_serbian_latin_is_the_transliteration_of_serbian_cyrillic():
    cyrillic = {(entry.msgctxt, entry.msgid): entry for entry in catalogue("sr")}
    differ = []
    for entry in catalogue("sr_Latn"):
        source = cyrillic[(entry.msgctxt, entry.msgid)]
        if entry.msgid in sr_latn.EXCEPTIONS and not entry.msgid_plural:
            assert entry.msgstr == sr_latn.EXCEPTIONS[entry.msgid]
            continue
        if forms(entry) != [sr_latn.to_latin(text) for text in forms(source)]:
            differ.append(entry.msgid)
    assert differ == [], f"run tools/i18n/sr_latn.py: {differ[:5]}"
    latin = "".join(text for entry in catalogue("sr_Latn") for text in forms(entry))
    assert not re.search("[А-Яа-яЂЈЉЊЋЏђјљњћџ]", latin), "Cyrillic left in the Latin catalogue"


def test_transliteration_writes_capital_digraphs_in_capitals():
    assert sr_latn.to_latin("ЊЕГОШ и Његош, ЏЕП, Љиљана, КазИСС, %(name)s, Astana Hub") == (
        "NJEGOŠ i Njegoš, DŽEP, Ljiljana, KazISS, %(name)s, Astana Hub"
    )


def test_kazakh_is_written_in_cyrillic_with_its_own_letters():
    po = catalogue("kk")
    texts = [text for entry in po for text in forms(entry)]
    assert sum(len(re.findall("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]", text)) for text in texts) > 1000
    # A translation without Cyrillic is only one that has nothing to translate (placeholders, names
    # such as "HTTP Accept" or "IPv4"): it is then the English text itself.
    latin = [
        entry.msgid
        for entry in po
        for text in forms(entry)
        if re.search("[A-Za-z]{2}", _PERCENT.sub("", text))
        and not re.search("[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]", text)
        and text not in (entry.msgid, entry.msgid_plural)
    ]
    assert latin == []


# --- Glossary terms are the ones the catalogues use ------------------------------------------------------


def glossary_table(heading: str) -> dict[str, tuple[str, str, str]]:
    text = GLOSSARY.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    rows = {}
    for line in section.splitlines()[1:]:
        if line.startswith("#"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("English", "---") and not cells[0].startswith("-"):
            rows[cells[0]] = tuple(cells[1:])
    return rows


@pytest.mark.parametrize("heading", ["## Status names", "## Levels of a document"])
def test_status_and_level_names_follow_the_glossary(heading):
    """Every row of the glossary's tables that is a message of the interface (the step tables also hold
    terms such as "notification (of completion)" that are no message) gives that message's translation."""
    table = glossary_table(heading)
    catalogues = {language: catalogue(language) for language in TRANSLATED_BY_EDITORS}
    checked = 0
    for english, terms in table.items():
        if catalogues["kk"].find(english) is None:
            continue
        checked += 1
        for language, term in zip(TRANSLATED_BY_EDITORS, terms, strict=True):
            entry = catalogues[language].find(english)
            assert entry.msgstr == term, (language, english, entry.msgstr, term)
    assert checked >= 6


def test_the_kinds_of_document_follow_the_glossary():
    table = glossary_table("## The records")
    for english in ["agreement", "framework agreement", "memorandum of understanding", "memorandum of cooperation"]:
        for language, term in zip(TRANSLATED_BY_EDITORS, table[english], strict=True):
            assert catalogue(language).find(english).msgstr == term, (language, english)


# --- The admin's JavaScript catalogue in Kazakh --------------------------------------------------------------


def test_admin_javascript_catalogue_is_complete_in_kazakh():
    import django.contrib.admin

    django_locale = Path(django.contrib.admin.__file__).parent / "locale"
    reference = polib.pofile(str(django_locale / "ru" / "LC_MESSAGES" / "djangojs.po"))
    ours = polib.pofile(str(THIRD_PARTY / "kk" / "LC_MESSAGES" / "djangojs.po"))
    wanted = {(entry.msgctxt, entry.msgid) for entry in reference}
    have = {(entry.msgctxt, entry.msgid) for entry in ours if all(forms(entry)) and "fuzzy" not in entry.flags}
    assert wanted - have == set()
    assert ours.metadata["Plural-Forms"].startswith("nplurals=2;")
    assert [entry.msgid for entry in ours if format_problems(entry)] == []
    assert ours.find("January").msgstr == "Қаңтар"


# --- Content translations of the seed ---------------------------------------------------------------------------

# The fields i18n registers for translation (notes/i18n-status.txt), by model.
CONTENT_FIELDS = {
    "tracker.country": ["name"],
    "tracker.sector": ["name", "description"],
    "tracker.source": ["notes"],
    "tracker.organization": ["name", "short_name", "description"],
    "tracker.person": ["name", "position"],
    "tracker.visit": ["title", "place", "summary"],
    "tracker.document": ["title", "short_title", "place_signed", "summary"],
    "tracker.commitment": ["title", "description"],
    "tracker.statusupdate": ["note"],
    "tracker.indicator": ["name", "description"],
    "tracker.figure": ["subject", "note"],
    "tracker.documentstep": ["note"],
}
KEYED_BY_PK = {"tracker.source", "tracker.statusupdate", "tracker.documentstep"}


def seed_texts() -> dict[str, dict[str, dict[str, str]]]:
    """model → key → field → English text, for every translated field the seed fills."""
    records = json.loads((ROOT / "fixtures" / "seed.json").read_text(encoding="utf-8"))
    texts: dict = {}
    for record in records:
        model, fields = record["model"], record["fields"]
        if model not in CONTENT_FIELDS:
            continue
        key = (
            fields["code"]
            if model == "tracker.country"
            else (str(record["pk"]) if model in KEYED_BY_PK else fields["slug"])
        )
        filled = {field: fields[field] for field in CONTENT_FIELDS[model] if fields.get(field)}
        if filled:
            texts.setdefault(model, {})[key] = filled
    return texts


def content(language: str) -> dict:
    return json.loads((CONTENT / f"{language}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", TRANSLATED_BY_EDITORS)
def test_every_seed_text_is_translated(language):
    translations = content(language)
    missing = [
        f"{model} {key} {field}"
        for model, records in seed_texts().items()
        for key, fields in records.items()
        for field in fields
        if not translations.get(model, {}).get(key, {}).get(field, "").strip()
    ]
    assert missing == [], f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", [*TRANSLATED_BY_EDITORS, "sr_latn"])
def test_content_translations_name_only_seed_records_and_translated_fields(language):
    seed = seed_texts()
    translations = content(language)
    assert translations["_meta"]["translation_of"] == "en"
    unknown = [
        f"{model} {key} {field}"
        for model, records in translations.items()
        if not model.startswith("_")
        for key, fields in records.items()
        for field in fields
        if field not in seed.get(model, {}).get(key, {})
    ]
    assert unknown == []


def test_content_translations_are_not_the_english_left_in_place():
    """Brand names stay as they are (Astana Hub, Great Sky); everything else reads in the language."""
    seed = seed_texts()
    for language in TRANSLATED_BY_EDITORS:
        same = [
            text
            for model, records in content(language).items()
            if not model.startswith("_")
            for key, fields in records.items()
            for field, text in fields.items()
            if text == seed[model][key][field] and len(text.split()) > 3
        ]
        assert same == [], (language, same[:3])
        cyrillic = [
            text
            for model, records in content(language).items()
            if not model.startswith("_")
            for fields in records.values()
            for text in fields.values()
            if re.search("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]", text)
        ]
        assert len(cyrillic) > 300, language


def test_official_names_of_the_ministries_in_their_own_languages():
    kk, ru, sr = (content(language)["tracker.organization"] for language in TRANSLATED_BY_EDITORS)
    serbian = "ministry-of-education-of-the-republic-of-serbia"
    kazakh = "ministry-of-trade-and-integration"  # the report's English name; its official names in kk and ru
    assert sr[serbian]["name"] == "Министарство просвете Републике Србије"
    assert ru[kazakh]["name"] == "Министерство торговли и интеграции Республики Казахстан"
    assert kk[kazakh]["name"] == "Қазақстан Республикасының Сауда және интеграция министрлігі"


def roman_numerals(text: str) -> set[str]:
    """Ordinals written the Russian and Kazakh way: V Всемирные игры кочевников (the 5th)."""
    values = {"I": 1, "V": 5, "X": 10}
    found = set()
    for numeral in re.findall(r"\b[IVX]+\b", text):
        digits = [values[letter] for letter in numeral]
        total = sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))
        found.add(str(total))
    return found


def test_content_keeps_numbers_and_dates_of_the_english():
    """A translation says the same numbers as the original: 7.6% stays 7,6 %, $107 million stays 107."""
    seed = seed_texts()
    number = re.compile(r"\d+(?:[.,]\d+)?")
    for language in TRANSLATED_BY_EDITORS:
        for model, records in content(language).items():
            if model.startswith("_") or model == "tracker.source":
                continue
            for key, fields in records.items():
                for field, text in fields.items():
                    english = {n.replace(",", ".") for n in number.findall(seed[model][key][field])}
                    translated = {n.replace(",", ".") for n in number.findall(text)} | roman_numerals(text)
                    assert translated == english, (language, model, key, field)


def test_serbian_latin_content_is_the_transliteration_of_serbian_cyrillic():
    cyrillic, latin = content("sr"), content("sr_latn")
    assert {model for model in latin if not model.startswith("_")} == {
        model for model in cyrillic if not model.startswith("_")
    }
    for model, records in cyrillic.items():
        if model.startswith("_"):
            continue
        for key, fields in records.items():
            assert latin[model][key] == {field: sr_latn.to_latin(text) for field, text in fields.items()}, (
                model,
                key,
            )


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
MONTHS += ["November", "December"]


def test_kazakh_date_words_supplement_corrects_django_where_dates_need_it():
    """Django's kk catalogue writes a date's month capitalised ("19 Қараша") and January short as "қан";
    the supplement gives the forms a Kazakh date uses. Each message is one of Django's own, so it overrides."""
    import django

    django_kk = polib.pofile(str(Path(django.__file__).parent / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    known = {(entry.msgctxt, entry.msgid) for entry in django_kk}
    ours = polib.pofile(str(THIRD_PARTY / "kk" / "LC_MESSAGES" / "django.po"))
    assert {(entry.msgctxt, entry.msgid) for entry in ours} <= known
    for context in ("alt. month", None):
        months = [entry.msgstr for entry in ours if entry.msgctxt == context and entry.msgid in MONTHS]
        assert len(months) == 12 and all(month == month.lower() for month in months), context
    assert ours.find("November", msgctxt="alt. month").msgstr == "қараша"
    assert ours.find("jan").msgstr == "қаң"
