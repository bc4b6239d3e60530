"""The staff roles and exactly the permissions each one has."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from cooperation.tracker.models import Publishable, record_models

TRACKER_MODELS = tuple(record_models())
# The models whose Meta.permissions define `publish_<model>`.
PUBLISHABLE_MODELS = tuple(model for model in TRACKER_MODELS if issubclass(model, Publishable))

EDITOR = "Editor"
PUBLISHER = "Publisher"

# Spreadsheet import needs add + change, export needs view (django-import-export's
# defaults), so both roles can import and export what they may edit.
ROLE_ACTIONS = {
    EDITOR: {"add", "change", "view"},
    PUBLISHER: {"add", "change", "view", "delete", "publish"},
}


def role_permissions(role: str) -> list[Permission]:
    actions = ROLE_ACTIONS[role]
    codenames = {
        (ContentType.objects.get_for_model(model).pk, f"{action}_{model._meta.model_name}")
        for model in TRACKER_MODELS
        for action in actions
        if action != "publish" or model in PUBLISHABLE_MODELS
    }
    permissions = Permission.objects.filter(content_type__app_label="tracker")
    chosen = [p for p in permissions if (p.content_type_id, p.codename) in codenames]
    missing = len(codenames) - len(chosen)
    if missing:
        raise LookupError(f"{missing} permissions of the {role} role do not exist; run migrate first.")
    return chosen


@transaction.atomic
def setup_roles() -> dict[str, Group]:
    """Create or correct the groups so they hold exactly their role's permissions."""
    groups = {}
    for role in ROLE_ACTIONS:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(role_permissions(role))
        groups[role] = group
    return groups
