"""The public log of corrections: every change made to a published record after its publication,
read from the records' history (django-simple-history), newest first.

A correction is a history row of a change ("~") to a record that was published before and after
it, of a record that is published now (a record taken back to draft takes its corrections with it:
drafts never reach the public). It shows the editor's reason (`history_change_reason`, which the
admin asks for: staff/locking.py ReasonedForm), the date and each field that changed, before and
after. Bookkeeping and derived columns (the version, the timestamps, a commitment's state copied
from its updates, a document's derived treaty state, stored counts) are not corrections.

One query per kind of record, however many corrections: the row before each one is read beside it
by a window function (LAG over the record's history rows), not by a query per row.
"""

import dataclasses
import datetime

from django.db import models
from django.db.models import F, Window
from django.db.models.functions import FirstValue, Lag
from django.utils.translation import gettext_lazy as _

from cooperation.tracker.models import (
    COUNT_FIELDS,
    DERIVED_TREATY_FIELDS,
    Commitment,
    Document,
    Organization,
    Person,
    PublicationStatus,
    StatusUpdate,
    Visit,
)

PUBLISHED = PublicationStatus.PUBLISHED
# The kinds of record whose corrections are listed, in the order a tie on the date is broken.
CORRECTED_MODELS = (Commitment, StatusUpdate, Document, Visit, Organization, Person)
NOT_CORRECTIONS = {
    "id",
    "slug",
    "publication_status",
    "published_at",
    "created_at",
    "updated_at",
    "version",
    "search_name",
    "search_vector",
    "entered_by",
    # Derived (Commitment: from its updates; Document: from its steps and rules).
    "status",
    "progress",
    "basis",
    "last_reviewed_on",
    "deadline",
    *COUNT_FIELDS,
}
DERIVED_BY_MODEL = {Document: set(DERIVED_TREATY_FIELDS) - {"status"}}
# A commitment's and a status update's own `status`/`progress`: the update's are typed, not derived.
TYPED_ON = {StatusUpdate: {"status", "progress", "basis"}}
LIMIT = 100


@dataclasses.dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclasses.dataclass
class Correction:
    kind: str
    record: str
    url: str
    date: datetime.datetime
    reason: str
    changes: list[FieldChange]
    history_id: int
    model_name: str

    @property
    def anchor(self) -> str:
        return f"{self.model_name}-{self.history_id}"


def corrected_fields(model) -> list[models.Field]:
    """The fields of `model` whose change is a correction."""
    skipped = (NOT_CORRECTIONS | DERIVED_BY_MODEL.get(model, set())) - TYPED_ON.get(model, set())
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in skipped and not isinstance(field, models.AutoField)
    ]


def shown(field: models.Field, value) -> str:
    """A value as the log shows it: a choice by its label, a date as ISO, a link as "(changed)"."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def record_label(model, row) -> str:
    """The record's name, from its history row."""
    if model is StatusUpdate:
        return str(_("status update of %(date)s") % {"date": row.reported_on.isoformat()})
    for name in ("title", "name"):
        if hasattr(row, name):
            return getattr(row, name)
    return str(row.id)


def record_url(model, row, commitment_slugs) -> str:
    if model is StatusUpdate:
        slug = commitment_slugs.get(row.commitment_id)
        return Commitment(slug=slug).get_absolute_url() if slug else ""
    return model(slug=row.slug).get_absolute_url()


def corrections_of(model, limit: int) -> list:
    """The latest `limit` corrections of `model`'s published records (history rows, each with its
    previous values as `before_<field>`)."""
    history = model.history.model
    fields = corrected_fields(model)
    window = {"partition_by": [F("id")], "order_by": [F("history_date").asc(), F("history_id").asc()]}
    before = {f"before_{field.attname}": Window(Lag(field.attname), **window) for field in fields}
    published = model.objects.published().values("pk")
    rows = history.objects.filter(id__in=published).annotate(
        before_publication=Window(Lag("publication_status"), **window),
        # The row's own type and state, as window values so that filtering on them happens after
        # LAG has seen every row of the record (a plain filter would run before it).
        own_type=Window(FirstValue("history_type"), partition_by=[F("history_id")]),
        own_publication=Window(FirstValue("publication_status"), partition_by=[F("history_id")]),
        **before,
    )
    rows = rows.filter(own_type="~", own_publication=PUBLISHED, before_publication=PUBLISHED)
    return list(rows.order_by("-history_date", "-history_id")[:limit])


def field_changes(model, row) -> list[FieldChange]:
    changes = []
    for field in corrected_fields(model):
        old, new = getattr(row, f"before_{field.attname}"), getattr(row, field.attname)
        if old == new:
            continue
        if field.is_relation:
            changes.append(FieldChange(str(field.verbose_name), str(_("(another record)")), str(_("(changed)"))))
        else:
            changes.append(FieldChange(str(field.verbose_name), shown(field, old), shown(field, new)))
    return changes


def latest_corrections(limit: int = LIMIT) -> list[Correction]:
    """The latest `limit` corrections of every kind, newest first (one query per kind, and one for
    the pages of the corrected status updates' commitments)."""
    found = [(model, row) for model in CORRECTED_MODELS for row in corrections_of(model, limit)]
    found.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id), reverse=True)
    found = found[:limit]
    commitment_ids = {row.commitment_id for model, row in found if model is StatusUpdate}
    slugs = (
        dict(Commitment.objects.published().filter(pk__in=commitment_ids).values_list("pk", "slug"))
        if commitment_ids
        else {}
    )
    corrections = []
    for model, row in found:
        changes = field_changes(model, row)
        if not changes:
            continue  # only bookkeeping or derived columns changed
        corrections.append(
            Correction(
                kind=str(model._meta.verbose_name),
                record=record_label(model, row),
                url=record_url(model, row, slugs),
                date=row.history_date,
                reason=row.history_change_reason or "",
                changes=changes,
                history_id=row.history_id,
                model_name=model._meta.model_name,
            )
        )
    return corrections
