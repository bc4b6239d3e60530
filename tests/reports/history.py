"""A known commitment history for the report tests; every expected figure is derived by hand
in the test modules from the dates below.

    today = 30 June 2025, stale after 180 days (cutoff 1 January 2025)

    c1 "Student exchange"   made at v1 (19 Nov 2024), education, kz_edu, due September 2025
                            15 Jan 2025 in progress 30 → 10 May 2025 completed 100
    c2 "Days of Serbia"     made at v1, tourism, rs_tour, due 31 Mar 2025
                            1 Feb 2025 in progress 40 → 15 Apr 2025 delayed 40
    c3 "Joint digital lab"  made at v2 (10 Feb 2025), digital + education, kz_edu + rs_tour + a draft org,
                            due 15 Aug 2025; only a DRAFT update (5 May 2025 completed)
    c4 "Tourism portal"     made in d1 (signed 19 Nov 2024, no visit), tourism, rs_tour, due 31 Jan 2025
                            1 Dec 2024 in progress 10 → 20 Jan 2025 cancelled 10
    c5 "Library exchange"   made at v1, no sector, kz_edu, no due date
                            15 Dec 2024 in progress 20
    c6 DRAFT commitment     made at v1, education, kz_edu, due 1 Jan 2025; published updates
                            10 Jan 2025 delayed, 1 May 2025 delayed (never count: the commitment is a draft)
    c7 "Satellite data"     made at a DRAFT visit (1 Mar 2025), digital, kz_edu, due January 2026
                            1 Jun 2025 partially completed 60
"""

import datetime

from cooperation.tracker.models import CommitmentStatus, DatePrecision
from tests import factories

TODAY = datetime.date(2025, 6, 30)
S = CommitmentStatus


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def build_history():
    kz, rs = factories.country("KZ"), factories.country("RS")
    education = factories.sector("Education")
    tourism = factories.sector("Tourism")
    digital = factories.sector("Digital")
    kz_edu = factories.organization(name="Ministry of Science and Higher Education", country=kz)
    rs_tour = factories.organization(name="Ministry of Tourism and Youth", country=rs)
    draft_org = factories.organization(name="Secret Draft Agency", country=kz, publication_status=factories.DRAFT)
    v1 = factories.visit(title="Official visit to Belgrade", start_date=d("2024-11-19"))
    v2 = factories.visit(title="Business forum in Astana", start_date=d("2025-02-10"))
    draft_visit = factories.visit(
        title="Hidden draft visit", start_date=d("2025-03-01"), publication_status=factories.DRAFT
    )
    d1 = factories.document(
        title="Memorandum on tourism", signed_on=d("2024-11-19"), signed_at=v1, entry_into_force_rule="on_signature"
    )
    d2 = factories.document(title="Draft protocol", publication_status=factories.DRAFT)

    c1 = factories.commitment(
        title="Student exchange",
        origin_visit=v1,
        sectors=[education],
        responsible=[kz_edu],
        due_on=d("2025-09-01"),
        due_precision=DatePrecision.MONTH,
    )
    factories.status_update(c1, S.IN_PROGRESS, 30, reported_on=d("2025-01-15"), note="Call for applications")
    factories.status_update(c1, S.COMPLETED, 100, reported_on=d("2025-05-10"), note="First students arrived")

    c2 = factories.commitment(
        title="Days of Serbia in Kazakhstan",
        origin_visit=v1,
        sectors=[tourism],
        responsible=[rs_tour],
        due_on=d("2025-03-31"),
    )
    factories.status_update(c2, S.IN_PROGRESS, 40, reported_on=d("2025-02-01"))
    factories.status_update(c2, S.DELAYED, 40, reported_on=d("2025-04-15"), note="Postponed")

    c3 = factories.commitment(
        title="Joint digital lab",
        origin_visit=v2,
        sectors=[digital, education],
        responsible=[kz_edu, rs_tour, draft_org],
        due_on=d("2025-08-15"),
    )
    factories.status_update(c3, S.COMPLETED, 100, reported_on=d("2025-05-05"), publication_status=factories.DRAFT)

    c4 = factories.commitment(
        title="Tourism portal", origin_document=d1, sectors=[tourism], responsible=[rs_tour], due_on=d("2025-01-31")
    )
    factories.status_update(c4, S.IN_PROGRESS, 10, reported_on=d("2024-12-01"))
    factories.status_update(c4, S.CANCELLED, 10, reported_on=d("2025-01-20"))

    c5 = factories.commitment(title="Library exchange", origin_visit=v1, responsible=[kz_edu])
    factories.status_update(c5, S.IN_PROGRESS, 20, reported_on=d("2024-12-15"))

    c6 = factories.commitment(
        title="Hidden draft commitment",
        origin_visit=v1,
        sectors=[education],
        responsible=[kz_edu],
        due_on=d("2025-01-01"),
        publication_status=factories.DRAFT,
    )
    factories.status_update(c6, S.DELAYED, 30, reported_on=d("2025-01-10"), note="hidden note")
    factories.status_update(c6, S.DELAYED, 35, reported_on=d("2025-05-01"), note="hidden note")

    c7 = factories.commitment(
        title="Satellite data sharing",
        origin_visit=draft_visit,
        sectors=[digital],
        responsible=[kz_edu],
        due_on=d("2026-01-01"),
        due_precision=DatePrecision.MONTH,
    )
    factories.status_update(c7, S.PARTIALLY_COMPLETED, 60, reported_on=d("2025-06-01"))

    return {
        "kz": kz,
        "rs": rs,
        "education": education,
        "tourism": tourism,
        "digital": digital,
        "kz_edu": kz_edu,
        "rs_tour": rs_tour,
        "draft_org": draft_org,
        "v1": v1,
        "v2": v2,
        "draft_visit": draft_visit,
        "d1": d1,
        "d2": d2,
        **{f"c{i}": c for i, c in enumerate([c1, c2, c3, c4, c5, c6, c7], start=1)},
    }


# Strings that belong to draft records and must never appear in public output.
DRAFT_MARKERS = [
    "Hidden draft commitment",
    "hidden note",
    "Secret Draft Agency",
    "Hidden draft visit",
    "Draft protocol",
]
