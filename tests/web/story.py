"""Test data for the public pages: a small, realistic Kazakhstan–Serbia story
with a draft record next to every published one, so tests can check that
drafts never show."""

import datetime
from dataclasses import dataclass

from cooperation.tracker.models import (
    CommitmentStatus,
    DocumentKind,
    DocumentLevel,
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
    return Story(
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


DRAFT_NAMES = (
    "Secret Draft Agency",
    "Hidden Draft Person",
    "Draft Visit Nobody Should See",
    "Draft memorandum on digital secrets",
    "Draft commitment kept private",
    "Draft update that must stay hidden",
)
