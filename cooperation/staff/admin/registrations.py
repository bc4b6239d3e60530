"""Every tracker model in the admin: its list, filters, search, form layout, inlines and, for the
records staff exchange as spreadsheets, its import/export resource. The shared behaviour is in
base.py."""

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cooperation.tracker.models import (
    Commitment,
    Country,
    Document,
    DocumentParty,
    DocumentStep,
    Figure,
    Indicator,
    Organization,
    Person,
    Responsibility,
    Sector,
    Source,
    StatusUpdate,
    Visit,
    complete_responsibilities,
    responsibility_conflicts,
    side_of_organization,
)

from ..spreadsheets import resources
from .base import (
    RECORD_FIELDSET,
    ProtectedInlineMixin,
    PublishableAdmin,
    PublishableInline,
    SpreadsheetMixin,
    TrackerAdmin,
    with_precision,
)
from .languages import LanguageTabsAdmin, LanguageTabsStackedInline

# --- Entering a visit, what was signed there and what was promised, one page after another ----


class SaveAndAddNextMixin:
    """A second save button on the change form ("Save and add a document signed here") that goes
    straight to the next record's add page with what it shares with this one filled in (the
    visit, the date, the place, the sectors, the sources, the parties as responsible
    organizations): the add page reads them from its query string, as Django's admin does.

    `add_next` = (button name, label, model name to add, function of the saved record → initial)."""

    change_form_template = "admin/tracker/change_form_add_next.html"
    add_next: tuple | None = None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if self.add_next and self.has_add_permission(request):
            context["add_next"] = {"name": self.add_next[0], "label": self.add_next[1]}
        return super().render_change_form(request, context, add, change, form_url, obj)

    def next_response(self, request, obj):
        name, _label, model_name, initial = self.add_next
        url = reverse(f"admin:tracker_{model_name}_add")
        return HttpResponseRedirect(f"{url}?{urlencode(initial(obj))}")

    def response_add(self, request, obj, post_url_continue=None):
        if self.add_next and self.add_next[0] in request.POST:
            return self.next_response(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if self.add_next and self.add_next[0] in request.POST:
            return self.next_response(request, obj)
        return super().response_change(request, obj)


def ids(related) -> str:
    """Many-to-many initial data as the admin's add page reads it: "3,7,12"."""
    return ",".join(str(pk) for pk in related.values_list("pk", flat=True))


def document_signed_at(visit) -> dict:
    return {
        "signed_at": visit.pk,
        "signed_on": visit.start_date.isoformat() if visit.start_date else "",
        "signed_precision": visit.start_precision,
        "place_signed": visit.place,
        "sectors": ids(visit.sectors),
        "sources": ids(visit.sources),
    }


def commitment_made_in(document) -> dict:
    return {
        "origin_document": document.pk,
        "origin_visit": document.signed_at_id or "",
        "responsible_organizations": ",".join(
            str(pk) for pk in document.parties.values_list("organization_id", flat=True).distinct()
        ),
        "sectors": ids(document.sectors),
        "sources": ids(document.sources),
    }


# --- Reference data ----------------------------------------------------------------


@admin.register(Country)
class CountryAdmin(LanguageTabsAdmin, TrackerAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Sector)
class SectorAdmin(LanguageTabsAdmin, TrackerAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "description")
    fields = ("name", "slug", "description")


@admin.register(Source)
class SourceAdmin(LanguageTabsAdmin, TrackerAdmin):
    list_display = ("publisher", "title", "published_on", "url")
    list_filter = ("publisher",)
    search_fields = ("publisher", "title", "quote")
    date_hierarchy = "published_on"

    def view_on_site(self, obj):
        return obj.url or None

    def get_deleted_objects(self, objs, request):
        """A source still cited by a record cannot be deleted: the citations are plain
        many-to-many links, and deleting would silently strip those records of their source."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        citing = []
        for relation in ("organizations", "people", "visits", "documents", "commitments"):
            model = Source._meta.get_field(relation).related_model
            for record in model._default_manager.filter(sources__in=objs).distinct()[:20]:
                citing.append(f"{capfirst(model._meta.verbose_name)}: {record}")
        return deleted, model_count, perms_needed, [*protected, *citing]


# --- Organizations and people ------------------------------------------------------


@admin.register(Organization)
class OrganizationAdmin(LanguageTabsAdmin, SpreadsheetMixin, PublishableAdmin):
    resource_classes = [resources.OrganizationResource]
    list_display = ("name", "short_name", "kind", "country", "parent", "publication_status")
    list_filter = ("publication_status", "kind", "country", "sectors")
    list_select_related = ("country", "parent")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("parent", "sectors", "sources")  # countries: a plain drop-down (two of them)
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "country", "parent"]}),
        (_("Details"), {"fields": ["sectors", "website", "description", "sources"]}),
        RECORD_FIELDSET,
    ]


@admin.register(Person)
class PersonAdmin(LanguageTabsAdmin, PublishableAdmin):
    list_display = ("name", "position", "country", "organization", "publication_status")
    list_filter = ("publication_status", "country")
    list_select_related = ("country", "organization")
    search_fields = ("name", "position")
    autocomplete_fields = ("organization", "sources")
    fieldsets = [
        (None, {"fields": ["name", "slug", "position", "country", "organization", "sources"]}),
        RECORD_FIELDSET,
    ]

    def view_on_site(self, obj):
        return None  # people have no public page of their own


# --- Commitments, inline on documents and visits ------------------------------------


class CommitmentInline(PublishableInline, admin.TabularInline):
    model = Commitment
    # The English title (a tab per language in the commitment's own form).
    fields = ("title_en", "due_on", "due_precision", "publication_status")
    verbose_name_plural = _("commitments made here")


class CommitmentFromDocumentInline(CommitmentInline):
    fk_name = "origin_document"


class CommitmentFromVisitInline(CommitmentInline):
    fk_name = "origin_visit"


# --- Visits ------------------------------------------------------------------------


@admin.register(Visit)
class VisitAdmin(LanguageTabsAdmin, SaveAndAddNextMixin, SpreadsheetMixin, PublishableAdmin):
    add_next = ("_add_document", _("Save and add a document signed here"), "document", document_signed_at)
    resource_classes = [resources.VisitResource]
    list_display = ("title", "kind", "date", "place", "host_country", "publication_status")
    list_filter = ("publication_status", "kind", "host_country", "start_precision", "sectors")
    list_select_related = ("host_country",)
    search_fields = ("title", "place", "summary")
    date_hierarchy = "start_date"
    autocomplete_fields = ("participants", "organizations", "sectors", "sources")
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", ("start_date", "start_precision"), "end_date", "place"]}),
        (_("Who and what"), {"fields": ["host_country", "participants", "organizations", "sectors"]}),
        (_("Summary and sources"), {"fields": ["summary", "sources"]}),
        RECORD_FIELDSET,
    ]
    inlines = [CommitmentFromVisitInline]

    date = with_precision("start_date", "date_display", _("date"))


# --- Documents ---------------------------------------------------------------------


class DocumentPartyInline(ProtectedInlineMixin, admin.TabularInline):
    model = DocumentParty
    autocomplete_fields = ("organization", "signatory")
    verbose_name_plural = _("parties (one row per signing organization)")

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 2  # a new document usually has two parties


class DocumentStepInline(ProtectedInlineMixin, LanguageTabsStackedInline):
    """Each side's steps after signature; saving one re-derives the document's treaty state."""

    model = DocumentStep
    fk_name = "document"
    extra = 0
    autocomplete_fields = ("side", "amending_document", "source")
    fields = [
        ("side", "kind"),
        ("act_on", "effective_on"),
        ("procedure_kind", "act_number", "gazette_reference"),
        ("note_number", "amending_document"),
        "source",
        "note",
    ]
    verbose_name_plural = _("steps after signature (one row per side and act)")


@admin.register(Document)
class DocumentAdmin(LanguageTabsAdmin, SaveAndAddNextMixin, SpreadsheetMixin, PublishableAdmin):
    add_next = ("_add_commitment", _("Save and add a commitment made in it"), "commitment", commitment_made_in)
    resource_classes = [resources.DocumentResource, resources.DocumentStepResource]
    list_display = ("name", "kind", "status", "signed", "entry_into_force", "party_names", "publication_status")
    list_filter = (
        "publication_status",
        "kind",
        "level",
        "status",
        "awaiting_kz",
        "awaiting_rs",
        "signed_precision",
        "sectors",
    )
    search_fields = ("title", "short_title", "place_signed")
    date_hierarchy = "signed_on"
    autocomplete_fields = ("signed_at", "builds_on", "sectors", "sources")
    # Derived from the signature, the rules and the steps (tracker/treaties.py): shown, never typed.
    readonly_fields = ("status", "entry_into_force", "expires_on", "ended_on", "awaiting_kz", "awaiting_rs")
    fieldsets = [
        (None, {"fields": ["title", "short_title", "slug", "kind", "level"]}),
        (
            _("Signing"),
            {
                "fields": [
                    ("signed_on", "signed_precision"),
                    "signed_at",
                    "place_signed",
                    "stage_before_signature",
                    "builds_on",
                ]
            },
        ),
        (
            _("The treaty's rules"),
            {
                "fields": [
                    "subject_to_procedures",
                    ("entry_into_force_rule", "entry_into_force_delay", "entry_into_force_fixed_on"),
                    ("duration_months", "automatic_renewal", "renewal_months"),
                    "notice_months",
                ]
            },
        ),
        (
            _("Derived from the rules and the steps"),
            {"fields": ["status", ("entry_into_force", "expires_on", "ended_on"), ("awaiting_kz", "awaiting_rs")]},
        ),
        (_("Summary and sources"), {"fields": ["sectors", "summary", "sources"]}),
        RECORD_FIELDSET,
    ]
    inlines = [DocumentPartyInline, DocumentStepInline, CommitmentFromDocumentInline]

    signed = with_precision("signed_on", "signed_display", _("signed"))

    def get_queryset(self, request):
        parties = DocumentParty.objects.select_related("organization", "side")
        return super().get_queryset(request).prefetch_related(Prefetch("parties", queryset=parties))

    @admin.display(description=_("title"), ordering="title")
    def name(self, obj):
        return str(obj)

    @admin.display(description=_("parties"))
    def party_names(self, obj):
        return "; ".join(str(party.organization) for party in obj.parties.all())


@admin.register(DocumentParty)
class DocumentPartyAdmin(TrackerAdmin):
    list_display = ("organization", "document", "side", "signatory")
    list_filter = ("side",)
    list_select_related = ("organization", "document", "side", "signatory")
    search_fields = ("organization__name", "document__title", "document__short_title")
    autocomplete_fields = ("document", "organization", "signatory")


# --- Commitments and status updates ------------------------------------------------


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue")), ("no", _("not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.not_overdue()
        return queryset


class StatusUpdateInline(PublishableInline, LanguageTabsStackedInline):
    model = StatusUpdate
    extra = 1
    show_change_link = False
    autocomplete_fields = ("evidence_source", "evidence_visit", "evidence_document", "sources")
    fields = (
        ("reported_on", "status", "progress"),
        ("basis", "basis_passage", "reasoning"),
        "note",
        ("evidence_source", "evidence_visit", "evidence_document"),
        "sources",
        ("publication_status", "entered_by"),
    )
    readonly_fields = ("entered_by",)

    def get_formset(self, request, obj=None, **kwargs):
        # The first update is usually entered the day it is reported: today, unless changed. An
        # empty row left at its initial values is still not saved (Django skips unchanged rows).
        formset = super().get_formset(request, obj, **kwargs)
        if "reported_on" in formset.form.base_fields:
            formset.form.base_fields["reported_on"].initial = timezone.localdate
        return formset


class ResponsibilityFormSet(BaseInlineFormSet):
    """The rows as a whole follow the domain's rules (responsibility_conflicts), as an import does."""

    def clean(self):
        super().clean()
        rows = [
            (form.cleaned_data["organization"], form.cleaned_data.get("role"), form.cleaned_data.get("side"))
            for form in self.forms
            if form.cleaned_data.get("organization") and not form.cleaned_data.get("DELETE")
        ]
        rows = [
            (organization, role, side or side_of_organization(organization.pk)) for organization, role, side in rows
        ]
        if problems := responsibility_conflicts(rows):
            raise ValidationError(problems)


class ResponsibilityInline(admin.TabularInline):
    """Who leads and who supports the commitment, for which side. A new commitment added from a
    document ("Save and add a commitment") starts with the document's parties, as supporting
    organizations until one is made the lead (the first, if none is)."""

    model = Responsibility
    formset = ResponsibilityFormSet
    autocomplete_fields = ("organization",)
    fields = ("organization", "role", "side")
    verbose_name_plural = _("lead and supporting organizations")

    def get_extra(self, request, obj=None, **kwargs):
        return max(len(initial_organizations(request)), 0 if obj else 2)


def initial_organizations(request) -> list[str]:
    """The organizations an add page's query string names (`responsible_organizations=3,7`)."""
    if request.method != "GET":
        return []
    return [pk for pk in request.GET.get("responsible_organizations", "").split(",") if pk.isdigit()]


@admin.register(Commitment)
class CommitmentAdmin(LanguageTabsAdmin, SpreadsheetMixin, PublishableAdmin):
    resource_classes = [resources.CommitmentResource]
    list_display = ("title", "status", "progress", "due", "is_overdue", "origin", "lead", "publication_status")
    list_filter = ("publication_status", "status", OverdueFilter, "due_precision", "sectors")
    list_select_related = ("origin_visit", "origin_document")
    search_fields = ("title", "description")
    autocomplete_fields = ("origin_visit", "origin_document", "promise_source", "sectors", "sources")
    readonly_fields = ("status", "progress", "last_reviewed_on")
    fieldsets = [
        (None, {"fields": ["title", "slug", "description"]}),
        (
            _("The promise in its own words"),
            {
                "fields": ["promise_passage", "promise_source"],
                "description": _("The passage of the source that makes the promise, verbatim, and that source."),
            },
        ),
        (
            _("Where it came from"),
            {
                "fields": ["origin_document", "origin_visit"],
                "description": _("A commitment comes from a document, a visit or event, or both."),
            },
        ),
        (_("Who and when"), {"fields": ["sectors", ("due_on", "due_precision")]}),
        (
            _("Current state (follows the latest published status update)"),
            {"fields": [("status", "progress", "last_reviewed_on")]},
        ),
        (_("Sources"), {"fields": ["sources"]}),
        RECORD_FIELDSET,
    ]
    inlines = [ResponsibilityInline, StatusUpdateInline]

    due = with_precision("due_on", "due_display", _("due"))

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.pop("responsible_organizations", None)  # the inline's rows (ResponsibilityInline)
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ResponsibilityInline) and obj.pk is None:
            organizations = initial_organizations(request)
            kwargs["initial"] = [
                {"organization": pk, "role": "lead" if i == 0 else "support"} for i, pk in enumerate(organizations)
            ]
        return kwargs

    def get_queryset(self, request):
        lead = Prefetch("responsible_organizations", queryset=Organization.objects.only("id", "name"))
        return super().get_queryset(request).prefetch_related(lead)

    @admin.display(description=_("overdue"))
    def is_overdue(self, obj):
        # Words, not the admin's green tick: being overdue is not good news.
        return _("overdue") if obj.is_overdue else ""

    @admin.display(description=_("made at / in"))
    def origin(self, obj):
        return obj.origin_document or obj.origin_visit

    @admin.display(description=_("responsible"))
    def lead(self, obj):
        return ", ".join(org.name for org in obj.responsible_organizations.all())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        complete_responsibilities([form.instance.pk])


@admin.register(StatusUpdate)
class StatusUpdateAdmin(LanguageTabsAdmin, SpreadsheetMixin, PublishableAdmin):
    resource_classes = [resources.StatusUpdateResource]
    list_display = ("commitment", "reported_on", "status", "progress", "basis", "entered_by", "publication_status")
    list_filter = ("publication_status", "status", "basis")
    list_select_related = ("commitment", "entered_by")
    search_fields = ("note", "commitment__title")
    date_hierarchy = "reported_on"
    autocomplete_fields = ("commitment", "evidence_source", "evidence_visit", "evidence_document", "sources")
    readonly_fields = ("entered_by",)
    fieldsets = [
        (None, {"fields": ["commitment", "reported_on", ("status", "progress"), "note"]}),
        (
            _("Basis"),
            {
                "fields": ["basis", "basis_passage", "reasoning", "sources"],
                "description": _(
                    "Reported: a source says so (the source below, and the passage where it helps). "
                    "Assessed: the editors' judgement, with the reasoning in a sentence and the sources it rests on."
                ),
            },
        ),
        (
            _("Evidence"),
            {
                "fields": ["evidence_source", "evidence_visit", "evidence_document"],
                "description": _("What shows this state: a source, or a later visit or document that fulfilled it."),
            },
        ),
        (_("Publication and record"), {"fields": [*RECORD_FIELDSET[1]["fields"], "entered_by"]}),
    ]

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published and obj.commitment.is_published else None


# --- Figures ----------------------------------------------------------------------------------


@admin.register(Indicator)
class IndicatorAdmin(LanguageTabsAdmin, TrackerAdmin):
    list_display = ("name", "kind", "unit", "comparable_over_time", "featured")
    list_filter = ("kind", "featured", "comparable_over_time")
    search_fields = ("name", "description")
    fields = ("name", "slug", "kind", "unit", "counted", "comparable_over_time", "featured", "description")


@admin.register(Figure)
class FigureAdmin(LanguageTabsAdmin, SpreadsheetMixin, PublishableAdmin):
    resource_classes = [resources.FigureResource]
    list_display = ("indicator", "subject", "value_as_printed", "period", "direction", "source", "publication_status")
    list_filter = ("publication_status", "indicator", "period_kind", "period_basis", "side", "source")
    list_select_related = ("indicator", "source", "country", "counterpart")
    search_fields = ("value_as_printed", "subject", "passage", "reported_by", "indicator__name")
    # Every link of a figure to another record but the countries: two of them, a plain drop-down.
    autocomplete_fields = tuple(
        name for name in resources.FigureResource.select if name not in ("country", "counterpart")
    )
    fieldsets = [
        (None, {"fields": ["indicator", "subject", "parent", "slug"]}),
        (
            _("Value, as the report words it"),
            {"fields": ["value_as_printed", ("qualifier", "value", "scale"), ("unit", "counted", "currency")]},
        ),
        (
            _("Period"),
            {
                "fields": [
                    "period_kind",
                    ("period_year", "period_first_month", "period_last_month", "period_day"),
                    "period_as_printed",
                    ("period_basis", "period_reasoning"),
                ],
                "description": _(
                    "A year: the year. Part of a year: the year and its first and last month. A date: the date. "
                    "Since a year: the year. Not reported: nothing. A period the report does not state in words "
                    "is assessed: say why."
                ),
            },
        ),
        (_("Direction or side"), {"fields": [("side", "country", "counterpart")]}),
        (
            _("Who reported it"),
            {
                "fields": [
                    "reported_by",
                    ("reporter_organization", "reporter_person"),
                    ("reporter_basis", "reporter_reasoning"),
                ]
            },
        ),
        (
            _("Change against an earlier period, as given"),
            {"fields": [("change_percent", "change_absolute"), ("change_compared_with", "earlier_value")]},
        ),
        (_("Source"), {"fields": ["source", "passage", ("about_visit", "about_document"), "note"]}),
        RECORD_FIELDSET,
    ]

    @admin.display(description=_("period"), ordering="period_start")
    def period(self, obj):
        text = obj.period_display
        return f"{text} ({_('assessed')})" if obj.period_is_assessed else text

    @admin.display(description=_("direction or side"))
    def direction(self, obj):
        return obj.direction_display
