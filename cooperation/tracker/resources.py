"""Placeholder import/export resources; the spreadsheet import work replaces this file."""

from import_export import resources

from .models import Commitment, Document, Organization, StatusUpdate, Visit


class OrganizationResource(resources.ModelResource):
    class Meta:
        model = Organization


class VisitResource(resources.ModelResource):
    class Meta:
        model = Visit


class DocumentResource(resources.ModelResource):
    class Meta:
        model = Document


class CommitmentResource(resources.ModelResource):
    class Meta:
        model = Commitment


class StatusUpdateResource(resources.ModelResource):
    class Meta:
        model = StatusUpdate
