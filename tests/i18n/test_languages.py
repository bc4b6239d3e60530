"""The site in five languages (README "Languages"): URLs per language, the switcher and the
alternates, the interface and the content translated, "English only" where a record has no
translation, search per language and script, slugs from Cyrillic, dates and numbers by locale,
nothing unpublished in any language, and no more queries than in English."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cooperation.tracker.models import Document, Person, PublicationStatus
from cooperation.tracker.translated import to_serbian_latin
from tests import factories

pytestmark = pytest.mark.django_db

PREFIXES = {"en": "", "kk": "/kk", "ru": "/ru", "sr": "/sr", "sr-latn": "/sr-latn"}
LANGUAGES = list(PREFIXES)


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def nav_texts(response) -> list[str]:
    nav = re.search(r'<nav class="site-nav".*?</nav>', response.content.decode(), re.S).group(0)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)]


def in_language(language, text):
    with translation.override(language):
        return str(translation.gettext(text))


@pytest.fixture
def seeded():
    call_command("load_seed", stdout=io.StringIO(), stderr=io.StringIO())


# --- URLs, switcher, alternates --------------------------------------------------------------


def test_each_language_reads_its_pages_with_its_navigation_and_the_seed_in_its_language(client, seeded):
    document = Document.objects.exclude(title_kk=None).exclude(title_ru=None).exclude(title_sr=None).first()
    assert document is not None, "the seed's translations were not loaded"
    for language, prefix in PREFIXES.items():
        for path in (
            "/",
            "/documents/",
            "/visits/",
            "/commitments/",
            "/organizations/",
            "/figures/",
            "/reports/status/",
        ):
            response = client.get(prefix + path)
            assert response.status_code == 200, (language, path)
            assert html_lang(response) == language, (language, path)
            assert in_language(language, "Documents") in nav_texts(response), (language, path)
        if language != "en":
            assert in_language(language, "Documents") != "Documents", f"{language}: the interface is not translated"
        page = client.get(prefix + f"/documents/{document.slug}/").content.decode()
        title = getattr(document, f"title_{language.replace('-', '_')}")
        assert title and title in page, language
        assert "english-only" not in page.split("<main", 1)[1].split("</h1>", 1)[0], language
        listed = client.get(prefix + "/documents/?per_page=100").content.decode()
        with translation.override(language):
            assert str(document) in listed, language


def test_the_english_pages_stay_at_their_addresses_and_the_others_have_a_prefix(client):
    document = factories.document(title="Memorandum on seeds", title_ru="Меморандум о семенах")
    assert client.get(f"/documents/{document.slug}/").status_code == 200
    assert client.get(f"/ru/documents/{document.slug}/").status_code == 200
    assert client.get(f"/en/documents/{document.slug}/").status_code == 404
    with translation.override("sr-latn"):
        assert document.get_absolute_url() == f"/sr-latn/documents/{document.slug}/"
    assert client.get("/ru/admin/login/").status_code == 200
    # The open data has one address, outside the prefixes.
    assert client.get("/ru/api/v1/documents/").status_code == 404
    assert client.get("/api/v1/documents/").status_code == 200


def test_the_switcher_keeps_the_page_and_its_query_and_the_alternates_name_every_language(client):
    factories.document(title="Memorandum on water")
    response = client.get("/ru/documents/?q=water&sort=-signed_on&page=1")
    body = response.content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', body, re.S).group(0)
    links = dict(re.findall(r'<a href="([^"]+)" lang="([^"]+)"', switcher))
    by_language = {language: path for path, language in links.items()}
    for language, prefix in PREFIXES.items():
        assert by_language[language] == f"{prefix}/documents/?q=water&amp;sort=-signed_on&amp;page=1"
    assert 'lang="ru" hreflang="ru" aria-current="true"' in switcher
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', body))
    assert set(alternates) == {*LANGUAGES, "x-default"}
    assert (
        alternates["x-default"]
        == alternates["en"]
        == "http://testserver/documents/?q=water&amp;sort=-signed_on&amp;page=1"
    )
    assert alternates["sr-latn"].startswith("http://testserver/sr-latn/documents/")


def test_a_page_says_its_language_whatever_the_browser_asks(client):
    english = client.get("/documents/", headers={"accept-language": "ru"})
    assert html_lang(english) == "en" and english["Content-Language"] == "en"
    assert "Accept-Language" not in english.get("Vary", "")
    russian = client.get("/ru/documents/", headers={"accept-language": "sr"})
    assert html_lang(russian) == "ru" and russian["Content-Language"] == "ru"


# --- Content translated, or marked English only ------------------------------------------------


def test_a_record_without_a_translation_shows_the_english_marked_english_only(client):
    translated = factories.document(title="Memorandum on rail", title_ru="Меморандум о железных дорогах")
    untranslated = factories.document(title="Memorandum on grain")
    mark = in_language("ru", "English only")
    assert mark != "English only"
    page = client.get(f"/ru/documents/{untranslated.slug}/").content.decode()
    assert '<h1 lang="en">Memorandum on grain' in page and mark in page
    page = client.get(f"/ru/documents/{translated.slug}/").content.decode()
    assert "<h1>Меморандум о железных дорогах" in page and mark not in page
    listed = client.get("/ru/documents/").content.decode()
    assert listed.count(f'class="english-only badge">{mark}') == 1
    # English pages never say so.
    assert "english-only" not in client.get(f"/documents/{untranslated.slug}/").content.decode()


def test_serbian_latin_is_made_from_cyrillic_unless_an_editor_enters_it():
    person = factories.person(name="Aleksandar Vucic", name_sr="Александар Вучић")
    assert person.name_sr_latn == "Aleksandar Vučić"
    person.name_sr = "Александар Вучић Нови"
    person.save()
    person.refresh_from_db()
    assert person.name_sr_latn == "Aleksandar Vučić Novi"  # still generated: follows the Cyrillic
    person.name_sr_latn = "A. Vučić"  # an editor's own Latin
    person.save()
    person.name_sr = "Александар Вучић"
    person.save()
    person.refresh_from_db()
    assert person.name_sr_latn == "A. Vučić"
    assert to_serbian_latin("Његош Ђорђе Џон") == "Njegoš Đorđe Džon"


def test_english_stays_in_the_original_column_whatever_the_language_of_the_save():
    document = factories.document(title="Memorandum on textiles")
    with translation.override("ru"):
        document.title = "Меморандум о текстиле"  # the Russian text, as a Russian admin form sets it
        document.save()
    document.refresh_from_db()
    assert (document.title_en, document.title_ru) == ("Memorandum on textiles", "Меморандум о текстиле")
    with connection.cursor() as cursor:  # the column itself, not the active language's
        cursor.execute("SELECT title FROM tracker_document WHERE id = %s", [document.pk])
        assert cursor.fetchone()[0] == "Memorandum on textiles"


def test_quoted_passages_and_source_titles_are_not_translated():
    from modeltranslation.translator import translator

    from cooperation.tracker.models import Figure, Source

    assert "quote" not in translator.get_options_for_model(Source).fields
    assert "title" not in translator.get_options_for_model(Source).fields
    assert "passage" not in translator.get_options_for_model(Figure).fields


# --- Slugs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Министерство иностранных дел", "ministerstvo-inostrannykh-del"),
        ("Министарство спољних послова", "ministarstvo-spoljnikh-poslova"),
        ("Қазақстан Республикасы", "qazaqstan-respublikasy"),
        ("Đorđe Petrović", "dorde-petrovic"),
    ],
)
def test_slugs_are_ascii_and_readable_from_cyrillic(name, slug):
    organization = factories.organization(name=name)
    assert organization.slug == slug
    assert organization.slug.isascii()


def test_a_slug_comes_from_the_english_name_whatever_the_language_of_the_save():
    with translation.override("ru"):
        organization = factories.organization(name_en="Ministry of Energy", name_ru="Министерство энергетики")
    assert organization.slug == "ministry-of-energy"


# --- Search per language and script ------------------------------------------------------------


def listed_titles(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def serbian_records():
    vucic = factories.person(name="Aleksandar Vucic", name_sr="Александар Вучић")
    memorandum = factories.document(
        title="Memorandum on wheat exports",
        title_ru="Меморандум об экспорте пшеницы",
        title_sr="Меморандум о извозу пшенице",
        title_kk="Бидай экспорты туралы меморандум",
        summary="Signed in the presence of Aleksandar Vučić.",
        summary_sr="Потписан у присуству Александра Вучића.",
    )
    other = factories.document(title="Memorandum on tourism")
    return vucic, memorandum, other


def test_search_finds_records_in_the_page_language_and_english(client, serbian_records):
    _vucic, memorandum, other = serbian_records
    cases = [
        ("/ru/documents/?q=пшеницы", "Меморандум об экспорте пшеницы"),
        ("/ru/documents/?q=wheat", "Меморандум об экспорте пшеницы"),
        ("/kk/documents/?q=бидай", "Бидай экспорты туралы меморандум"),
        ("/documents/?q=wheat", "Memorandum on wheat exports"),
        ("/sr/documents/?q=пшенице", "Меморандум о извозу пшенице"),
    ]
    for url, expected in cases:
        page = listed_titles(client, url)
        assert expected in page, url
        assert other.title not in page, url


@pytest.mark.parametrize(
    ("prefix", "typed"),
    [("/sr", "Вучића"), ("/sr", "Vučića"), ("/sr", "Vucica"), ("/sr-latn", "Вучића"), ("/sr-latn", "vucica")],
)
def test_serbian_search_ignores_the_script_and_the_diacritics(client, serbian_records, prefix, typed):
    _vucic, memorandum, other = serbian_records
    page = listed_titles(client, f"{prefix}/documents/?q={typed}")
    expected = memorandum.title_sr if prefix == "/sr" else memorandum.title_sr_latn
    assert expected in page
    assert other.title not in page


@pytest.mark.parametrize("typed", ["Вучић", "Vučić", "vucic", "VUCIC"])
def test_the_lists_name_filters_find_a_person_in_either_script(typed):
    vucic = factories.person(name="Aleksandar Vucic", name_sr="Александар Вучић")
    factories.person(name="Kassym-Jomart Tokayev")
    assert list(Person.objects.named(typed)) == [vucic]


# --- Formats ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "date", "number"),
    [
        ("en", "19 November 2024", "1,234.5"),
        ("ru", "19 ноября 2024", "1\xa0234,5"),
        ("sr", "19. новембар 2024.", "1.234,5"),
        ("sr-latn", "19. novembar 2024.", "1.234,5"),
        ("kk", "2024 жылғы 19", "1\xa0234,5"),
    ],
)
def test_dates_and_numbers_follow_the_locale(language, date, number):
    from django.utils import formats

    from cooperation.tracker.dates import format_partial_date

    with translation.override(language):
        assert format_partial_date(datetime.date(2024, 11, 19), "day").startswith(date)
        assert formats.number_format(1234.5, use_l10n=True, force_grouping=True) == number


def test_a_document_page_gives_its_dates_in_the_page_language(client):
    document = factories.document(title="Memorandum on ports", signed_on=datetime.date(2024, 11, 19))
    assert "19 ноября 2024" in client.get(f"/ru/documents/{document.slug}/").content.decode()
    assert "19. новембар 2024." in client.get(f"/sr/documents/{document.slug}/").content.decode()


# --- Nothing unpublished, in any language --------------------------------------------------------


def test_an_unpublished_record_is_absent_in_every_language(client):
    draft = factories.document(
        title="Draft memorandum on secrets",
        title_kk="Құпия меморандум жобасы",
        title_ru="Проект меморандума о секретах",
        title_sr="Нацрт меморандума о тајнама",
        publication_status=PublicationStatus.DRAFT,
    )
    factories.document(title="Memorandum on light")
    texts = [draft.title_en, draft.title_kk, draft.title_ru, draft.title_sr, draft.title_sr_latn, draft.slug]
    for language, prefix in PREFIXES.items():
        assert client.get(f"{prefix}/documents/{draft.slug}/").status_code == 404
        for url in (
            f"{prefix}/documents/",
            f"{prefix}/documents/?q=меморандума",
            f"{prefix}/",
            f"{prefix}/feeds/documents/",
        ):
            body = client.get(url).content.decode()
            assert not any(text in body for text in texts), (language, url)
        api = client.get("/api/v1/documents/", headers={"accept-language": language}).content.decode()
        assert not any(text in api for text in texts), language
    sitemap = client.get("/sitemap-documents.xml").content.decode()
    assert draft.slug not in sitemap


# --- API and sitemap -----------------------------------------------------------------------------


def test_the_api_gives_translated_fields_in_the_language_accept_language_asks_for(client):
    factories.document(title="Memorandum on wool", title_ru="Меморандум о шерсти", title_sr="Меморандум о вуни")
    english = client.get("/api/v1/documents/")
    russian = client.get("/api/v1/documents/", headers={"accept-language": "ru"})
    latin = client.get("/api/v1/documents/", headers={"accept-language": "sr-latn"})
    assert english.json()["results"][0]["title"] == "Memorandum on wool"
    assert russian.json()["results"][0]["title"] == "Меморандум о шерсти"
    assert latin.json()["results"][0]["title"] == "Memorandum o vuni"
    assert "Accept-Language" in russian["Vary"] and russian["Content-Language"] == "ru"
    assert russian["ETag"] != english["ETag"]
    assert "/ru/documents/" in russian.json()["results"][0]["url"]


def test_the_sitemap_gives_every_language_and_x_default(client):
    document = factories.document(title="Memorandum on salt")
    sitemap = client.get("/sitemap-documents.xml").content.decode()
    for language, prefix in PREFIXES.items():
        assert f'hreflang="{language}" href="http://testserver{prefix}/documents/{document.slug}/"' in sitemap
    assert f'hreflang="x-default" href="http://testserver/documents/{document.slug}/"' in sitemap


# --- Queries and the admin ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/documents/", "/visits/", "/commitments/", "/organizations/"])
def test_a_translated_page_makes_the_same_queries_as_the_english_one(client, path):
    for number in range(4):
        factories.commitment(title=f"Commitment {number}", title_ru=f"Обязательство {number}")
        factories.document(title=f"Memorandum {number}", title_ru=f"Меморандум {number}")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    english, russian = count(path), count("/ru" + path)
    assert russian <= english <= 10
    for number in range(4, 12):
        factories.commitment(title=f"Commitment {number}")
        factories.document(title=f"Memorandum {number}", title_sr=f"Меморандум {number}")
    assert count("/sr" + path) <= english


@pytest.mark.parametrize("kind", ["commitment", "document", "visit", "organization", "overview", "report"])
def test_translated_detail_pages_overview_and_report_make_no_more_queries_than_english(client, kind):
    visit = factories.visit(title="Talks", title_kk="Келіссөздер")
    organization = factories.organization(name="Ministry", name_ru="Министерство")
    document = factories.document(title="Memorandum", title_ru="Меморандум", signed_at=visit, parties=[organization])
    commitment = factories.commitment(title="Open a house", title_sr="Отворити кућу", origin_document=document)
    factories.status_update(commitment)
    records = {"commitment": commitment, "document": document, "visit": visit, "organization": organization}
    path = {"overview": "/", "report": "/reports/status/"}.get(kind) or records[kind].get_absolute_url()

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    english = count(path)
    for prefix in ("/kk", "/ru", "/sr", "/sr-latn"):
        assert count(prefix + path) <= english, prefix


def test_the_admin_edits_every_language_of_a_translated_field_in_tabs(superuser_client):
    document = factories.document(title="Memorandum on cotton")
    page = superuser_client.get(f"/admin/tracker/document/{document.pk}/change/").content.decode()
    for suffix in ("en", "kk", "ru", "sr", "sr_latn"):
        assert f'name="title_{suffix}"' in page and f'name="summary_{suffix}"' in page
    assert "tracker/language_tabs.js" in page
    assert 'name="quote' not in page
