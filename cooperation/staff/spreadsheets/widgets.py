"""How cells of an import/export spreadsheet map to model values.

Related records are named by natural keys (slugs, names, ISO codes), never by
database ids. Every `clean` raises ValueError with a message meant for the
person who filled in the spreadsheet; django-import-export shows it with the
row number and column. A widget made without its choices or related model takes
them from the model field of its column (`bind`, called by the resource).
"""

import datetime
import difflib
import re
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.widgets import Widget

from cooperation.tracker.dates import DatePrecision
from cooperation.tracker.models import (
    Country,
    DocumentParty,
    Organization,
    Person,
    Responsibility,
    Role,
    Side,
    Source,
    complete_responsibilities,
    responsibility_conflicts,
    side_of_organization,
)

LIST_SEPARATOR = ";"


def cell_text(value) -> str:
    """A cell as stripped text; whole numbers from a spreadsheet lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def same_text(stored, imported) -> bool:
    def canonical(value):
        return ("" if value is None else str(value)).replace("\r\n", "\n").strip()

    return canonical(stored) == canonical(imported)


class TextWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class OptionalTextWidget(TextWidget):
    """Blank means "keep what is there" (used for slugs, which the model fills in)."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value) or None


class ModelFieldWidget(Widget):
    """A widget that reads cells by something of its column's model field, `vocabulary` (the field's
    attribute of that name): given, or taken from the field (`bind`, called by the resource)."""

    vocabulary: str

    def __init__(self, known=None, required=False):
        super().__init__()
        self.known = known
        self.required = required

    def bind(self, model_field) -> None:
        if self.known is None:
            self.known = getattr(model_field, self.vocabulary)


class ChoiceWidget(ModelFieldWidget):
    """A choice by its stored value ("mou") or its label ("memorandum of understanding"), among the
    (value, label) pairs of `choices` (by default the model field's)."""

    vocabulary = "choices"

    def __init__(self, choices=None, required=True):
        super().__init__(choices, required)

    @property
    def choices(self):
        return self.known

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).lower()
        if not text:
            if self.required:
                raise ValueError(_("A value is required; use one of: %(values)s.") % {"values": self._allowed()})
            return None
        for stored, label in self.choices:
            if text in (str(stored).lower(), str(label).lower()):
                return stored
        raise ValueError(
            _('"%(value)s" is not allowed here; use one of: %(values)s.')
            % {"value": cell_text(value), "values": self._allowed()}
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value

    def _allowed(self) -> str:
        return ", ".join(str(stored) for stored, _label in self.choices)


_DAY_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^\d{4}$")


def parse_date(value) -> tuple[datetime.date | None, str | None]:
    """(date, precision the text implies) — "2024" is a year, "2024-09" a month, "2024-09-15" a day."""
    if value in (None, ""):
        return None, None
    if isinstance(value, datetime.datetime):
        return value.date(), DatePrecision.DAY
    if isinstance(value, datetime.date):
        return value, DatePrecision.DAY
    text = cell_text(value)
    if not text:
        return None, None
    if _YEAR.match(text) and 1900 <= int(text) <= 2100:
        return datetime.date(int(text), 1, 1), DatePrecision.YEAR
    month = _MONTH.match(text)
    if month and 1 <= int(month[2]) <= 12:
        return datetime.date(int(month[1]), int(month[2]), 1), DatePrecision.MONTH
    for date_format in _DAY_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date(), DatePrecision.DAY
        except ValueError:
            continue
    raise ValueError(
        _('bad date "%(value)s": write it as YYYY-MM-DD (or DD.MM.YYYY), YYYY-MM for a month, YYYY for a year.')
        % {"value": text[:40]}
    )


class DateWidget(Widget):
    """A day, month or year; the precision column (if any) says which."""

    def __init__(self, required=False):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        date, _precision = parse_date(value)
        if date is None and self.required:
            raise ValueError(_("A date is required (YYYY-MM-DD)."))
        return date

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class PrecisionWidget(ChoiceWidget):
    """Day, month or year; when blank, taken from how the date column is written."""

    def __init__(self, date_column):
        super().__init__(DatePrecision.choices, required=False)
        self.date_column = date_column

    def clean(self, value, row=None, **kwargs):
        precision = super().clean(value, row, **kwargs)
        if precision:
            return precision
        try:
            _date, implied = parse_date((row or {}).get(self.date_column))
        except ValueError:
            implied = None  # the date column reports its own error
        return implied or DatePrecision.DAY


def parse_decimal(text: str) -> Decimal | None:
    """A finite number from a cell's text ("69.4", "69,4", "-9.7"), or None when it is not one."""
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


class WholeNumberWidget(Widget):
    """A whole number from `minimum` to `maximum` (a blank cell is `blank`); anything else (150,
    1e400, "half") is refused, naming the column as `name`, without arithmetic on it."""

    def __init__(self, name, minimum: int, maximum: int, blank=None):
        super().__init__()
        self.name, self.minimum, self.maximum, self.blank = name, minimum, maximum, blank

    def text(self, value) -> str:
        return cell_text(value)

    def clean(self, value, row=None, **kwargs):
        text = self.text(value)
        if not text:
            return self.blank
        number = parse_decimal(text)
        if number is None or not (self.minimum <= number <= self.maximum) or number != number.to_integral_value():
            raise ValueError(
                _('%(name)s must be a whole number from %(minimum)s to %(maximum)s, not "%(value)s".')
                % {"name": self.name, "minimum": self.minimum, "maximum": self.maximum, "value": text[:40]}
            )
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class ProgressWidget(WholeNumberWidget):
    """A whole percentage 0–100 ("40%" too); blank is 0."""

    def __init__(self):
        super().__init__(gettext_lazy("progress"), 0, 100, blank=0)

    def text(self, value) -> str:
        return cell_text(value).rstrip("%").strip()


class DecimalWidget(Widget):
    """A number as printed ("69.4", "-9.7"; a decimal comma too), or blank; text, NaN and numbers
    beyond `max_digits` are refused with a message."""

    def __init__(self, max_digits: int = 16):
        super().__init__()
        self.max_digits = max_digits

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).strip()
        if not text:
            return None
        number = parse_decimal(text)
        if number is None or abs(number) >= Decimal(10) ** self.max_digits:
            raise ValueError(_('"%(value)s" is not a number (write it as 69.4 or -9.7).') % {"value": text[:40]})
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else format(value.normalize(), "f")


# --- Related records by natural key ------------------------------------------------

# Lookups tried in order; the first that matches exactly one record wins.
NATURAL_LOOKUPS = {
    Country: ("code__iexact", "name__iexact"),
    Source: ("url", "title__iexact"),
    Person: ("slug", "name__iexact"),
}
DEFAULT_LOOKUPS = ("slug", "name__iexact", "short_name__iexact", "title__iexact", "short_title__iexact")


def natural_key(obj) -> str:
    """How a record is written in a spreadsheet cell."""
    if obj is None:
        return ""
    if isinstance(obj, Country):
        return obj.code
    if isinstance(obj, Source):
        return obj.url or obj.title
    return obj.slug


def resolve(model: type[models.Model], text: str):
    field_names = {field.name for field in model._meta.get_fields()}
    lookups = NATURAL_LOOKUPS.get(model) or [
        lookup for lookup in DEFAULT_LOOKUPS if lookup.split("__")[0] in field_names
    ]
    for lookup in lookups:
        matches = list(model._default_manager.filter(**{lookup: text})[:2])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValueError(
                _('several %(things)s match "%(value)s"; use the slug to say which one.')
                % {"things": model._meta.verbose_name_plural, "value": text}
            )
    message = _('unknown %(thing)s "%(value)s".') % {"thing": model._meta.verbose_name, "value": text[:100]}
    suggestions = close_names(model, [lookup.split("__")[0] for lookup in lookups], text)
    if suggestions:
        message += " " + _("Did you mean %(names)s?") % {"names": _(" or ").join(f"“{name}”" for name in suggestions)}
    raise ValueError(message)


# Names compared for a "did you mean": enough for every organization or visit a tracker has; past
# that the suggestion is skipped rather than the import slowed down.
SUGGESTION_POOL = 5000


def close_names(model, fields: list[str], text: str) -> list[str]:
    """What was probably meant by a misspelt cell: up to three records of `model` whose slug, name,
    title or code is close to `text` (difflib's similarity ratio, without case), each written the
    way a cell names it best (its first lookup field that is set: the slug, the ISO code, …)."""
    preferred = {}
    for row in model._default_manager.values_list(*fields)[:SUGGESTION_POOL]:
        best = next((str(value) for value in row if value), "")
        for name in row:
            if name:
                preferred.setdefault(str(name).lower(), best)
    close = difflib.get_close_matches(text.lower(), list(preferred), n=6, cutoff=0.6)
    return list(dict.fromkeys(preferred[name] for name in close))[:3]


class NaturalKeyWidget(ModelFieldWidget):
    """One related record (a foreign key) of `model` (by default the model field's related model)."""

    vocabulary = "related_model"

    @property
    def model(self):
        return self.known

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            if self.required:
                raise ValueError(_("A %(thing)s is required.") % {"thing": self.model._meta.verbose_name})
            return None
        return resolve(self.model, text)

    def render(self, value, obj=None, **kwargs):
        return natural_key(value)


def related_items(manager) -> list:
    """The records behind a related manager; none yet for a record not saved (a new row in the preview)."""
    if manager is None or getattr(manager, "instance", None) is not None and manager.instance.pk is None:
        return []
    return list(manager.all())


def split_list(value) -> list[str]:
    return [item.strip() for item in cell_text(value).split(LIST_SEPARATOR) if item.strip()]


class RelatedListWidget(NaturalKeyWidget):
    """Several related records in one cell, separated by ";". Saved after the record (see TrackerResource)."""

    def __init__(self, model=None):
        super().__init__(model, required=False)

    def clean(self, value, row=None, **kwargs):
        found = {}
        errors = []
        for item in split_list(value):
            try:
                obj = resolve(self.model, item)
            except ValueError as error:
                errors.append(str(error))
            else:
                found.setdefault(obj.pk, obj)
        if errors:
            raise ValueError(" ".join(errors))
        return list(found.values())

    def render(self, value, obj=None, **kwargs):
        return f"{LIST_SEPARATOR} ".join(natural_key(item) for item in related_items(value))

    def current(self, instance, attribute) -> set:
        return set(getattr(instance, attribute).values_list("pk", flat=True))

    def wanted(self, values) -> set:
        return {obj.pk for obj in values}

    def save(self, instance, attribute, values) -> None:
        getattr(instance, attribute).set(values)


_PARTY = re.compile(r"^(?P<organization>.+?)\s*(?:\[(?P<details>[^\[\]]*)\])?$")


class PartiesWidget(RelatedListWidget):
    """Document parties: "organization [SIDE]" or "organization [SIDE, signatory]", separated by ";".

    SIDE is the ISO code of the country the party signs for; left out, it is the
    organization's own country.
    """

    def __init__(self):
        super().__init__(Organization)

    def clean(self, value, row=None, **kwargs):
        parties = {}
        errors = []
        for item in split_list(value):
            match = _PARTY.match(item)
            details = [part.strip() for part in (match["details"] or "").split(",")]
            try:
                organization = resolve(self.model, match["organization"])
                side = resolve(Country, details[0]) if details[0] else organization.country
                signatory = resolve(Person, details[1]) if len(details) > 1 and details[1] else None
            except ValueError as error:
                errors.append(str(error))
            else:
                parties[organization.pk] = (organization, side, signatory)
        if errors:
            raise ValueError(" ".join(errors))
        return list(parties.values())

    def render(self, value, obj=None, **kwargs):
        items = []
        for party in related_items(value):
            details = ", ".join(filter(None, [natural_key(party.side), natural_key(party.signatory)]))
            organization = natural_key(party.organization)
            items.append(f"{organization} [{details}]" if details else organization)
        return f"{LIST_SEPARATOR} ".join(items)

    def current(self, instance, attribute) -> set:
        return set(instance.parties.values_list("organization_id", "side_id", "signatory_id"))

    def wanted(self, values) -> set:
        return {(org.pk, side.pk if side else None, person.pk if person else None) for org, side, person in values}

    def save(self, instance, attribute, values) -> None:
        keep = {org.pk for org, _side, _person in values}
        instance.parties.exclude(organization_id__in=keep).delete()
        for organization, side, signatory in values:
            DocumentParty.objects.update_or_create(
                document=instance, organization=organization, defaults={"side": side, "signatory": signatory}
            )


_ROLES = {"lead": "lead", "support": "support", "supporting": "support"}


class ResponsibilitiesWidget(RelatedListWidget):
    """A commitment's lead and supporting organizations: "organization [ROLE, SIDE]", separated by
    ";". ROLE is lead or support (left out: support); SIDE is kazakhstan, serbia, both or
    bilateral_body (left out: the organization's country's). A commitment left without a lead gets
    its first organization as lead (models/core.py complete_responsibilities). A cell that
    contradicts itself (responsibility_conflicts: an organization twice, two leads for a side) is
    refused whole."""

    def __init__(self):
        super().__init__(Organization)

    def clean(self, value, row=None, **kwargs):
        rows = []
        errors = []
        sides = {choice.value for choice in Side}
        for item in split_list(value):
            match = _PARTY.match(item)
            details = [part.strip().lower() for part in (match["details"] or "").split(",") if part.strip()]
            role, side = Role.SUPPORT, ""
            for detail in details:
                if detail in _ROLES:
                    role = _ROLES[detail]
                elif detail in sides:
                    side = detail
                else:
                    errors.append(
                        _("“%(value)s” is neither a role (lead, support) nor a side (%(sides)s).")
                        % {"value": detail, "sides": ", ".join(sorted(sides))}
                    )
            try:
                organization = resolve(self.model, match["organization"])
            except ValueError as error:
                errors.append(str(error))
            else:
                rows.append((organization, role, side or side_of_organization(organization.pk)))
        if errors:
            raise ValueError(" ".join(errors))
        if problems := responsibility_conflicts(rows):
            raise ValueError(" ".join(problems))
        return rows

    def render(self, value, obj=None, **kwargs):
        return f"{LIST_SEPARATOR} ".join(
            f"{natural_key(row.organization)} [{row.role}, {row.side}]" for row in related_items(value)
        )

    def current(self, instance, attribute) -> set:
        return set(instance.responsibilities.values_list("organization_id", "role", "side"))

    def wanted(self, values) -> set:
        return {(organization.pk, role, side) for organization, role, side in values}

    def save(self, instance, attribute, values) -> None:
        keep = {organization.pk for organization, _role, _side in values}
        instance.responsibilities.exclude(organization_id__in=keep).delete()
        for organization, role, side in values:
            Responsibility.objects.update_or_create(
                commitment=instance, organization=organization, defaults={"role": role, "side": side}
            )
        complete_responsibilities([instance.pk])
