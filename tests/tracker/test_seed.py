"""The seed data: fixtures/seed.json is what fixtures/build_seed.py builds, it
loads (twice, without change), its derived fields are what the models compute,
and it holds the facts of the five reports."""

import datetime
import importlib.util
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.text import slugify

from cooperation.tracker.management.commands import load_seed
from cooperation.tracker.models import (
    Commitment,
    CommitmentStatus,
    Country,
    DatePrecision,
    Document,
    DocumentKind,
    DocumentLevel,
    DocumentStatus,
    Figure,
    FigureBasis,
    FigureSide,
    Indicator,
    Organization,
    PeriodKind,
    Person,
    PublicationStatus,
    Sector,
    Source,
    StatusUpdate,
    Visit,
    VisitKind,
    disagreements,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
ROOT = Path(settings.BASE_DIR)
SEED_FILE = ROOT / "fixtures" / "seed.json"
SEED_MODELS = [
    "tracker.country",
    "tracker.sector",
    "tracker.source",
    "tracker.organization",
    "tracker.person",
    "tracker.visit",
    "tracker.document",
    "tracker.documentparty",
    "tracker.commitment",
    "tracker.responsibility",
    "tracker.statusupdate",
    "tracker.indicator",
    "tracker.figure",
]
PUBLISHABLE = [Organization, Person, Visit, Document, Commitment, StatusUpdate, Figure]


def _build_seed_module():
    spec = importlib.util.spec_from_file_location("build_seed", ROOT / "fixtures" / "build_seed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reports_folder() -> Path | None:
    """shared/seeds/ beside the checkout (CI) or beside the worktrees folder (development)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "seeds").is_dir():
            return base / "shared" / "seeds"
    return None


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", *SEED_MODELS, indent=1, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded():
    call_command("load_seed", stdout=io.StringIO())


def doc(short_title):
    return Document.objects.get(short_title=short_title)


def org(name):
    return Organization.objects.get(name=name)


def visit(title_start):
    return Visit.objects.get(title__startswith=title_start)


def commitment(title_start):
    return Commitment.objects.get(title__startswith=title_start)


# --- The file, its source and the command ----------------------------------------------------------


def test_seed_json_is_what_build_seed_builds():
    """fixtures/build_seed.py is the maintained source: regenerate seed.json after editing it."""
    assert SEED_FILE.read_text(encoding="utf-8") == _build_seed_module().render()


def test_every_record_has_an_explicit_primary_key_and_is_published():
    records = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    assert all(isinstance(record["pk"], int) for record in records)
    publishable = [r for r in records if "publication_status" in r["fields"]]
    assert len(publishable) > 100
    assert {r["fields"]["publication_status"] for r in publishable} == {"published"}


def test_loading_twice_changes_nothing(seeded):
    first = _dump()
    call_command("load_seed", stdout=io.StringIO())
    assert _dump() == first


def _records_of(model: str) -> int:
    return sum(record["model"] == model for record in json.loads(SEED_FILE.read_text(encoding="utf-8")))


def test_if_empty_loads_into_an_empty_database():
    out = io.StringIO()
    call_command("load_seed", "--if-empty", stdout=out)
    assert Document.objects.count() == _records_of("tracker.document") > 0
    assert Commitment.objects.count() == _records_of("tracker.commitment") > 0
    assert "loaded" in out.getvalue()


def test_a_broken_seed_file_changes_nothing(tmp_path, monkeypatch):
    records = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    # Valid records first, then a commitment that breaks commitment_has_origin.
    broken = [r for r in records if r["model"] in ("tracker.country", "tracker.source")]
    orphan = next(r for r in records if r["model"] == "tracker.commitment")
    orphan["fields"].update(
        origin_visit=None, origin_document=None, responsible_organizations=[], sectors=[], sources=[]
    )
    broken.append(orphan)
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    monkeypatch.setattr(load_seed, "SEED_FIXTURE", path)

    with pytest.raises(IntegrityError, match="commitment_has_origin"):
        call_command("load_seed", stdout=io.StringIO())
    assert not Source.objects.exists()
    assert not Country.objects.exists()


def test_if_empty_never_overwrites_existing_data():
    staff_document = f.document(title="Entered by staff")
    out = io.StringIO()
    call_command("load_seed", "--if-empty", stdout=out)
    assert list(Document.objects.all()) == [staff_document]
    assert not Source.objects.exists()
    assert "already holds documents" in out.getvalue()


def test_loading_refreshes_statuses_that_disagree_with_the_updates(seeded):
    business_council = commitment("Restart the Kazakhstan–Serbia Business Council")
    Commitment.objects.filter(pk=business_council.pk).update(status="delayed", progress=3, last_reviewed_on=None)
    call_command("load_seed", stdout=io.StringIO())
    business_council.refresh_from_db()
    assert (business_council.status, business_council.progress) == (CommitmentStatus.COMPLETED, 100)


def test_derived_fields_equal_what_the_models_compute():
    # Raw loaddata, without load_seed's refresh: the file itself must be right.
    call_command("loaddata", SEED_FILE, verbosity=0)

    def snapshot(model, fields):
        return {row[0]: row[1:] for row in model.objects.order_by("pk").values_list("pk", *fields)}

    visit_dates = snapshot(Visit, ["start_date"])
    signed_dates = snapshot(Document, ["signed_on"])
    commitment_fields = ["due_on", "deadline", "status", "progress", "basis", "last_reviewed_on"]
    commitments = snapshot(Commitment, commitment_fields)
    figure_fields = ["period_start", "period_end", "amount", "unit", "counted", "slug"]
    figures = snapshot(Figure, figure_fields)

    for model in (Visit, Document, Commitment, Figure):
        for obj in model.objects.all():
            obj.save()
    Commitment.objects.refresh_status_in_batches()

    assert snapshot(Visit, ["start_date"]) == visit_dates
    assert snapshot(Document, ["signed_on"]) == signed_dates
    assert snapshot(Commitment, commitment_fields) == commitments
    assert len(figures) > 20
    assert snapshot(Figure, figure_fields) == figures
    slugs_made_again = {figure.pk: figure.slug_text for figure in Figure.objects.select_related("indicator")}
    for pk, slug in Figure.objects.values_list("pk", "slug"):
        assert slug.startswith(slugify(slugs_made_again[pk].replace("–", " "))[:100]), slug


@pytest.fixture(scope="class")
def seed_loaded(django_db_setup, django_db_blocker):
    """The seed, loaded once for the checks below inside a transaction that is rolled back
    afterwards; each test runs in a savepoint of its own."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_seed", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.usefixtures("seed_loaded")
class TestReportFacts:
    # --- Publication and sources ----------------------------------------------------------------------

    def test_every_seed_record_is_published(self):
        for model in PUBLISHABLE:
            assert model.objects.exists()
            assert not model.objects.exclude(publication_status=PublicationStatus.PUBLISHED).exists(), model

    def test_one_source_per_report_naming_its_file(self):
        notes = list(Source.objects.values_list("notes", flat=True))
        assert len(notes) == 5
        for prefix in ("000_", "001_", "002_", "003_", "004_"):
            assert sum(f"seeds/{prefix}" in note for note in notes) == 1

    @pytest.mark.parametrize("model", [Organization, Person, Visit, Document, Commitment])
    def test_every_record_cites_a_source(self, model):
        assert not model.objects.annotate(n=Count("sources")).filter(n=0).exists()

    def test_quoted_passages_are_verbatim_from_the_reports(self):
        folder = _reports_folder()
        if folder is None:
            pytest.skip("shared/seeds/ (the five reports) is not beside this checkout")
        for source in Source.objects.all():
            report = (folder / source.notes.split()[0].removeprefix("seeds/").rstrip(".")).read_text(encoding="utf-8")
            for passage in source.quote.split(" … "):
                assert passage.strip() in report, (source.title, passage)

    # --- The facts of the reports ---------------------------------------------------------------------

    def test_ten_documents_signed_in_belgrade_at_tokayevs_visit(self):
        tokayev_visit = visit("Official visit of President Tokayev")
        signed = tokayev_visit.documents.all()
        assert signed.count() == 10
        assert set(signed.values_list("signed_on", "place_signed", "status")) == {
            (D(2024, 11, 19), "Belgrade", DocumentStatus.SIGNED)
        }
        assert set(signed.values_list("level", flat=True)) == {
            DocumentLevel.INTERGOVERNMENTAL,
            DocumentLevel.INTERDEPARTMENTAL,
            DocumentLevel.INTER_INSTITUTIONAL,
        }

    def test_tokayevs_visit(self):
        tokayev_visit = visit("Official visit of President Tokayev")
        assert tokayev_visit.kind == VisitKind.OFFICIAL_VISIT
        # Arrived on 18 November (Kazinform); the day he left is not reported.
        assert (tokayev_visit.start_date, tokayev_visit.end_date) == (D(2024, 11, 18), None)
        assert tokayev_visit.host_country.code == "RS"
        assert set(tokayev_visit.participants.values_list("name", flat=True)) == {
            "Kassym-Jomart Tokayev",
            "Aleksandar Vučić",
            "Milos Vucevic",
        }

    def test_defence_agreement_parties(self):
        defence = doc("Defence cooperation agreement")
        assert (defence.kind, defence.level) == (DocumentKind.AGREEMENT, DocumentLevel.INTERGOVERNMENTAL)
        assert set(defence.parties.values_list("organization__name", "side__code")) == {
            ("Government of the Republic of Kazakhstan", "KZ"),
            ("Government of the Republic of Serbia", "RS"),
        }
        assert list(defence.sectors.values_list("name", flat=True)) == ["Defence and military-industrial complex"]

    def test_readmission_agreement_is_intergovernmental(self):
        readmission = doc("Readmission agreement")
        assert readmission.level == DocumentLevel.INTERGOVERNMENTAL
        assert "readmission of persons" in readmission.title

    def test_trade_statistics_protocol(self):
        protocol = doc("Trade statistics protocol")
        assert protocol.kind == DocumentKind.PROTOCOL
        assert set(protocol.organizations.values_list("name", flat=True)) == {
            "Ministry of Finance of the Republic of Kazakhstan",
            "Statistical Office of the Republic of Serbia",
        }

    def test_digital_ministry_signed_space_and_telecommunications_memorandums(self):
        ministry = org(
            "Ministry of Digital Development, Innovation and Aerospace Industry of the Republic of Kazakhstan"
        )
        assert set(ministry.documents.values_list("short_title", flat=True)) == {
            "Space activities memorandum",
            "Digital and telecommunications memorandum",
        }
        assert (
            doc("Space activities memorandum")
            .organizations.filter(
                name="Ministry of Science, Technological Development and Innovation of the Republic of Serbia"
            )
            .exists()
        )

    def test_libraries_and_think_tanks_memorandums(self):
        libraries = doc("National libraries memorandum")
        assert libraries.level == DocumentLevel.INTER_INSTITUTIONAL
        assert set(libraries.organizations.values_list("kind", flat=True)) == {"library"}
        kaziss = org("Kazakhstan Institute for Strategic Studies under the President of the Republic of Kazakhstan")
        assert kaziss.short_name == "KazISS"
        assert kaziss.parent.name == "President of the Republic of Kazakhstan"
        assert (
            doc("KazISS–Institute of International Politics and Economics memorandum")
            .organizations.filter(name="Institute of International Politics and Economics of the Republic of Serbia")
            .exists()
        )

    def test_february_2026_documents_signed_at_the_business_council_in_astana(self):
        meeting = visit("Kazakhstan–Serbia Business Council")
        assert (meeting.kind, meeting.start_date, meeting.place) == (
            VisitKind.BUSINESS_COUNCIL,
            D(2026, 2, 26),
            "Astana",
        )
        assert meeting.documents.count() == 6
        assert set(meeting.documents.values_list("signed_on", flat=True)) == {D(2026, 2, 26)}
        vucic_visit = visit("Official visit of President Vučić")
        assert (vucic_visit.start_date, vucic_visit.host_country.code) == (D(2026, 2, 26), "KZ")

    def test_defence_industry_agreements_of_february_2026(self):
        artillery = doc("Kaztechnology–Yugoimport SDPR artillery agreement")
        assert (artillery.kind, artillery.level) == (DocumentKind.AGREEMENT, DocumentLevel.COMMERCIAL)
        assert set(artillery.parties.values_list("organization__name", "side__code")) == {
            ("SP Kaztechnology", "KZ"),
            ("Yugoimport SDPR", "RS"),
        }
        assert "Nora" in artillery.summary
        assert doc("Great Sky–Yugoimport SDPR framework agreement").kind == DocumentKind.FRAMEWORK_AGREEMENT

    def test_three_astana_hub_memorandums_and_the_biotechnology_one(self):
        partners = Organization.objects.filter(
            documents__organizations__name="Astana Hub", documents__kind=DocumentKind.MEMORANDUM_OF_COOPERATION
        ).exclude(name="Astana Hub")
        assert set(partners.values_list("name", flat=True)) == {
            "Center for Digital Transformation",
            "SEE UP Accelerator",
            "Belgrade Science and Technology Park",
        }
        biotech = doc("National Center for Biotechnology–Bio4 Campus memorandum")
        assert biotech.kind == DocumentKind.MEMORANDUM_OF_UNDERSTANDING
        assert biotech.organizations.filter(name="Bio4 Campus", country__code="RS").exists()

    def test_business_council_commitment_completed_by_the_february_2026_meeting(self):
        restart = commitment("Restart the Kazakhstan–Serbia Business Council")
        assert restart.origin_visit == visit("Official visit of President Tokayev")
        assert (restart.status, restart.progress, restart.last_reviewed_on) == (
            CommitmentStatus.COMPLETED,
            100,
            D(2026, 2, 26),
        )
        evidence = restart.updates.get()
        assert evidence.evidence_visit == visit("Kazakhstan–Serbia Business Council")
        assert evidence.evidence_source.publisher == "The Astana Times"
        assert evidence.evidence_source.published_on == D(2026, 2, 26)

    def test_milestones_keep_their_precision(self):
        relations = visit("Diplomatic relations established")
        assert (relations.kind, relations.start_date, relations.date_display) == (
            VisitKind.MILESTONE,
            D(1996, 12, 10),
            "10 December 1996",
        )
        serbian_embassy = visit("Serbia opens its embassy in Astana")
        kazakh_embassy = visit("Kazakhstan opens its embassy in Belgrade")
        assert (serbian_embassy.start_precision, serbian_embassy.date_display) == (DatePrecision.YEAR, "2011")
        assert (kazakh_embassy.start_precision, kazakh_embassy.date_display) == (DatePrecision.YEAR, "2019")

    def test_commission_meeting_forum_and_exhibition_of_2024(self):
        commission = visit("Third meeting of the Kazakh-Serbian Intergovernmental Commission")
        assert (commission.kind, commission.date_display, commission.place) == (
            VisitKind.COMMISSION_SESSION,
            "September 2024",
            "Belgrade",
        )
        assert commission.participants.get().name == "Serik Zhumangarin"
        forum = visit("Kazakh-Serbian business forum in Belgrade")
        assert (forum.kind, forum.start_date) == (VisitKind.BUSINESS_FORUM, D(2024, 11, 12))
        steppe = visit("Exhibition “Women of the Great Steppe”")
        assert (steppe.start_date, steppe.start_precision) == (D(2024, 6, 1), DatePrecision.MONTH)

    def test_vojvodina_working_visit(self):
        working_visit = visit("Working visit of Ambassador Madi Atamkulov")
        assert working_visit.kind == VisitKind.WORKING_VISIT
        assert (working_visit.start_date, working_visit.date_display) == (None, "date not reported")
        assert "does not date the visit" in working_visit.summary
        assert set(working_visit.participants.values_list("name", flat=True)) == {"Madi Atamkulov", "Maja Gojković"}

    def test_planned_documents(self):
        new_regional = doc("Vojvodina–Almaty Region document (planned)")
        assert (new_regional.status, new_regional.signed_on) == (DocumentStatus.PLANNED, None)
        assert new_regional.level == DocumentLevel.REGIONAL
        framework_2016 = new_regional.builds_on
        assert (framework_2016.signed_on, framework_2016.signed_display) == (D(2016, 1, 1), "2016")
        assert framework_2016.kind == DocumentKind.OTHER  # "the 2016 framework": the report says no more
        ns_seme = doc("NS Seme–Agrarian Scientific-Educational Center memorandum (planned)")
        assert ns_seme.status == DocumentStatus.PLANNED
        assert set(ns_seme.organizations.values_list("name", flat=True)) == {
            "National Institute of Field Crops and Vegetable Production “NS Seme”",
            "Kazakh National Agrarian Scientific-Educational Center",
        }
        assert commitment("Sign a new cooperation document between Vojvodina").origin_document == new_regional

    def test_people_with_positions_and_countries(self):
        people = {p.name: (p.position, p.country.code) for p in Person.objects.select_related("country")}
        assert people["Serik Zhumangarin"] == ("Deputy Prime Minister of Kazakhstan", "KZ")
        assert people["Maja Gojković"] == ("President of the Government of Vojvodina", "RS")
        assert people["Madi Atamkulov"] == ("Ambassador of Kazakhstan to Serbia", "KZ")
        assert people["Milos Vucevic"] == ("Prime Minister of Serbia", "RS")
        assert Person.objects.get(name="Alisher Abdreshev").organization.short_name == "KazISS"

    def test_organizations_and_bilateral_bodies(self):
        countries = dict(Organization.objects.values_list("name", "country__code"))
        assert countries["Budan LLP"] == "KZ"
        assert countries["Kazakh Invest"] == "KZ"
        assert countries["Research Institute Zemun Polje"] == "RS"
        for company in ("Hipol", "GOŠA FOM", "Sigma Ltd"):
            assert countries[company] == "RS"
        bilateral = Organization.objects.filter(kind="bilateral_body")
        assert set(bilateral.values_list("short_name", "country")) == {
            ("Intergovernmental Commission", None),
            ("Business Council", None),
        }
        assert Country.objects.count() == 2
        assert Sector.objects.filter(name="Space").exists()

    def test_a_status_only_where_a_report_gives_a_basis(self):
        pharma = commitment("Localize Serbian pharmaceutical production")
        assert pharma.status == CommitmentStatus.IN_PROGRESS
        assert list(pharma.responsible_organizations.values_list("name", flat=True)) == ["Kazakh Invest"]
        trade = commitment("Increase mutual trade")
        assert "7.6%" in trade.updates.get().note and trade.updates.get().basis == "assessed"
        for title in ("Launch direct flights", "Hold “Days of Serbia in Kazakhstan”", "Supply Serbia with over $500"):
            promise = commitment(title)
            assert (promise.status, promise.updates.count()) == (CommitmentStatus.NO_INFORMATION, 0)

    def test_no_report_gives_a_due_date_so_nothing_is_overdue(self):
        assert not Commitment.objects.filter(due_on__isnull=False).exists()
        assert not Commitment.objects.overdue(today=D(2030, 1, 1)).exists()

    def test_every_commitment_has_an_origin_and_a_lead_only_where_one_is_named(self):
        assert Commitment.objects.count() >= 20
        assert not Commitment.objects.filter(origin_visit__isnull=True, origin_document__isnull=True).exists()
        # A commitment with responsible organizations has a lead among them; many name nobody.
        with_some = Commitment.objects.filter(responsibilities__isnull=False).distinct()
        assert with_some.exists()
        assert not with_some.exclude(responsibilities__role="lead").exists()
        assert Commitment.objects.annotate(n=Count("responsibilities")).filter(n=0).count() >= 15

    def test_seed_records_are_searchable(self):
        assert list(Document.objects.published().search("readmission")) == [doc("Readmission agreement")]
        assert Commitment.objects.search("Business Council").filter(status=CommitmentStatus.COMPLETED).count() == 1
        found = Organization.objects.search("Yugoimport")
        assert found.get(short_name="Yugoimport").name == "Yugoimport SDPR"
        # The two companies whose agreements with it their descriptions quote.
        assert set(found.values_list("name", flat=True)) == {"Yugoimport SDPR", "SP Kaztechnology", "Great Sky"}


# --- Figures (issue 15): every number of the five reports ------------------------------------------


def figure(indicator: str, **fields) -> Figure:
    return Figure.objects.select_related("source", "reporter_organization", "reporter_person").get(
        indicator__name=indicator, **fields
    )


def report_file(source: Source) -> Path:
    return Path(source.notes.split()[0].removeprefix("seeds/").rstrip("."))


@pytest.mark.usefixtures("seed_loaded")
class TestReportFigures:
    def test_every_number_of_the_reports_is_a_figure_citing_its_report(self):
        # G1–G34 of the seed facts, less the change fields of other figures (G4, G7, G10, G14, G16, G18, G20).
        assert Figure.objects.count() == 27
        assert Figure.objects.published().count() == 27
        # order_by(): the model's default order would join the grouping (modeltranslation makes it explicit).
        per_report = dict(
            Figure.objects.order_by()
            .values_list("source__notes")
            .annotate(n=Count("pk"))
            .values_list("source__notes", "n")
        )
        counts = {note.split()[0].removeprefix("seeds/").split("_")[0]: n for note, n in per_report.items()}
        assert counts == {"000": 2, "001": 2, "002": 3, "003": 19, "004": 1}

    def test_passages_and_printed_values_are_the_reports_own_words(self):
        folder = _reports_folder()
        for each in Figure.objects.select_related("source"):
            assert each.value_as_printed in each.passage, each.slug
            if folder is None:
                continue
            report = (folder / report_file(each.source)).read_text(encoding="utf-8")
            for part in each.passage.split(" … "):
                assert part.strip() in report, (each.slug, part)
        if folder is None:
            pytest.skip("shared/seeds/ (the five reports) is not beside this checkout: passages not checked")

    def test_the_prime_ministers_press_service_on_last_year(self):
        """T52: more than 107 million $, “last year” assessed as 2025, +7.6 %."""
        last_year = figure("Trade turnover", source__published_on=D(2026, 2, 26))
        assert (last_year.value, last_year.qualifier, last_year.scale, last_year.currency) == (
            107,
            "surpassing",
            6,
            "USD",
        )
        assert (last_year.period_kind, last_year.period_year) == (PeriodKind.YEAR, 2025)
        assert last_year.period_basis == FigureBasis.ASSESSED
        assert last_year.period_as_printed == "last year" and "26 February 2026" in last_year.period_reasoning
        assert last_year.change_percent == Decimal("7.6") and last_year.change_absolute is None
        assert last_year.earlier_value is None  # the report gives no base: none is computed
        assert last_year.reported_by == "the Prime Minister’s press service"

    def test_the_ministrys_part_year_and_its_base(self):
        """T53: 69.4 million $ until September (assessed January–September 2024), −9.7 % on 76.9."""
        ministry = Organization.objects.get(name__startswith="Ministry of Trade and Integration")
        part_year = figure("Trade turnover", value=Decimal("69.4"))
        assert (part_year.period_kind, part_year.period_year) == (PeriodKind.PART_YEAR, 2024)
        assert (part_year.period_first_month, part_year.period_last_month) == (1, 9)
        assert part_year.period_basis == FigureBasis.ASSESSED and part_year.period_as_printed == "until September"
        assert "whether September is included is not said" in part_year.period_reasoning
        assert (part_year.change_percent, part_year.earlier_value) == (Decimal("-9.7"), Decimal("76.9"))
        assert part_year.change_compared_with == "the same period in 2023"
        assert part_year.reporter_organization == ministry and part_year.reporter_basis == FigureBasis.REPORTED
        base = figure("Trade turnover", value=Decimal("76.9"))
        assert (base.period_kind, base.period_year, base.period_last_month) == (PeriodKind.PART_YEAR, 2023, 9)

    def test_exports_and_the_goods_behind_their_growth(self):
        """T54: exports KZ→RS 10.5 million $, +15.4 %; fertilizers +6.4, polymers +2.4 (changes, no level)."""
        exports = figure("Exports", parent=None)
        assert (exports.value, exports.change_percent, exports.direction_key) == (
            Decimal("10.5"),
            Decimal("15.4"),
            "KZ-RS",
        )
        assert exports.reporter_basis == FigureBasis.ASSESSED and exports.reporter_reasoning
        parts = {part.subject: part for part in exports.breakdown.all()}
        assert set(parts) == {"mineral fertilizers", "propylene polymers"}
        assert parts["mineral fertilizers"].value is None
        assert parts["mineral fertilizers"].change_absolute == Decimal("6.4")
        assert parts["propylene polymers"].change_absolute == Decimal("2.4")

    def test_imports_and_the_goods_behind_their_decline(self):
        """T55: imports RS→KZ 58.9 million $, −13.1 %, and three goods with both the percentage and the amount."""
        imports = figure("Imports", parent=None)
        assert (imports.value, imports.change_percent, imports.direction_key) == (
            Decimal("58.9"),
            Decimal("-13.1"),
            "RS-KZ",
        )
        changes = {part.subject: (part.change_percent, part.change_absolute) for part in imports.breakdown.all()}
        assert changes == {
            "paper, cardboard, cellulose fiber and cotton wool": (Decimal("-44.5"), Decimal("-11")),
            "asbestos cement products": (Decimal("-98.9"), Decimal("-10.4")),
            "aluminum plates, sheets and strips": (Decimal("-69.8"), Decimal("-5.2")),
        }

    def test_investment_since_2008(self):
        """T56: FDI from Serbia, 17.4 million $ since 2008 (National Bank); capital outflows 17.3, no direction."""
        bank = Organization.objects.get(name="National Bank of Kazakhstan")
        fdi = figure("Foreign direct investment")
        assert (fdi.value, fdi.period_kind, fdi.period_year, fdi.period_end) == (Decimal("17.4"), "since", 2008, None)
        assert fdi.period_basis == FigureBasis.REPORTED and fdi.direction_key == "RS-KZ"
        assert fdi.reporter_organization == bank
        outflows = figure("Capital outflows")
        assert (outflows.value, outflows.side, outflows.reporter_organization) == (
            Decimal("17.3"),
            FigureSide.NOT_STATED,
            bank,
        )
        assert outflows.period_basis == FigureBasis.ASSESSED

    def test_flights_share_offer_and_counts(self):
        """T57–T62."""
        flights = figure("Passenger flights allowed per week")
        assert (flights.value, flights.counted, flights.period_kind) == (
            14,
            "passenger flights per week",
            "not_reported",
        )
        assert flights.about_visit.title.startswith("Third meeting of the Kazakh-Serbian Intergovernmental Commission")
        share = figure("Share of bilateral trade through a region")
        assert (share.value, share.qualifier, share.unit, share.subject) == (90, "about", "percent", "Vojvodina")
        assert (share.period_kind, share.reported_by, share.reporter_organization) == (
            "not_reported",
            "official Serbian statistics",
            None,
        )
        euros = figure("Trade turnover", currency="EUR")
        assert (euros.value, euros.qualifier, euros.period_kind) == (813, "about", "not_reported")
        abdreshev = Person.objects.get(name="Alisher Abdreshev")
        assert figure("Bilateral agreements").value == 24
        assert figure("Bilateral agreements").reporter_person == abdreshev
        expert = figure("Trade turnover", reporter_person=abdreshev)
        assert (expert.value, expert.qualifier, expert.period_kind) == (90, "slightly_more_than", "not_reported")
        offer = figure("Goods offered for supply")
        assert (offer.value, offer.qualifier, offer.period_kind) == (500, "more_than", "not_reported")
        assert offer.reporter_person.name == "Serik Zhumangarin"
        assert (figure("Years of a cooperation").value, figure("Years of a cooperation").qualifier) == (30, "more_than")
        assert figure("Share of Kazakhstan’s crop").value == 85
        assert (figure("Countries supplied with military exports").value, figure("Presidential visits").value) == (
            70,
            4,
        )

    def test_years_of_relations_are_stored_as_each_report_gives_them(self):
        """T63: 28 (R3, R4) and over 30 (R2), with a note that they differ."""
        years = Figure.objects.filter(indicator__name="Years of diplomatic relations")
        assert sorted((each.value, each.qualifier) for each in years) == [
            (28, "exactly"),
            (28, "exactly"),
            (30, "more_than"),
        ]
        assert "does not agree" in years.get(qualifier="more_than").note

    def test_the_trade_turnover_disagreement(self):
        """T64: the ministry's part-year, the expert's undated figure and the press service's year side by side,
        differing in period, reporter and currency (the euro figure)."""
        turnover = Indicator.objects.get(name="Trade turnover")
        (found,) = disagreements(turnover.figures.select_related("source", "reporter_person", "reporter_organization"))
        values = {each.value for each in found.figures}
        assert {Decimal("69.4"), Decimal("90"), Decimal("107"), Decimal("813")} <= values
        differences = dict(found.differences)
        assert {"period", "reporter", "currency"} <= set(differences)
        assert differences["currency"] == ["USD", "EUR"]
        assert not found.same_stated_period

    def test_no_figure_is_computed_by_the_editors(self):
        """T65: no base values behind the percentages, no 2024 turnover from the 2025 growth."""
        assert not Figure.objects.filter(value__in=[Decimal("9.1"), Decimal("99.4"), Decimal("67.8")]).exists()
        assert not Figure.objects.filter(
            indicator__name="Trade turnover", period_kind="year", period_year=2024
        ).exists()
        # Every value is the number printed: its digits are in the report's words ("four", "three" aside).
        in_words = {"four times": 4, "three memorandums of cooperation": 3}
        for each in Figure.objects.exclude(value=None):
            digits = format(each.value.normalize(), "f")
            assert digits in each.value_as_printed or in_words.get(each.value_as_printed) == each.value, each.slug

    def test_every_assessment_says_why_and_what_was_printed(self):
        for each in Figure.objects.all():
            if each.period_basis == FigureBasis.ASSESSED:
                assert len(each.period_reasoning) > 20, each.slug
            if each.reporter_basis == FigureBasis.ASSESSED:
                assert len(each.reporter_reasoning) > 20, each.slug
        assert not Figure.objects.filter(
            period_as_printed__in=["last year", "until September"], period_basis="reported"
        ).exists()
        # "official Serbian statistics" is not mapped to an office that the report does not name.
        assert not Figure.objects.filter(reporter_organization__name__startswith="Statistical Office").exists()

    def test_the_latest_trade_turnover_is_the_featured_one(self):
        latest = (
            Figure.objects.published()
            .filter(indicator__featured=True, period_start__isnull=False)
            .latest_first()
            .first()
        )
        assert (latest.value, latest.period_year) == (107, 2025)


def test_the_seed_says_nothing_of_ratification_or_entry_into_force(seeded):
    """The reports give signatures only: the rules are "not reported", no step is recorded (the
    signature is the document's own date), and the stored state is what the rules derive."""
    from cooperation.tracker.models import DocumentStep, derive_for

    assert not DocumentStep.objects.exists()
    for document in Document.objects.all():
        assert document.subject_to_procedures == "not_reported", document
        assert document.entry_into_force_rule == "not_reported", document
        assert document.entry_into_force is None and not document.awaiting_sides, document
        assert document.status in ("signed", "planned", "negotiation"), document
        state = derive_for(document, [], datetime.date.today())
        assert state.status == document.status, document
