"""Atom feeds of published status updates: all, and per commitment, sector and organization."""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from cooperation.tracker.models import (
    Basis,
    Commitment,
    Document,
    Organization,
    Sector,
    StatusUpdate,
    Visit,
    source_name,
)
from cooperation.web.corrections import latest_corrections

FEED_LENGTH = 50


class StatusUpdatesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Cooperation Tracker: status updates")
    subtitle = _("The latest published status updates of Kazakhstan–Serbia commitments.")
    # RFC 4287 wants an author for every entry; the site's editors answer for all of them (who
    # entered an update is staff information, not published).
    author_name = _("Cooperation Tracker editors")

    def link(self, obj=None):
        return reverse("reports:overview")

    def updates(self, obj):
        """Published updates of published commitments, narrowed to `obj` by subclasses."""
        return StatusUpdate.objects.published()

    def items(self, obj=None):
        updates = self.updates(obj).select_related("commitment", "evidence_source").prefetch_related("sources")
        return updates.order_by("-reported_on", "-id")[:FEED_LENGTH]

    def item_title(self, item):
        return _("%(commitment)s: %(status)s (%(progress)s %%)") % {
            "commitment": item.commitment.title,
            "status": item.get_status_display(),
            "progress": item.progress,
        }

    def item_description(self, item):
        """The basis first (README "Basis of a status"), then the note."""
        return "\n\n".join(filter(None, [basis_text(item), item.note]))

    def item_link(self, item):
        return f"{item.commitment.get_absolute_url()}#update-{item.pk}"

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.reported_on, datetime.time()), datetime.UTC)

    def item_updateddate(self, item):
        return item.updated_at


def basis_text(update) -> str:
    """How a status update is known, in a sentence: "Reported by <source>: “passage”" or "Assessed
    by the editors: reasoning (resting on: …)"."""
    if update.basis == Basis.ASSESSED:
        text = _("Assessed by the editors: %(reasoning)s") % {"reasoning": update.reasoning}
        sources = "; ".join(source_name(source) for source in update.sources.all())
        return f"{text} ({_('resting on')}: {sources})" if sources else text
    if not (update.evidence_source or update.basis_passage):
        return ""  # reported, with no source named: the note says the rest
    text = str(_("Reported"))
    if update.evidence_source:
        text = _("Reported by %(source)s") % {"source": source_name(update.evidence_source)}
    return f"{text}: “{update.basis_passage}”" if update.basis_passage else str(text)


class RecordUpdatesFeed(StatusUpdatesFeed):
    """The updates of the commitments of one record, found by its slug among `records` (a draft or
    unknown slug: 404); `lookup` leads from a status update to the record."""

    records: QuerySet
    lookup: str
    title_format: str  # with %(name)s for the record

    def get_object(self, request, slug):
        return get_object_or_404(self.records, slug=slug)

    def title(self, obj):
        return self.title_format % {"name": str(obj)}

    def link(self, obj):
        return obj.get_absolute_url()

    def updates(self, obj):
        return super().updates(obj).filter(**{self.lookup: obj})


class CommitmentUpdatesFeed(RecordUpdatesFeed):
    records = Commitment.objects.published()
    lookup = "commitment"
    title_format = _("Status updates: %(name)s")


class SectorUpdatesFeed(RecordUpdatesFeed):
    records = Sector.objects.all()
    lookup = "commitment__sectors"
    title_format = _("Status updates in %(name)s")


class OrganizationUpdatesFeed(RecordUpdatesFeed):
    records = Organization.objects.published()
    lookup = "commitment__responsible_organizations"
    title_format = _("Status updates of commitments of %(name)s")


class NewRecordsFeed(Feed):
    """The latest published records of `model`, newest publication first."""

    feed_type = Atom1Feed
    author_name = StatusUpdatesFeed.author_name
    model: type
    list_url_name: str

    def link(self):
        return reverse(self.list_url_name)

    def items(self):
        return self.model.objects.published().order_by("-published_at", "-id")[:FEED_LENGTH]

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class NewDocumentsFeed(NewRecordsFeed):
    model = Document
    list_url_name = "web:document-list"
    title = _("Cooperation Tracker: new documents")
    subtitle = _("Agreements, memorandums and protocols as they are published.")


class NewVisitsFeed(NewRecordsFeed):
    model = Visit
    list_url_name = "web:visit-list"
    title = _("Cooperation Tracker: new visits and events")
    subtitle = _("Visits, talks, commission sessions and forums as they are published.")


class CorrectionsFeed(Feed):
    """The public log of corrections (web/corrections.py), newest first."""

    feed_type = Atom1Feed
    title = _("Cooperation Tracker: corrections")
    subtitle = _("Every change made to a published record after its publication, with the editors' reason.")
    author_name = StatusUpdatesFeed.author_name

    def link(self):
        return reverse("web:corrections")

    def items(self):
        return latest_corrections(FEED_LENGTH)

    def item_title(self, item):
        return _("Correction: %(kind)s “%(record)s”") % {"kind": item.kind, "record": item.record}

    def item_description(self, item):
        changes = "; ".join(f"{change.label}: {change.before} → {change.after}" for change in item.changes)
        reason = item.reason or _("no reason recorded")
        return f"{_('Reason')}: {reason}. {_('Changed')}: {changes}"

    def item_link(self, item):
        return f"{reverse('web:corrections')}#{item.anchor}"

    def item_guid(self, item):
        return item.anchor

    def item_pubdate(self, item):
        return item.date
