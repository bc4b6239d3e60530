"""The shape of each record in the API: its own public fields, its published relations (read from
the `public_*` lists that public.py prefetches), its page on the site (`url`) and in the API
(`api_url`). Text fields are read in the active language (get_language(): the language prefix or
Accept-Language), as the pages read them.

Links to other records are `Link`s; a link to a record that is not published is null, and lists
hold published records only.

The declared fields are the contract: drf-spectacular draws the schema from them, and DRF's own
machinery (`generic=True` in the context, tests/api/test_api_speed.py) serializes by them field by
field. Responses are drawn by a plan compiled from those same fields once per request
(`PlainMixin`): each field read straight from its attribute and converted by its own
`to_representation`, links and sources as plain dicts (`link`, `sector_link`, `source`), choice labels
from one dict per field and language (`ChoiceLabelField`), and every address from the request's
origin and each kind's URL template, found once per request (`Addresses`). A list page of 25
commitments holds some 700 fields and 300 addresses: DRF's generic path (a signature inspection
per label, a serializer instance per link, a `reverse()` and `build_absolute_uri()` per address)
spent most of the request there.
"""

import copy
import re
from functools import cache

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Manager
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.tracker.models import (
    Commitment,
    Document,
    DocumentStep,
    Figure,
    Organization,
    Person,
    Sector,
    Source,
    StatusUpdate,
    Visit,
    slug_url,
)

from .public import if_published

# The API's name of each kind: /api/v1/<kind>/ and the URL names api:<kind>-list and -detail.
KINDS = {
    Document: "documents",
    Visit: "visits",
    Commitment: "commitments",
    Organization: "organizations",
    Person: "people",
    Sector: "sectors",
    Figure: "figures",
    Source: "sources",
}
# The context key that asks for DRF's generic, field-by-field serialization (the reference the
# plain plan is tested against).
GENERIC = "generic"
PLACEHOLDER_NUMBER = 918273645


def api_path(record) -> str:
    """The record's address in the API: by slug, or by number for sources (which have no slug)."""
    name = f"api:{KINDS[type(record)]}-detail"
    if isinstance(record, Source):
        return reverse(name, kwargs={"pk": record.pk})
    return slug_url(name, record.slug)


def absolute(request, path: str) -> str | None:
    if not path:
        return None
    return request.build_absolute_uri(path) if request is not None else path


@cache
def _api_template(kind: str, urlconf, script_prefix: str, language: str | None) -> tuple[str, str]:
    """The API detail address of `kind` around its slug (or number): (head, tail)."""
    name = f"api:{kind}-detail"
    if kind == "sources":
        path = reverse(name, urlconf=urlconf, kwargs={"pk": PLACEHOLDER_NUMBER})
        head, _, tail = path.rpartition(f"/{PLACEHOLDER_NUMBER}/")
    else:
        path = reverse(name, urlconf=urlconf, args=["slug"])
        head, _, tail = path.rpartition("/slug/")
    return f"{head}/", f"/{tail}"


# A path that build_absolute_uri() would only prefix with the origin: from the root, no `//`
# (another host), no dot segments, nothing that iri_to_uri() would quote.
SIMPLE_PATH = re.compile(r"/(?:[A-Za-z0-9_\-][A-Za-z0-9_\-/]*)?(?:[?#][A-Za-z0-9_\-=&/]*)?\Z")


class Addresses:
    """The addresses of one request: its origin (scheme and host, checked once against
    ALLOWED_HOSTS) and each kind's API template, found once; every address is then a join."""

    def __init__(self, request):
        self.request = request
        self.origin = request.build_absolute_uri("/")[:-1] if request is not None else ""
        self.templates = {}
        self.where = (get_urlconf(), get_script_prefix(), translation.get_language())

    def absolute(self, path: str) -> str | None:
        if not path:
            return None
        if self.request is None:
            return path
        if SIMPLE_PATH.match(path):
            return self.origin + path
        return self.request.build_absolute_uri(path)

    def api(self, record) -> str:
        kind = KINDS[type(record)]
        template = self.templates.get(kind)
        if template is None:
            template = self.templates[kind] = _api_template(kind, *self.where)
        key = record.pk if kind == "sources" else record.slug
        if not key:
            return self.absolute(api_path(record))  # fails as reverse() does
        return f"{self.origin}{template[0]}{key}{template[1]}"

    def page(self, record) -> str | None:
        return self.absolute(record.get_absolute_url() if hasattr(record, "get_absolute_url") else "")


def addresses(context: dict) -> Addresses:
    """The request's Addresses, made on first use (the context is the root serializer's, one per
    request, shared by every nested serializer)."""
    found = context.get("addresses")
    if found is None:
        found = context["addresses"] = Addresses(context.get("request"))
    return found


def link(record, context: dict) -> dict:
    """A Link (LinkSerializer) as a plain dict."""
    where = addresses(context)
    return {"url": where.page(record), "api_url": where.api(record), "slug": record.slug, "name": str(record)}


def sector_link(sector, context: dict) -> dict:
    """A SectorLink as a plain dict."""
    return {"slug": sector.slug, "name": sector.name, "api_url": addresses(context).api(sector)}


def source(record, context: dict) -> dict:
    """A Source (SourceSerializer) as a plain dict."""
    published_on = record.published_on
    return {
        "id": record.pk,
        "publisher": record.publisher,
        "title": record.title,
        "published_on": None if published_on is None else published_on.isoformat(),
        "url": record.url,
        "quote": record.quote,
        "notes": record.notes,
        "api_url": addresses(context).api(record),
    }


class ChoiceLabelField(serializers.CharField):
    """The translated label of a choice field's value, as get_<field>_display() gives it."""

    def __init__(self, field: str, **kwargs):
        self.choice_field = field
        super().__init__(source=f"get_{field}_display", **kwargs)


@cache
def _labels(model, field: str, language: str | None) -> dict:
    with translation.override(language):
        return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def choice_labels(model, field: str) -> dict:
    """{value: label} of `model`'s choice field in the active language."""
    return _labels(model, field, translation.get_language())


# Each PlainMixin serializer class's fields, unbound (PlainMixin.get_fields).
FIELDS: dict[type, dict] = {}


class PlainMixin:
    # Serializes by a plan compiled from the declared fields once per serializer instance (once
    # per request for a list's rows): the same fields, order, null handling and conversions as
    # DRF's Serializer.to_representation, without its generic attribute lookup per field and
    # record. No docstring: drf-spectacular describes a serializer by the first in its MRO.

    def get_fields(self):
        # A ModelSerializer introspects its model for every instance (1 ms for a commitment's):
        # once per class here, then a copy, as DRF copies the declared fields.
        prototype = FIELDS.get(type(self))
        if prototype is None:
            prototype = FIELDS[type(self)] = super().get_fields()
        return copy.deepcopy(prototype)

    def to_representation(self, instance):
        if self.context.get(GENERIC):
            return super().to_representation(instance)
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self._plan = [(field.field_name, self._reader(field, instance)) for field in self._readable_fields]
        return {name: read(instance) for name, read in plan}

    def _reader(self, field, instance):
        """A function of the record giving the field's value, as DRF would give it."""
        if isinstance(field, serializers.SerializerMethodField):
            return getattr(field.parent, field.method_name)
        attributes = field.source_attrs
        if isinstance(field, ChoiceLabelField):
            labels = choice_labels(type(instance), field.choice_field)
            name = field.choice_field

            def label(record):
                value = getattr(record, name)
                found = labels.get(value)
                if found is not None:
                    return found
                return None if value is None else str(value)

            return label
        if len(attributes) != 1 or callable(getattr(type(instance), attributes[0], None)):
            return generic_reader(field)
        attribute = attributes[0]
        convert = field.to_representation
        if isinstance(field, serializers.ListSerializer):
            child = field.child.to_representation

            def many(record):
                items = getattr(record, attribute)
                if isinstance(items, Manager):
                    items = items.all()
                return [child(item) for item in items]

            return many

        def read(record):
            try:
                value = getattr(record, attribute)
            except ObjectDoesNotExist:
                return None
            return None if value is None else convert(value)

        return read


def generic_reader(field):
    """DRF's own reading of one field (dotted sources, callables)."""

    def read(record):
        value = field.get_attribute(record)
        return None if value is None else field.to_representation(value)

    return read


class AddressesMixin(serializers.Serializer):
    """`url`: the record's public page (null for kinds without one); `api_url`: its API address."""

    url = serializers.SerializerMethodField(help_text="The record's page on the site.")
    api_url = serializers.SerializerMethodField(help_text="The record in this API.")

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, record) -> str | None:
        if self.context.get(GENERIC):
            page = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
            return absolute(self.context.get("request"), page)
        return addresses(self.context).page(record)

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, record) -> str:
        if self.context.get(GENERIC):
            return absolute(self.context.get("request"), api_path(record))
        return addresses(self.context).api(record)


class LinkSerializer(AddressesMixin, serializers.Serializer):
    """Another published record, by slug and name."""

    slug = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, record) -> str:
        return str(record)

    def to_representation(self, record):
        if self.context.get(GENERIC):
            return super().to_representation(record)
        return link(record, self.context)


class CountrySerializer(PlainMixin, serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    name = serializers.CharField()


class SectorLinkSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, sector) -> str:
        return absolute(self.context.get("request"), api_path(sector))

    def to_representation(self, sector):
        if self.context.get(GENERIC):
            return super().to_representation(sector)
        return sector_link(sector, self.context)


class SourceSerializer(serializers.ModelSerializer):
    """Where facts come from: publisher, title, date, address (`url`: the publisher's page, as a
    source has none on this site) and the passage quoted."""

    id = serializers.IntegerField()
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = ["id", "publisher", "title", "published_on", "url", "quote", "notes", "api_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, source) -> str:
        return absolute(self.context.get("request"), api_path(source))

    def to_representation(self, record):
        if self.context.get(GENERIC):
            return super().to_representation(record)
        return source(record, self.context)


def published_link(attribute: str, help_text: str):
    """A foreign key's record as a Link when it is published, else null."""

    @extend_schema_field(LinkSerializer(allow_null=True))
    def get(self, record):
        related = if_published(getattr(record, attribute))
        if related is None:
            return None
        if self.context.get(GENERIC):
            return LinkSerializer(related, context=self.context).data
        return link(related, self.context)

    return serializers.SerializerMethodField(help_text=help_text), get


def label_of(field: str) -> ChoiceLabelField:
    """The translated label of a choice field's value."""
    return ChoiceLabelField(field, help_text=f"The label of `{field}`.")


class CommitmentSummarySerializer(PlainMixin, AddressesMixin, serializers.ModelSerializer):
    status_label = label_of("status")

    class Meta:
        model = Commitment
        fields = ["slug", "title", "status", "status_label", "progress", "url", "api_url"]


class PartySerializer(PlainMixin, serializers.Serializer):
    """An organization party to a document, the side it signs for, and who signed."""

    organization = LinkSerializer()
    side = CountrySerializer(allow_null=True)
    signatory = serializers.SerializerMethodField()

    @extend_schema_field(LinkSerializer(allow_null=True))
    def get_signatory(self, party):
        person = if_published(party.signatory)
        if person is None:
            return None
        if self.context.get(GENERIC):
            return LinkSerializer(person, context=self.context).data
        return link(person, self.context)


class StepSerializer(PlainMixin, serializers.ModelSerializer):
    """One side's act after signature (issue 16): public with its document."""

    side = CountrySerializer()
    kind_label = label_of("kind")
    procedure_kind_label = label_of("procedure_kind")
    amending_document, get_amending_document = published_link("amending_document", "The amending document.")
    source = SourceSerializer(allow_null=True)

    class Meta:
        model = DocumentStep
        fields = [
            "side",
            "kind",
            "kind_label",
            "act_on",
            "effective_on",
            "procedure_kind",
            "procedure_kind_label",
            "act_number",
            "gazette_reference",
            "note_number",
            "amending_document",
            "source",
            "note",
        ]


class DocumentSerializer(PlainMixin, AddressesMixin, serializers.ModelSerializer):
    kind_label = label_of("kind")
    level_label = label_of("level")
    status_label = label_of("status")
    signed_display = serializers.CharField(help_text="The signing date with its precision, as the page shows it.")
    signed_at, get_signed_at = published_link("signed_at", "The visit or event where it was signed.")
    builds_on, get_builds_on = published_link("builds_on", "An earlier document this one updates or replaces.")
    parties = PartySerializer(source="public_parties", many=True)
    sectors = SectorLinkSerializer(source="public_sectors", many=True)
    commitments = CommitmentSummarySerializer(source="public_commitments", many=True)
    sources = SourceSerializer(source="public_sources", many=True)
    steps = StepSerializer(many=True, help_text="Each side's steps after signature, oldest first.")
    # Plain strings, not enums: the two share one choice set (yes / no / not_reported), and a
    # schema enum per field would name that set twice (drf-spectacular W001).
    subject_to_procedures = serializers.CharField(help_text="yes, no or not_reported.")
    automatic_renewal = serializers.CharField(help_text="yes, no or not_reported.")
    subject_to_procedures_label = label_of("subject_to_procedures")
    entry_into_force_rule_label = label_of("entry_into_force_rule")

    class Meta:
        model = Document
        fields = [
            "slug",
            "title",
            "short_title",
            "kind",
            "kind_label",
            "level",
            "level_label",
            "status",
            "status_label",
            "signed_on",
            "signed_precision",
            "signed_display",
            "place_signed",
            "subject_to_procedures",
            "subject_to_procedures_label",
            "entry_into_force_rule",
            "entry_into_force_rule_label",
            "entry_into_force_delay",
            "entry_into_force_fixed_on",
            "duration_months",
            "automatic_renewal",
            "renewal_months",
            "notice_months",
            "entry_into_force",
            "expires_on",
            "ended_on",
            "awaiting_kz",
            "awaiting_rs",
            "steps",
            "summary",
            "signed_at",
            "builds_on",
            "parties",
            "sectors",
            "commitments",
            "sources",
            "url",
            "api_url",
        ]


class VisitSerializer(PlainMixin, AddressesMixin, serializers.ModelSerializer):
    kind_label = label_of("kind")
    date_display = serializers.CharField(help_text="The dates with their precision, as the page shows them.")
    host_country = CountrySerializer(allow_null=True)
    participants = LinkSerializer(source="public_participants", many=True, help_text="Leading persons.")
    organizations = LinkSerializer(source="public_organizations", many=True)
    documents = LinkSerializer(source="public_documents", many=True, help_text="Documents signed there.")
    commitments = CommitmentSummarySerializer(source="public_commitments", many=True, help_text="Promises made there.")
    sectors = SectorLinkSerializer(source="public_sectors", many=True)
    sources = SourceSerializer(source="public_sources", many=True)

    class Meta:
        model = Visit
        fields = [
            "slug",
            "title",
            "kind",
            "kind_label",
            "start_date",
            "start_precision",
            "end_date",
            "date_display",
            "place",
            "host_country",
            "summary",
            "participants",
            "organizations",
            "documents",
            "commitments",
            "document_count",
            "commitment_count",
            "sectors",
            "sources",
            "url",
            "api_url",
        ]


class StatusUpdateSerializer(PlainMixin, serializers.ModelSerializer):
    """One entry of a commitment's history, with its basis and evidence (published records only):
    `basis` "reported" (a source says so: `evidence_source`, `basis_passage` quoted from it) or
    "assessed" (the editors' judgement: `reasoning`, and the `sources` it rests on)."""

    status_label = label_of("status")
    basis_label = label_of("basis")
    evidence_source = SourceSerializer(allow_null=True)
    sources = SourceSerializer(source="public_sources", many=True, help_text="The sources an assessment rests on.")
    evidence_visit, get_evidence_visit = published_link("evidence_visit", "A later visit that carried it out.")
    evidence_document, get_evidence_document = published_link(
        "evidence_document", "A later document that carried it out."
    )

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "reported_on",
            "status",
            "status_label",
            "progress",
            "basis",
            "basis_label",
            "basis_passage",
            "reasoning",
            "note",
            "evidence_source",
            "sources",
            "evidence_visit",
            "evidence_document",
        ]


class ResponsibilitySerializer(PlainMixin, serializers.Serializer):
    """An organization responsible for a commitment: its role (lead or support) and its side."""

    organization = LinkSerializer()
    role = serializers.CharField(help_text="lead or support")
    role_label = label_of("role")
    side = serializers.CharField(help_text="kazakhstan, serbia, both or bilateral_body")
    side_label = label_of("side")


class CommitmentSerializer(PlainMixin, AddressesMixin, serializers.ModelSerializer):
    status_label = label_of("status")
    due_display = serializers.CharField(help_text="The due date with its precision.")
    is_overdue = serializers.BooleanField(help_text="Deadline passed and neither completed nor cancelled, today.")
    origin_document, get_origin_document = published_link("origin_document", "The document it was made in.")
    origin_visit, get_origin_visit = published_link("origin_visit", "The visit or event it was made at.")
    responsible_organizations = LinkSerializer(source="public_responsible", many=True)
    responsibilities = ResponsibilitySerializer(
        source="public_responsibilities", many=True, help_text="Who leads and who supports, for which side."
    )
    # A plain string: empty when no published update speaks of the commitment ("no information").
    basis = serializers.CharField(help_text="reported, assessed, or empty when no update speaks of it")
    basis_label = label_of("basis")
    promise_source = SourceSerializer(allow_null=True, help_text="The source of the promise's own words.")
    updates = StatusUpdateSerializer(source="public_updates", many=True, help_text="Its history, newest first.")
    sectors = SectorLinkSerializer(source="public_sectors", many=True)
    sources = SourceSerializer(source="public_sources", many=True)

    class Meta:
        model = Commitment
        fields = [
            "slug",
            "title",
            "description",
            "status",
            "status_label",
            "progress",
            "basis",
            "basis_label",
            "promise_passage",
            "promise_source",
            "due_on",
            "due_precision",
            "deadline",
            "due_display",
            "is_overdue",
            "last_reviewed_on",
            "origin_document",
            "origin_visit",
            "responsible_organizations",
            "responsibilities",
            "updates",
            "sectors",
            "sources",
            "url",
            "api_url",
        ]


class OrganizationSerializer(PlainMixin, AddressesMixin, serializers.ModelSerializer):
    kind_label = label_of("kind")
    country = CountrySerializer(allow_null=True)
    parent, get_parent = published_link("parent", "The organization it is part of.")
    sectors = SectorLinkSerializer(source="public_sectors", many=True)
    sources = SourceSerializer(source="public_sources", many=True)

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "short_name",
            "kind",
            "kind_label",
            "country",
            "parent",
            "website",
            "description",
            "document_count",
            "commitment_count",
            "sectors",
            "sources",
            "url",
            "api_url",
        ]


class PersonSerializer(PlainMixin, AddressesMixin, serializers.ModelSerializer):
    country = CountrySerializer()
    organization, get_organization = published_link("organization", "The organization they act for.")
    sources = SourceSerializer(source="public_sources", many=True)

    class Meta:
        model = Person
        fields = ["slug", "name", "position", "country", "organization", "sources", "url", "api_url"]


class SectorSerializer(PlainMixin, AddressesMixin, serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name", "description", "url", "api_url"]


class IndicatorSerializer(PlainMixin, serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, indicator) -> str:
        if self.context.get(GENERIC):
            return absolute(self.context.get("request"), indicator.get_absolute_url())
        return addresses(self.context).absolute(indicator.get_absolute_url())


class FigureSerializer(PlainMixin, AddressesMixin, serializers.ModelSerializer):
    indicator = IndicatorSerializer()
    value_display = serializers.CharField(source="value_or_change", help_text="The value in the report's words.")
    period_display = serializers.CharField()
    period_is_assessed = serializers.BooleanField()
    direction_display = serializers.CharField()
    country = CountrySerializer(allow_null=True)
    counterpart = CountrySerializer(allow_null=True)
    reporter_display = serializers.CharField()
    reporter_is_assessed = serializers.BooleanField()
    reporter_organization, get_reporter_organization = published_link("reporter_organization", "Who reported it.")
    reporter_person, get_reporter_person = published_link("reporter_person", "Who reported it.")
    parent = serializers.SerializerMethodField(help_text="The figure this one is a part of (slug), if published.")
    change_display = serializers.CharField()
    source = SourceSerializer()

    class Meta:
        model = Figure
        fields = [
            "slug",
            "indicator",
            "subject",
            "value_as_printed",
            "value_display",
            "qualifier",
            "value",
            "scale",
            "unit",
            "counted",
            "currency",
            "amount",
            "period_kind",
            "period_display",
            "period_start",
            "period_end",
            "period_as_printed",
            "period_basis",
            "period_reasoning",
            "period_is_assessed",
            "side",
            "direction_display",
            "country",
            "counterpart",
            "reported_by",
            "reporter_display",
            "reporter_basis",
            "reporter_reasoning",
            "reporter_is_assessed",
            "reporter_organization",
            "reporter_person",
            "parent",
            "change_percent",
            "change_absolute",
            "change_compared_with",
            "earlier_value",
            "change_display",
            "passage",
            "note",
            "source",
            "url",
            "api_url",
        ]

    def get_parent(self, figure) -> str | None:
        parent = figure.public_parent
        return None if parent is None else parent.slug


SERIALIZERS = {
    Document: DocumentSerializer,
    Visit: VisitSerializer,
    Commitment: CommitmentSerializer,
    Organization: OrganizationSerializer,
    Person: PersonSerializer,
    Sector: SectorSerializer,
    Figure: FigureSerializer,
    Source: SourceSerializer,
}
