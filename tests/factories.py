"""Small builders for test data. Every builder fills what the model requires and
accepts overrides; records are published unless told otherwise."""

import datetime
import itertools

from cooperation.tracker.models import (
    Commitment,
    CommitmentStatus,
    Country,
    Document,
    DocumentKind,
    DocumentLevel,
    DocumentParty,
    Organization,
    OrganizationKind,
    Person,
    PublicationStatus,
    Sector,
    Source,
    StatusUpdate,
    Visit,
    VisitKind,
)

_counter = itertools.count(1)
PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT


def country(code="KZ", name=None):
    names = {"KZ": "Kazakhstan", "RS": "Serbia"}
    obj, _ = Country.objects.get_or_create(code=code, defaults={"name": name or names.get(code, code)})
    return obj


def sector(name=None):
    obj, _ = Sector.objects.get_or_create(name=name or f"Sector {next(_counter)}")
    return obj


def source(**kw):
    kw.setdefault("publisher", "Test Agency")
    kw.setdefault("title", f"Report {next(_counter)}")
    kw.setdefault("published_on", datetime.date(2024, 11, 20))
    return Source.objects.create(**kw)


def organization(**kw):
    kw.setdefault("name", f"Organization {next(_counter)}")
    kw.setdefault("kind", OrganizationKind.MINISTRY)
    if "country" not in kw:
        kw["country"] = country("KZ")
    kw.setdefault("publication_status", PUBLISHED)
    return Organization.objects.create(**kw)


def person(**kw):
    kw.setdefault("name", f"Person {next(_counter)}")
    if "country" not in kw:
        kw["country"] = country("KZ")
    kw.setdefault("publication_status", PUBLISHED)
    return Person.objects.create(**kw)


def visit(**kw):
    kw.setdefault("title", f"Visit {next(_counter)}")
    kw.setdefault("kind", VisitKind.OFFICIAL_VISIT)
    kw.setdefault("start_date", datetime.date(2024, 11, 19))
    kw.setdefault("publication_status", PUBLISHED)
    return Visit.objects.create(**kw)


def document(parties=(), **kw):
    """`parties` is an iterable of organizations; each signs for its own country."""
    kw.setdefault("title", f"Memorandum {next(_counter)}")
    kw.setdefault("kind", DocumentKind.MEMORANDUM_OF_UNDERSTANDING)
    kw.setdefault("level", DocumentLevel.INTERDEPARTMENTAL)
    kw.setdefault("signed_on", datetime.date(2024, 11, 19))
    kw.setdefault("publication_status", PUBLISHED)
    doc = Document.objects.create(**kw)
    for org in parties:
        DocumentParty.objects.create(document=doc, organization=org)
    return doc


def commitment(responsible=(), sectors=(), **kw):
    kw.setdefault("title", f"Commitment {next(_counter)}")
    if "origin_visit" not in kw and "origin_document" not in kw:
        kw["origin_visit"] = visit()
    kw.setdefault("publication_status", PUBLISHED)
    obj = Commitment.objects.create(**kw)
    obj.responsible_organizations.set(responsible)
    obj.sectors.set(sectors)
    return obj


def status_update(commitment, status=CommitmentStatus.IN_PROGRESS, progress=None, **kw):
    kw.setdefault("reported_on", datetime.date(2025, 1, 15))
    kw.setdefault("publication_status", PUBLISHED)
    if progress is None:
        progress = 100 if status == CommitmentStatus.COMPLETED else 50
    update = StatusUpdate.objects.create(commitment=commitment, status=status, progress=progress, **kw)
    commitment.refresh_from_db()
    return update
