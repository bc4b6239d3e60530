"""Who may make a record public, and publishing with an audit trail."""

from django.contrib.auth import get_permission_codename
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import PublicationStatus


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


def _set_publication(queryset, user, target: str, change_reason: str) -> int:
    """Move the records of `queryset` not yet in `target` state there, with one
    history row each saying who did it. Returns how many changed."""
    model = queryset.model
    pks = list(queryset.exclude(publication_status=target).values_list("pk", flat=True))
    if not pks:
        return 0
    with transaction.atomic():
        pending = model._default_manager.filter(pk__in=pks)
        count = pending.publish() if target == PublicationStatus.PUBLISHED else pending.unpublish()
        # QuerySet.update() sends no signals, so record the new state in the history here.
        model.history.bulk_history_create(
            list(model._default_manager.filter(pk__in=pks)),
            update=True,
            default_user=user,
            default_change_reason=str(change_reason),
        )
    return count


def publish_records(queryset, user) -> int:
    return _set_publication(queryset, user, PublicationStatus.PUBLISHED, _("Published"))


def unpublish_records(queryset, user) -> int:
    return _set_publication(queryset, user, PublicationStatus.DRAFT, _("Unpublished"))
