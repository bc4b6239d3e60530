"""The read-only API: one view set per kind, each list on the FilterSet and table of its page.

A list takes the page's parameters (`q`, the filters, `sort`, `page`, `per_page`); a detail is
`/api/v1/<kind>/<slug>/` (sources by number). Published records only (public.py).
"""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.routers import APIRootView

from cooperation.caching import content_version
from cooperation.tracker.models import Commitment, Document, Figure, Organization, Person, Sector, Source, Visit
from cooperation.web import filters, tables

from . import backends, datapackage, http, public
from .pagination import KeysFirstPagination
from .serializers import SERIALIZERS

ERROR = inline_serializer(
    "Error",
    {
        "status": serializers.IntegerField(),
        "message": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False),
    },
)
THROTTLED = OpenApiResponse(ERROR, description="Too many requests: wait the seconds that Retry-After says.")
LIST_ERRORS = {
    400: OpenApiResponse(ERROR, description="A parameter is not valid (the message says which)."),
    404: OpenApiResponse(ERROR, description="No such page of the list."),
    429: THROTTLED,
}
DETAIL_ERRORS = {404: OpenApiResponse(ERROR, description="No published record here."), 429: THROTTLED}


class OpenDataMixin:
    """Language from the prefix or Accept-Language, then conditional requests (http.py)."""

    def dispatch(self, request, *args, **kwargs):
        http.activate_language(request)
        response = http.conditional(super().dispatch)(request, *args, **kwargs)
        return http.vary_on_language(response)


class PublicViewSet(OpenDataMixin, viewsets.ReadOnlyModelViewSet):
    """The published records of `model`; lists filtered by the page's `filterset_class` and sorted
    by the columns of its `table_class` (kinds without a list page have neither)."""

    model: type
    filterset_class = None
    table_class = None
    lookup_field = "slug"
    filter_backends = [backends.NoNulBackend, backends.PageFilterBackend, backends.TableSortBackend]
    pagination_class = KeysFirstPagination

    def get_queryset(self):
        return public.base(self.model)

    def get_serializer_class(self):
        return SERIALIZERS[self.model]

    def get_object(self):
        # A detail ignores the list's parameters.
        lookup = {self.lookup_field: self.kwargs[self.lookup_field]}
        record = public.rows(self.model, self.get_queryset()).filter(**lookup).first()
        if record is None:
            raise NotFound(_("No published %(kind)s has this address.") % {"kind": self.model._meta.verbose_name})
        return record


def kind_views(model, filterset_class=None, table_class=None, **attributes):
    """The view set of a kind, with its schema's descriptions and error responses."""
    plural = model._meta.verbose_name_plural
    view_set = type(
        f"{model.__name__}ViewSet",
        (PublicViewSet,),
        {"model": model, "filterset_class": filterset_class, "table_class": table_class, **attributes},
    )
    described = extend_schema_view(
        list=extend_schema(
            summary=f"List published {plural}",
            description=f"The published {plural}, filtered and sorted as on the list page, one page at a time.",
            responses={200: SERIALIZERS[model](many=True), **LIST_ERRORS},
            tags=[str(plural)],
        ),
        retrieve=extend_schema(
            summary=f"One published {model._meta.verbose_name}",
            responses={200: SERIALIZERS[model], **DETAIL_ERRORS},
            tags=[str(plural)],
        ),
    )
    return described(view_set)


DocumentViewSet = kind_views(Document, filters.DocumentFilter, tables.DocumentTable)
VisitViewSet = kind_views(Visit, filters.VisitFilter, tables.VisitTable)
CommitmentViewSet = kind_views(Commitment, filters.CommitmentFilter, tables.CommitmentTable)
OrganizationViewSet = kind_views(Organization, filters.OrganizationFilter, tables.OrganizationTable)
FigureViewSet = kind_views(Figure, filters.FigureFilter, tables.FigureTable)
PersonViewSet = kind_views(Person)
SectorViewSet = kind_views(Sector)
SourceViewSet = kind_views(Source, lookup_field="pk", lookup_value_regex=r"[0-9]+")


class RootView(OpenDataMixin, APIRootView):
    """The kinds of record, each with its list's address."""


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema, YAML, or JSON with ?format=json."""


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's files, its start-up script a file of its own
    (?script), so the page needs no inline script or style (the CSP stays strict)."""

    template_name = "api/docs.html"
    url_name = "api:schema"


# --- Bulk data (/data/) --------------------------------------------------------------------------


@http.conditional
def data_file(request, name: str = "datapackage.json"):
    """A file of the data package (datapackage.py), built for the current content version."""
    if name not in datapackage.file_names():
        raise Http404(name)
    folder = datapackage.current_folder(content_version.for_request(request))
    content_type = "application/json" if name.endswith(".json") else "text/csv; charset=utf-8"
    response = FileResponse((folder / name).open("rb"), content_type=content_type)
    if name.endswith(".csv"):
        response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
