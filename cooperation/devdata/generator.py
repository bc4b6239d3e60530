"""Realistic synthetic data at scale, for benchmarks and demos.

Every record is published and comes from one seeded random generator, so a seed
always gives the same records. Rows go in with batched bulk_create, which skips
save(): the derived fields that save() would fill (normalised dates, deadline,
unique slugs) are computed here with the same helpers the models use (tracker/dates.py,
tracker/slugs.py), and each commitment's status/progress/last review is taken from the latest of
its generated status updates, exactly as `CommitmentQuerySet.refresh_status` would (the tests
check that).
bulk_create writes no simple-history rows: demo data has no audit trail.
"""

import bisect
import contextlib
import datetime
import random
import time
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from cooperation.tracker import slugs, treaties
from cooperation.tracker.counts import refresh_all_public_counts
from cooperation.tracker.dates import DatePrecision, normalize, period_end
from cooperation.tracker.models import (
    Commitment,
    CommitmentStatus,
    Country,
    Document,
    DocumentKind,
    DocumentLevel,
    DocumentParty,
    DocumentStatus,
    DocumentStep,
    Figure,
    Organization,
    OrganizationKind,
    Person,
    PublicationStatus,
    Sector,
    Source,
    StatusUpdate,
    Visit,
    VisitKind,
    changed_in_bulk,
    derive_for,
)


def copy_latest_update(commitment: Commitment, latest: StatusUpdate) -> None:
    """What CommitmentQuerySet.refresh_status stores, set before the insert: one
    100k-row UPDATE (which also re-runs the search trigger) costs more than the data load.
    tests/devdata/test_generator.py checks the two agree."""
    commitment.status, commitment.progress, commitment.basis, commitment.last_reviewed_on = (
        latest.status,
        latest.progress,
        latest.basis,
        latest.reported_on,
    )


BATCH_SIZE = 2000  # rows per INSERT (SQLite caps it further by its variable limit)
CHUNK_SIZE = 10_000  # commitments generated and inserted at a time, with their updates
# Fixed window, so that a seed gives the same data whatever the day it runs.
FIRST_DAY = datetime.date(2008, 1, 1)
LAST_DAY = datetime.date(2026, 6, 30)

COUNTRIES = {"KZ": "Kazakhstan", "RS": "Serbia"}
CITIES = {
    "KZ": ["Astana", "Almaty", "Shymkent", "Karaganda", "Aktobe", "Pavlodar", "Atyrau", "Kostanay", "Oskemen", "Taraz"],
    "RS": ["Belgrade", "Novi Sad", "Niš", "Kragujevac", "Subotica", "Zrenjanin", "Pančevo", "Čačak", "Kraljevo"],
}
SECTORS = [
    "Agriculture",
    "Culture",
    "Defence",
    "Digital",
    "Education",
    "Energy",
    "Health",
    "Industry",
    "Investment",
    "Mining",
    "Science",
    "Space",
    "Sport",
    "Tourism",
    "Trade",
    "Transport and logistics",
]
FIRST_NAMES = {
    "KZ": ["Askar", "Dana", "Yerlan", "Aigerim", "Nurlan", "Saule", "Daulet", "Madina", "Bakhyt", "Gulnara", "Timur"],
    "RS": ["Miloš", "Jelena", "Nikola", "Ana", "Marko", "Milica", "Stefan", "Ivana", "Dragan", "Tijana", "Vuk"],
}
LAST_NAMES = {
    "KZ": [
        "Akhmetov",
        "Nurpeisova",
        "Bekov",
        "Zhaksylykov",
        "Omarova",
        "Sarsenbayev",
        "Tokayeva",
        "Karimov",
        "Ismailov",
    ],
    "RS": ["Jovanović", "Petrović", "Nikolić", "Marković", "Đorđević", "Stojanović", "Ilić", "Pavlović", "Milošević"],
}
POSITIONS = ["Minister", "Deputy Minister", "Director", "Ambassador", "Chairman", "Rector", "Governor", "Head of unit"]
PUBLISHERS = ["Kazinform", "DKNews.kz", "The Astana Times", "Tanjug", "RTS", "Ministry of Foreign Affairs"]

VISIT_KINDS = [
    (VisitKind.OFFICIAL_VISIT, 20),
    (VisitKind.WORKING_VISIT, 25),
    (VisitKind.STATE_VISIT, 5),
    (VisitKind.TALKS, 20),
    (VisitKind.PHONE_CALL, 8),
    (VisitKind.COMMISSION_SESSION, 6),
    (VisitKind.BUSINESS_COUNCIL, 5),
    (VisitKind.BUSINESS_FORUM, 7),
    (VisitKind.EXHIBITION, 4),
]
DOCUMENT_KINDS = [
    (DocumentKind.MEMORANDUM_OF_UNDERSTANDING, 35),
    (DocumentKind.AGREEMENT, 20),
    (DocumentKind.MEMORANDUM_OF_COOPERATION, 15),
    (DocumentKind.PROTOCOL, 10),
    (DocumentKind.CONTRACT, 10),
    (DocumentKind.FRAMEWORK_AGREEMENT, 5),
    (DocumentKind.JOINT_STATEMENT, 5),
]
DOCUMENT_LEVELS = [
    (DocumentLevel.INTERGOVERNMENTAL, 20),
    (DocumentLevel.INTERDEPARTMENTAL, 35),
    (DocumentLevel.INTER_INSTITUTIONAL, 25),
    (DocumentLevel.COMMERCIAL, 12),
    (DocumentLevel.REGIONAL, 6),
    (DocumentLevel.INTERSTATE, 2),
]
DOCUMENT_STATUSES = [
    (DocumentStatus.SIGNED, 35),
    (DocumentStatus.IN_FORCE, 45),
    (DocumentStatus.EXPIRED, 8),
    (DocumentStatus.TERMINATED, 4),
    (DocumentStatus.PLANNED, 4),
    (DocumentStatus.UNDER_NEGOTIATION, 4),
]
# Where a commitment ends up; the updates before the last one lead there.
FINAL_STATUSES = [
    (CommitmentStatus.COMPLETED, 25),
    (CommitmentStatus.IN_PROGRESS, 30),
    (CommitmentStatus.DELAYED, 15),
    (CommitmentStatus.PARTIALLY_COMPLETED, 10),
    (CommitmentStatus.NOT_STARTED, 10),
    (CommitmentStatus.CANCELLED, 10),
]
FINAL_PROGRESS = {
    CommitmentStatus.COMPLETED: (100, 100),
    CommitmentStatus.IN_PROGRESS: (10, 80),
    CommitmentStatus.DELAYED: (5, 60),
    CommitmentStatus.PARTIALLY_COMPLETED: (50, 90),
    CommitmentStatus.NOT_STARTED: (0, 0),
    CommitmentStatus.CANCELLED: (0, 40),
}
COMMITMENT_TEMPLATES = [
    "Open a joint {sector} centre in {city}",
    "Set up a working group on {sector}",
    "Launch a pilot project in {sector} in {city}",
    "Hold a business forum on {sector} in {city}",
    "Expand exchanges of specialists in {sector}",
    "Prepare a roadmap for {sector} cooperation",
    "Increase mutual trade in {sector}",
    "Organise {sector} days in {city}",
    "Restart the joint council on {sector}",
    "Sign a follow-up agreement on {sector}",
    "Create a joint venture in {sector} near {city}",
    "Run a training programme on {sector} for staff from {city}",
]
NOTES = [
    "The parties reported the work under way.",
    "Progress was discussed at the intergovernmental commission.",
    "Funding has been allocated; procurement has started.",
    "The timetable slipped; a new date is being agreed.",
    "Officials confirmed the result in a joint statement.",
    "Work is paused pending approval by both governments.",
]


@dataclass(frozen=True)
class Scale:
    """Record counts in the proportions of a real relationship, from the number of commitments."""

    commitments: int

    @property
    def documents(self) -> int:
        return max(1, round(self.commitments / 5))

    @property
    def visits(self) -> int:
        return max(1, round(self.commitments / 20))

    @property
    def organizations(self) -> int:
        return min(400, max(20, self.commitments // 250))

    @property
    def people(self) -> int:
        return max(10, self.organizations // 2)

    @property
    def sources(self) -> int:
        return max(5, self.commitments // 100)


def weighted(rng: random.Random, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


def random_date(rng: random.Random, start=FIRST_DAY, end=LAST_DAY) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def random_precision(rng: random.Random) -> str:
    return weighted(rng, [(DatePrecision.DAY, 80), (DatePrecision.MONTH, 14), (DatePrecision.YEAR, 6)])


class SlugAllocator:
    """The models' slugs (slugs.py) without a query per row: the taken ones are kept in memory."""

    def __init__(self, model):
        self.taken = set(model._default_manager.values_list("slug", flat=True))

    def __call__(self, text: str) -> str:
        slug = slugs.unique_slug(text, self.taken.__contains__)
        self.taken.add(slug)
        return slug


class DatedIndex:
    """(date, id) pairs sorted by date, to pick a record that happened in a window."""

    def __init__(self, pairs: list[tuple[datetime.date, int]]):
        self.pairs = sorted(pairs)
        self.dates = [date for date, _ in self.pairs]

    def pick_between(self, rng: random.Random, start: datetime.date, end: datetime.date) -> int | None:
        low, high = bisect.bisect_left(self.dates, start), bisect.bisect_right(self.dates, end)
        return self.pairs[rng.randrange(low, high)][1] if low < high else None


@contextlib.contextmanager
def search_indexes_rebuilt_afterwards():
    """On PostgreSQL, drop the GIN search indexes (migration 0002) for the load and
    build them again at the end: one bulk build is far cheaper than 100,000 inserts
    into a GIN index. Their definitions are read back from the catalogue, so nothing
    is duplicated here; inside the load's transaction, a failure restores them.
    (The tables are locked meanwhile: this is for demo and benchmark databases.)"""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in (Organization, Visit, Document, Commitment)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexdef LIKE %s",
            [tables, "%USING gin (search_vector)%"],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        # CREATE INDEX, like TRUNCATE, refuses while deferred foreign-key checks are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def refresh_statistics() -> None:
    """Fresh planner statistics for the tables just filled. On PostgreSQL, VACUUM too
    (when not inside a transaction): it flushes the GIN pending list, without which
    the planner skips the search index, and sets the visibility map for index-only counts."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


@dataclass
class PlannedDocument:
    document: Document
    parties: list[Organization]
    sectors: list[Sector]
    steps: list = None  # treaties.Step, inserted once the document has its key


@dataclass
class PlannedCommitment:
    commitment: Commitment
    responsible: list[int]
    sectors: list[Sector]
    made_on: datetime.date  # when it was promised: where its status updates start


def clear_tracker_data() -> None:
    """Empty every tracker table and its history, except countries, sectors and indicators (reference data)."""
    models = [
        Source,
        Organization,
        Person,
        Visit,
        Document,
        DocumentParty,
        DocumentStep,
        Commitment,
        StatusUpdate,
        Figure,
    ]
    tables = set()
    for model in models:
        tables.add(model._meta.db_table)
        tables.add(model.history.model._meta.db_table)
        tables.update(f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many)
    statements = connection.ops.sql_flush(no_style(), sorted(tables), reset_sequences=True, allow_cascade=False)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses while deferred foreign-key checks are pending in the same transaction.
        statements = ["SET CONSTRAINTS ALL IMMEDIATE", *statements, "SET CONSTRAINTS ALL DEFERRED"]
    connection.ops.execute_sql_flush(statements)
    changed_in_bulk.send(sender=None, using=connection.alias)


class DemoDataGenerator:
    def __init__(self, commitments: int, seed: int = 1, log=print):
        self.scale = Scale(commitments)
        self.rng = random.Random(seed)
        self.log = log
        self.published = {"publication_status": PublicationStatus.PUBLISHED, "published_at": timezone.now()}
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}  # time spent inserting, per table

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self.countries = {
                code: Country.objects.get_or_create(code=code, defaults={"name": name})[0]
                for code, name in COUNTRIES.items()
            }
            self.sectors = [Sector.objects.get_or_create(name=name)[0] for name in SECTORS]
            with search_indexes_rebuilt_afterwards():
                self.make_sources()
                self.make_organizations()
                self.make_people()
                self.make_visits()
                self.make_documents()
                self.make_commitments()
            # bulk_create sends no signals: count each organization's and visit's records once, here,
            # and tell whoever listens (the public caches).
            refresh_all_public_counts()
            changed_in_bulk.send(sender=None, using=connection.alias)
        refresh_statistics()
        return self.counts

    # --- helpers -------------------------------------------------------------

    def insert(self, model, objects: list, label: str | None = None) -> list:
        started = time.monotonic()
        created = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        label = str(label or model._meta.verbose_name_plural)
        self.counts[label] = self.counts.get(label, 0) + len(created)
        self.seconds[label] = self.seconds.get(label, 0) + time.monotonic() - started
        return created

    def link(self, relation, pairs: list[tuple[int, int]], label: str) -> None:
        """Bulk insert rows of a many-to-many table from (owner id, target id) pairs."""
        owner_column, target_column = relation.field.m2m_column_name(), relation.field.m2m_reverse_name()
        rows = [relation.through(**{owner_column: owner, target_column: target}) for owner, target in pairs]
        self.insert(relation.through, rows, label)

    def some_sectors(self) -> list[Sector]:
        """One sector, sometimes two."""
        return self.rng.sample(self.sectors, 1 if self.rng.random() < 0.75 else 2)

    def sources_link(self, ids: list[int]) -> list[tuple[int, int]]:
        return [(owner, self.rng.choice(self.source_ids)) for owner in ids]

    # --- records -------------------------------------------------------------

    def make_sources(self):
        sources = []
        for number in range(1, self.scale.sources + 1):
            publisher = self.rng.choice(PUBLISHERS)
            sources.append(
                Source(
                    publisher=publisher,
                    title=f"Kazakhstan and Serbia: {self.rng.choice(SECTORS).lower()} news, item {number}",
                    published_on=random_date(self.rng),
                    url=f"https://news.example.org/{slugify(publisher)}/{number}" if self.rng.random() < 0.6 else "",
                )
            )
        self.source_ids = [source.pk for source in self.insert(Source, sources)]

    def organization_names(self, code: str) -> list[tuple[str, str]]:
        country = COUNTRIES[code]
        other = COUNTRIES["RS" if code == "KZ" else "KZ"]
        names = [(f"Embassy of {country} in {other}", OrganizationKind.EMBASSY)]
        for sector in SECTORS:
            names.append((f"Ministry of {sector} of {country}", OrganizationKind.MINISTRY))
            for city in CITIES[code]:
                suffix = "JSC" if code == "KZ" else "d.o.o."
                names.append((f"{city} {sector} {suffix}", OrganizationKind.COMPANY))
                names.append((f"{city} Institute of {sector}", OrganizationKind.INSTITUTE))
                names.append((f"{city} {sector} Agency", OrganizationKind.AGENCY))
        for city in CITIES[code]:
            names.append((f"University of {city}", OrganizationKind.UNIVERSITY))
            names.append((f"{city} Public Library", OrganizationKind.LIBRARY))
            names.append((f"Regional government of {city}", OrganizationKind.REGIONAL_GOVERNMENT))
        return names

    def make_organizations(self):
        existing = set(Organization.objects.values_list("name", "country__code"))
        slug = SlugAllocator(Organization)
        total = self.scale.organizations
        bilateral = max(1, total // 20)
        per_country = {"KZ": (total - bilateral + 1) // 2, "RS": (total - bilateral) // 2}
        organizations = []
        for code in COUNTRIES:
            candidates = [(name, kind) for name, kind in self.organization_names(code) if (name, code) not in existing]
            for name, kind in self.rng.sample(candidates, min(per_country[code], len(candidates))):
                organizations.append(
                    Organization(name=name, slug=slug(name), kind=kind, country=self.countries[code], **self.published)
                )
        for number in range(1, bilateral + 1):
            name = f"Kazakhstan–Serbia working group on {self.rng.choice(SECTORS).lower()} no. {number}"
            organizations.append(
                Organization(name=name, slug=slug(name), kind=OrganizationKind.BILATERAL_BODY, **self.published)
            )
        created = self.insert(Organization, organizations)
        self.link(
            Organization.sectors,
            [(org.pk, sector.pk) for org in created for sector in self.some_sectors()],
            "organization sectors",
        )
        self.organizations_by_country = {
            code: [org for org in created if org.country_id == country.pk] for code, country in self.countries.items()
        }
        self.bilateral_bodies = [org for org in created if org.country_id is None]

    def make_people(self):
        slug = SlugAllocator(Person)
        people = []
        for _ in range(self.scale.people):
            code = self.rng.choice(list(COUNTRIES))
            name = f"{self.rng.choice(FIRST_NAMES[code])} {self.rng.choice(LAST_NAMES[code])}"
            organization = self.rng.choice(self.organizations_by_country[code])
            people.append(
                Person(
                    name=name,
                    slug=slug(name),
                    position=f"{self.rng.choice(POSITIONS)}, {organization.name}",
                    country=self.countries[code],
                    organization=organization,
                    **self.published,
                )
            )
        created = self.insert(Person, people)
        self.people_by_organization: dict[int, list[int]] = {}
        for person in created:
            self.people_by_organization.setdefault(person.organization_id, []).append(person.pk)
        self.person_ids = [person.pk for person in created]

    def make_visits(self):
        slug = SlugAllocator(Visit)
        visits = []
        for _ in range(self.scale.visits):
            kind = weighted(self.rng, VISIT_KINDS)
            code = self.rng.choice(list(COUNTRIES))
            city = self.rng.choice(CITIES[code])
            precision = random_precision(self.rng)
            start = normalize(random_date(self.rng), precision)
            end = None
            if precision == DatePrecision.DAY and self.rng.random() < 0.3:
                end = start + datetime.timedelta(days=self.rng.randint(1, 3))
            sector = self.rng.choice(SECTORS).lower()
            title = f"{kind.label.capitalize()} on {sector} in {city}, {start.year}"
            visits.append(
                Visit(
                    title=title,
                    slug=slug(title),
                    kind=kind,
                    start_date=start,
                    start_precision=precision,
                    end_date=end,
                    place="by phone" if kind == VisitKind.PHONE_CALL else city,
                    host_country=self.countries[code],
                    summary=f"Talks in {city} on {sector} and on the follow-up of earlier agreements.",
                    **self.published,
                )
            )
        self.visits = self.insert(Visit, visits)
        ids = [visit.pk for visit in self.visits]
        all_organizations = [org.pk for orgs in self.organizations_by_country.values() for org in orgs]
        self.link(
            Visit.participants,
            [(v, p) for v in ids for p in self.rng.sample(self.person_ids, self.rng.randint(1, 2))],
            "visit participants",
        )
        self.link(
            Visit.organizations,
            [(v, o) for v in ids for o in self.rng.sample(all_organizations, self.rng.randint(1, 3))],
            "visit organizations",
        )
        self.link(Visit.sectors, [(v, s.pk) for v in ids for s in self.some_sectors()], "visit sectors")
        self.link(Visit.sources, self.sources_link(ids), "visit sources")
        self.visit_index = DatedIndex([(visit.start_date, visit.pk) for visit in self.visits])

    def document(self, slug) -> PlannedDocument:
        status = weighted(self.rng, DOCUMENT_STATUSES)
        kind = weighted(self.rng, DOCUMENT_KINDS)
        sectors = self.some_sectors()
        topic = sectors[0].name.lower()
        kz = self.rng.choice(self.organizations_by_country["KZ"])
        rs = self.rng.choice(self.organizations_by_country["RS"])
        title = f"{kind.label.capitalize()} on {topic} between {kz.name} and {rs.name}"
        document = Document(
            title=title,
            short_title=f"{kind.label.capitalize()}: {topic}",
            slug=slug(title),
            kind=kind,
            level=weighted(self.rng, DOCUMENT_LEVELS),
            status=status,
            summary=f"{kz.name} and {rs.name} agree to cooperate on {topic}.",
            **self.published,
        )
        if status not in (DocumentStatus.PLANNED, DocumentStatus.UNDER_NEGOTIATION):
            if self.rng.random() < 0.7:
                visit = self.rng.choice(self.visits)
                document.signed_at = visit
                document.signed_on, document.signed_precision = visit.start_date, visit.start_precision
                document.place_signed = visit.place
            else:
                document.signed_precision = random_precision(self.rng)
                document.signed_on = normalize(random_date(self.rng), document.signed_precision)
        else:
            document.stage_before_signature = status
        steps = self.treaty_history(document, status)
        # The stored treaty state, derived as Document.save would (bulk_create skips save()).
        document.apply_treaty_state(derive_for(document, steps, timezone.localdate()))
        parties = [kz, rs]
        if self.bilateral_bodies and self.rng.random() < 0.15:
            parties.append(self.rng.choice(self.bilateral_bodies))
        return PlannedDocument(document, parties, sectors, steps)

    def treaty_history(self, document: Document, status: str) -> list[treaties.Step]:
        """Rules and steps that lead to `status` (the state is then derived from them, not typed):
        procedures and notifications of both sides, a duration for the expired, a denunciation for
        the terminated; a signed one has the procedures of one side at most."""
        if document.signed_on is None:
            return []
        rng, steps = self.rng, []
        if status == DocumentStatus.SIGNED and rng.random() < 0.5:
            return []  # as the seed: nothing reported after the signature
        document.subject_to_procedures = treaties.YesNoUnknown.YES
        document.entry_into_force_rule = treaties.EntryIntoForceRule.DAYS_AFTER_LAST_NOTIFICATION
        document.entry_into_force_delay = 30
        day = document.signed_on
        sides = ["KZ", "RS"] if status != DocumentStatus.SIGNED else rng.choice([[], ["KZ"], ["RS"]])
        for side in sides:
            day += datetime.timedelta(days=rng.randint(10, 90))
            steps.append(treaties.Step(side, treaties.StepKind.INTERNAL_PROCEDURE, day))
            steps.append(treaties.Step(side, treaties.StepKind.NOTIFICATION_SENT, day + datetime.timedelta(days=5)))
        if status == DocumentStatus.EXPIRED:
            document.duration_months = rng.choice([12, 24, 36])
        elif status == DocumentStatus.TERMINATED:
            document.notice_months = 6
            # Given notice soon after entering into force; it takes effect six months later.
            notice = day + datetime.timedelta(days=40)
            steps.append(treaties.Step(rng.choice(["KZ", "RS"]), treaties.StepKind.DENUNCIATION, notice))

        return steps

    def make_documents(self):
        slug = SlugAllocator(Document)
        planned = [self.document(slug) for _ in range(self.scale.documents)]
        # A tenth build on (update or replace) an earlier document: inserted second, pointing at the first lot.
        second_lot = planned[len(planned) - len(planned) // 10 :]
        first_lot = planned[: len(planned) - len(second_lot)]
        self.insert(Document, [plan.document for plan in first_lot])
        earlier = [plan.document for plan in first_lot if plan.document.signed_on]
        for plan in second_lot:
            candidate = self.rng.choice(earlier) if earlier else None
            if candidate and plan.document.signed_on and candidate.signed_on < plan.document.signed_on:
                plan.document.builds_on = candidate
        self.insert(Document, [plan.document for plan in second_lot])
        parties = []
        for plan in planned:
            for organization in plan.parties:
                signatories = self.people_by_organization.get(organization.pk)
                parties.append(
                    DocumentParty(
                        document=plan.document,
                        organization=organization,
                        side_id=organization.country_id,
                        signatory_id=self.rng.choice(signatories) if signatories and self.rng.random() < 0.6 else None,
                    )
                )
        self.insert(DocumentParty, parties)
        self.insert(
            DocumentStep,
            [
                DocumentStep(
                    document=plan.document,
                    side=self.countries[step.side],
                    kind=step.kind,
                    act_on=step.act_on,
                    effective_on=step.effective_on,
                )
                for plan in planned
                for step in plan.steps or []
            ],
        )
        self.link(
            Document.sectors,
            [(plan.document.pk, sector.pk) for plan in planned for sector in plan.sectors],
            "document sectors",
        )
        self.link(Document.sources, self.sources_link([plan.document.pk for plan in planned]), "document sources")
        self.documents = planned
        self.document_index = DatedIndex(
            [(p.document.signed_on, p.document.pk) for p in planned if p.document.signed_on]
        )

    def commitment(self, slug) -> PlannedCommitment:
        commitment = Commitment(**self.published)
        if self.rng.random() < 0.85:
            origin = self.rng.choice(self.documents)
            commitment.origin_document = origin.document
            if origin.document.signed_at_id and self.rng.random() < 0.5:
                commitment.origin_visit_id = origin.document.signed_at_id
            candidates, sectors = [org.pk for org in origin.parties], origin.sectors
            made_on = origin.document.signed_on or random_date(self.rng)
        else:
            visit = self.rng.choice(self.visits)
            commitment.origin_visit = visit
            candidates = [org.pk for org in self.rng.sample(self.all_organizations, 2)]
            sectors = self.some_sectors()
            made_on = visit.start_date
        responsible = self.rng.sample(candidates, self.rng.choice([1, 1, 2]))
        city = self.rng.choice(CITIES[self.rng.choice(list(COUNTRIES))])
        commitment.title = self.rng.choice(COMMITMENT_TEMPLATES).format(sector=sectors[0].name.lower(), city=city)
        commitment.slug = slug(commitment.title)
        commitment.description = f"{commitment.title}, as agreed by the parties. Reported by the responsible bodies."
        if self.rng.random() < 0.8:
            commitment.due_precision = weighted(
                self.rng, [(DatePrecision.DAY, 60), (DatePrecision.MONTH, 25), (DatePrecision.YEAR, 15)]
            )
            commitment.due_on = normalize(
                made_on + datetime.timedelta(days=self.rng.randint(90, 1500)), commitment.due_precision
            )
            commitment.deadline = period_end(commitment.due_on, commitment.due_precision)
        return PlannedCommitment(commitment, responsible, sectors, made_on)

    def status_updates(self, plan: PlannedCommitment) -> list[StatusUpdate]:
        """1–4 updates, dated in order, with non-decreasing progress, the last one in a drawn final state."""
        final = weighted(self.rng, FINAL_STATUSES)
        count = 1 if final == CommitmentStatus.NOT_STARTED else weighted(self.rng, [(1, 30), (2, 30), (3, 25), (4, 15)])
        dates, day = [], plan.made_on
        for _ in range(count):
            day += datetime.timedelta(days=self.rng.randint(30, 400))
            if day > LAST_DAY:
                break
            dates.append(day)
        dates = dates or [LAST_DAY]
        low, high = FINAL_PROGRESS[final]
        final_progress = self.rng.randint(low, high)
        updates, progress = [], 0
        for number, reported_on in enumerate(dates, start=1):
            if number == len(dates):
                status, progress = (
                    final,
                    (0 if final == CommitmentStatus.NOT_STARTED else max(progress, final_progress)),
                )
            else:
                status = CommitmentStatus.DELAYED if self.rng.random() < 0.2 else CommitmentStatus.IN_PROGRESS
                progress = max(progress, min(95, round(final_progress * number / len(dates))))
            update = StatusUpdate(
                commitment=plan.commitment,
                reported_on=reported_on,
                status=status,
                progress=progress,
                note=self.rng.choice(NOTES),
                **self.published,
            )
            if status == CommitmentStatus.COMPLETED and self.rng.random() < 0.4:
                # A later visit or document that carried the commitment out.
                if self.rng.random() < 0.5:
                    update.evidence_visit_id = self.visit_index.pick_between(self.rng, plan.made_on, reported_on)
                else:
                    update.evidence_document_id = self.document_index.pick_between(self.rng, plan.made_on, reported_on)
            # Reported (the default basis): a source says so (StatusUpdate.clean), unless the later
            # visit or document carries it; a quarter of those name the source as well.
            carried_out = update.evidence_visit_id or update.evidence_document_id
            if not carried_out or self.rng.random() < 0.25:
                update.evidence_source_id = self.rng.choice(self.source_ids)
            updates.append(update)
        return updates

    def make_commitments(self):
        slug = SlugAllocator(Commitment)
        self.all_organizations = [org for orgs in self.organizations_by_country.values() for org in orgs]
        chunk = CHUNK_SIZE
        for start in range(0, self.scale.commitments, chunk):
            planned = [self.commitment(slug) for _ in range(start, min(start + chunk, self.scale.commitments))]
            updates = [self.status_updates(plan) for plan in planned]
            for plan, history in zip(planned, updates, strict=True):
                copy_latest_update(plan.commitment, history[-1])
            self.insert(Commitment, [plan.commitment for plan in planned])
            self.link(
                Commitment.responsible_organizations,
                [(plan.commitment.pk, org) for plan in planned for org in plan.responsible],
                "commitment responsible organizations",
            )
            self.link(
                Commitment.sectors,
                [(plan.commitment.pk, sector.pk) for plan in planned for sector in plan.sectors],
                "commitment sectors",
            )
            for plan, history in zip(planned, updates, strict=True):
                for update in history:
                    update.commitment = plan.commitment  # now that it has a primary key
            self.insert(StatusUpdate, [update for history in updates for update in history])
            self.log(f"  {start + len(planned):,} commitments")
