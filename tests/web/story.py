"""Test data for the public pages: a small, realistic Kazakhstan–Serbia story
with a draft record next to every published one, so tests can check that
drafts never show."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from cooperation.tracker.models import (
    CommitmentStatus,
    DocumentKind,
    DocumentLevel,
    FigureBasis,
    FigureSide,
    PeriodKind,
    Qualifier,
    VisitKind,
)
from tests import factories as f

DRAFT = f.DRAFT


@dataclass
class Story:
    kz: object
    rs: object
    digital: object
    education: object
    ministry_kz: object
    ministry_rs: object
    draft_org: object
    state_visit: object
    council_meeting: object
    draft_visit: object
    memorandum: object
    education_agreement: object
    draft_document: object
    council_restart: object
    data_centre: object
    draft_commitment: object
    source: object
    draft_person: object
    turnover: object
    exports: object
    part_year: object
    last_year: object
    undated: object
    change_only: object
    draft_figure: object
    reported_by_draft: object


def build_story() -> Story:
    kz, rs = f.country("KZ"), f.country("RS")
    digital, education = f.sector("Digital"), f.sector("Education")
    source = f.source(
        publisher="Kazinform",
        title="Tokayev visits Belgrade",
        url="https://example.org/tokayev-belgrade",
        quote="Both countries signed a number of important agreements.",
    )
    ministry_kz = f.organization(
        name="Ministry of Digital Development of Kazakhstan", short_name="MDDIAI", country=kz, sectors=[digital]
    )
    ministry_rs = f.organization(name="Ministry of Information of Serbia", country=rs)
    draft_org = f.organization(name="Secret Draft Agency", country=rs, publication_status=DRAFT)
    president = f.person(name="Kassym-Jomart Tokayev", position="President of Kazakhstan", country=kz)
    draft_person = f.person(name="Hidden Draft Person", country=rs, publication_status=DRAFT)

    state_visit = f.visit(
        title="Official visit of President Tokayev to Serbia",
        kind=VisitKind.OFFICIAL_VISIT,
        start_date=datetime.date(2024, 11, 19),
        place="Belgrade",
        host_country=rs,
        summary="Talks with the Serbian leadership; documents signed.",
        participants=[president, draft_person],
        organizations=[ministry_kz, draft_org],
        sources=[source],
        sectors=[digital],
    )
    council_meeting = f.visit(
        title="Kazakhstan–Serbia Business Council meeting",
        kind=VisitKind.BUSINESS_COUNCIL,
        start_date=datetime.date(2026, 2, 1),
        start_precision="month",
        place="Astana",
        host_country=kz,
    )
    draft_visit = f.visit(title="Draft Visit Nobody Should See", publication_status=DRAFT)

    memorandum = f.document(
        title="Memorandum of understanding on digital cooperation",
        kind=DocumentKind.MEMORANDUM_OF_UNDERSTANDING,
        level=DocumentLevel.INTERDEPARTMENTAL,
        signed_on=datetime.date(2024, 11, 19),
        signed_at=state_visit,
        parties=[ministry_kz, ministry_rs, draft_org],
        summary="Cooperation in e-government and artificial intelligence.",
        sectors=[digital],
        sources=[source],
    )
    education_agreement = f.document(
        title="Agreement on cooperation in education",
        kind=DocumentKind.AGREEMENT,
        level=DocumentLevel.INTERGOVERNMENTAL,
        signed_on=datetime.date(2024, 9, 1),
        signed_precision="month",
        parties=[ministry_rs],
        sectors=[education],
    )
    draft_document = f.document(
        title="Draft memorandum on digital secrets",
        signed_at=state_visit,
        parties=[ministry_kz],
        publication_status=DRAFT,
        sectors=[digital],
    )

    council_restart = f.commitment(
        title="Restart the Business Council",
        origin_visit=state_visit,
        due_on=datetime.date(2024, 11, 1),
        due_precision="month",
        responsible=[ministry_kz, draft_org],
        sectors=[digital],
    )
    f.status_update(council_restart, CommitmentStatus.IN_PROGRESS, 40, reported_on=datetime.date(2025, 3, 1))
    f.status_update(
        council_restart,
        CommitmentStatus.COMPLETED,
        reported_on=datetime.date(2026, 2, 2),
        evidence_visit=council_meeting,
        evidence_source=source,
        note="The Council met in February 2026.",
    )
    f.status_update(
        council_restart,
        CommitmentStatus.DELAYED,
        10,
        reported_on=datetime.date(2026, 3, 1),
        note="Draft update that must stay hidden",
        publication_status=DRAFT,
    )
    data_centre = f.commitment(
        title="Joint data centre pilot",
        origin_document=memorandum,
        due_on=datetime.date(2025, 1, 1),
        due_precision="year",
        responsible=[ministry_rs],
        sectors=[digital],
    )
    f.status_update(data_centre, CommitmentStatus.DELAYED, 20, reported_on=datetime.date(2025, 6, 1))
    draft_commitment = f.commitment(
        title="Draft commitment kept private", origin_document=memorandum, publication_status=DRAFT, sectors=[digital]
    )
    figures = build_figures(kz, rs, ministry_kz, president, draft_org, source, state_visit)
    return Story(
        **figures,
        kz=kz,
        rs=rs,
        digital=digital,
        education=education,
        ministry_kz=ministry_kz,
        ministry_rs=ministry_rs,
        draft_org=draft_org,
        state_visit=state_visit,
        council_meeting=council_meeting,
        draft_visit=draft_visit,
        memorandum=memorandum,
        education_agreement=education_agreement,
        draft_document=draft_document,
        council_restart=council_restart,
        data_centre=data_centre,
        draft_commitment=draft_commitment,
        source=source,
        draft_person=draft_person,
    )


def build_figures(kz, rs, ministry, president, draft_org, source, visit) -> dict:
    """Trade turnover as three reports give it (they disagree), exports with a part that gives only
    its change, a draft figure, and one reported by a draft organization."""
    turnover = f.indicator(name="Trade turnover", featured=True)
    exports = f.indicator(name="Exports")
    later_report = f.source(
        publisher="The Astana Times", title="Vučić arrives in Astana", published_on=datetime.date(2026, 2, 26)
    )
    part_year = f.figure(
        indicator=turnover,
        value=Decimal("69.4"),
        value_as_printed="$69.4 million",
        period_kind=PeriodKind.PART_YEAR,
        period_first_month=1,
        period_last_month=9,
        period_as_printed="until September",
        period_basis=FigureBasis.ASSESSED,
        period_reasoning="No year is given; it compares with the same period in 2023.",
        reported_by="the Kazakh Ministry of Trade and Integration",
        reporter_organization=ministry,
        change_percent=Decimal("-9.7"),
        change_compared_with="the same period in 2023",
        earlier_value=Decimal("76.9"),
        source=source,
        passage="The trade turnover until September reached $69.4 million, according to the Ministry.",
        about_visit=visit,
    )
    last_year = f.figure(
        indicator=turnover,
        value=Decimal("107"),
        qualifier=Qualifier.SURPASSING,
        value_as_printed="surpassing $107 million",
        period_year=2025,
        period_as_printed="last year",
        period_basis=FigureBasis.ASSESSED,
        period_reasoning="The report of 26 February 2026 says “last year”.",
        reported_by="the Prime Minister’s press service",
        change_percent=Decimal("7.6"),
        source=later_report,
        passage="Bilateral trade turnover increased by 7.6% last year, surpassing $107 million.",
    )
    undated = f.figure(
        indicator=turnover,
        value=Decimal("90"),
        qualifier=Qualifier.SLIGHTLY_MORE_THAN,
        value_as_printed="slightly more than $90 million",
        period_kind=PeriodKind.NOT_REPORTED,
        reporter_person=president,
        source=source,
        passage="The trade turnover is slightly more than $90 million.",
    )
    exported = f.figure(
        indicator=exports,
        value=Decimal("10.5"),
        value_as_printed="$10.5 million",
        side=FigureSide.FLOW,
        country=kz,
        counterpart=rs,
        source=source,
        passage="Exports from Kazakhstan to Serbia reached $10.5 million.",
    )
    change_only = f.figure(
        indicator=exports,
        value=None,
        change_absolute=Decimal("6.4"),
        value_as_printed="up by $6.4 million",
        subject="mineral fertilizers",
        parent=exported,
        side=FigureSide.FLOW,
        country=kz,
        counterpart=rs,
        source=source,
        passage="Shipments of mineral fertilizers, up by $6.4 million.",
    )
    draft_figure = f.figure(
        indicator=turnover,
        value=Decimal("555"),
        value_as_printed="Draft figure kept private",
        period_year=2023,
        source=source,
        passage="Draft figure kept private: 555 million.",
        publication_status=DRAFT,
    )
    reported_by_draft = f.figure(
        indicator=exports,
        value=Decimal("3"),
        value_as_printed="$3 million",
        side=FigureSide.NOT_STATED,
        reporter_organization=draft_org,
        source=source,
        passage="Some $3 million went somewhere.",
    )
    return {
        "turnover": turnover,
        "exports": exports,
        "part_year": part_year,
        "last_year": last_year,
        "undated": undated,
        "change_only": change_only,
        "draft_figure": draft_figure,
        "reported_by_draft": reported_by_draft,
    }


DRAFT_NAMES = (
    "Draft figure kept private",
    "Secret Draft Agency",
    "Hidden Draft Person",
    "Draft Visit Nobody Should See",
    "Draft memorandum on digital secrets",
    "Draft commitment kept private",
    "Draft update that must stay hidden",
)
