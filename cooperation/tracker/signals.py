"""Which stored counts (Organization and Visit `document_count`, `commitment_count`)
a change affects. Each receiver only notes ids; counts.refresh_public_counts_on_commit
recounts them once per transaction, when it commits. (The public caches listen to changes on
their own: cooperation/caching/signals.py.)

What is counted: published documents per visit (signed_at) and per party
organization (DocumentParty), published commitments per visit (origin_visit)
and per responsible organization (the m2m through rows). A change matters when
it moves a published record, or publishes or unpublishes one.

Raw saves (loaddata, restore_data, load_seed) recount everything: fixtures may
bring any mix of rows. bulk_create sends no signals: generate_demo_data recounts
at its end, and `manage.py refresh_counts` does after raw SQL.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .counts import refresh_public_counts_on_commit
from .models import (
    Commitment,
    Document,
    DocumentParty,
    NamedMixin,
    Organization,
    Responsibility,
    Visit,
    complete_responsibilities,
    publication_changed,
)


def _counted_visit(visit_id, publication_status):
    """The visit whose counts include this record, if any."""
    return visit_id if publication_status == "published" else None


def _stored(instance, *fields) -> dict:
    """The row as it is in the database before this save ({} for a new one)."""
    if instance.pk is None:
        return {}
    return type(instance)._base_manager.filter(pk=instance.pk).values(*fields).first() or {}


# --- Documents and commitments: where they were made, and whether they are public ---------

VISIT_FIELD = {Document: "signed_at_id", Commitment: "origin_visit_id"}


@receiver(pre_save, sender=Document)
@receiver(pre_save, sender=Commitment)
def note_stored_state(sender, instance, raw, **kwargs):
    if not raw:
        instance._counted_before = _stored(instance, VISIT_FIELD[sender], "publication_status")


@receiver(post_save, sender=Document)
@receiver(post_save, sender=Commitment)
def record_saved(sender, instance, raw, created, **kwargs):
    if raw:
        refresh_public_counts_on_commit(everything=True, using=kwargs["using"])
        return
    before = instance.__dict__.pop("_counted_before", {})
    visit_field = VISIT_FIELD[sender]
    counted_at = _counted_visit(before.get(visit_field), before.get("publication_status"))
    now_counted_at = _counted_visit(getattr(instance, visit_field), instance.publication_status)
    visits = {counted_at, now_counted_at} - {None} if counted_at != now_counted_at else set()
    # Its parties or responsible organizations gain or lose it only when it is (un)published;
    # a new record has none yet (they are added after it is saved).
    republished = bool(before) and before["publication_status"] != instance.publication_status
    records = [instance.pk] if republished else []
    if visits or records:
        refresh_public_counts_on_commit(
            visits=visits,
            documents=records if sender is Document else (),
            commitments=records if sender is Commitment else (),
            using=kwargs["using"],
        )


@receiver(post_delete, sender=Document)
@receiver(post_delete, sender=Commitment)
def record_deleted(sender, instance, **kwargs):
    # Whatever state the instance in memory says it was in. Its party rows go with it,
    # each with its own signal; its responsibilities: commitment_deleting.
    visit = getattr(instance, VISIT_FIELD[sender])
    if visit:
        refresh_public_counts_on_commit(visits=[visit], using=kwargs["using"])


@receiver(publication_changed, sender=Document)
@receiver(publication_changed, sender=Commitment)
def records_republished(sender, records, **kwargs):
    ids = [record.pk for record in records]
    refresh_public_counts_on_commit(
        visits={getattr(record, VISIT_FIELD[sender]) for record in records} - {None},
        documents=ids if sender is Document else (),
        commitments=ids if sender is Commitment else (),
        using=records[0]._state.db,
    )


# --- Parties and responsible organizations -------------------------------------------------


@receiver(pre_save, sender=DocumentParty)
def note_stored_party(sender, instance, raw, **kwargs):
    if not raw:
        instance._counted_before = _stored(instance, "organization_id", "document_id")


@receiver(post_save, sender=DocumentParty)
def party_saved(sender, instance, raw, **kwargs):
    if raw:
        refresh_public_counts_on_commit(everything=True, using=kwargs["using"])
        return
    before = instance.__dict__.pop("_counted_before", {})
    if before == {"organization_id": instance.organization_id, "document_id": instance.document_id}:
        return  # another signatory or side: the same counts
    refresh_public_counts_on_commit(
        organizations={before.get("organization_id"), instance.organization_id} - {None}, using=kwargs["using"]
    )


@receiver(post_delete, sender=DocumentParty)
def party_deleted(sender, instance, **kwargs):
    """Deleted alone, or with its document (a cascade sends this for each party)."""
    refresh_public_counts_on_commit(organizations=[instance.organization_id], using=kwargs["using"])


@receiver(m2m_changed, sender=Responsibility)
def responsibilities_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    if action == "post_add" and pk_set:
        # Rows made without save() (set/add, fixtures): their side and the lead (models/core.py).
        complete_responsibilities(pk_set if reverse else [instance.pk], using=using)
    if reverse:  # organization.commitments.add / remove / clear
        if action in ("post_add", "post_remove", "post_clear"):
            refresh_public_counts_on_commit(organizations=[instance.pk], using=using)
    elif action in ("post_add", "post_remove") and pk_set:
        refresh_public_counts_on_commit(organizations=pk_set, using=using)
    elif action == "pre_clear":  # afterwards nobody can tell which organizations were responsible
        refresh_public_counts_on_commit(organizations=_responsible_for(instance), using=using)


@receiver(pre_save, sender=Responsibility)
def note_stored_responsibility(sender, instance, raw, **kwargs):
    if not raw:
        instance._counted_before = _stored(instance, "organization_id")


@receiver(post_save, sender=Responsibility)
def responsibility_saved(sender, instance, raw, **kwargs):
    """A row saved on its own (the admin's inline, an import): its organization's count."""
    if raw:
        refresh_public_counts_on_commit(everything=True, using=kwargs["using"])
        return
    before = instance.__dict__.pop("_counted_before", {})
    organizations = {before.get("organization_id"), instance.organization_id} - {None}
    refresh_public_counts_on_commit(organizations=organizations, using=kwargs["using"])


@receiver(post_delete, sender=Responsibility)
def responsibility_deleted(sender, instance, **kwargs):
    refresh_public_counts_on_commit(organizations=[instance.organization_id], using=kwargs["using"])


@receiver(pre_delete, sender=Commitment)
def commitment_deleting(sender, instance, using, **kwargs):
    # Its responsibility rows are deleted with it, and Django sends no signal for
    # rows of an auto-created many-to-many table.
    refresh_public_counts_on_commit(organizations=_responsible_for(instance), using=using)


def _responsible_for(commitment) -> list[int]:
    return list(Responsibility.objects.filter(commitment=commitment.pk).values_list("organization_id", flat=True))


# --- The counted rows themselves -------------------------------------------------------------


@receiver(post_save, sender=Organization)
@receiver(post_save, sender=Visit)
def counted_row_saved(sender, instance, raw, **kwargs):
    """save() writes every column, counts included, from the instance in memory, which may be
    older than the last recount (or, from a fixture, anything): recount the row itself."""
    if raw:
        refresh_public_counts_on_commit(everything=True, using=kwargs["using"])
    elif sender is Organization:
        refresh_public_counts_on_commit(organizations=[instance.pk], using=kwargs["using"])
    else:
        refresh_public_counts_on_commit(visits=[instance.pk], using=kwargs["using"])


# --- Folded names (NamedMixin.search_name) ---------------------------------------------------


@receiver(pre_save)
def fold_names_of_fixtures(sender, instance, raw, **kwargs):
    """A raw save (loaddata, restore_data, load_seed) skips save(), which keeps `search_name`."""
    if raw and isinstance(instance, NamedMixin):
        instance.set_search_name()
