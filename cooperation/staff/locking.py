"""Optimistic locking for records edited in the admin.

Every Publishable record carries a `version`. An edit form remembers the
version it was opened at (a hidden field); saving checks it against the stored
one and bumps it in a single conditional UPDATE, so of two people editing the
same record only the first save goes through and nothing is overwritten silently.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from simple_history.models import is_historic

VERSION_FIELD = "version_opened"

STALE_MESSAGE = _(
    "This record was changed by someone else since you opened it (you opened version %(opened)s, "
    "it is now at version %(current)s). Your changes were not saved. Open the record again to see "
    "the current version — its History shows what changed — and redo your changes there."
)
DELETED_MESSAGE = _("This record was deleted by someone else since you opened it. Your changes were not saved.")


class StaleVersionError(Exception):
    """The record changed (or vanished) between the version check and the save."""


def stored_version(instance) -> int | None:
    """The version in the database now; None when the row does not exist (any more)."""
    return type(instance)._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()


def claim_version(instance, opened: int) -> None:
    """Bump the stored version from `opened` to the next, or raise StaleVersionError.

    Call it inside the transaction that saves `instance`: the conditional UPDATE
    is atomic, so two saves racing from the same version cannot both succeed.
    A record restored from its history (its row is gone) is inserted afresh.
    """
    model = type(instance)
    bumped = model._default_manager.filter(pk=instance.pk, version=opened).update(version=F("version") + 1)
    restoring = not bumped and is_historic(instance) and stored_version(instance) is None
    if not (bumped or restoring):
        raise StaleVersionError
    instance.version = opened + 1


class VersionLockedForm(forms.ModelForm):
    """Model form that carries the version it was opened at and refuses a stale save."""

    version_opened = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if not instance._state.adding:
            if is_historic(instance):
                # Reverting to an old version is an edit of the record as it is now.
                instance.version = stored_version(instance) or instance.version
            self.fields[VERSION_FIELD].initial = instance.version
            self.fields[VERSION_FIELD].required = True
            self.fields[VERSION_FIELD].error_messages["required"] = _(
                "The form lost track of the record's version; open the record again."
            )

    def clean(self):
        cleaned_data = super().clean()
        opened = cleaned_data.get(VERSION_FIELD)
        if self.instance._state.adding or opened is None:
            return cleaned_data
        current = stored_version(self.instance)
        if current is None and not is_historic(self.instance):
            raise ValidationError(DELETED_MESSAGE, code="deleted")
        if current is not None and current != opened:
            raise ValidationError(STALE_MESSAGE, code="stale", params={"opened": opened, "current": current})
        return cleaned_data


CHANGE_REASON_FIELD = "change_reason"
# Fields whose change alone needs no reason: the form's own bookkeeping, and (un)publication,
# which the history records with a reason of its own.
NO_REASON_NEEDED = {VERSION_FIELD, CHANGE_REASON_FIELD, "publication_status"}


class ReasonedForm(VersionLockedForm):
    """A record's own admin form: a change to a published record needs the editor's reason, which
    the history keeps (`history_change_reason`) and the public corrections page shows."""

    change_reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=100,
        required=False,
        help_text=_("Required when the record is published: shown with the change on the public corrections page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.was_published = (
            not instance._state.adding
            and not is_historic(instance)
            and type(instance)._default_manager.filter(pk=instance.pk, publication_status="published").exists()
        )

    def clean(self):
        cleaned_data = super().clean()
        reason = (cleaned_data.get(CHANGE_REASON_FIELD) or "").strip()
        cleaned_data[CHANGE_REASON_FIELD] = reason
        changed = set(self.changed_data) - NO_REASON_NEEDED
        if self.was_published and changed and not reason:
            self.add_error(
                CHANGE_REASON_FIELD,
                ValidationError(
                    _(
                        "This record is published: say in a few words why you change it. The reason is shown "
                        "with the change on the public corrections page."
                    ),
                    code="reason_required",
                ),
            )
        return cleaned_data
