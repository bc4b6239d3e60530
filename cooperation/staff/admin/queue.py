"""The publisher's queue (`/admin/queue/`): every draft awaiting publication on one page, each with
its related drafts (a visit's documents and commitments, a document's commitments, a
commitment's status updates), ticked together so that publishing a commitment publishes its
updates too. Who may publish what is publishing.py's rule (`can_publish`); the state change is
the domain's (`PublishableQuerySet.publish`), with a history row naming the publisher."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
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
# Drafts listed per kind: the queue is a work list, not an archive; the admin's lists have the rest.
SHOWN = 100


def key(record) -> str:
    return f"{record._meta.model_name}:{record.pk}"


def change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def entry(record, user) -> dict:
    return {"key": key(record), "label": str(record), "url": change_url(record), "may": can_publish(user, type(record))}


def queue(user) -> list[dict]:
    """Each kind of record with its drafts (at most SHOWN), each draft with its related drafts.
    A constant number of queries: one per kind, one per kind of related draft."""
    sections = []
    for model in MODELS:
        drafts = list(model.objects.drafts().order_by("-pk")[:SHOWN])
        rows = [{**entry(record, user), "related": []} for record in drafts]
        by_pk = {record.pk: row for record, row in zip(drafts, rows, strict=True)}
        for related_model, link in RELATED.get(model, ()):
            for related in related_model.objects.drafts().filter(**{f"{link}__in": list(by_pk)}).order_by("pk"):
                by_pk[getattr(related, f"{link}_id")]["related"].append(
                    {**entry(related, user), "kind": related_model._meta.verbose_name}
                )
        total = model.objects.drafts().count() if len(drafts) == SHOWN else len(drafts)
        sections.append(
            {
                "name": model._meta.verbose_name_plural,
                "model": model._meta.model_name,
                "rows": rows,
                "total": total,
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
