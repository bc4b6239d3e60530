"""Placeholder overview; replaced by the implementation-status work."""

from django.shortcuts import render

from cooperation.tracker.models import Commitment, Document, Visit


def overview(request):
    context = {
        "documents": Document.objects.published().count(),
        "visits": Visit.objects.published().count(),
        "commitments": Commitment.objects.published().count(),
    }
    return render(request, "reports/placeholder_overview.html", context)


def status_report(request):
    return render(request, "reports/placeholder_overview.html", {})


def placeholder_feed(request, slug=None):
    from django.http import Http404

    raise Http404
