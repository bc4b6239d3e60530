"""The publisher's queue (`/admin/queue/`): every draft awaiting publication on one page, each with
its related drafts (a visit's documents and commitments, a document's commitments, a
commitment's status updates), ticked together so that publishing a commitment publishes its
updates too. Who may publish what is publishing.py's rule (`can_publish`); the state change is
the domain's (`PublishableQuerySet.publish`), with a history row naming the publisher."""

from django.contrib import admin, messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Count, IntegerField, Q, Subquery, Value, When
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperation.tracker.models import Commitment, Document, Figure, Organization, Person, StatusUpdate, Visit

from ..publishing import can_publish

# In the order they are published: what a record points to before the record.
MODELS = (Organization, Person, Visit, Document, Commitment, StatusUpdate, Figure)
# Drafts that come with a draft record, by its model: (model, lookup to the record).
RELATED = {
    Visit: ((Document, "signed_at"), (Commitment, "origin_visit")),
    Document: ((Commitment, "origin_document"),),
    Commitment: ((StatusUpdate, "commitment"),),
}
# What a draft's label (its __str__) reads of other tables, read with it.
LABEL_RELATIONS = {StatusUpdate: ("commitment",), Figure: ("indicator",)}
# Drafts listed per kind: the queue is a work list, not an archive; the admin's lists have the rest.
SHOWN = 100


def key(record) -> str:
    return f"{record._meta.model_name}:{record.pk}"


def change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def entry(record, user) -> dict:
    return {"key": key(record), "label": str(record), "url": change_url(record), "may": can_publish(user, type(record))}


def drafts_with_related(model, parents: dict[str, list[int]]):
    """One query: the newest SHOWN drafts of `model` (`listed`), then its drafts that come with
    the parents' shown drafts ({link: parent pks}, e.g. a visit's documents), and on every row the
    number of all its drafts (`total`, a subquery the database runs once)."""
    drafts = model.objects.drafts()
    newest = drafts.order_by("-pk").values("pk")[:SHOWN]
    wanted = Q(pk__in=newest)
    for link, pks in parents.items():
        if pks:
            wanted |= Q(**{f"{link}__in": pks})
    total = drafts.order_by().values("publication_status").annotate(n=Count("pk")).values("n")
    rows = drafts.filter(wanted).annotate(
        listed=Case(When(pk__in=newest, then=Value(True)), default=Value(False), output_field=BooleanField()),
        total=Subquery(total, output_field=IntegerField()),
    )
    return rows.select_related(*LABEL_RELATIONS.get(model, ())).order_by("pk")


def load_permissions(user) -> None:
    """The permissions of `user` in one query instead of ModelBackend's two (its own, its
    groups'), kept where ModelBackend keeps them (`_perm_cache`), so that every has_perm of the
    page, the admin's menu included, reads them from there."""
    if user.is_superuser or not user.is_active or hasattr(user, "_perm_cache"):
        return
    rows = (
        Permission.objects.filter(Q(user=user) | Q(group__user=user))
        .values_list("content_type__app_label", "codename")
        .distinct()
    )
    user._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}


def queue(user) -> list[dict]:
    """Each kind of record with its drafts (at most SHOWN), each draft with its related drafts.
    One query per kind (drafts_with_related): a related draft is read with its own kind, which
    comes after the kind it relates to in MODELS."""
    shown: dict[type, dict[int, dict]] = {}
    sections = []
    for model in MODELS:
        links = {
            link: parent
            for parent, related in RELATED.items()
            for related_model, link in related
            if related_model is model
        }
        records = list(
            drafts_with_related(model, {link: list(shown.get(parent, ())) for link, parent in links.items()})
        )
        listed = sorted((record for record in records if record.listed), key=lambda record: -record.pk)
        rows = [{**entry(record, user), "related": []} for record in listed]
        shown[model] = {record.pk: row for record, row in zip(listed, rows, strict=True)}
        for record in records:
            for link, parent in links.items():
                row = shown[parent].get(getattr(record, f"{link}_id"))
                if row is not None:
                    row["related"].append({**entry(record, user), "kind": model._meta.verbose_name})
        sections.append(
            {
                "name": model._meta.verbose_name_plural,
                "model": model._meta.model_name,
                "rows": rows,
                "total": records[0].total if records else 0,
                "may": can_publish(user, model),
                "list_url": reverse(f"admin:tracker_{model._meta.model_name}_changelist")
                + "?publication_status__exact=draft",
            }
        )
    return sections


def publish_chosen(request) -> int:
    """Publish the drafts ticked (`publish` = "model:pk"), kind by kind in MODELS order. A kind the
    user may not publish refuses the whole request (403): nothing is changed."""
    chosen: dict[type, set[int]] = {}
    names = {model._meta.model_name: model for model in MODELS}
    for value in request.POST.getlist("publish"):
        name, _sep, pk = value.partition(":")
        if name in names and pk.isdecimal():
            chosen.setdefault(names[name], set()).add(int(pk))
    if any(not can_publish(request.user, model) for model in chosen):
        raise PermissionDenied(_("You may not publish some of the records chosen."))
    count = 0
    for model in MODELS:
        if model in chosen:
            count += model.objects.drafts().filter(pk__in=chosen[model]).publish(user=request.user)
    return count


def publication_queue(request):
    if not request.user.is_staff:
        raise PermissionDenied
    load_permissions(request.user)
    if request.method == "POST":
        count = publish_chosen(request)
        message = ngettext("%(count)d record published.", "%(count)d records published.", count)
        messages.success(request, message % {"count": count})
        return HttpResponseRedirect(request.path)
    context = {
        **admin.site.each_context(request),
        "title": _("Drafts awaiting publication"),
        "sections": queue(request.user),
        "may_publish_any": any(can_publish(request.user, model) for model in MODELS),
    }
    return TemplateResponse(request, "admin/tracker/publication_queue.html", context)
