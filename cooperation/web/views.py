"""Placeholder public views (published records only); replaced by the public browsing work."""

from django.views.generic import DetailView, ListView

from cooperation.tracker.models import Commitment, Document, Organization, Visit


class PublishedMixin:
    def get_queryset(self):
        return self.model.objects.published()


class DocumentListView(PublishedMixin, ListView):
    model = Document
    template_name = "web/placeholder_list.html"


class DocumentDetailView(PublishedMixin, DetailView):
    model = Document
    template_name = "web/placeholder_detail.html"


class VisitListView(PublishedMixin, ListView):
    model = Visit
    template_name = "web/placeholder_list.html"


class VisitDetailView(PublishedMixin, DetailView):
    model = Visit
    template_name = "web/placeholder_detail.html"


class CommitmentListView(PublishedMixin, ListView):
    model = Commitment
    template_name = "web/placeholder_list.html"


class CommitmentDetailView(PublishedMixin, DetailView):
    model = Commitment
    template_name = "web/placeholder_detail.html"


class OrganizationListView(PublishedMixin, ListView):
    model = Organization
    template_name = "web/placeholder_list.html"


class OrganizationDetailView(PublishedMixin, DetailView):
    model = Organization
    template_name = "web/placeholder_detail.html"
