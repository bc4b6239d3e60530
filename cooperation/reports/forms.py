"""The report's parameters, read and checked in one place for the page, the exports and the command."""

import functools

from django import forms
from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from cooperation.caching.remember import QUERIES, remember
from cooperation.tracker.models import Country, Document, Organization, Sector, Side, Visit
from cooperation.web.widgets import PlainSelect

from .services import ReportParams

DATE_FORMATS = ["%Y-%m-%d"]


def name_in_language():
    """The record's name in the active language, else the English (README "Languages"), as a column
    of the query itself: modeltranslation's own rewriting of `name` would reorder the columns of a
    values_list that mixes fields and annotations."""
    return Coalesce(NullIf(F(build_localized_fieldname("name", get_language())), Value("")), F("name"))


def selectable() -> dict[str, list[tuple[str, str]]]:
    """What the form's selects offer, as (key, name) by name: sectors, published organizations and
    countries, in one query (a UNION ALL of the three tables) rather than one per select."""
    parts = [
        queryset.rewrite(False)
        .annotate(select=Value(select), label=name_in_language())
        .values_list("select", key, "label")
        for select, key, queryset in (
            ("sector", "slug", Sector.objects.all()),
            ("organization", "slug", Organization.objects.published()),
            ("country", "code", Country.objects.all()),
        )
    ]
    first, *others = [part.order_by() for part in parts]
    options = {"sector": [], "organization": [], "country": []}
    for select, key, name in first.union(*others, all=True).order_by("select", "label"):
        options[select].append((key, name))
    return options


class NameChoiceIterator(ModelChoiceIterator):
    """(key, name) pairs, without building a model per option: from the form's one query for all
    its selects (`options`), or else straight from the field's queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.options is not None:
            yield from self.field.options()
        else:
            yield from self.queryset.values_list(self.field.to_field_name, "name")


class NamedChoiceField(forms.ModelChoiceField):
    """An optional select of records by their slug (or `key`), labelled by their name."""

    iterator = NameChoiceIterator
    widget = PlainSelect
    options = None  # set by ReportFilterForm

    def __init__(self, label, queryset, key: str = "slug"):
        super().__init__(queryset, label=label, to_field_name=key, required=False, empty_label=_("All"))


def record_by_slug(label, queryset) -> forms.ModelChoiceField:
    """An optional record typed as its slug: a text field, not a select, as there may be thousands
    of visits and tens of thousands of documents."""
    return forms.ModelChoiceField(
        label=label, queryset=queryset, to_field_name="slug", required=False, widget=forms.TextInput
    )


def report_date(label, help_text) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ReportFilterForm(forms.Form):
    sector = NamedChoiceField(_("Sector"), Sector.objects.all())
    organization = NamedChoiceField(_("Responsible organization"), Organization.objects.published())
    country = NamedChoiceField(_("Country of a responsible organization"), Country.objects.all(), key="code")
    lead = NamedChoiceField(_("Lead organization"), Organization.objects.published())
    side = forms.ChoiceField(
        label=_("Side that must act"), choices=[("", _("All")), *Side.choices], required=False, widget=PlainSelect
    )
    visit = record_by_slug(_("Made at (visit, by its slug)"), Visit.objects.published())
    document = record_by_slug(_("Made in (document, by its slug)"), Document.objects.published())
    as_of = report_date(_("As of"), _("The report as it stood on this date (YYYY-MM-DD)."))
    since = report_date(_("Changes since"), _("List what changed from this date on (YYYY-MM-DD)."))
    stale_days = forms.IntegerField(
        label=_("Stale after (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("A commitment not reviewed for this long is stale."),
    )

    error_messages = {
        "future_as_of": _("“As of” cannot be in the future; the report is shown for today."),
        "since_after_as_of": _("“Changes since” must not be after the report date; it was ignored."),
    }

    def __init__(self, *args, today=None, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        # The selects' options: one query for all three, once per form, through the query cache
        # when there is a request (caching/remember.py).
        # Per language: the options' names are translated.
        name = f"report:selectable:{get_language()}"
        options = functools.cache(functools.partial(remember, request, QUERIES, name, selectable))
        for name in ("sector", "organization", "country"):
            self.fields[name].options = lambda name=name: options()[name]
        self.fields["lead"].options = lambda: options()["organization"]

    def clean(self):
        data = super().clean()
        as_of, since = data.get("as_of"), data.get("since")
        if as_of and as_of > self.today:
            self.add_error("as_of", self.error_messages["future_as_of"])
            as_of = None
        if since and since > (as_of or self.today):
            self.add_error("since", self.error_messages["since_after_as_of"])
        return data

    def to_params(self) -> ReportParams:
        """The valid parameters. An invalid one is left out, so the rest of the report
        still works; `problems()` says what was ignored and why."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return ReportParams(
            today=self.today,
            as_of=data.get("as_of"),
            since=data.get("since"),
            stale_days=data.get("stale_days") or settings.STALE_AFTER_DAYS,
            sector=data.get("sector"),
            organization=data.get("organization"),
            country=data.get("country"),
            visit=data.get("visit"),
            document=data.get("document"),
            lead=data.get("lead"),
            side=data.get("side") or "",
        )

    def problems(self) -> list[str]:
        """One readable line per rejected parameter."""
        self.is_valid()
        lines = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else name
            lines.extend(f"{label} ({name}={self.data.get(name, '')!s}): {error}" for error in errors)
        return lines
