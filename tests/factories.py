"""Small builders for test data. Every builder fills what the model requires and
accepts overrides, many-to-many links included; records are published unless told otherwise."""

import datetime
import itertools
from decimal import Decimal

from cooperation.tracker.models import (
    Basis,
    Commitment,
    CommitmentStatus,
    Country,
    Document,
    DocumentKind,
    DocumentLevel,
    DocumentParty,
    Figure,
    FigureUnit,
    Indicator,
    IndicatorKind,
    Organization,
    OrganizationKind,
    PeriodKind,
    Person,
    PublicationStatus,
    Scale,
    Sector,
    Source,
    StatusUpdate,
    Visit,
    VisitKind,
)

_counter = itertools.count(1)
PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT


def _create(model, overrides: dict, **defaults):
    """A `model` record from `overrides`, filling in each of `defaults` not given (a function is
    called only then: a default country is not created for a record given another). Many-to-many
    fields (sectors=[…], participants=[…]) are set once the record exists."""
    for name, default in defaults.items():
        if name not in overrides:
            overrides[name] = default() if callable(default) else default
    many = {field.name for field in model._meta.many_to_many if field.remote_field.through._meta.auto_created}
    links = {name: overrides.pop(name) for name in many & set(overrides)}
    record = model.objects.create(**overrides)
    for name, records in links.items():
        getattr(record, name).set(records)
    return record


def _kazakhstan():
    return country("KZ")


def country(code="KZ", name=None):
    names = {"KZ": "Kazakhstan", "RS": "Serbia"}
    obj, _ = Country.objects.get_or_create(code=code, defaults={"name": name or names.get(code, code)})
    return obj


def sector(name=None):
    obj, _ = Sector.objects.get_or_create(name=name or f"Sector {next(_counter)}")
    return obj


def source(**kw):
    return _create(
        Source, kw, publisher="Test Agency", title=f"Report {next(_counter)}", published_on=datetime.date(2024, 11, 20)
    )


def organization(**kw):
    name = f"Organization {next(_counter)}"
    return _create(
        Organization, kw, name=name, kind=OrganizationKind.MINISTRY, country=_kazakhstan, publication_status=PUBLISHED
    )


def person(**kw):
    return _create(Person, kw, name=f"Person {next(_counter)}", country=_kazakhstan, publication_status=PUBLISHED)


def visit(**kw):
    title, day = f"Visit {next(_counter)}", datetime.date(2024, 11, 19)
    return _create(Visit, kw, title=title, kind=VisitKind.OFFICIAL_VISIT, start_date=day, publication_status=PUBLISHED)


def document(parties=(), **kw):
    """`parties` is an iterable of organizations; each signs for its own country."""
    doc = _create(
        Document,
        kw,
        title=f"Memorandum {next(_counter)}",
        kind=DocumentKind.MEMORANDUM_OF_UNDERSTANDING,
        level=DocumentLevel.INTERDEPARTMENTAL,
        signed_on=datetime.date(2024, 11, 19),
        publication_status=PUBLISHED,
    )
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
    """A valid update: reported (the default basis) by a source of its own unless the test names
    its evidence (`evidence_source=None` and no visit or document: a row from before the rule)."""
    kw.setdefault("reported_on", datetime.date(2025, 1, 15))
    kw.setdefault("publication_status", PUBLISHED)
    evidence = ("evidence_source", "evidence_visit", "evidence_document")
    if kw.get("basis", Basis.REPORTED) == Basis.REPORTED and not any(name in kw for name in evidence):
        kw["evidence_source"] = source()
    if progress is None:
        progress = 100 if status == CommitmentStatus.COMPLETED else 50
    update = StatusUpdate.objects.create(commitment=commitment, status=status, progress=progress, **kw)
    commitment.refresh_from_db()
    return update


# --- Figures ---------------------------------------------------------------------------------


def indicator(**kw):
    return _create(Indicator, kw, name=f"Indicator {next(_counter)}", kind=IndicatorKind.MONEY, unit=FigureUnit.MONEY)


def figure(**kw):
    """A published figure: by default some million USD of an indicator of its own, for 2024, stated
    by its source."""
    kw.setdefault("value", Decimal("100"))
    kw.setdefault("period_kind", PeriodKind.YEAR)
    if kw["period_kind"] in (PeriodKind.YEAR, PeriodKind.PART_YEAR, PeriodKind.SINCE):
        kw.setdefault("period_year", 2024)
    return _create(
        Figure,
        kw,
        indicator=indicator,
        value_as_printed=f"${kw['value']} million",
        scale=Scale.MILLION,
        currency="USD",
        source=source,
        passage=f"Bilateral trade turnover reached ${kw['value']} million.",
        publication_status=PUBLISHED,
    )


def step(document, side="KZ", kind="internal_procedure", **kw):
    """One side's step after signature (saving it re-derives the document's treaty state)."""
    from cooperation.tracker.models import DocumentStep

    names = {"KZ": "Kazakhstan", "RS": "Serbia"}
    return DocumentStep.objects.create(document=document, side=country(side, names.get(side)), kind=kind, **kw)
