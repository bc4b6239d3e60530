"""Who may make a record public: the model permission `tracker.publish_<model>` (Meta.permissions
in tracker/models/core.py), which the Publisher role has (roles.py). The admin (admin/base.py) and the
spreadsheet import (spreadsheets/resources.py) ask these functions; the change itself is the
domain's (PublishableQuerySet.publish / unpublish)."""

from django.contrib.auth import get_permission_codename

from cooperation.tracker.models import PublicationStatus


def publish_permission(model) -> str:
    """'tracker.publish_document' for Document (see Meta.permissions in models.py)."""
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename('publish', opts)}"


def can_publish(user, model) -> bool:
    return user.has_perm(publish_permission(model))


def keep_publication_status(user, obj) -> None:
    """Only a publisher decides whether a record is public. For anyone else the
    stored state stands, whatever the form said; a new or restored record is a draft."""
    if can_publish(user, type(obj)):
        return
    stored = None
    if obj.pk is not None:
        stored = type(obj)._default_manager.filter(pk=obj.pk).values_list("publication_status", flat=True).first()
    obj.publication_status = stored or PublicationStatus.DRAFT
