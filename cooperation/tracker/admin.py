"""The staff admin: every model, with history, publishing rights and optimistic locking.

Shared behaviour lives in three bases:
- TrackerAdmin: history with field diffs and revert (django-simple-history),
  a list of deleted records to restore, the saving rules for inlines;
- PublishableAdmin: publish / unpublish actions and a read-only publication
  field for anyone without the model's `publish_<model>` permission, and the
  version check that refuses a stale save (see locking.py);
- PublishableInline: the same rules for records edited inline.
"""

import datetime

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.utils import flatten, get_fields_from_path, model_ngettext
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connections, models, router, transaction
from django.db.models import Prefetch
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic

from . import resources
from .locking import VERSION_FIELD, StaleVersionError, VersionLockedForm, claim_version
from .models import (
    Commitment,
    Country,
    Document,
    DocumentParty,
    Organization,
    Person,
    Publishable,
    Sector,
    Source,
    StatusUpdate,
    Visit,
)
from .paginators import EstimatedCountPaginator
from .publishing import can_publish, keep_publication_status, publish_records, unpublish_records

RECORD_FIELDSET = (
    _("Publication and record"),
    {"fields": [("publication_status", "version"), ("published_at", "created_at", "updated_at")]},
)
RECORD_READONLY_FIELDS = ("published_at", "version", "created_at", "updated_at")


def prepare_record(request, obj, form) -> None:
    """The rules for every record saved through the admin, top-level or inline.

    Raises StaleVersionError when someone else saved the record first.
    """
    if isinstance(obj, Publishable):
        keep_publication_status(request.user, obj)
        if not obj._state.adding:
            claim_version(obj, form.cleaned_data[VERSION_FIELD])
    if obj._state.adding and hasattr(obj, "entered_by_id"):
        obj.entered_by = request.user
    historic = to_historic(obj)
    if historic is not None:
        obj._change_reason = gettext("Reverted to the version of %(date)s") % {
            "date": formats.date_format(historic.history_date, "DATETIME_FORMAT")
        }
    obj._history_user = request.user


class PublicationRightsMixin:
    """Only users with `tracker.publish_<model>` may touch the publication field."""

    def has_publish_permission(self, request, obj=None):
        return can_publish(request.user, self.model)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *RECORD_READONLY_FIELDS]
        if not self.has_publish_permission(request):
            fields.append("publication_status")
        return fields

    def get_fieldsets(self, request, obj=None):
        """Carry the hidden version field in the last fieldset (it must be rendered to be posted)."""
        fieldsets = [
            (name, {**options, "fields": list(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if not any(VERSION_FIELD in flatten(options["fields"]) for _name, options in fieldsets):
            fieldsets[-1][1]["fields"].append(VERSION_FIELD)
        return fieldsets


def years_with_rows(model, field_name: str) -> list[int]:
    """The years in which `model` has a `field_name` date, in order, in two queries (the first and
    last dates; then each year's first date), each subquery an index seek.

    Django's SELECT DISTINCT over every row took 73 ms over 200,000 status updates on PostgreSQL
    and 300 ms on SQLite on every load of the changelist. For the unfiltered table only: under a
    rare filter or search each seek may walk far to its first match. Plain SQL because the ORM
    cannot select several scalar subqueries without a FROM (valid on PostgreSQL and SQLite alike).
    """
    field = model._meta.get_field(field_name)
    connection = connections[router.db_for_read(model)]
    table, column = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(field.column)

    def select(subqueries: list[str], params=()) -> list:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(subqueries), params)
            return [field.to_python(value) for value in cursor.fetchone()]

    # Names quoted by the backend, from the model's own metadata; values are parameters.
    first, last = select([f"(SELECT MIN({column}) FROM {table})", f"(SELECT MAX({column}) FROM {table})"])  # noqa: S608
    if first is None:
        return []
    years = range(first.year, last.year + 1)
    in_year = f"(SELECT MIN({column}) FROM {table} WHERE {column} >= %s AND {column} <= %s)"  # noqa: S608
    bounds = [
        connection.ops.adapt_datefield_value(day)
        for year in years
        for day in (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    ]
    return [day.year for day in select([in_year] * len(years), bounds) if day is not None]


class TrackerChangeList(ChangeList):
    """The changelist of every tracker admin; change_list.html renders its date hierarchy."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        if not queryset.query.distinct or queryset.query.distinct_fields:
            return queryset
        # A filter or search across a to-many relation (sectors, ...) makes Django add SELECT
        # DISTINCT over every column, long texts included, to the count and the page. The same
        # rows as "pk IN (the matching ids)" let the page walk its ordering index and stop early.
        matching = queryset._chain()
        matching.query.distinct = False
        rows = self.root_queryset.filter(pk__in=matching.order_by().values("pk"))
        rows = self.apply_select_related(rows) if not rows.query.select_related else rows
        return rows.order_by(*self.get_ordering(request, rows))

    @cached_property
    def date_hierarchy_context(self) -> dict:
        """What Django's {% date_hierarchy %} tag shows, with its top level (years) found cheaply:
        by index seeks on the unfiltered list (the one loaded most, two queries); under a filter or search by
        one DISTINCT over the matching rows, where Django first also takes their MIN and MAX."""
        field_name = self.date_hierarchy
        field = get_fields_from_path(self.model, field_name)[-1]
        drilled_down = any(f"{field_name}__{part}" in self.params for part in ("year", "month", "day"))
        if not drilled_down and not isinstance(field, models.DateTimeField):
            if self.queryset.query.where or LOOKUP_SEP in field_name:
                years = [day.year for day in self.queryset.dates(field_name, "year")]
            else:
                years = years_with_rows(self.model, field_name)
            if len(years) != 1:  # a single year opens on its months: Django's own branch below
                return {
                    "show": True,
                    "back": None,
                    "choices": [
                        {
                            "link": self.get_query_string({f"{field_name}__year": str(year)}, [f"{field_name}__"]),
                            "title": str(year),
                        }
                        for year in years
                    ],
                }
        # Within a chosen year or month the DISTINCT runs over that period's index range only.
        return date_hierarchy(self)


class TrackerAdmin(SimpleHistoryAdmin):
    """Base of every tracker admin: history, deleted records, inline saving rules."""

    change_list_template = "admin/tracker/change_list.html"
    deleted_records_template = "admin/tracker/deleted_records.html"
    list_per_page = 50
    # One COUNT instead of two on every changelist page, and none over a whole large table.
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_changelist(self, request, **kwargs):
        return TrackerChangeList

    def action_checkbox(self, obj):
        """Django's row checkbox, written out directly: rendering a CheckboxInput widget through
        the form template engine cost about a third of a changelist's rendering time."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"  # what a pasted "www.example.org" means today
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "slug" and formfield is not None:
            formfield.help_text = _("Leave empty to make one from the name or title. It becomes the page's address.")
        return formfield

    # --- saving ------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        prepare_record(request, obj, form)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._history_user = request.user
            obj.delete()
        for inline_form in formset.saved_forms:
            prepare_record(request, inline_form.instance, inline_form)
            inline_form.instance.save()
        formset.save_m2m()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleVersionError:
            return self._refuse_stale_save(request)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Unlike the change form, simple-history's revert view is not atomic by itself.
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except StaleVersionError:
            return self._refuse_stale_save(request)

    def _refuse_stale_save(self, request):
        """Someone saved between our version check and our save: everything was rolled back."""
        self.message_user(
            request,
            _("This record was changed or deleted by someone else while you were saving. Nothing was saved."),
            messages.ERROR,
        )
        return HttpResponseRedirect(request.get_full_path())

    # --- deleted records ---------------------------------------------------------

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_records_view),
                name=f"{opts.app_label}_{opts.model_name}_deleted",
            ),
            *super().get_urls(),
        ]

    def deleted_queryset(self):
        """The last snapshot of every record that no longer exists, newest deletion first."""
        pk_name = self.opts.pk.attname
        live = self.model._default_manager.values("pk")
        return (
            self.model.history.filter(history_type="-")
            .exclude(**{f"{pk_name}__in": live})
            .select_related("history_user")
            .order_by("-history_date")
        )

    def deleted_records_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        page = Paginator(self.deleted_queryset(), self.list_per_page).get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(name)s") % {"name": self.opts.verbose_name_plural},
            "opts": self.opts,
            "page_obj": page,
            "can_restore": self.has_change_permission(request) and self.has_add_permission(request),
        }
        return TemplateResponse(request, self.deleted_records_template, context)


class SpreadsheetMixin(ImportExportMixin):
    """CSV/XLSX import and export (resources.py); a forged confirm form is an error message, not a 500."""

    confirm_form_class = resources.ConfirmImportForm


class PublishableAdmin(PublicationRightsMixin, TrackerAdmin):
    form = VersionLockedForm
    actions = ["publish_selected", "unpublish_selected"]
    list_filter = ("publication_status",)

    def has_change_permission(self, request, obj=None):
        """Editors change drafts only: what is public changes through a publisher
        (who may also take it back to draft for the editor)."""
        if obj is not None and obj.is_published and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def view_on_site(self, obj):
        """Link to the public page only when the public can see it."""
        return obj.get_absolute_url() if obj.is_published else None

    @admin.action(permissions=["publish"], description=_("Publish the selected %(verbose_name_plural)s"))
    def publish_selected(self, request, queryset):
        count = publish_records(queryset, request.user)
        self.message_user(
            request,
            ngettext("%(count)d %(name)s published.", "%(count)d %(name)s published.", count)
            % {"count": count, "name": model_ngettext(self.opts, count)},
            messages.SUCCESS,
        )

    @admin.action(permissions=["publish"], description=_("Unpublish the selected %(verbose_name_plural)s"))
    def unpublish_selected(self, request, queryset):
        count = unpublish_records(queryset, request.user)
        self.message_user(
            request,
            ngettext("%(count)d %(name)s taken back to draft.", "%(count)d %(name)s taken back to draft.", count)
            % {"count": count, "name": model_ngettext(self.opts, count)},
            messages.SUCCESS,
        )


class PublishableInline(PublicationRightsMixin, InlineModelAdmin):
    form = VersionLockedForm
    extra = 0
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        # Inline rows show the publication state but not the record bookkeeping.
        return [f for f in super().get_readonly_fields(request, obj) if f not in RECORD_READONLY_FIELDS]


def with_precision(date_attr: str, display_attr: str, description):
    """A changelist column showing a partial date as '19 November 2024', 'November 2024' or '2024'."""

    @admin.display(description=description, ordering=date_attr)
    def column(self, obj):
        return getattr(obj, display_attr)

    return column


# --- Reference data ----------------------------------------------------------------


@admin.register(Country)
class CountryAdmin(TrackerAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Sector)
class SectorAdmin(TrackerAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "description")
    fields = ("name", "slug", "description")


@admin.register(Source)
class SourceAdmin(TrackerAdmin):
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
class OrganizationAdmin(SpreadsheetMixin, PublishableAdmin):
    resource_classes = [resources.OrganizationResource]
    list_display = ("name", "short_name", "kind", "country", "parent", "publication_status")
    list_filter = ("publication_status", "kind", "country", "sectors")
    list_select_related = ("country", "parent")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("country", "parent", "sectors", "sources")
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "country", "parent"]}),
        (_("Details"), {"fields": ["sectors", "website", "description", "sources"]}),
        RECORD_FIELDSET,
    ]


@admin.register(Person)
class PersonAdmin(PublishableAdmin):
    list_display = ("name", "position", "country", "organization", "publication_status")
    list_filter = ("publication_status", "country")
    list_select_related = ("country", "organization")
    search_fields = ("name", "position")
    autocomplete_fields = ("country", "organization", "sources")
    fieldsets = [
        (None, {"fields": ["name", "slug", "position", "country", "organization", "sources"]}),
        RECORD_FIELDSET,
    ]

    def view_on_site(self, obj):
        return None  # people have no public page of their own


# --- Commitments, inline on documents and visits ------------------------------------


class CommitmentInline(PublishableInline, admin.TabularInline):
    model = Commitment
    fields = ("title", "due_on", "due_precision", "publication_status")
    verbose_name_plural = _("commitments made here")


class CommitmentFromDocumentInline(CommitmentInline):
    fk_name = "origin_document"


class CommitmentFromVisitInline(CommitmentInline):
    fk_name = "origin_visit"


# --- Visits ------------------------------------------------------------------------


@admin.register(Visit)
class VisitAdmin(SpreadsheetMixin, PublishableAdmin):
    resource_classes = [resources.VisitResource]
    list_display = ("title", "kind", "date", "place", "host_country", "publication_status")
    list_filter = ("publication_status", "kind", "host_country", "start_precision", "sectors")
    list_select_related = ("host_country",)
    search_fields = ("title", "place", "summary")
    date_hierarchy = "start_date"
    autocomplete_fields = ("host_country", "participants", "organizations", "sectors", "sources")
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", ("start_date", "start_precision"), "end_date", "place"]}),
        (_("Who and what"), {"fields": ["host_country", "participants", "organizations", "sectors"]}),
        (_("Summary and sources"), {"fields": ["summary", "sources"]}),
        RECORD_FIELDSET,
    ]
    inlines = [CommitmentFromVisitInline]

    date = with_precision("start_date", "date_display", _("date"))


# --- Documents ---------------------------------------------------------------------


class DocumentPartyInline(admin.TabularInline):
    model = DocumentParty
    autocomplete_fields = ("organization", "side", "signatory")
    verbose_name_plural = _("parties (one row per signing organization)")

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 2  # a new document usually has two parties


@admin.register(Document)
class DocumentAdmin(SpreadsheetMixin, PublishableAdmin):
    resource_classes = [resources.DocumentResource]
    list_display = ("name", "kind", "status", "signed", "party_names", "publication_status")
    list_filter = ("publication_status", "kind", "level", "status", "signed_precision", "sectors")
    search_fields = ("title", "short_title", "place_signed")
    date_hierarchy = "signed_on"
    autocomplete_fields = ("signed_at", "builds_on", "sectors", "sources")
    fieldsets = [
        (None, {"fields": ["title", "short_title", "slug", "kind", "level", "status"]}),
        (
            _("Signing and validity"),
            {
                "fields": [
                    ("signed_on", "signed_precision"),
                    "signed_at",
                    "place_signed",
                    "entry_into_force",
                    "expires_on",
                    "builds_on",
                ]
            },
        ),
        (_("Summary and sources"), {"fields": ["sectors", "summary", "sources"]}),
        RECORD_FIELDSET,
    ]
    inlines = [DocumentPartyInline, CommitmentFromDocumentInline]

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
    autocomplete_fields = ("document", "organization", "side", "signatory")


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


class StatusUpdateInline(PublishableInline, admin.StackedInline):
    model = StatusUpdate
    extra = 1
    show_change_link = False
    autocomplete_fields = ("evidence_source", "evidence_visit", "evidence_document")
    fields = (
        ("reported_on", "status", "progress"),
        "note",
        ("evidence_source", "evidence_visit", "evidence_document"),
        ("publication_status", "entered_by"),
    )
    readonly_fields = ("entered_by",)


@admin.register(Commitment)
class CommitmentAdmin(SpreadsheetMixin, PublishableAdmin):
    resource_classes = [resources.CommitmentResource]
    list_display = ("title", "status", "progress", "due", "is_overdue", "origin", "lead", "publication_status")
    list_filter = ("publication_status", "status", OverdueFilter, "due_precision", "sectors")
    list_select_related = ("origin_visit", "origin_document")
    search_fields = ("title", "description")
    autocomplete_fields = ("origin_visit", "origin_document", "responsible_organizations", "sectors", "sources")
    readonly_fields = ("status", "progress", "last_reviewed_on")
    fieldsets = [
        (None, {"fields": ["title", "slug", "description"]}),
        (
            _("Where it came from"),
            {
                "fields": ["origin_document", "origin_visit"],
                "description": _("A commitment comes from a document, a visit or event, or both."),
            },
        ),
        (_("Who and when"), {"fields": ["responsible_organizations", "sectors", ("due_on", "due_precision")]}),
        (
            _("Current state (follows the latest published status update)"),
            {"fields": [("status", "progress", "last_reviewed_on")]},
        ),
        (_("Sources"), {"fields": ["sources"]}),
        RECORD_FIELDSET,
    ]
    inlines = [StatusUpdateInline]

    due = with_precision("due_on", "due_display", _("due"))

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


@admin.register(StatusUpdate)
class StatusUpdateAdmin(SpreadsheetMixin, PublishableAdmin):
    resource_classes = [resources.StatusUpdateResource]
    list_display = ("commitment", "reported_on", "status", "progress", "entered_by", "publication_status")
    list_filter = ("publication_status", "status")
    list_select_related = ("commitment", "entered_by")
    search_fields = ("note", "commitment__title")
    date_hierarchy = "reported_on"
    autocomplete_fields = ("commitment", "evidence_source", "evidence_visit", "evidence_document")
    readonly_fields = ("entered_by",)
    fieldsets = [
        (None, {"fields": ["commitment", "reported_on", ("status", "progress"), "note"]}),
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
