"""A document's steps after signature, one row per side per act (signature, internal procedures,
notifications, provisional application, entry into force, suspension, denunciation, amendment),
and the glue that derives the document's treaty state from them (the rules are in
tracker/treaties.py, a pure function). A step has no publication state of its own: it is public
exactly when its document is (staff/publishing.py treats it as the document's, like a party).
"""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import treaties
from ..treaties import SIDES, ProcedureKind, StepKind
from .core import AWAITING_FIELDS, Country, Document, PublicationStatus, Source, optional_link

__all__ = ["DocumentStep", "ProcedureKind", "StepKind", "derive_for", "side_state"]

NOTIFICATION_KINDS = (StepKind.NOTIFICATION_SENT, StepKind.NOTIFICATION_RECEIVED)


class DocumentStepQuerySet(models.QuerySet):
    def of_published_documents(self):
        return self.filter(document__publication_status=PublicationStatus.PUBLISHED)

    def steps_by_document(self, document_ids) -> dict[int, list[treaties.Step]]:
        """{document id: its steps as treaties.Step}, in one query."""
        grouped = defaultdict(list)
        rows = self.filter(document__in=document_ids).values_list(
            "document_id", "side__code", "kind", "act_on", "effective_on"
        )
        for document_id, side, kind, act_on, effective_on in rows:
            grouped[document_id].append(treaties.Step(side, kind, act_on, effective_on))
        return grouped


class DocumentStep(models.Model):
    """One side's act on a document, with the date of the act and the date it takes effect."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="steps", verbose_name=_("document"))
    side = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="document_steps", verbose_name=_("side"))
    kind = models.CharField(_("step"), max_length=30, choices=StepKind, db_index=True)
    act_on = models.DateField(_("date of the act"), null=True, blank=True)
    effective_on = models.DateField(
        _("takes effect on"), null=True, blank=True, help_text=_("If different from the date of the act.")
    )
    procedure_kind = models.CharField(_("kind of internal procedure"), max_length=30, choices=ProcedureKind, blank=True)
    act_number = models.CharField(
        _("act number"), max_length=100, blank=True, help_text=_("The law's, decree's or decision's number.")
    )
    gazette_reference = models.CharField(
        _("official gazette"), max_length=200, blank=True, help_text=_("Where the act was published.")
    )
    note_number = models.CharField(_("diplomatic note number"), max_length=100, blank=True)
    amending_document = optional_link(Document, "amendments", _("amending document"))
    source = optional_link(Source, "document_steps", _("source"))
    note = models.TextField(_("note"), blank=True)

    objects = DocumentStepQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "side__name", models.F("act_on").asc(nulls_last=True), "id"]
        verbose_name = _("step after signature")
        verbose_name_plural = _("steps after signature")
        constraints = [
            models.CheckConstraint(
                condition=Q(act_on__isnull=False) | Q(effective_on__isnull=False),
                name="document_step_has_date",
                violation_error_message=_("A step needs the date of the act or the date it takes effect."),
            ),
            models.CheckConstraint(
                condition=Q(act_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(effective_on__gte=models.F("act_on")),
                name="document_step_effect_not_before_act",
                violation_error_message=_("A step cannot take effect before the date of its act."),
            ),
            models.CheckConstraint(
                condition=Q(procedure_kind="") | Q(kind="internal_procedure"),
                name="document_step_procedure_kind_for_procedures",
                violation_error_message=_("Only an internal procedure has a kind of procedure."),
            ),
            models.CheckConstraint(
                condition=Q(note_number="") | Q(kind__in=["notification_sent", "notification_received"]),
                name="document_step_note_number_for_notifications",
                violation_error_message=_("Only a notification has a diplomatic note number."),
            ),
            models.CheckConstraint(
                condition=Q(kind="amendment", amending_document__isnull=False)
                | (~Q(kind="amendment") & Q(amending_document__isnull=True)),
                name="document_step_amendment_names_document",
                violation_error_message=_("An amendment names the amending document, and only an amendment does."),
            ),
            models.CheckConstraint(
                condition=~Q(amending_document=models.F("document")),
                name="document_step_not_amended_by_itself",
                violation_error_message=_("A document cannot amend itself."),
            ),
        ]
        indexes = [models.Index(fields=["document", "side", "act_on"], name="document_step_timeline_idx")]

    def __str__(self):
        day = self.act_on or self.effective_on
        return f"{self.document} — {self.side}: {self.get_kind_display()} ({day:%d %b %Y})" if day else str(self.kind)

    # Every change to a step re-derives its document's state (and the former document's, if moved).

    def save(self, *args, **kwargs):
        previous = None
        if self.pk:
            previous = type(self)._default_manager.filter(pk=self.pk).values_list("document_id", flat=True).first()
        using = kwargs.get("using") or self._state.db or "default"
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)
            Document.objects.using(using).filter(pk__in={self.document_id, previous} - {None}).refresh_treaty_state()

    def get_absolute_url(self):
        return self.document.get_absolute_url()

    def delete(self, *args, **kwargs):
        document_id, using = self.document_id, self._state.db or "default"
        with transaction.atomic(using=using, savepoint=False):
            result = super().delete(*args, **kwargs)
            Document.objects.using(using).filter(pk=document_id).refresh_treaty_state()
        return result

    def clean(self):
        errors = {}
        if self.side_id and self.side.code not in SIDES:
            errors["side"] = _("A step is taken by Kazakhstan (KZ) or Serbia (RS).")
        if self.document_id and not self.document.signed_on and self.kind != StepKind.SIGNATURE:
            errors.setdefault(
                "kind", _("Record the document's signing date first: every other step comes after the signature.")
            )
        signed_on = self.document.signed_on if self.document_id else None
        first_day = self.act_on or self.effective_on
        if signed_on and first_day and self.kind != StepKind.SIGNATURE and first_day < signed_on:
            errors["act_on"] = _("This step is dated before the document was signed (%(date)s).") % {
                "date": signed_on.isoformat()
            }
        if errors:
            raise ValidationError(errors)

    @property
    def legal_reference(self) -> str:
        """'ratification, law No. 12-VIII, Official Gazette 5/2025, note No. 1234' as far as given."""
        parts = [self.get_procedure_kind_display() if self.procedure_kind else ""]
        if self.act_number:
            parts.append(_("No. %(number)s") % {"number": self.act_number})
        if self.gazette_reference:
            parts.append(self.gazette_reference)
        if self.note_number:
            parts.append(_("note No. %(number)s") % {"number": self.note_number})
        return ", ".join(str(part) for part in parts if part)


def rules_of(document: Document) -> treaties.Rules:
    return treaties.Rules(
        signed_on=document.signed_on,
        stage_before_signature=document.stage_before_signature,
        subject_to_procedures=document.subject_to_procedures,
        entry_into_force_rule=document.entry_into_force_rule,
        entry_into_force_delay=document.entry_into_force_delay,
        entry_into_force_fixed_on=document.entry_into_force_fixed_on,
        duration_months=document.duration_months,
        automatic_renewal=document.automatic_renewal,
        renewal_months=document.renewal_months,
        notice_months=document.notice_months,
    )


def derive_for(document: Document, steps: list[treaties.Step], today: datetime.date) -> treaties.TreatyState:
    return treaties.derive(rules_of(document), steps, today)


def side_state(document: Document, side: str) -> str:
    """One side's state on a document, from the stored columns (lists and exports read no steps)."""
    if document.status in treaties.BEFORE_SIGNATURE:
        return str(_("not signed"))
    if getattr(document, AWAITING_FIELDS[side]):
        return str(_("awaiting its internal procedures"))
    if document.status in (treaties.TreatyStatus.IN_FORCE, treaties.TreatyStatus.SUSPENDED):
        return str(_("in force"))
    if document.subject_to_procedures == treaties.YesNoUnknown.NO:
        return str(_("no internal procedures needed"))
    if document.subject_to_procedures == treaties.YesNoUnknown.YES:
        return str(_("internal procedures completed"))
    return str(_("internal procedures: not reported"))
