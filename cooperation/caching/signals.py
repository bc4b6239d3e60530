"""What raises the content version: every committed change to tracker data the public could see.

The domain announces its changes (Django's model signals, and tracker's own `publication_changed`
and `changed_in_bulk` for statements that send none); this room listens, so the domain needs to
know nothing of caches.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from simple_history.models import HistoricalChanges

from cooperation.tracker.models import ContentVersion, changed_in_bulk, publication_changed

from . import content_version


def _is_tracker_data(model) -> bool:
    """A tracker model the public sees something of: not its history, not the version itself."""
    meta = model._meta
    return meta.app_label == "tracker" and model is not ContentVersion and not issubclass(model, HistoricalChanges)


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
@receiver(publication_changed)
def content_changed(sender, **kwargs):
    # For m2m_changed the sender is the through model, always in the app of the model that
    # declares the field; every many-to-many field of a tracker model is declared in tracker.
    if _is_tracker_data(sender):
        # publication_changed names no database: its records know theirs.
        content_version.changed_on_commit(using=kwargs.get("using") or kwargs["records"][0]._state.db)


@receiver(changed_in_bulk)
def changed_without_row_signals(sender, using, **kwargs):
    # At once: it is sent when the change is complete. Inside a transaction the new number is
    # seen with the data, at commit (its row stays locked until then: moments, at the end).
    content_version.bump(using=using)
