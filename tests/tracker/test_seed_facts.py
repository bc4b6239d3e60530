"""The facts of the five reports (shared/seeds/*.txt), checked against the loaded seed, and the
corrections of issue 14 (item 5). Each fact cites its report file and the phrase it rests on; the
phrase is checked to be in the report (when the reports are beside the checkout), so a citation
cannot drift from its source."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from cooperation.tracker.models import (
    Commitment,
    CommitmentStatus,
    DatePrecision,
    Document,
    DocumentKind,
    Figure,
    Organization,
    Person,
    Responsibility,
    Source,
    StatusUpdate,
    Visit,
    VisitKind,
)

pytestmark = pytest.mark.django_db

D = datetime.date
ROOT = Path(settings.BASE_DIR)
R0, R1, R2, R3, R4 = (
    "000_64c0082ac0041f4a.txt",
    "001_179a768cefff7fc2.txt",
    "002_9d08565cb357d80b.txt",
    "003_f2a4187d8fa2ff38.txt",
    "004_389ac96f58be41fe.txt",
)


def _reports_folder() -> Path | None:
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "seeds").is_dir():
            return base / "shared" / "seeds"
    return None


def report_text(name: str) -> str | None:
    folder = _reports_folder()
    return (folder / name).read_text(encoding="utf-8") if folder else None


def cites(report: str, phrase: str) -> None:
    """The phrase a check rests on is the report's own (skipped where the reports are absent)."""
    text = report_text(report)
    if text is not None:
        assert phrase in text, (report, phrase)


def source_of(report: str) -> Source:
    return Source.objects.get(notes__startswith=f"seeds/{report}")


@pytest.fixture(scope="class")
def seed_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_seed", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def visit(title_start: str) -> Visit:
    return Visit.objects.get(title__startswith=title_start)


def commitment(title_start: str) -> Commitment:
    return Commitment.objects.get(title__startswith=title_start)


def org(name: str) -> Organization:
    return Organization.objects.get(name=name)


def doc(short_title: str) -> Document:
    return Document.objects.get(short_title=short_title)


def roles(c: Commitment) -> set[tuple[str, str, str]]:
    return set(c.responsibilities.values_list("organization__name", "role", "side"))


def promised(c: Commitment, report: str, phrase: str) -> None:
    """The commitment's promise is the report's passage, verbatim, with that report as its source."""
    cites(report, phrase)
    assert phrase in c.promise_passage, c.title
    assert c.promise_source == source_of(report), c.title


# --- R0: DKNews.kz, the ambassador's working visit to Vojvodina (undated) --------------------------


@pytest.mark.usefixtures("seed_loaded")
class TestR0Vojvodina:
    def test_the_working_visit_is_undated(self):
        cites(R0, "paid a working visit to the Autonomous Province of Vojvodina")
        working = visit("Working visit of Ambassador Madi Atamkulov")
        assert working.kind == VisitKind.WORKING_VISIT
        assert working.start_date is None and working.end_date is None
        assert working.date_display == "date not reported"
        assert working.sources.get() == source_of(R0)

    def test_he_met_the_president_of_the_government_of_vojvodina(self):
        cites(R0, "met with the President of the Government of Vojvodina Maja Gojković")
        gojkovic = Person.objects.get(name="Maja Gojković")
        assert (gojkovic.position, gojkovic.country.code) == ("President of the Government of Vojvodina", "RS")
        assert set(visit("Working visit of Ambassador").participants.values_list("name", flat=True)) == {
            "Madi Atamkulov",
            "Maja Gojković",
        }

    def test_serbias_intention_to_sign_a_new_document_with_almaty_region(self):
        phrase = "Maja Gojković confirmed Serbia’s intention to sign a new cooperation document between Vojvodina"
        sign = commitment("Sign a new cooperation document between Vojvodina")
        promised(sign, R0, phrase)
        assert roles(sign) == {
            ("Autonomous Province of Vojvodina", "lead", "serbia"),
            ("Almaty Region", "support", "kazakhstan"),
        }
        assert sign.status == CommitmentStatus.NO_INFORMATION

    def test_the_new_document_builds_on_the_2016_framework(self):
        cites(R0, "The updated agreement will build on the 2016 framework")
        planned = doc("Vojvodina–Almaty Region document (planned)")
        assert (planned.status, planned.signed_on) == ("planned", None)
        assert (planned.builds_on.signed_on, planned.builds_on.signed_precision) == (D(2016, 1, 1), DatePrecision.YEAR)
        assert set(planned.sectors.values_list("name", flat=True)) == {
            "Investment",
            "Artificial intelligence",
            "Biotechnology",
            "Culture",
            "Sport",
        }

    def test_ns_seme_is_ready_to_sign_a_memorandum_with_the_agrarian_center(self):
        phrase = "confirmed their readiness to sign a memorandum of cooperation with the Kazakh National Agrarian"
        sign = commitment("Sign a memorandum of cooperation between NS Seme")
        promised(sign, R0, phrase)
        assert sign.origin_document.status == "planned"
        assert roles(sign) == {
            ("National Institute of Field Crops and Vegetable Production “NS Seme”", "lead", "serbia"),
            ("Kazakh National Agrarian Scientific-Educational Center", "support", "kazakhstan"),
        }

    def test_the_seed_production_challenges_are_in_the_visits_account(self):
        cites(R0, "Developing joint hybrids of grain, oilseed, and vegetable crops")
        summary = visit("Working visit of Ambassador").summary
        assert "joint hybrids of grain, oilseed and vegetable crops" in summary
        assert "a stated need" in summary and "names no responsible body" in summary

    def test_the_regions_facilities(self):
        cites(R0, "the BioSense Institute for digital agriculture technologies, and Serbia’s Institute for Artificial")
        cites(R0, "the Pančevo oil refinery")
        for name in ("BioSense Institute", "Institute for Artificial Intelligence", "Pančevo oil refinery"):
            assert org(name).country.code == "RS", name

    def test_novi_sad_european_city_of_sport_2026(self):
        cites(R0, "Novi Sad has also been designated the European City of Sport for 2026")
        assert "European City of Sport for 2026" in org("Autonomous Province of Vojvodina").description

    def test_the_share_of_trade_attributed_to_vojvodina(self):
        cites(R0, "about 90 percent of trade between Kazakhstan and Serbia is attributed to Vojvodina")
        share = Figure.objects.get(indicator__name="Share of bilateral trade through a region")
        assert (share.value, share.qualifier, share.subject, share.source) == (90, "about", "Vojvodina", source_of(R0))


# --- R1: nCa, 20 November 2024 -------------------------------------------------------------------


@pytest.mark.usefixtures("seed_loaded")
class TestR1Belgrade2024:
    def test_talks_on_19_november(self):
        cites(R1, "On 19 November, President of Kazakhstan Kassym-Jomart Tokayev paid an official visit to Serbia")
        for title in ("Talks of Presidents Tokayev and Vučić in a narrow", "Meeting of President Tokayev with"):
            assert visit(title).start_date == D(2024, 11, 19), title

    def test_the_prime_minister_is_spelt_as_the_report_spells_him(self):
        cites(R1, "Prime Minister Milos Vucevic")
        vucevic = Person.objects.get(name="Milos Vucevic")
        assert (vucevic.position, vucevic.country.code) == ("Prime Minister of Serbia", "RS")
        assert not Person.objects.filter(name__contains="Miloš").exists()

    def test_full_support_to_serbian_businessmen(self):
        phrase = "Tokayev assured the Serbian side of the full support of the Government of Kazakhstan to Serbian"
        support = commitment("Full support of the Government of Kazakhstan")
        promised(support, R1, phrase)
        assert support.origin_visit == visit("Meeting of President Tokayev with Prime Minister Milos Vucevic")
        assert roles(support) == {("Government of the Republic of Kazakhstan", "lead", "kazakhstan")}

    def test_vucevics_interest_in_kazakhstans_reforms(self):
        phrase = "Vucevic expressed Serbia’s keen interest in learning from Kazakhstan’s experience in political"
        reforms = commitment("Serbia to learn from Kazakhstan’s experience")
        promised(reforms, R1, phrase)
        assert (reforms.status, reforms.responsibilities.count()) == (CommitmentStatus.NO_INFORMATION, 0)

    def test_serbias_desire_to_strengthen_cooperation_in_promising_areas(self):
        phrase = "Serbia’s desire to strengthen cooperation with Kazakhstan in a number of promising areas"
        promised(commitment("Strengthen cooperation in trade, economy, transport"), R1, phrase)

    def test_exchange_of_experiences_in_green_technologies(self):
        phrase = "proposed an exchange of experiences in these areas"
        promised(commitment("Exchange experiences in green technologies"), R1, phrase)

    def test_days_of_serbia_and_of_kazakhstan(self):
        phrase = "“Days of Serbia in Kazakhstan” and “Days of Kazakhstan in Serbia,”"
        days = commitment("Hold “Days of Serbia in Kazakhstan”")
        promised(days, R1, phrase)
        assert days.origin_visit.title.startswith("Meeting of President Tokayev with Prime Minister")

    def test_the_tour_of_the_military_industrial_exhibition(self):
        cites(R1, "During his visit, Tokayev toured an exhibition showcasing Serbia’s military-industrial complex")
        tour = visit("President Tokayev's tour of an exhibition")
        assert (tour.kind, tour.start_date, tour.start_precision) == (
            VisitKind.EXHIBITION,
            D(2024, 11, 1),
            DatePrecision.MONTH,
        )

    def test_military_exports_to_over_70_countries(self):
        cites(R1, "supplying its products to over 70 countries worldwide")
        exports = Figure.objects.get(indicator__name="Countries supplied with military exports")
        assert (exports.value, exports.qualifier, exports.source) == (70, "more_than", source_of(R1))

    def test_ten_documents_signed_during_the_visit(self):
        cites(R1, "The following documents were signed during the official visit of the President of Kazakhstan")
        signed = visit("Official visit of President Tokayev").documents.all()
        assert signed.count() == 10
        assert set(signed.values_list("signed_on", flat=True)) == {D(2024, 11, 19)}
        assert all(source_of(R1) in document.sources.all() for document in signed)

    def test_the_statistics_protocol(self):
        cites(R1, "Protocol between the Ministry of Finance of the Republic of Kazakhstan and the Statistical Office")
        protocol = doc("Trade statistics protocol")
        assert protocol.kind == DocumentKind.PROTOCOL
        assert set(protocol.organizations.values_list("name", flat=True)) == {
            "Ministry of Finance of the Republic of Kazakhstan",
            "Statistical Office of the Republic of Serbia",
        }

    def test_the_serbian_institute_is_named_in_full(self):
        cites(R1, "the Institute of International Politics and Economics of the Republic of Serbia")
        institute = org("Institute of International Politics and Economics of the Republic of Serbia")
        assert institute.short_name == ""  # no report abbreviates it
        assert (
            doc("KazISS–Institute of International Politics and Economics memorandum")
            .organizations.filter(pk=institute.pk)
            .exists()
        )

    def test_interest_in_increasing_trade_turnover(self):
        cites(R1, "expressed mutual interest in further increasing trade turnover")
        assert "further increasing trade turnover" in commitment("Increase mutual trade").description


# --- R2: The Astana Times, 26 February 2026 ------------------------------------------------------


@pytest.mark.usefixtures("seed_loaded")
class TestR2Astana2026:
    def test_vucic_arrived_in_astana_on_26_february(self):
        cites(R2, "Serbian President Aleksandar Vučić arrived in Astana on Feb. 26 for an official visit")
        arrival = visit("Official visit of President Vučić")
        assert (arrival.kind, arrival.start_date, arrival.place, arrival.host_country.code) == (
            VisitKind.OFFICIAL_VISIT,
            D(2026, 2, 26),
            "Astana",
            "KZ",
        )
        assert "scheduled to focus on" in arrival.summary  # the talks were scheduled, not reported

    def test_trade_grew_by_7_6_percent(self):
        cites(R2, "Bilateral trade turnover increased by 7.6% last year, surpassing $107 million")
        turnover = Figure.objects.get(indicator__name="Trade turnover", source=source_of(R2))
        assert (turnover.value, turnover.change_percent, turnover.period_year) == (107, Decimal("7.6"), 2025)

    def test_business_council_and_forum_with_six_documents(self):
        cites(R2, "an expanded meeting of the Kazakhstan–Serbia Business Council and a Kazakhstan–Serbia Business")
        meeting = visit("Kazakhstan–Serbia Business Council (expanded meeting)")
        assert (meeting.start_date, meeting.place, meeting.kind) == (D(2026, 2, 26), "Astana", "business_council")
        assert meeting.documents.count() == 6

    def test_the_kaztechnology_yugoimport_agreement(self):
        cites(R2, "SP Kaztechnology and the Serbian company Yugoimport SDPR concluded an agreement to repair")
        artillery = doc("Kaztechnology–Yugoimport SDPR artillery agreement")
        assert (artillery.kind, artillery.level) == (DocumentKind.AGREEMENT, "commercial")
        assert "Nora and Soko/Soho" in artillery.summary
        work = commitment("Repair and modernize self-propelled artillery systems")
        assert work.origin_document == artillery
        assert roles(work) == {("SP Kaztechnology", "lead", "kazakhstan"), ("Yugoimport SDPR", "lead", "serbia")}

    def test_the_great_sky_framework_agreement(self):
        cites(R2, "Great Sky and Yugoimport-SDPR signed a framework agreement on technology transfer")
        framework = doc("Great Sky–Yugoimport SDPR framework agreement")
        assert framework.kind == DocumentKind.FRAMEWORK_AGREEMENT
        promised(commitment("Technology transfer and the establishment"), R2, "signed a framework agreement")

    def test_three_astana_hub_memorandums(self):
        cites(R2, "three memorandums of cooperation were signed involving Astana Hub")
        hub = org("Astana Hub")
        assert hub.documents.filter(kind=DocumentKind.MEMORANDUM_OF_COOPERATION).count() == 3

    def test_the_biotechnology_memorandum(self):
        cites(R2, "Kazakhstan’s National Center for Biotechnology signed a memorandum of understanding with Serbia’s")
        biotech = doc("National Center for Biotechnology–Bio4 Campus memorandum")
        assert biotech.kind == DocumentKind.MEMORANDUM_OF_UNDERSTANDING
        assert set(biotech.parties.values_list("organization__name", "side__code")) == {
            ("National Center for Biotechnology", "KZ"),
            ("Bio4 Campus", "RS"),
        }

    def test_kazakh_invest_negotiating_pharmaceutical_localization(self):
        phrase = "Kazakh Invest has also been negotiating with Serbian pharmaceutical companies to localize"
        pharma = commitment("Localize Serbian pharmaceutical production")
        promised(pharma, R2, phrase)
        assert roles(pharma) == {("Kazakh Invest", "lead", "kazakhstan")}
        assert pharma.origin_visit.date_display == "date not reported"


# --- R3: Kazinform, 28 years of relations (undated) -------------------------------------------------


@pytest.mark.usefixtures("seed_loaded")
class TestR3TwentyEightYears:
    def test_relations_established_on_10_december_1996(self):
        cites(R3, "Diplomatic relations between the two nations were established on Dec. 10, 1996")
        assert visit("Diplomatic relations established").start_date == D(1996, 12, 10)

    def test_the_two_embassies(self):
        cites(R3, "the opening of Serbia’s embassy in Astana in 2011 and Kazakhstan’s embassy in Belgrade in 2019")
        assert visit("Serbia opens its embassy in Astana").date_display == "2011"
        assert visit("Kazakhstan opens its embassy in Belgrade").date_display == "2019"
        assert org("Embassy of Serbia in Astana").country.code == "RS"

    def test_four_presidential_visits_including_expo_2017(self):
        cites(R3, "Serbian presidents have visited Kazakhstan four times, including during the Astana Expo 2017")
        assert Figure.objects.get(indicator__name="Presidential visits").value == 4
        assert visit("Visit of a President of Serbia to Kazakhstan during the Astana Expo 2017").date_display == "2017"

    def test_phone_discussions_are_undated(self):
        cites(R3, "phone discussions between Tokayev and Serbian President Aleksandar Vučić")
        calls = visit("Phone discussions between Presidents Tokayev and Vučić")
        assert (calls.kind, calls.start_date) == (VisitKind.PHONE_CALL, None)

    def test_the_kaziss_experts_points_of_mutual_support(self):
        cites(R3, "Serbia’s support for Kazakhstan’s OSCE chairmanship bid, its hosting of EXPO 2017 in Astana")
        cites(R3, "its candidacy as a non-permanent member of the UN Security Council for 2017-2018")
        for title in (
            "Serbia supports Kazakhstan's OSCE chairmanship bid",
            "Serbia supports Kazakhstan's hosting of EXPO 2017",
            "Serbia supports Kazakhstan's candidacy for non-permanent membership of the UN Security Council",
        ):
            support = visit(title)
            assert support.start_date is None, title
            assert support.sources.get() == source_of(R3), title
            assert "Abdreshev" in support.summary, title

    def test_interparliamentary_ties(self):
        cites(R3, "noted the importance of interparliamentary ties and mutual support in international arenas")
        assert "interparliamentary ties" in visit("Serbia supports Kazakhstan's candidacy").summary

    def test_24_bilateral_agreements(self):
        cites(R3, "the 24 bilateral agreements underpinning cooperation")
        agreements = Figure.objects.get(indicator__name="Bilateral agreements")
        assert (agreements.value, agreements.reporter_person.name) == (24, "Alisher Abdreshev")

    def test_the_third_commission_meeting_in_belgrade(self):
        cites(R3, "the third meeting of the Kazakh-Serbian Intergovernmental Commission on trade and economic")
        meeting = visit("Third meeting of the Kazakh-Serbian Intergovernmental Commission")
        assert (meeting.date_display, meeting.place) == ("September 2024", "Belgrade")
        assert "the editors read it as 2024" in meeting.summary  # the year is an assessment, labelled
        assert org("Kazakh-Serbian Intergovernmental Commission on trade and economic cooperation").country is None

    def test_zhumangarins_offer_of_non_primary_goods(self):
        phrase = "Kazakhstan is ready to supply Serbia with over $500 million worth of non-primary goods"
        offer = commitment("Supply Serbia with over $500 million")
        promised(offer, R3, phrase)
        assert (offer.status, offer.responsibilities.count()) == (CommitmentStatus.NO_INFORMATION, 0)
        assert Person.objects.get(name="Serik Zhumangarin").position == "Deputy Prime Minister of Kazakhstan"

    def test_breeding_cows_and_agricultural_exports(self):
        promised(commitment("Import breeding cows"), R3, "Kazakhstan seeks to import breeding cows and genetic")
        promised(commitment("Expand Kazakh agricultural exports"), R3, "Kazakhstan aims to expand its exports of")

    def test_transit_via_the_middle_corridor(self):
        promised(
            commitment("Develop cargo transit"), R3, "We propose to consider the possibilities of the Trans-Caspian"
        )

    def test_kazakh_invest_discussions_with_three_serbian_companies(self):
        phrase = "Kazakh Invest facilitated discussions with Serbian companies such as Hipol, GOŠA FOM, and Sigma Ltd"
        explore = commitment("Explore joint projects with Hipol")
        promised(explore, R3, phrase)
        assert roles(explore) == {
            ("Kazakh Invest", "lead", "kazakhstan"),
            ("Hipol", "support", "serbia"),
            ("GOŠA FOM", "support", "serbia"),
            ("Sigma Ltd", "support", "serbia"),
        }

    def test_the_business_forum_of_12_november(self):
        cites(R3, "business forum on Nov.12 in Belgrade")
        forum = visit("Kazakh-Serbian business forum in Belgrade")
        assert (forum.kind, forum.start_date, forum.place) == (VisitKind.BUSINESS_FORUM, D(2024, 11, 12), "Belgrade")

    def test_annual_performances_and_the_embassys_events(self):
        cites(R3, "Serbia hosts annual performances by Kazakh cultural institutions, including the Astana Opera")
        cites(R3, "The Kazakh Embassy in Serbia organizes events such as Cinema Days, Kazakh Cuisine Days")
        performances = visit("Annual performances of Kazakh cultural institutions")
        assert list(performances.organizations.values_list("name", flat=True)) == ["Astana Opera"]
        events = visit("Cinema Days, Kazakh Cuisine Days and photography exhibitions")
        assert list(events.organizations.values_list("name", flat=True)) == ["Kazakh Embassy in Serbia"]
        assert performances.start_date is None and events.start_date is None

    def test_hybrid_corn_and_sunflowers(self):
        cites(R3, "Kazakhstan’s Budan LLP and Serbia’s Research Institute Zemun Polje have worked together")
        cites(R3, "Serbian researchers have also contributed to the development of sunflower cultivation")
        assert (org("Budan LLP").country.code, org("Research Institute Zemun Polje").country.code) == ("KZ", "RS")
        assert Figure.objects.get(indicator__name="Share of Kazakhstan’s crop").value == 85
        assert visit("Serbian researchers contribute to sunflower cultivation").start_date is None

    def test_women_of_the_great_steppe_in_june(self):
        cites(R3, "In June, the exhibition dubbed Women of the Great Steppe in Serbia")
        steppe = visit("Exhibition “Women of the Great Steppe”")
        assert (steppe.start_date, steppe.start_precision) == (D(2024, 6, 1), DatePrecision.MONTH)
        assert "editors read it as 2024" in steppe.summary

    def test_companies_with_serbian_participation(self):
        cites(R3, "Active companies with Serbian participation in Kazakhstan operate in construction")
        assert "construction, automotive trade and technical services" in (
            Figure.objects.get(indicator__name="Foreign direct investment").note
        )


# --- R4: Kazinform, 19 November 2024 ---------------------------------------------------------------


@pytest.mark.usefixtures("seed_loaded")
class TestR4TokayevStatement:
    def test_the_decision_to_restart_the_business_council(self):
        restart = commitment("Restart the Kazakhstan–Serbia Business Council")
        promised(restart, R4, "The decision was also made to restart the Business Council")
        assert roles(restart) == {("Kazakhstan–Serbia Business Council", "lead", "bilateral_body")}

    def test_enhanced_action_from_the_intergovernmental_commission(self):
        igc = commitment("Enhanced action by the Intergovernmental Commission")
        promised(igc, R4, "requiring enhanced action from the Intergovernmental Commission")
        assert roles(igc) == {
            ("Kazakh-Serbian Intergovernmental Commission on trade and economic cooperation", "lead", "bilateral_body")
        }

    def test_the_authorized_bodies_were_instructed_to_increase_trade(self):
        trade = commitment("Increase mutual trade")
        promised(trade, R4, "The authorized bodies were instructed to increase mutual trade.")
        assert trade.responsibilities.count() == 0  # "the authorized bodies" are not named

    def test_readiness_to_export_goods(self):
        phrase = "Kazakhstan is ready to export a number of industrial, food and other goods to Serbia"
        promised(commitment("Export a number of Kazakh industrial"), R4, phrase)

    def test_agricultural_agreements_and_the_noted_need(self):
        promised(commitment("Share expertise in veterinary"), R4, "Agreements were reached to share expertise")
        promised(commitment("Establish partner relations"), R4, "The need to establish partner relations")

    def test_the_offer_of_joint_work(self):
        phrase = "the Serbian side was offered to work jointly in healthcare, IT, space and tourism sectors"
        promised(commitment("Joint work in healthcare"), R4, phrase)

    def test_gratitude_for_the_flood_support(self):
        cites(R4, "gratitude to the people and the President of Servia for the financial support during the")
        floods = visit("Serbia's financial support during Kazakhstan's spring floods")
        assert list(floods.participants.values_list("name", flat=True)) == ["Aleksandar Vučić"]
        assert list(floods.organizations.values_list("name", flat=True)) == ["President of the Republic of Serbia"]
        assert "thanked the people of Serbia and its President" in floods.summary
        assert (floods.start_date, floods.start_precision) == (D(2024, 1, 1), DatePrecision.YEAR)

    def test_congratulations_on_expo_2027(self):
        cites(R4, "extended his congratulations to Serbia on winning the right to host the EXPO 2027")
        expo = visit("Serbia wins the right to host EXPO 2027")
        assert "congratulations" in expo.summary and "Play for Humanity" in expo.summary
        assert (expo.start_date, expo.sources.get()) == (None, source_of(R4))

    def test_the_world_nomad_games_carry_only_what_the_report_gives(self):
        cites(R4, "their active participation in the 5th World Nomad Games")
        games = visit("5th World Nomad Games")
        assert (games.start_date, games.host_country, games.place) == (None, None, "")
        assert "neither the date nor the host" in games.summary

    def test_narrow_and_expanded_format_talks(self):
        cites(R4, "also held talks in a narrow format")
        cites(R4, "direct flights between Astana and Belgrade as part of the expanded-format talks")
        flights = commitment("Launch direct flights between Astana and Belgrade")
        assert flights.origin_visit == visit("Talks of Presidents Tokayev and Vučić in an expanded format")
        assert visit("Talks of Presidents Tokayev and Vučić in a narrow format").kind == VisitKind.TALKS

    def test_the_welcome_ceremony(self):
        cites(R4, "An official welcome ceremony for President Kassym-Jomart Tokayev took place in the square")
        ceremony = visit("Official welcome ceremony for President Tokayev")
        assert "Palace of Serbia" in ceremony.place and ceremony.start_precision == DatePrecision.MONTH

    def test_arrival_on_18_november_and_no_reported_departure(self):
        cites(R4, "arrived in Belgrade on November 18 for an official visit")
        official = visit("Official visit of President Tokayev")
        assert (official.start_date, official.end_date, official.place) == (D(2024, 11, 18), None, "Belgrade")

    def test_28_years_of_relations(self):
        cites(R4, "28 years have passed since the establishment of diplomatic relations")
        assert (
            Figure.objects.filter(indicator__name="Years of diplomatic relations", source=source_of(R4)).get().value
            == 28
        )


# --- The corrections of issue 14 (item 5) -----------------------------------------------------------


@pytest.mark.usefixtures("seed_loaded")
class TestCorrections:
    def test_the_kaztechnology_deal_is_an_agreement_not_a_contract(self):
        text = report_text(R2)
        if text is not None:
            assert "contract" not in text.lower()
        assert not Document.objects.filter(kind=DocumentKind.CONTRACT).exists()
        assert not Document.objects.filter(title__icontains="contract").exists()
        assert doc("Kaztechnology–Yugoimport SDPR artillery agreement").kind == DocumentKind.AGREEMENT

    @pytest.mark.parametrize(
        "title",
        [
            "Restart the Kazakhstan–Serbia Business Council",
            "Implement new joint projects",
            "Organize regular business forums",
            "Increase mutual trade",
            "Localize Serbian pharmaceutical production",
        ],
    )
    def test_editors_judgements_are_assessed_with_reasoning_and_sources(self, title):
        (update,) = commitment(title).updates.all()
        assert update.basis == "assessed" and commitment(title).basis == "assessed"
        assert len(update.reasoning) > 40
        assert update.sources.exists()
        assert update.evidence_source is not None

    def test_the_business_council_restart_is_an_assessed_completion(self):
        restart = commitment("Restart the Kazakhstan–Serbia Business Council")
        assert (restart.status, restart.progress) == (CommitmentStatus.COMPLETED, 100)
        update = restart.updates.get()
        assert "does not say the Council was restarted" in update.reasoning
        assert update.evidence_visit == visit("Kazakhstan–Serbia Business Council (expanded meeting)")

    def test_no_percentage_without_a_basis(self):
        # The 25 % of joint projects is gone; progress is 100 only for the completed, else not quantified.
        assert set(StatusUpdate.objects.values_list("status", "progress")) == {
            (CommitmentStatus.COMPLETED, 100),
            (CommitmentStatus.IN_PROGRESS, 0),
        }
        for update in StatusUpdate.objects.filter(status=CommitmentStatus.IN_PROGRESS):
            assert "not quantified" in update.reasoning
        assert commitment("Implement new joint projects").progress == 0

    def test_the_kazakh_invest_talks_do_not_come_from_the_12_november_forum(self):
        forum = visit("Kazakh-Serbian business forum in Belgrade")
        assert not forum.commitments.exists()
        assert not forum.organizations.filter(name="Kazakh Invest").exists()
        assert commitment("Explore joint projects with Hipol").origin_visit.start_date is None

    def test_pharmaceutical_localization_does_not_come_from_the_business_council(self):
        pharma = commitment("Localize Serbian pharmaceutical production")
        meeting = visit("Kazakhstan–Serbia Business Council (expanded meeting)")
        assert pharma.origin_visit != meeting and pharma.origin_document is None
        assert not meeting.organizations.filter(name="Kazakh Invest").exists()

    def test_the_seed_production_topics_are_a_need_not_a_commitment(self):
        for word in ("hybrids", "internships", "scientific personnel", "research staff"):
            assert not Commitment.objects.filter(title__icontains=word).exists(), word
        ns_seme = org("National Institute of Field Crops and Vegetable Production “NS Seme”")
        assert list(Commitment.objects.filter(responsibilities__organization=ns_seme)) == [
            commitment("Sign a memorandum of cooperation between NS Seme")
        ]

    def test_tokayev_thanked_the_people_and_the_president_not_the_government(self):
        floods = visit("Serbia's financial support during Kazakhstan's spring floods")
        assert not floods.organizations.filter(name="Government of the Republic of Serbia").exists()

    def test_each_belgrade_document_cites_the_report_that_places_it_in_belgrade(self):
        text = report_text(R1)
        if text is not None:
            assert "Belgrade" not in text  # nCa lists the documents but never names the city
        cites(R4, "Kassym-Jomart Tokayev arrived in Belgrade on November 18 for an official visit")
        for document in Document.objects.filter(place_signed="Belgrade"):
            assert set(document.sources.all()) == {source_of(R1), source_of(R4)}, document
            assert "arrived in Belgrade on November 18" in document.summary, document
        assert Document.objects.filter(place_signed="Belgrade").count() == 10

    def test_great_skys_nationality_is_not_given(self):
        great_sky = org("Great Sky")
        assert great_sky.country is None and "does not give its nationality" in great_sky.description
        party = doc("Great Sky–Yugoimport SDPR framework agreement").parties.get(organization=great_sky)
        assert party.side is None
        assert Responsibility.objects.get(organization=great_sky).side == ""

    def test_the_embassys_source_is_the_report_that_names_it(self):
        text = report_text(R0)
        if text is not None:
            assert "mbassy" not in text  # DKNews.kz names the ambassador, not the embassy
        embassy = org("Kazakh Embassy in Serbia")
        assert list(embassy.sources.all()) == [source_of(R3)]
        assert Person.objects.get(name="Madi Atamkulov").organization is None
        assert not visit("Working visit of Ambassador").organizations.filter(pk=embassy.pk).exists()

    def test_commitments_no_report_speaks_of_afterwards_have_no_information(self):
        silent = Commitment.objects.annotate(n=Count("updates")).filter(n=0)
        assert silent.count() >= 20
        assert set(silent.values_list("status", "basis")) == {(CommitmentStatus.NO_INFORMATION, "")}
        assert not Commitment.objects.filter(status=CommitmentStatus.NOT_STARTED).exists()

    def test_no_date_from_outside_the_reports(self):
        working = visit("Working visit of Ambassador")
        assert working.start_date is None and "2026" not in working.summary
        assert "13 February" not in source_of(R0).notes
        games = visit("5th World Nomad Games")
        assert games.start_date is None and "2024" not in games.summary and games.host_country is None

    def test_names_as_the_reports_spell_them(self):
        names = set(Organization.objects.values_list("name", flat=True))
        for name in (
            "Kazakh-Serbian Intergovernmental Commission on trade and economic cooperation",
            "Institute for Artificial Intelligence",
            "Pančevo oil refinery",
            "Kazakh Embassy in Serbia",
            "Ministry of Trade and Integration",
            "President of the Republic of Kazakhstan",
        ):
            assert name in names, name
        assert not any(name.startswith("Office of the President") for name in names)

    def test_every_promise_is_its_reports_passage_verbatim(self):
        for each in Commitment.objects.select_related("promise_source"):
            assert each.promise_passage and each.promise_source, each.title
            assert each.promise_source in each.sources.all(), each.title
            text = report_text(each.promise_source.notes.split()[0].removeprefix("seeds/").rstrip("."))
            if text is not None:
                assert each.promise_passage in text, each.title

    def test_lead_and_support_only_where_a_report_names_them(self):
        """Every responsible organization is named in the promise or is a party to the document the
        commitment comes from; commitments whose report names nobody have no one."""
        for row in Responsibility.objects.select_related("organization", "commitment__origin_document"):
            c, organization = row.commitment, row.organization
            # As named in a passage: "the Government of Kazakhstan" for the Government of the Republic of Kazakhstan.
            named = {organization.name, organization.short_name, organization.name.replace("the Republic of ", "")}
            named -= {""}
            in_passage = any(name in c.promise_passage for name in named)
            party = c.origin_document and c.origin_document.organizations.filter(pk=organization.pk).exists()
            assert in_passage or party, (c.title, organization.name)
        nobody = Commitment.objects.annotate(n=Count("responsibilities")).filter(n=0)
        assert nobody.count() >= 15
        serbian_government = org("Government of the Republic of Serbia")
        assert not Responsibility.objects.filter(organization=serbian_government).exists()
