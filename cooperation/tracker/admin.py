"""Minimal registrations so the import/export views can be exercised on this branch.

The admin engineer's admin.py replaces this file; it follows the same contract
(ImportExportMixin with resource_classes from resources.py). No logic here.
"""

from django.contrib import admin
from import_export.admin import ImportExportMixin

from . import resources
from .models import Commitment, Document, Organization, StatusUpdate, Visit


@admin.register(Organization)
class OrganizationAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [resources.OrganizationResource]


@admin.register(Visit)
class VisitAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [resources.VisitResource]


@admin.register(Document)
class DocumentAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [resources.DocumentResource]


@admin.register(Commitment)
class CommitmentAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [resources.CommitmentResource]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [resources.StatusUpdateResource]
