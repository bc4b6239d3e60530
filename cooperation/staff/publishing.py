"""Who may publish, and who may change what the public sees: the one rule of each, asked by every
path into the data — the admin's forms, inline rows, list_editable, actions, delete, the history
revert and the restore of deleted records (admin/base.py), and the spreadsheet import
(spreadsheets/resources.py). The state change itself is the domain's (PublishableQuerySet.publish /
unpublish).

- Publishing is the model permission `tracker.publish_<model>` (Meta.permissions in
  tracker/models/core.py), which the Publisher role has (roles.py).
- Published means protected (`may_change`): only someone who may publish a record changes,
  deletes or restores it while the public sees it. Everyone else works on drafts. A record without
  a publication state of its own is public through the published records that show it: a
  document's party through its document; a sector, country or source through every published
  record that names it.
"""

import functools

from django.contrib.auth import get_permission_codename
from django.db import models
from django.utils.translation import gettext as _

from cooperation.tracker.models import PublicationStatus, Publishable


def publish_permission(model) -> str:
    """'tracker.publish_document' for Document (see Meta.permissions in models.py)."""
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename('publish', opts)}"


def can_publish(user, model) -> bool:
    return bool(user) and user.has_perm(publish_permission(model))


def keep_publication_status(user, obj) -> None:
    """Only a publisher decides whether a record is public. For anyone else the
    stored state stands, whatever the form said; a new or restored record is a draft."""
    if can_publish(user, type(obj)):
        return
    stored = None
    if obj.pk is not None:
        stored = type(obj)._default_manager.filter(pk=obj.pk).values_list("publication_status", flat=True).first()
    obj.publication_status = stored or PublicationStatus.DRAFT


# --- Published means protected ---------------------------------------------------------------


def owner_link(model) -> models.ForeignKey | None:
    """The link of a row that has no publication state of its own but lives and dies with a
    publishable record (deleted with it, CASCADE): a party and its document."""
    if issubclass(model, Publishable):
        return None
    for field in model._meta.concrete_fields:
        if (
            field.many_to_one
            and issubclass(field.related_model, Publishable)
            and field.remote_field.on_delete is models.CASCADE
        ):
            return field
    return None


@functools.cache
def public_uses(model) -> tuple[tuple[type[Publishable], str], ...]:
    """(publishable model, lookup) for every way a published record shows a row of reference data
    `model`, e.g. (Visit, "sectors") or, through a document's parties, (Document, "parties__side")."""
    uses = []
    for relation in model._meta.related_objects:
        related, field = relation.related_model, relation.field
        if issubclass(related, Publishable):
            uses.append((related, field.name))
        elif (owner := owner_link(related)) is not None:
            uses.append((owner.related_model, f"{owner.related_query_name()}__{field.name}"))
    return tuple(uses)


def shown_by(model) -> set[type[Publishable]]:
    """The publishable models whose published records show rows of `model` (itself, if publishable)."""
    if issubclass(model, Publishable):
        return {model}
    if (owner := owner_link(model)) is not None:
        return {owner.related_model}
    return {publishable for publishable, _lookup in public_uses(model)}


def is_public(obj) -> bool:
    """Whether the public sees `obj`: as stored now, or, for a party, on the document it is being
    saved with (a party moved onto a published document, or restored into one, is public at once)."""
    model = type(obj)
    if issubclass(model, Publishable):
        # Its own state as stored: what an editor saves keeps it (keep_publication_status).
        stored = model._default_manager.filter(pk=obj.pk, publication_status=PublicationStatus.PUBLISHED)
        return obj.pk is not None and stored.exists()
    if (owner := owner_link(model)) is not None:
        stored_owner = model._default_manager.filter(pk=obj.pk).values(owner.attname)
        owners = owner.related_model._default_manager.published()
        return owners.filter(pk=getattr(obj, owner.attname)).exists() or (
            obj.pk is not None and owners.filter(pk__in=stored_owner).exists()
        )
    return obj.pk is not None and any(
        publishable._default_manager.published().filter(**{lookup: obj.pk}).exists()
        for publishable, lookup in public_uses(model)
    )


def may_publish_what_shows(user, model) -> bool:
    """Whether `user` may publish (and so take back to draft) every kind of record that shows `model`."""
    return all(can_publish(user, publishable) for publishable in shown_by(model))


def may_change(user, obj) -> bool:
    """The one rule of every path that saves, deletes or restores `obj`: a publisher may; anyone
    else (an editor, a script without a user) only what the public does not see (`is_public`).
    An editor's draft of a public record waits for a publisher: they publish, or take the record
    back to draft for the editor."""
    return may_publish_what_shows(user, type(obj)) or not is_public(obj)


def refusal(obj) -> str:
    """Why `may_change` said no, for the person who tried."""
    model = type(obj)
    if issubclass(model, Publishable):
        return _("“%(record)s” is published: only a publisher may change it.") % {"record": obj}
    if (owner := owner_link(model)) is not None:
        return _("The %(owner)s is published: only a publisher may change its %(things)s.") % {
            "owner": owner.related_model._meta.verbose_name,
            "things": model._meta.verbose_name_plural,
        }
    return _("Published records show the %(thing)s “%(record)s”: only a publisher may change it.") % {
        "thing": model._meta.verbose_name,
        "record": obj,
    }
