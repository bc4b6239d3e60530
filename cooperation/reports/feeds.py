"""Atom feeds of published status updates: all, and per commitment, sector and organization."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from cooperation.tracker.models import Commitment, Organization, Sector, StatusUpdate

FEED_LENGTH = 50


class StatusUpdatesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Cooperation Tracker: status updates")
    subtitle = _("The latest published status updates of Kazakhstan–Serbia commitments.")

    def link(self, obj=None):
        return reverse("reports:overview")

    def updates(self, obj):
        """Published updates of published commitments, narrowed to `obj` by subclasses."""
        return StatusUpdate.objects.published()

    def items(self, obj=None):
        return self.updates(obj).select_related("commitment").order_by("-reported_on", "-id")[:FEED_LENGTH]

    def item_title(self, item):
        return _("%(commitment)s: %(status)s (%(progress)s %%)") % {
            "commitment": item.commitment.title,
            "status": item.get_status_display(),
            "progress": item.progress,
        }

    def item_description(self, item):
        return item.note

    def item_link(self, item):
        return f"{item.commitment.get_absolute_url()}#update-{item.pk}"

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.reported_on, datetime.time()), datetime.UTC)

    def item_updateddate(self, item):
        return item.updated_at


class CommitmentUpdatesFeed(StatusUpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Commitment.objects.published(), slug=slug)

    def title(self, obj):
        return _("Status updates: %(name)s") % {"name": obj.title}

    def link(self, obj):
        return obj.get_absolute_url()

    def updates(self, obj):
        return super().updates(obj).filter(commitment=obj)


class SectorUpdatesFeed(StatusUpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Sector, slug=slug)

    def title(self, obj):
        return _("Status updates in %(name)s") % {"name": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def updates(self, obj):
        return super().updates(obj).filter(commitment__sectors=obj)


class OrganizationUpdatesFeed(StatusUpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Organization.objects.published(), slug=slug)

    def title(self, obj):
        return _("Status updates of commitments of %(name)s") % {"name": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def updates(self, obj):
        return super().updates(obj).filter(commitment__responsible_organizations=obj)
