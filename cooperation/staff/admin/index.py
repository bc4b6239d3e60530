"""The admin's index grouped by task rather than by Django app: the records staff enter first, then
people and organizations, the reference lists, the spreadsheets, and users and security last."""

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (group, models by "app_label.model_name"); a model in no group goes to "Other".
GROUPS = (
    (
        _("Records"),
        ("tracker.visit", "tracker.document", "tracker.commitment", "tracker.statusupdate", "tracker.figure"),
    ),
    (_("People and organizations"), ("tracker.organization", "tracker.person", "tracker.documentparty")),
    (_("Reference lists"), ("tracker.country", "tracker.sector", "tracker.source", "tracker.indicator")),
    (_("Users and security"), ("auth.user", "auth.group")),
)
LAST = _("Users and security")
SECURITY_APPS = {"auth", "axes"}
# The models with a spreadsheet import (SpreadsheetMixin), in the order their files are imported.
SPREADSHEETS = ("organization", "visit", "document", "commitment", "statusupdate", "figure")


def grouped_app_list(site, request, app_label=None):
    """Django's app list (`AdminSite.get_app_list`) regrouped; an app's own page stays as it was."""
    apps = site._build_app_dict(request, app_label)
    if app_label:
        return site.__class__.get_app_list(site, request, app_label)
    models = {}
    for app in apps.values():
        for model in app["models"]:
            model["app_label"] = app["app_label"]
            models[f"{app['app_label']}.{model['object_name'].lower()}"] = model
    groups = []
    for name, keys in GROUPS:
        chosen = [models.pop(key) for key in keys if key in models]
        if name == LAST:
            # Everything of the security apps (axes' access attempts, …) joins users and groups.
            chosen += [models.pop(key) for key in list(models) if key.split(".")[0] in SECURITY_APPS]
            other = [models.pop(key) for key in list(models)]
            if other:
                groups.append(group(_("Other"), "other", other))
            spreadsheets = spreadsheet_links(request)
            if spreadsheets:
                groups.append(group(_("Spreadsheets"), "spreadsheets", spreadsheets))
        if chosen:
            groups.append(group(name, str(name).lower().replace(" ", "-"), chosen))
    return groups


def group(name, label, models) -> dict:
    return {"name": name, "app_label": label, "app_url": "", "has_module_perms": True, "models": models}


def spreadsheet_links(request) -> list[dict]:
    """One row per import page the user may open ("Import documents"), linking to it."""
    rows = []
    for name in SPREADSHEETS:
        model = apps.get_model("tracker", name)
        if not request.user.has_perm(f"tracker.add_{name}"):
            continue
        try:
            url = reverse(f"admin:tracker_{name}_import")
        except NoReverseMatch:
            continue
        rows.append(
            {
                "name": _("Import %(things)s") % {"things": model._meta.verbose_name_plural},
                "object_name": f"import-{name}",
                "admin_url": url,
                "add_url": None,
                "view_only": True,
                "perms": {"view": True},
            }
        )
    return rows
