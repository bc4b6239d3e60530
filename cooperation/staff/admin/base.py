"""The base classes of every tracker admin (the registrations are in registrations.py):

- TrackerAdmin: history with field diffs and revert (django-simple-history), a list of deleted
  records to restore, the saving rules for inlines, the cheap changelist and paginator; and
  "published means protected" (publishing.py `may_change`) on every path that saves or deletes:
  a refused change is a form error where there is a form, else 403;
- PublishableAdmin: publish / unpublish actions and a read-only publication field for anyone
  without the model's `publish_<model>` permission (publishing.py), and the version check that
  refuses a stale save (locking.py);
- PublishableInline: the same rules for records edited inline;
- SpreadsheetMixin: CSV/XLSX import and export (staff/spreadsheets/).
"""

import csv
import io

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import flatten, model_ngettext
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models, router, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic

from cooperation import downloads
from cooperation.formulas import neutralise
from cooperation.tracker.models import Publishable

from ..locking import (
    CHANGE_REASON_FIELD,
    VERSION_FIELD,
    ReasonedForm,
    StaleVersionError,
    VersionLockedForm,
    claim_version,
)
from ..publishing import can_publish, keep_publication_status, may_change, refusal
from ..spreadsheets import files, resources
from .changelist import TrackerChangeList
from .paginators import EstimatedCountPaginator

RECORD_FIELDSET = (
    _("Publication and record"),
    {"fields": [("publication_status", "version"), ("published_at", "created_at", "updated_at")]},
)
RECORD_READONLY_FIELDS = ("published_at", "version", "created_at", "updated_at")


def prepare_record(request, obj, form) -> None:
    """The rules for every record saved through the admin, top-level or inline.

    Raises PermissionDenied when the user may not change what the public sees (a form refuses it
    first, with a message: `protected_form`; this catches every other path, list_editable
    included), StaleVersionError when someone else saved the record first.
    """
    if isinstance(obj, Publishable):
        keep_publication_status(request.user, obj)
    if not may_change(request.user, obj):
        raise PermissionDenied(refusal(obj))
    if isinstance(obj, Publishable) and not obj._state.adding:
        # A list_editable form carries no version: it checks against the row it was built from.
        claim_version(obj, form.cleaned_data.get(VERSION_FIELD) or obj.version)
    if obj._state.adding and hasattr(obj, "entered_by_id"):
        obj.entered_by = request.user
    historic = to_historic(obj)
    if historic is not None:
        obj._change_reason = gettext("Reverted to the version of %(date)s") % {
            "date": formats.date_format(historic.history_date, "DATETIME_FORMAT")
        }
    elif reason := getattr(form, "cleaned_data", {}).get(CHANGE_REASON_FIELD):
        obj._change_reason = reason
    obj._history_user = request.user


def protected_form(form_class, user):
    """`form_class`, refusing with a message (not a 403) a change that `user` may not make: a
    published row edited inline, a party put on a published document."""

    class ProtectedForm(form_class):
        def _post_clean(self):
            super()._post_clean()  # the instance now holds the submitted values
            if self.has_changed() and not may_change(user, self.instance):
                self.add_error(None, refusal(self.instance))

    ProtectedForm.__name__ = form_class.__name__
    return ProtectedForm


class ProtectedInlineMixin:
    """Inline rows follow the rule row by row (the parent's own form follows it as a whole)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = protected_form(formset.form, request.user)
        return formset


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

    # --- published means protected (publishing.py) ------------------------------------

    def has_change_permission(self, request, obj=None):
        """Editors change drafts only: what the public sees changes through a publisher
        (who may also take it back to draft for the editor). Reverts and restores ask this too."""
        if obj is not None and not may_change(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not may_change(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        return protected_form(super().get_form(request, obj, **kwargs), request.user)

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
            if not may_change(request.user, obj):
                raise PermissionDenied(refusal(obj))
            obj._history_user = request.user
            obj.delete()
        # The rows saved with a record carry its editor's reason (ReasonedForm), unless they give one.
        reason = form.cleaned_data.get(CHANGE_REASON_FIELD)
        for inline_form in formset.saved_forms:
            prepare_record(request, inline_form.instance, inline_form)
            if reason and not getattr(inline_form.instance, "_change_reason", None):
                inline_form.instance._change_reason = reason
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
    """CSV/XLSX import and export (staff/spreadsheets/): our formats, which read files safely, an
    upload kept under a name of our own between preview and confirm, and a confirm form on which a
    forged value is an error message, not a 500."""

    formats = files.FORMATS
    tmp_storage_class = files.UploadStorage
    import_form_class = resources.ImportForm
    confirm_form_class = resources.ConfirmImportForm

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "import/errors.csv",
                self.admin_site.admin_view(self.import_errors_view),
                name=f"{opts.app_label}_{opts.model_name}_import_errors",
            ),
            *super().get_urls(),
        ]

    def errors_key(self) -> str:
        return f"import-errors:{self.opts.label_lower}"

    def import_action(self, request, **kwargs):
        """The import page; when the file has wrong rows, they are also kept (in the session) for
        "Download these errors as CSV", so they can be sorted and worked through in a spreadsheet."""
        response = super().import_action(request, **kwargs)
        result = getattr(response, "context_data", {}).get("result")
        if result is not None and (result.has_errors() or result.has_validation_errors()):
            request.session[self.errors_key()] = error_rows(result)
            response.context_data["errors_csv_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_import_errors"
            )
        return response

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial[resources.CHANGE_REASON] = import_form.cleaned_data.get(resources.CHANGE_REASON, "")
        return initial

    def get_import_data_kwargs(self, **kwargs):
        """The reason for changes to published records, from the upload form or the confirm step."""
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        if form is not None and hasattr(form, "cleaned_data"):
            kwargs[resources.CHANGE_REASON] = form.cleaned_data.get(resources.CHANGE_REASON, "")
        return kwargs

    def process_result(self, result, request):
        """A confirmed import that has wrong rows after all (the data changed since the preview, or a
        forged confirm step) saved nothing: say so, and why, instead of counting rows."""
        if result.has_errors() or result.has_validation_errors():
            problems = [problem for _row, _column, problem in error_rows(result)]
            self.message_user(
                request,
                _("Nothing was imported: %(problems)s") % {"problems": " ".join(dict.fromkeys(problems))},
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))
        return super().process_result(result, request)

    def import_errors_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        rows = request.session.get(self.errors_key())
        if rows is None:
            self.message_user(request, _("No import errors to download: upload the file again."), messages.WARNING)
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))
        buffer = io.StringIO()
        header = [gettext("Row"), gettext("Column"), gettext("Problem")]
        csv.writer(buffer).writerows([header, *([neutralise(cell) for cell in row] for row in rows)])
        name = downloads.file_name(f"import-errors-{self.opts.model_name}s", (), timezone.localdate(), "csv")
        response = HttpResponse(downloads.csv_bytes(buffer.getvalue()), content_type=downloads.CSV_TYPE)
        response["Content-Disposition"] = downloads.attachment(name)
        return response


def error_rows(result) -> list[list]:
    """(spreadsheet row number, column, problem) of every error of an import result, as the page
    lists them (the header is row 1)."""
    rows = [["", "", str(error.error)] for error in result.base_errors]
    for row in result.rows:
        rows += [[error.number, "", str(error.error)] for error in row.errors]
    for invalid in result.invalid_rows:
        for field, errors in invalid.field_specific_errors.items():
            rows += [[invalid.number, field, str(error)] for error in errors]
        rows += [[invalid.number, "", str(error)] for error in invalid.non_field_specific_errors]
    return rows


class PublishableAdmin(PublicationRightsMixin, TrackerAdmin):
    form = ReasonedForm
    actions = ["publish_selected", "unpublish_selected"]
    list_filter = ("publication_status",)

    def view_on_site(self, obj):
        """Link to the public page only when the public can see it."""
        return obj.get_absolute_url() if obj.is_published else None

    def get_fieldsets(self, request, obj=None):
        """A published record's form asks for the reason of a change (ReasonedForm), at its top."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.is_published:
            description = _("This record is published: a change needs its reason (shown on the corrections page).")
            reason = (_("Reason for the change"), {"fields": [CHANGE_REASON_FIELD], "description": description})
            fieldsets = [reason, *fieldsets]
        return fieldsets

    # Both actions change the records one by one with a history row naming the user
    # (PublishableQuerySet.publish / unpublish).

    @admin.action(permissions=["publish"], description=_("Publish the selected %(verbose_name_plural)s"))
    def publish_selected(self, request, queryset):
        count = queryset.publish(user=request.user)
        self._report_changed(
            request, count, ngettext("%(count)d %(name)s published.", "%(count)d %(name)s published.", count)
        )

    @admin.action(permissions=["publish"], description=_("Unpublish the selected %(verbose_name_plural)s"))
    def unpublish_selected(self, request, queryset):
        count = queryset.unpublish(user=request.user)
        message = ngettext("%(count)d %(name)s taken back to draft.", "%(count)d %(name)s taken back to draft.", count)
        self._report_changed(request, count, message)

    def _report_changed(self, request, count: int, message: str) -> None:
        self.message_user(
            request, message % {"count": count, "name": model_ngettext(self.opts, count)}, messages.SUCCESS
        )


class PublishableInline(ProtectedInlineMixin, PublicationRightsMixin, InlineModelAdmin):
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
