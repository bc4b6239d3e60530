"""What a detail page tells search engines and link previews about its record: schema.org JSON-LD
(`Legislation` for documents, `Event` for visits, `Organization`) and OpenGraph / Twitter card
tags. Published facts only: related records come from the page's published-only lists."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from cooperation.tracker.models import Document, DocumentStatus, Organization, Visit

from .queries import if_published

# What a document's lifecycle status says of its legal force (schema.org LegalForceStatus); the
# other statuses (planned, under negotiation, signed and not yet in force) say nothing of it.
LEGAL_FORCE = {
    DocumentStatus.IN_FORCE: "https://schema.org/InForce",
    DocumentStatus.EXPIRED: "https://schema.org/NotInForce",
    DocumentStatus.TERMINATED: "https://schema.org/NotInForce",
}

# The escapes of Django's json_script, which writes type="application/json" only: JSON inside a
# <script> element must not close it or open a comment.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def organization(record, url=None) -> dict:
    described = {"@type": "Organization", "name": record.name}
    if url:
        described["url"] = url
    return described


def document_data(document, url) -> dict:
    data = {
        "@type": "Legislation",
        "name": document.title,
        "legislationType": document.get_kind_display(),
        "legislationPassedBy": [organization(party.organization) for party in document.public_parties],
    }
    if document.short_title:
        data["alternateName"] = document.short_title
    if document.signed_on:
        data["legislationDate"] = document.signed_on
    if document.status in LEGAL_FORCE:
        data["legislationLegalForce"] = LEGAL_FORCE[document.status]
    return data


def visit_data(visit, url) -> dict:
    data = {"@type": "Event", "name": visit.title}
    if visit.start_date:  # an event the reports do not date has none
        data["startDate"] = visit.start_date
    if visit.end_date:
        data["endDate"] = visit.end_date
    if visit.place or visit.host_country:
        place = {"@type": "Place", "name": visit.place or str(visit.host_country)}
        if visit.host_country:
            place["address"] = {"@type": "PostalAddress", "addressCountry": visit.host_country.code}
        data["location"] = place
    return data


def organization_data(record, url) -> dict:
    data = organization(record)
    if record.short_name:
        data["alternateName"] = record.short_name
    if record.website:
        data["sameAs"] = record.website
    if parent := if_published(record.parent):
        data["parentOrganization"] = organization(parent)
    return data


BUILDERS = {Document: document_data, Visit: visit_data, Organization: organization_data}


def description(record) -> str:
    text = getattr(record, "summary", "") or getattr(record, "description", "")
    return Truncator(text).chars(300)


def json_ld(record, url: str) -> str:
    """A <script type="application/ld+json"> element for `record`, or "" for a kind without one."""
    builder = BUILDERS.get(type(record))
    if builder is None:
        return ""
    data = {"@context": "https://schema.org", **builder(record, url), "url": url}
    if text := description(record):
        data["description"] = text
    encoded = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(encoded))  # noqa: S308 (escaped above)


def share_tags(record, url: str) -> dict:
    """OpenGraph and Twitter card values: title, description, address."""
    return {"title": str(record), "description": description(record), "url": url}
