"""The shape of each record in the API: its own public fields, its published relations (read from
the `public_*` lists that public.py prefetches), its page on the site (`url`) and in the API
(`api_url`). Text fields are read in the active language (get_language(): the language prefix or
Accept-Language), as the pages read them.

Links to other records are `Link`s; a link to a record that is not published is null, and lists
hold published records only.
"""

from django.urls import reverse
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


class AddressesMixin(serializers.Serializer):
    """`url`: the record's public page (null for kinds without one); `api_url`: its API address."""

    url = serializers.SerializerMethodField(help_text="The record's page on the site.")
    api_url = serializers.SerializerMethodField(help_text="The record in this API.")

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, record) -> str | None:
        page = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
        return absolute(self.context.get("request"), page)

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, record) -> str:
        return absolute(self.context.get("request"), api_path(record))


class LinkSerializer(AddressesMixin, serializers.Serializer):
    """Another published record, by slug and name."""

    slug = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, record) -> str:
        return str(record)


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    name = serializers.CharField()


class SectorLinkSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, sector) -> str:
        return absolute(self.context.get("request"), api_path(sector))


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


def published_link(attribute: str, help_text: str):
    """A foreign key's record as a Link when it is published, else null."""

    @extend_schema_field(LinkSerializer(allow_null=True))
    def get(self, record):
        related = if_published(getattr(record, attribute))
        return None if related is None else LinkSerializer(related, context=self.context).data

    return serializers.SerializerMethodField(help_text=help_text), get


def label_of(field: str) -> serializers.CharField:
    """The translated label of a choice field's value."""
    return serializers.CharField(source=f"get_{field}_display", help_text=f"The label of `{field}`.")


class CommitmentSummarySerializer(AddressesMixin, serializers.ModelSerializer):
    status_label = label_of("status")

    class Meta:
        model = Commitment
        fields = ["slug", "title", "status", "status_label", "progress", "url", "api_url"]


class PartySerializer(serializers.Serializer):
    """An organization party to a document, the side it signs for, and who signed."""

    organization = LinkSerializer()
    side = CountrySerializer(allow_null=True)
    signatory = serializers.SerializerMethodField()

    @extend_schema_field(LinkSerializer(allow_null=True))
    def get_signatory(self, party):
        person = if_published(party.signatory)
        return None if person is None else LinkSerializer(person, context=self.context).data


class StepSerializer(serializers.ModelSerializer):
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


class DocumentSerializer(AddressesMixin, serializers.ModelSerializer):
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


class VisitSerializer(AddressesMixin, serializers.ModelSerializer):
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


class StatusUpdateSerializer(serializers.ModelSerializer):
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


class ResponsibilitySerializer(serializers.Serializer):
    """An organization responsible for a commitment: its role (lead or support) and its side."""

    organization = LinkSerializer()
    role = serializers.CharField(help_text="lead or support")
    role_label = label_of("role")
    side = serializers.CharField(help_text="kazakhstan, serbia, both or bilateral_body")
    side_label = label_of("side")


class CommitmentSerializer(AddressesMixin, serializers.ModelSerializer):
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


class OrganizationSerializer(AddressesMixin, serializers.ModelSerializer):
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


class PersonSerializer(AddressesMixin, serializers.ModelSerializer):
    country = CountrySerializer()
    organization, get_organization = published_link("organization", "The organization they act for.")
    sources = SourceSerializer(source="public_sources", many=True)

    class Meta:
        model = Person
        fields = ["slug", "name", "position", "country", "organization", "sources", "url", "api_url"]


class SectorSerializer(AddressesMixin, serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name", "description", "url", "api_url"]


class IndicatorSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, indicator) -> str:
        return absolute(self.context.get("request"), indicator.get_absolute_url())


class FigureSerializer(AddressesMixin, serializers.ModelSerializer):
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
