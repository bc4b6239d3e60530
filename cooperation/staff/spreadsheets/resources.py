"""Spreadsheet import and export for the admin (django-import-export): one resource per model,
whose class attributes are the spreadsheet's columns (add or change a column here).

Rules every resource follows (tested in tests/staff/test_import_export.py):
- related records are written by natural key (slug, name, ISO code), never by id;
  an existing record is matched by its slug (see `get_instance`);
- the whole file is one transaction, and any bad row means nothing is saved;
- imported records are drafts unless the importing user may publish that model;
- an unchanged row is skipped, so re-importing an export changes nothing;
- row numbers in messages are the spreadsheet's (the header is row 1).
"""

from diff_match_patch import diff_match_patch
from django import forms as django_forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.encoding import force_str
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import exceptions, forms, resources
from import_export.declarative import ModelDeclarativeMetaclass
from import_export.fields import Field
from import_export.resources import Diff
from import_export.results import Error, Result, RowResult
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from cooperation.formulas import restore
from cooperation.tracker import periods
from cooperation.tracker.models import (
    Basis,
    Commitment,
    CommitmentStatus,
    Document,
    DocumentStep,
    Figure,
    FigureBasis,
    FigureSide,
    Organization,
    PeriodKind,
    PublicationStatus,
    Qualifier,
    Scale,
    StatusUpdate,
    Visit,
)

from ..publishing import can_publish, may_change, refusal
from .files import FORMATS, UnreadableDataset
from .widgets import (
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    NaturalKeyWidget,
    OptionalTextWidget,
    PartiesWidget,
    PrecisionWidget,
    ProgressWidget,
    RelatedListWidget,
    ResponsibilitiesWidget,
    TextWidget,
    WholeNumberWidget,
    cell_text,
    same_text,
)

# The upload's (and the confirm step's) field for the reason of changes to published records.
CHANGE_REASON = "change_reason"


class ImportProblem(Error):
    """An error shown to staff as its message alone, without a traceback."""

    @property
    def traceback(self):
        return ""


REASON_REQUIRED = gettext_lazy(
    "This row changes a published record: give the reason for the change in the import form (it is shown with "
    "the change on the public corrections page) and upload the file again."
)


def reason_field(**kwargs):
    """The reason for changes to published records, as the admin's ReasonedForm asks for it."""
    return django_forms.CharField(
        label=gettext_lazy("Reason for the change"),
        max_length=100,  # history_change_reason's length
        required=False,
        **kwargs,
    )


class ImportForm(forms.ImportForm):
    """The upload form, with the format taken from the file's name (.csv, .xlsx): choosing it is
    only needed for a file named otherwise. The browser does the same as the file is picked
    (django-import-export's guess_format.js); this is the rule that counts."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.format_classes = formats
        self.fields["format"].required = False
        self.fields["format"].help_text = _("Taken from the file's name (.csv or .xlsx) unless you choose.")
        self.fields[CHANGE_REASON] = reason_field(
            help_text=_(
                "Needed when the file changes a published record: shown with each change on the public "
                "corrections page."
            )
        )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is not None:
            extension = upload.name.rpartition(".")[2].lower()
            by_extension = {
                format_class().get_extension(): str(index) for index, format_class in enumerate(self.format_classes)
            }
            if extension in by_extension:
                cleaned["format"] = by_extension[extension]
            elif not cleaned.get("format"):
                self.add_error("format", _("The file is not named .csv or .xlsx: choose its format."))
        return cleaned


class ConfirmImportForm(forms.ConfirmImportForm):
    """The confirm step's hidden fields, checked: a forged format or resource is a form error, not a 500.

    For the admin's `confirm_form_class`; every tracker admin has a single resource. The reason
    for changes to published records comes from the upload form; the import checks it again.
    """

    change_reason = reason_field(widget=django_forms.HiddenInput())

    def clean_format(self):
        value = self.cleaned_data["format"]
        if not value.isdigit() or int(value) >= len(FORMATS):
            raise ValidationError(_("Unknown file format; upload the file again."))
        return value

    def clean_resource(self):
        value = self.cleaned_data.get("resource", "")
        if value not in ("", "0"):
            raise ValidationError(_("Unknown import type; upload the file again."))
        return value


class PlainDiff(Diff):
    """The preview's changed cells as bare <ins>/<del>: the Content-Security-Policy blocks the
    inline styles django-import-export would add (its stylesheet colours ins/del anyway)."""

    TAGS = {
        diff_match_patch.DIFF_INSERT: "ins",
        diff_match_patch.DIFF_DELETE: "del",
        diff_match_patch.DIFF_EQUAL: "span",
    }

    def as_html(self):
        matcher = diff_match_patch()
        cells = []
        for before, after in zip(self.left, self.right, strict=False):
            if before != after and self.new:
                before = ""
            changes = matcher.diff_main(force_str(before), force_str(after))
            matcher.diff_cleanupSemantic(changes)
            html = "".join(
                f"<{self.TAGS[op]}>{escape(text).replace(chr(10), '<br>')}</{self.TAGS[op]}>" for op, text in changes
            )
            cells.append(mark_safe(html))  # noqa: S308 — every piece of text is escaped above
        return cells


def text(attribute, **kwargs):
    return Field(attribute=attribute, column_name=attribute, widget=TextWidget(), **kwargs)


# A column's choices and related model are its model field's (ChoiceWidget.bind, NaturalKeyWidget.bind).


def choice(attribute, required=True, default=None):
    return Field(attribute=attribute, column_name=attribute, widget=ChoiceWidget(required=required), default=default)


def date(attribute, required=False):
    return Field(attribute=attribute, column_name=attribute, widget=DateWidget(required))


def precision(attribute, date_column):
    return Field(attribute=attribute, column_name=attribute, widget=PrecisionWidget(date_column))


def related(attribute, required=False):
    return Field(attribute=attribute, column_name=attribute, widget=NaturalKeyWidget(required=required))


def related_list(attribute):
    return Field(attribute=attribute, column_name=attribute, widget=RelatedListWidget())


def slug():
    # Blank keeps the record's slug (a new record gets one made from its name).
    return Field(attribute="slug", column_name="slug", widget=OptionalTextWidget(), saves_null_values=False)


def publication():
    return Field(
        attribute="publication_status",
        column_name="publication_status",
        widget=ChoiceWidget(required=False),
        saves_null_values=False,
    )


def with_languages(model, attrs: dict) -> dict:
    """One column per language for each translated text (tracker/translation.py): `title` is the
    English (the original, as before), then `title_kk`, `title_ru`, `title_sr`, `title_sr_latn`.
    A blank translation cell means no translation (the page shows the English, marked); a file
    without a language's column leaves that language as it is."""
    try:
        translated = set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return attrs
    columns = {}
    for key, value in attrs.items():
        columns[key] = value
        if isinstance(value, Field) and value.attribute in translated and isinstance(value.widget, TextWidget):
            original = value.attribute
            value.attribute = build_localized_fieldname(original, settings.LANGUAGE_CODE)
            for code, _name in settings.LANGUAGES:
                if code == settings.LANGUAGE_CODE:
                    continue
                column = build_localized_fieldname(original, code)
                columns[column] = Field(attribute=column, column_name=column, widget=OptionalTextWidget())
    return columns


class ColumnsInOrder(ModelDeclarativeMetaclass):
    """A resource's columns are its declared fields, in the order declared: a subclass's Meta names
    the model only (its `fields` list would repeat the columns). Translated texts have a column per
    language (`with_languages`)."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and getattr(meta, "model", None) is not None and not hasattr(meta, "fields"):
            attrs = with_languages(meta.model, attrs)
            meta.fields = [key for key, value in attrs.items() if isinstance(value, Field)]
        return super().__new__(mcs, name, bases, attrs)


def listed(numbers: list[int]) -> str:
    """2, 4 and 7."""
    head, last = [str(number) for number in numbers[:-1]], str(numbers[-1])
    return _("%(head)s and %(last)s") % {"head": ", ".join(head), "last": last}


class TrackerResource(resources.ModelResource, metaclass=ColumnsInOrder):
    """Shared import rules; subclasses declare their columns."""

    # Columns a file must have (a new record cannot be made without them).
    required_columns: tuple[str, ...] = ()
    # Columns people might expect but that are not imported, with the reason.
    column_hints: dict[str, str] = {}
    # What the export reads alongside each record, so it costs a fixed number of queries.
    prefetch: tuple[str, ...] = ()
    select: tuple[str, ...] = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = None
        self.change_reason = ""
        self._formula_columns: list[str] = []
        for field in self.fields.values():
            if hasattr(field.widget, "bind"):
                field.widget.bind(self._meta.model._meta.get_field(field.attribute))

    @classmethod
    def get_error_result_class(cls):
        return ImportProblem

    @classmethod
    def get_diff_class(cls):
        return PlainDiff

    # --- The file as a whole ---------------------------------------------------------

    def file_problems(self, dataset) -> list[str]:
        """Why the file cannot be imported at all (before any row is looked at)."""
        if isinstance(dataset, UnreadableDataset):
            return [dataset.problem]
        headers = [cell_text(header).lower() for header in dataset.headers or []]
        dataset.headers = headers
        problems = []
        known = {field.column_name for field in self.fields.values()}
        for position, header in enumerate(headers, start=1):
            if not header:
                problems.append(_("Column %(position)d has no name in the header row.") % {"position": position})
            elif headers.count(header) > 1 and headers.index(header) == position - 1:
                problems.append(_('The column "%(column)s" appears more than once.') % {"column": header})
            elif header not in known:
                hint = self.column_hints.get(header) or _("the columns are: %(columns)s") % {
                    "columns": ", ".join(self.get_export_headers())
                }
                problems.append(_('Unknown column "%(column)s": %(hint)s.') % {"column": header[:60], "hint": hint})
        missing = [column for column in self.required_columns if column not in headers]
        if missing:
            problems.append(_("Missing required column(s): %(columns)s.") % {"columns": ", ".join(missing)})
        return problems

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        self.user = kwargs.get("user")
        self.change_reason = (kwargs.get("change_reason") or "").strip()
        problems = self.file_problems(dataset)
        if not problems:
            self._same_record = self.rows_about_one_record(dataset)
        if problems:
            if raise_errors:
                raise exceptions.ImportError(" ".join(problems))
            result = self.get_result_class()()
            for problem in problems:
                result.append_base_error(ImportProblem(ValueError(problem)))
            return result
        # One bad row means nothing is saved, validation errors included.
        result = super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )
        self._renumber(result)
        if not dry_run and (result.has_errors() or result.has_validation_errors()):
            self._report_nothing_saved(result)
        return result

    @staticmethod
    def _renumber(result: Result) -> None:
        """django-import-export counts records from 1; staff see the spreadsheet row (header = row 1)."""
        for invalid in result.invalid_rows:
            invalid.number += 1
        for row in result.rows:
            for error in row.errors:
                error.number = (error.number or 0) + 1

    @staticmethod
    def _report_nothing_saved(result: Result) -> None:
        # The transaction was rolled back: the admin must not log or count rows as saved.
        for row in result.rows:
            if row.is_valid():
                row.import_type = RowResult.IMPORT_TYPE_SKIP
                row.instance = None
        for key in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_DELETE):
            result.totals[key] = 0

    def rows_about_one_record(self, dataset) -> dict[int, list[int]]:
        """{row number: the spreadsheet rows about the same record} for every row that shares its
        record (`record_key`) with another: both are errors, rather than the first creating the
        record and the second silently changing it."""
        rows_by_key: dict[tuple, list[int]] = {}
        for number, values in enumerate(dataset, start=1):
            row = dict(zip(dataset.headers, values, strict=False))
            if any(cell_text(value) for value in row.values()) and (key := self.record_key(row)) is not None:
                rows_by_key.setdefault(key, []).append(number + 1)
        return {number - 1: numbers for numbers in rows_by_key.values() if len(numbers) > 1 for number in numbers}

    def record_key(self, row) -> tuple | None:
        """What names the record a row is about: its slug; without one, see `key_without_slug`."""
        slug = cell_text(row.get("slug"))
        return ("slug", slug.lower()) if slug else self.key_without_slug(row)

    def key_without_slug(self, row) -> tuple | None:
        """None: without a slug, a row is a new record of its own."""
        return None

    # --- One row ----------------------------------------------------------------------

    def import_row(self, row, instance_loader, **kwargs):
        if all(cell_text(value) == "" for value in row.values()):
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            return row_result
        return super().import_row(row, instance_loader, **kwargs)

    def before_import_row(self, row, **kwargs):
        for field in self.fields.values():
            if isinstance(field.widget, PrecisionWidget) and field.widget.date_column in row:
                row.setdefault(field.column_name, "")  # no precision column: take it from how the date is written
        self._formula_columns = []
        for column, value in row.items():
            row[column], is_formula = restore(value)
            if is_formula:
                self._formula_columns.append(column)

    def get_instance(self, instance_loader, row):
        """An existing record is the one with the row's slug; see `find_without_slug`."""
        slug = cell_text(row.get("slug"))
        if slug:
            return self.get_queryset().filter(slug=slug).first()
        return self.find_without_slug(row)

    def find_without_slug(self, row):
        return None

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # Keep stored text that differs only in line endings (XLSX drops "\r") or surrounding spaces.
        if (
            isinstance(field.widget, TextWidget)
            and field.column_name in row
            and same_text(field.get_value(instance), field.clean(row, **kwargs))
        ):
            return
        if isinstance(field.widget, RelatedListWidget):
            # Lists of related records are checked now and saved after the record (save_m2m).
            if field.column_name in row and not field.readonly:
                instance._pending_lists = getattr(instance, "_pending_lists", {})
                instance._pending_lists[field.attribute] = (field, field.clean(row, **kwargs))
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        was_published = instance.publication_status
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for column in self._formula_columns:
            errors.setdefault(column, []).append(
                ValidationError(
                    _(
                        "starts with “%(char)s”, so a spreadsheet program would run it as a formula. "
                        "Type the value itself, or reword it so that it does not begin with “%(char)s”."
                    )
                    % {"char": str(row[column])[:1]}
                )
            )
        if same := getattr(self, "_same_record", {}).get(kwargs.get("row_number")):
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                ValidationError(
                    _("The same %(thing)s is in rows %(rows)s of this file: keep one of them.")
                    % {"thing": instance._meta.verbose_name, "rows": listed(same)}
                )
            )
        if not self.may_publish():
            # Editors import drafts: the file cannot publish or unpublish anything.
            instance.publication_status = was_published
        if instance.pk and not self.may("change"):
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                ValidationError(
                    _("This row would change an existing %(thing)s, which you may not do.")
                    % {"thing": instance._meta.verbose_name}
                )
            )
        original = type(instance)._default_manager.get(pk=instance.pk) if instance.pk else None
        if original is not None and not may_change(self.user, instance):
            # As in the admin, editors change drafts only; an unchanged published row is fine.
            if not self.skip_row(instance, original, row):
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    ValidationError(_("This row would change a published record: %(why)s") % {"why": refusal(original)})
                )
        elif original is not None and self.corrects_published(instance, original, row):
            # As in the admin (ReasonedForm), a change to a published record says why: the public
            # corrections page shows the reason with the change.
            if self.change_reason:
                instance._change_reason = self.change_reason
            else:
                errors.setdefault(NON_FIELD_ERRORS, []).append(ValidationError(REASON_REQUIRED))
        errors.update(self.check_instance(instance, exclude=errors.keys()))
        if errors:
            raise ValidationError(errors)

    def corrects_published(self, instance, original, row) -> bool:
        """Whether the row changes a published record by more than (un)publishing it, which, as in
        the admin, needs no reason."""
        if getattr(original, "publication_status", None) != PublicationStatus.PUBLISHED:
            return False
        wanted, instance.publication_status = instance.publication_status, original.publication_status
        try:
            return not self.skip_row(instance, original, row)
        finally:
            instance.publication_status = wanted

    def may_publish(self) -> bool:
        """Without a user (a script), nothing is published: imports default to drafts."""
        return bool(self.user and can_publish(self.user, self._meta.model))

    def may(self, action: str) -> bool:
        """The admin checks the "add" permission for importing; updating existing rows needs "change" too."""
        model = self._meta.model._meta
        return self.user is None or self.user.has_perm(f"{model.app_label}.{action}_{model.model_name}")

    def check_instance(self, instance, exclude) -> dict:
        """Cross-column rules, worded for staff (the database constraints say it less clearly)."""
        return {}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        # Derived columns (status, deadline, search vector, …) are not the file's business.
        exclude = set(errors) | {field.name for field in instance._meta.concrete_fields if not field.editable}
        try:
            instance.full_clean(exclude=exclude, validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        pending = getattr(instance, "_pending_lists", {})
        return all(
            field.widget.current(original, attribute) == field.widget.wanted(values)
            for attribute, (field, values) in pending.items()
        )

    def before_save_instance(self, instance, row, **kwargs):
        if not instance._state.adding:
            instance.version += 1  # an admin form opened before the import is now stale

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        for attribute, (field, values) in getattr(instance, "_pending_lists", {}).items():
            field.widget.save(instance, attribute, values)

    # --- Export -----------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*self.select).prefetch_related(*self.prefetch).order_by("pk")


class OrganizationResource(TrackerResource):
    slug = slug()
    name = text("name")
    short_name = text("short_name")
    kind = choice("kind")
    country = related("country")
    parent = related("parent")
    sectors = related_list("sectors")
    website = text("website")
    description = text("description")
    sources = related_list("sources")
    publication_status = publication()

    required_columns = ("name", "kind")
    select = ("country", "parent")
    prefetch = ("sectors", "sources")

    class Meta:
        model = Organization

    def key_without_slug(self, row):
        name = cell_text(row.get("name"))
        try:
            country = self.fields["country"].clean(row) if "country" in row else None
        except ValueError:
            return None  # reported with the row's other errors
        return ("name", name.casefold(), getattr(country, "pk", None)) if name else None

    def find_without_slug(self, row):
        """Without a slug, an organization is its name within its country (unique together)."""
        name = cell_text(row.get("name"))
        try:
            country = self.fields["country"].clean(row) if "country" in row else None
        except ValueError:
            return None
        return self.get_queryset().filter(name__iexact=name, country=country).first() if name else None

    def check_instance(self, instance, exclude):
        if "parent" not in exclude and instance.pk and instance.parent_id == instance.pk:
            return {"parent": [_("An organization cannot be its own parent.")]}
        return {}


class VisitResource(TrackerResource):
    slug = slug()
    title = text("title")
    kind = choice("kind")
    start_date = date("start_date")  # empty: the reports give no date
    start_precision = precision("start_precision", "start_date")
    end_date = date("end_date")
    place = text("place")
    host_country = related("host_country")
    participants = related_list("participants")
    organizations = related_list("organizations")
    sectors = related_list("sectors")
    summary = text("summary")
    sources = related_list("sources")
    publication_status = publication()

    required_columns = ("title", "kind", "start_date")
    select = ("host_country",)
    prefetch = ("participants", "organizations", "sectors", "sources")

    class Meta:
        model = Visit

    def check_instance(self, instance, exclude):
        if "end_date" in exclude or "start_date" in exclude:
            return {}
        if instance.end_date and instance.start_date and instance.end_date < instance.start_date:
            return {"end_date": [_("The end date is before the start date.")]}
        if instance.end_date and not instance.start_date:
            return {"end_date": [_("An event without a start date has no end date.")]}
        return {}


def number(attribute, max_digits=16):
    return Field(attribute=attribute, column_name=attribute, widget=DecimalWidget(max_digits))


def whole(attribute, name, minimum, maximum):
    return Field(attribute=attribute, column_name=attribute, widget=WholeNumberWidget(name, minimum, maximum))


def derived(attribute):
    """Exported, never imported: the domain derives it (the file cannot type it a second time)."""
    return Field(attribute=attribute, column_name=attribute, readonly=True)


DERIVED_BY_STEPS = gettext_lazy(
    "a document's status, entry into force, expiry and awaited side are derived from its rules and "
    "steps; import the steps (the document's other spreadsheet) instead"
)


class DocumentResource(TrackerResource):
    slug = slug()
    title = text("title")
    short_title = text("short_title")
    kind = choice("kind")
    level = choice("level")
    signed_on = date("signed_on")
    signed_precision = precision("signed_precision", "signed_on")
    signed_at = related("signed_at")
    place_signed = text("place_signed")
    stage_before_signature = choice("stage_before_signature", required=False, default="planned")
    subject_to_procedures = choice("subject_to_procedures", required=False, default="not_reported")
    entry_into_force_rule = choice("entry_into_force_rule", required=False, default="not_reported")
    entry_into_force_delay = whole("entry_into_force_delay", gettext_lazy("number of days or months"), 1, 32767)
    entry_into_force_fixed_on = date("entry_into_force_fixed_on")
    duration_months = whole("duration_months", gettext_lazy("duration in months"), 1, 32767)
    automatic_renewal = choice("automatic_renewal", required=False, default="not_reported")
    renewal_months = whole("renewal_months", gettext_lazy("renewal period in months"), 1, 32767)
    notice_months = whole("notice_months", gettext_lazy("notice period in months"), 0, 32767)
    builds_on = related("builds_on")
    parties = Field(attribute="parties", column_name="parties", widget=PartiesWidget())
    sectors = related_list("sectors")
    summary = text("summary")
    sources = related_list("sources")
    publication_status = publication()
    status = derived("status")
    entry_into_force = derived("entry_into_force")
    expires_on = derived("expires_on")
    ended_on = derived("ended_on")
    awaiting_kz = derived("awaiting_kz")
    awaiting_rs = derived("awaiting_rs")

    required_columns = ("title", "kind", "level")
    select = ("signed_at", "builds_on")
    prefetch = ("parties__organization", "parties__side", "parties__signatory", "sectors", "sources")

    class Meta:
        model = Document

    DERIVED_COLUMNS = ("status", "entry_into_force", "expires_on", "ended_on", "awaiting_kz", "awaiting_rs")

    def import_instance(self, instance, row, **kwargs):
        # An exported file carries the derived columns back: unchanged they are fine, typed they are refused.
        self._typed_derived = [
            column
            for column in self.DERIVED_COLUMNS
            if cell_text(row.get(column))
            and cell_text(row.get(column)) != cell_text(self.export_field(self.fields[column], instance))
        ]
        super().import_instance(instance, row, **kwargs)

    def check_instance(self, instance, exclude):
        errors = {column: [DERIVED_BY_STEPS] for column in getattr(self, "_typed_derived", [])}
        rule = instance.entry_into_force_rule
        needs_delay = rule in ("days_after_notification", "months_after_notification")
        if "entry_into_force_delay" not in exclude and needs_delay != (instance.entry_into_force_delay is not None):
            errors["entry_into_force_delay"] = [
                _("Give the number of days or months with that clause (and only with it).")
            ]
        needs_date = rule == "fixed_date"
        if "entry_into_force_fixed_on" not in exclude and needs_date != (
            instance.entry_into_force_fixed_on is not None
        ):
            errors["entry_into_force_fixed_on"] = [_("Give the fixed date with that clause (and only with it).")]
        if "renewal_months" not in exclude and instance.renewal_months and instance.automatic_renewal != "yes":
            errors["renewal_months"] = [_("A renewal period is given only for a document renewed automatically.")]
        if "duration_months" not in exclude and instance.automatic_renewal == "yes" and not instance.duration_months:
            errors["duration_months"] = [_("A document renewed automatically needs the duration of its first period.")]
        if "builds_on" not in exclude and instance.pk and instance.builds_on_id == instance.pk:
            errors["builds_on"] = [_("A document cannot build on itself.")]
        return errors


class DocumentStepResource(TrackerResource):
    """Each side's steps after a document's signature. A row is matched by document, side, step and
    date of the act: the same act is not recorded twice."""

    document = related("document", required=True)
    side = related("side", required=True)
    kind = choice("kind")
    act_on = date("act_on")
    effective_on = date("effective_on")
    procedure_kind = choice("procedure_kind", required=False, default="")
    act_number = text("act_number")
    gazette_reference = text("gazette_reference")
    note_number = text("note_number")
    amending_document = related("amending_document")
    source = related("source")
    note = text("note")

    required_columns = ("document", "side", "kind")
    select = ("document", "side", "amending_document", "source")

    class Meta:
        model = DocumentStep
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def _key(self, row):
        return (
            self.fields["document"].clean(row).pk,
            self.fields["side"].clean(row).pk,
            self.fields["kind"].clean(row),
            self.fields["act_on"].clean(row),
        )

    def record_key(self, row):
        try:
            return self._key(row)
        except (ValueError, KeyError, AttributeError):
            return None  # reported with the row's other errors

    def get_instance(self, instance_loader, row):
        try:
            document, side, kind, act_on = self._key(row)
        except (ValueError, KeyError, AttributeError):
            return None
        return self.get_queryset().filter(document=document, side=side, kind=kind, act_on=act_on).first()

    def import_instance(self, instance, row, **kwargs):
        # A step has no publication state of its own: TrackerResource's handling of it is skipped.
        instance.publication_status = None
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            del instance.publication_status

    def check_instance(self, instance, exclude):
        errors = {}
        if instance.pk is None and instance.document_id and not may_change(self.user, instance):
            # A new step on a published document changes what the public sees, like a changed one.
            errors[NON_FIELD_ERRORS] = [
                _("This row would change a published record: %(why)s") % {"why": refusal(instance)}
            ]
        if not ({"act_on", "effective_on"} & set(exclude)) and not (instance.act_on or instance.effective_on):
            errors["act_on"] = [_("Give the date of the act or the date it takes effect.")]
        if (
            "effective_on" not in exclude
            and instance.act_on
            and instance.effective_on
            and instance.effective_on < instance.act_on
        ):
            errors["effective_on"] = [_("A step cannot take effect before the date of its act.")]
        if "procedure_kind" not in exclude and instance.procedure_kind and instance.kind != "internal_procedure":
            errors["procedure_kind"] = [_("Only an internal procedure has a kind of procedure.")]
        if (
            "note_number" not in exclude
            and instance.note_number
            and instance.kind not in ("notification_sent", "notification_received")
        ):
            errors["note_number"] = [_("Only a notification has a diplomatic note number.")]
        if "amending_document" not in exclude and (instance.kind == "amendment") != bool(instance.amending_document_id):
            errors["amending_document"] = [_("An amendment names the amending document, and only an amendment does.")]
        return errors

    # DocumentStep.save() re-derives its document's treaty state.


class CommitmentResource(TrackerResource):
    slug = slug()
    title = text("title")
    description = text("description")
    origin_visit = related("origin_visit")
    origin_document = related("origin_document")
    # Who leads and supports, for which side: "organization [lead, kazakhstan]; …" — the one
    # column for the responsible organizations (the old `responsible_organizations` is refused).
    responsibilities = Field(
        attribute="responsibilities", column_name="responsibilities", widget=ResponsibilitiesWidget()
    )
    promise_passage = text("promise_passage")
    promise_source = related("promise_source")
    sectors = related_list("sectors")
    due_on = date("due_on")
    due_precision = precision("due_precision", "due_on")
    sources = related_list("sources")
    publication_status = publication()

    required_columns = ("title",)
    column_hints = {
        "status": gettext_lazy("a commitment's status comes from its status updates; import those instead"),
        "progress": gettext_lazy("a commitment's progress comes from its status updates; import those instead"),
        "responsible_organizations": gettext_lazy(
            "the responsible organizations are now the responsibilities column, each with its role and side: "
            "“organization [lead, kazakhstan]; organization [support, serbia]” (export the commitments to see it)"
        ),
    }
    select = ("origin_visit", "origin_document", "promise_source")
    prefetch = ("responsibilities__organization", "sectors", "sources")

    class Meta:
        model = Commitment

    def check_instance(self, instance, exclude):
        if "origin_visit" in exclude or "origin_document" in exclude:
            return {}
        if not instance.origin_visit_id and not instance.origin_document_id:
            return {
                NON_FIELD_ERRORS: [
                    _("A commitment must come from a visit or a document: fill origin_visit or origin_document.")
                ]
            }
        return {}


class StatusUpdateResource(TrackerResource):
    """A commitment's history. A row is matched by commitment and date: one status per commitment per day."""

    commitment = related("commitment", required=True)
    reported_on = date("reported_on", required=True)
    status = choice("status")
    progress = Field(attribute="progress", column_name="progress", widget=ProgressWidget())
    basis = choice("basis", required=False, default=Basis.REPORTED)
    basis_passage = text("basis_passage")
    reasoning = text("reasoning")
    note = text("note")
    evidence_source = related("evidence_source")
    sources = related_list("sources")
    evidence_visit = related("evidence_visit")
    evidence_document = related("evidence_document")
    publication_status = publication()
    entered_by = Field(attribute="entered_by__username", column_name="entered_by", readonly=True)

    required_columns = ("commitment", "reported_on", "status")
    select = ("commitment", "evidence_source", "evidence_visit", "evidence_document", "entered_by")

    class Meta:
        model = StatusUpdate

    def record_key(self, row):
        try:
            return (self.fields["commitment"].clean(row).pk, self.fields["reported_on"].clean(row))
        except (ValueError, KeyError, AttributeError):
            return None  # reported with the row's other errors

    def get_instance(self, instance_loader, row):
        try:
            commitment = self.fields["commitment"].clean(row)
            reported_on = self.fields["reported_on"].clean(row)
        except (ValueError, KeyError):
            return None  # reported with the row's other errors
        matches = list(self.get_queryset().filter(commitment=commitment, reported_on=reported_on)[:2])
        if len(matches) > 1:
            raise ValidationError(
                _("This commitment has several status updates dated %(date)s; correct them in the admin.")
                % {"date": reported_on.isoformat()}
            )
        return matches[0] if matches else None

    def check_instance(self, instance, exclude):
        # Also keeps full_clean away from that constraint: its message's "%" breaks Django's formatting.
        if "progress" not in exclude and instance.status == CommitmentStatus.COMPLETED and instance.progress != 100:
            return {"progress": [_("A completed commitment has progress 100%%.") % {}]}
        return {}

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if instance._state.adding and self.user is not None and self.user.is_authenticated:
            instance.entered_by = self.user

    # StatusUpdate.save() refreshes its commitment's derived status and progress.


# --- Figures ------------------------------------------------------------------------------------


class FigureResource(TrackerResource):
    """A figure's columns, as a report gives it (README "Spreadsheet import": figures). Its period is
    `period_kind` (year, part_year, date, since, not_reported) with the parts that kind needs."""

    slug = slug()
    indicator = related("indicator", required=True)
    subject = text("subject")
    parent = related("parent")
    value_as_printed = text("value_as_printed")
    qualifier = choice("qualifier", required=False, default=Qualifier.EXACTLY)
    value = number("value")
    scale = choice("scale", required=False, default=Scale.ONE)
    unit = choice("unit", required=False, default="")
    counted = text("counted")
    currency = text("currency")
    period_kind = choice("period_kind", required=False, default=PeriodKind.NOT_REPORTED)
    period_year = whole("period_year", "period_year", periods.EARLIEST_YEAR, periods.LATEST_YEAR)
    period_first_month = whole("period_first_month", "period_first_month", 1, 12)
    period_last_month = whole("period_last_month", "period_last_month", 1, 12)
    period_day = date("period_day")
    period_as_printed = text("period_as_printed")
    period_basis = choice("period_basis", required=False, default=FigureBasis.REPORTED)
    period_reasoning = text("period_reasoning")
    side = choice("side", required=False, default=FigureSide.BILATERAL)
    country = related("country")
    counterpart = related("counterpart")
    reported_by = text("reported_by")
    reporter_organization = related("reporter_organization")
    reporter_person = related("reporter_person")
    reporter_basis = choice("reporter_basis", required=False, default=FigureBasis.REPORTED)
    reporter_reasoning = text("reporter_reasoning")
    change_percent = number("change_percent", max_digits=7)
    change_absolute = number("change_absolute")
    change_compared_with = text("change_compared_with")
    earlier_value = number("earlier_value")
    source = related("source", required=True)
    passage = text("passage")
    about_visit = related("about_visit")
    about_document = related("about_document")
    note = text("note")
    publication_status = publication()

    required_columns = ("indicator", "value_as_printed", "source", "passage")
    select = (
        "indicator",
        "parent",
        "country",
        "counterpart",
        "reporter_organization",
        "reporter_person",
        "source",
        "about_visit",
        "about_document",
    )

    class Meta:
        model = Figure

    def find_without_slug(self, row):
        """Without a slug, a figure is its report's printed number for an indicator and subject."""
        try:
            indicator, source = self.fields["indicator"].clean(row), self.fields["source"].clean(row)
        except (ValueError, KeyError):
            return None  # reported with the row's other errors
        matches = self.get_queryset().filter(
            indicator=indicator,
            source=source,
            subject=cell_text(row.get("subject")),
            value_as_printed=cell_text(row.get("value_as_printed")),
        )
        found = list(matches[:2])
        return found[0] if len(found) == 1 else None

    def check_instance(self, instance, exclude):
        """The period in words: the database constraint would only name itself."""
        if "period_kind" in exclude or periods.is_real(*instance.period_parts):
            return {}
        return {
            "period_kind": [
                _(
                    "A period of kind “%(kind)s” needs: %(parts)s, and no other period columns (a part of a year "
                    "runs from its first to its last month, 1–12, and is shorter than the year)."
                )
                % {
                    "kind": instance.period_kind,
                    "parts": ", ".join(f"period_{part}" for part in periods.NEEDS.get(instance.period_kind, ()))
                    or _("none"),
                }
            ]
        }
