"""Public pages: filterable lists with exports, and detail pages.

Only published records leave these views. Related records come through
`Prefetch` querysets that are themselves published-only (queries.py), so
templates and tables never have to check.
"""

from django.contrib import messages
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView
from django.views.generic.base import TemplateResponseMixin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from cooperation import downloads
from cooperation.tracker.models import Commitment, Document, DocumentParty, Organization, PeriodKind, Visit, slug_url

from . import corrections, filters, queries, structured_data, tables
from .pagination import KeysFirstPaginator

PER_PAGE_CHOICES = (10, 25, 50, 100)
DEFAULT_PER_PAGE = 25
# Related records listed on a detail page before "see all" links to the filtered list (which
# filters, sorts and exports them all): as many as a list page shows, so a large organization's
# page costs no more than a list page.
RELATED_LIMIT = DEFAULT_PER_PAGE


def without_nul_bytes(query: QueryDict) -> tuple[QueryDict, bool]:
    """PostgreSQL refuses NUL characters in text; no real filter value contains one."""
    cleaned = QueryDict(mutable=True)
    changed = False
    for key, values in query.lists():
        clean_key = key.replace("\x00", "")
        clean_values = [value.replace("\x00", "") for value in values]
        changed |= clean_key != key or clean_values != values
        cleaned.setlist(clean_key, clean_values)
    return cleaned, changed


class PublicListView(ExportMixin, SingleTableMixin, FilterView):
    """A filtered, sorted, paginated table of published records, exportable as CSV, XLSX or JSON.
    A list names its filter set (and so its model), table, the rows' queryset (`rows`, from
    queries.py), its heading and introduction."""

    template_name = "web/list.html"
    export_class = tables.SafeTableExport
    export_formats = tables.SafeTableExport.PUBLIC_FORMATS
    rows = staticmethod(queries.listed)
    heading = ""
    introduction = ""
    # The Atom feed of the list's new records, announced in the page's head.
    feed_url_name = None

    @property
    def model(self):
        return self.filterset_class._meta.model

    @property
    def export_name(self) -> str:
        return f"{self.model._meta.model_name}s"  # documents.csv, commitments.xlsx, …

    def get_queryset(self):
        return self.rows(self.model.objects.published())

    def get(self, request, *args, **kwargs):
        self.query, had_nul = without_nul_bytes(request.GET)
        if had_nul:
            messages.warning(request, _("Characters that cannot be searched for were removed from the query."))
        self.filterset = self.get_filterset(self.get_filterset_class())
        if self.filterset.is_valid():
            self.object_list = self.filterset.qs
        else:
            messages.error(request, _("Some filter values are not valid (see the form); nothing is shown for them."))
            self.object_list = self.filterset.queryset.none()

        export_format = self.query.get(self.export_trigger_param)
        if export_format is not None:
            if not self.export_class.is_valid_format(export_format):
                messages.error(request, _("Unknown export format. Choose CSV, XLSX or JSON."))
            elif self.filterset.is_valid():
                return self.create_export(export_format)
        return self.render_to_response(self.get_context_data(filter=self.filterset, object_list=self.object_list))

    def render_to_response(self, context, **response_kwargs):
        # get() has already decided about exports, after validating the filters.
        return TemplateResponseMixin.render_to_response(self, context, **response_kwargs)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "data": self.query}

    def create_export(self, export_format):
        """The file, named after what it holds and the day (cooperation/downloads.py)."""
        self.exporting = True
        exporter = self.export_class(export_format=export_format, table=self.get_table(**self.get_table_kwargs()))
        day = timezone.localdate()
        shown = self.query.copy()
        shown.pop(self.export_trigger_param, None)
        url = self.request.build_absolute_uri(f"{self.request.path}?{shown.urlencode()}".rstrip("?"))
        name = downloads.file_name(self.export_name, self.filters_in_force(), day, export_format)
        response = exporter.response_for(downloads.citation(url, day))
        response["Content-Disposition"] = downloads.attachment(name)
        return response

    def filters_in_force(self) -> list[tuple[str, str]]:
        """(filter, value) of each filter given, in the form's order, and the sort."""
        given = [(name, value) for name in self.filterset.filters for value in self.query.getlist(name) if value]
        # "-title" (descending) would lose its minus as a slug: "title-desc".
        sorts = [
            value.removeprefix("-") + ("-desc" if value.startswith("-") else "") for value in self.query.getlist("sort")
        ]
        return given + [("sort", value) for value in sorts if value]

    def get_table(self, **kwargs):
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        table.request = self.request
        requested_order = self.query.getlist(table.order_by_field)
        if requested_order:
            sortable = {name for name, column in table.columns.items() if column.orderable}
            known = [alias for alias in requested_order if alias.removeprefix("-") in sortable]
            if len(known) != len(requested_order):
                messages.warning(self.request, _("Sorting by an unknown column was ignored."))
            if known:
                table.order_by = known
        unknown = table.choose_columns(self.query.getlist("columns"))
        if unknown:
            names = ", ".join(unknown)
            messages.warning(self.request, _("Unknown columns were ignored: %(names)s.") % {"names": names})
        if not getattr(self, "exporting", False):
            self.paginate(table)
        return table

    def page_size(self) -> int:
        requested = self.query.get("per_page", "")
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        if requested.isdecimal() and int(requested) in PER_PAGE_CHOICES:
            return int(requested)
        if requested:
            choices = ", ".join(str(choice) for choice in PER_PAGE_CHOICES)
            messages.warning(
                self.request,
                _("Rows per page can be %(choices)s; showing %(default)s.")
                % {"choices": choices, "default": DEFAULT_PER_PAGE},
            )
        return DEFAULT_PER_PAGE

    def paginate(self, table):
        self.per_page = self.page_size()
        requested = self.query.get("page") or "1"

        def to_page(number):
            table.paginate(
                paginator_class=KeysFirstPaginator,
                per_page=self.per_page,
                page=number,
                request=self.request,
                rows=self.get_queryset(),
            )

        try:
            to_page(requested)
        except PageNotAnInteger:
            messages.warning(self.request, _("The page number is not valid; showing the first page."))
            to_page(1)
        except EmptyPage:
            messages.warning(self.request, _("There is no such page; showing the nearest one."))
            past_end = requested.isdecimal() and int(requested) > 1
            to_page(table.paginator.num_pages if past_end else 1)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=self.heading,
            introduction=self.introduction,
            query=self.query,
            per_page=self.per_page,
            per_page_choices=PER_PAGE_CHOICES,
            is_filtered=any(self.query.get(name) for name in self.filterset.filters),
            export_formats=self.export_formats,
            clear_url=self.request.path,
            list_feed_url=reverse(self.feed_url_name) if self.feed_url_name else None,
            chosen_columns=self.query.getlist("columns"),
        )
        return context


class DocumentListView(PublicListView):
    feed_url_name = "reports:feed-documents"
    filterset_class = filters.DocumentFilter
    table_class = tables.DocumentTable
    rows = staticmethod(queries.document_rows)
    heading = gettext_lazy("Documents")
    introduction = gettext_lazy("Agreements, memorandums, protocols and joint statements signed by the two countries.")


class CommitmentListView(PublicListView):
    filterset_class = filters.CommitmentFilter
    table_class = tables.CommitmentTable
    rows = staticmethod(queries.commitment_rows)
    heading = gettext_lazy("Commitments")
    introduction = gettext_lazy("Follow-up promises made in documents and at visits, and how far each has got.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # One sector chosen: offer that sector's feed.
        sector = self.filterset.is_valid() and self.filterset.form.cleaned_data.get("sector")
        if sector:
            context["feed_sector"] = {"slug": sector, "name": self.filterset.choice_label("sector", sector)}
        return context


class VisitListView(PublicListView):
    feed_url_name = "reports:feed-visits"
    filterset_class = filters.VisitFilter
    table_class = tables.VisitTable
    rows = staticmethod(queries.visit_rows)
    heading = gettext_lazy("Visits and events")
    introduction = gettext_lazy("Visits, talks, commission sessions and forums where documents were signed.")


class OrganizationListView(PublicListView):
    filterset_class = filters.OrganizationFilter
    table_class = tables.OrganizationTable
    rows = staticmethod(queries.organization_rows)
    heading = gettext_lazy("Organizations")
    introduction = gettext_lazy("Ministries, agencies, companies and institutions that signed documents or owe work.")


class FigureListView(PublicListView):
    filterset_class = filters.FigureFilter
    table_class = tables.FigureTable
    rows = staticmethod(queries.figure_rows)
    template_name = "web/figure_list.html"
    heading = gettext_lazy("Figures")
    introduction = gettext_lazy(
        "Trade, investment and the other numbers of the relationship, each as its report gives it: the value "
        "in the report's words, the period, who reported it and the passage quoted. Where a report does not "
        "state the period or the reporter, the editors' reading is marked “assessed”, with the reason."
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        if data.get("indicator"):
            # One indicator: its page shows the same figures side by side, charted, and where they disagree.
            slug = data["indicator"]
            context["indicator"] = {
                "url": slug_url("reports:indicator", slug),
                "name": self.filterset.choice_label("indicator", slug),
            }
        if data.get("year"):
            # A figure whose period no report gives belongs to no year; say where to find those.
            undated = self.query.copy()
            undated.pop("year", None)
            undated["period"] = PeriodKind.NOT_REPORTED
            context["undated_url"] = f"{self.request.path}?{undated.urlencode()}"
        return context


# --- Detail pages ------------------------------------------------------------------


class PublicDetailView(DetailView):
    """A published record (404 otherwise) with its published relations (`page`, from queries.py),
    on its page web/<model>_detail.html, built on web/detail.html, which links back to `list_view`
    and starts with the text of the record's field `text_field` under `text_heading`."""

    list_view: type[PublicListView]
    page = staticmethod(queries.detail_page)
    text_field, text_heading = "summary", gettext_lazy("Summary")
    # The Atom feed of the record's status updates, announced in the page's head, and its title.
    feed_url_name = feed_title = None

    def get_queryset(self):
        return self.page(self.model.objects.published())

    def get_template_names(self):
        return [f"web/{self.model._meta.model_name}_detail.html"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            list_url=f"web:{self.model._meta.model_name}-list",
            list_heading=self.list_view.heading,
            text=getattr(self.object, self.text_field),
            text_field=self.text_field,
            text_heading=self.text_heading,
            feed=self.feed(),
            json_ld=structured_data.json_ld(self.object, self.request.build_absolute_uri()),
            share=structured_data.share_tags(self.object, self.request.build_absolute_uri()),
            **kwargs,
        )

    def feed(self) -> dict | None:
        if self.feed_url_name is None:
            return None
        return {"url": slug_url(self.feed_url_name, self.object.slug), "title": self.feed_title % {"name": self.object}}


class DocumentDetailView(PublicDetailView):
    model = Document
    list_view = DocumentListView
    page = staticmethod(queries.document_page)

    def get_context_data(self, **kwargs):
        document = self.object
        return super().get_context_data(
            figures=figures_shown(document),
            visit=queries.if_published(document.signed_at),
            builds_on=queries.if_published(document.builds_on),
            sides=queries.parties_by_side(document.public_parties),
            timelines=queries.treaty_timelines(document),
            **kwargs,
        )


class VisitDetailView(PublicDetailView):
    model = Visit
    list_view = VisitListView
    page = staticmethod(queries.visit_page)

    def get_context_data(self, **kwargs):
        return super().get_context_data(figures=figures_shown(self.object), **kwargs)


def figures_shown(record) -> dict:
    """The figures a visit's or document's reports give (read with its sources, queries.py): the
    first RELATED_LIMIT, how many there are, and the list of all of them, to filter and download."""
    figures = queries.split_sources(record)
    link = f"about_{record._meta.model_name}_id"
    for figure in figures:
        figure.about_this = getattr(figure, link) == record.pk
    list_url = reverse("web:figure-list") + f"?{record._meta.model_name}={record.slug}"
    return {"rows": figures[:RELATED_LIMIT], "total": len(figures), "list_url": list_url}


class CommitmentDetailView(PublicDetailView):
    model = Commitment
    list_view = CommitmentListView
    page = staticmethod(queries.commitment_page)
    # The seed's descriptions are the editors' notes on the promise (who stated it, what the report
    # leaves out); the promise itself is its quoted passage.
    text_field, text_heading = "description", gettext_lazy("Editors' note")
    feed_url_name, feed_title = "reports:feed-commitment", gettext_lazy("Updates on %(name)s")

    def get_context_data(self, **kwargs):
        commitment = self.object
        return super().get_context_data(
            origin_document=queries.if_published(commitment.origin_document),
            origin_visit=queries.if_published(commitment.origin_visit),
            timeline=queries.timeline(commitment.public_updates),
            responsibilities=queries.responsibilities_by_side(commitment),
            **kwargs,
        )


class OrganizationDetailView(PublicDetailView):
    model = Organization
    list_view = OrganizationListView
    page = staticmethod(queries.organization_page)
    text_field, text_heading = "description", gettext_lazy("About")
    feed_url_name, feed_title = "reports:feed-organization", gettext_lazy("Updates for %(name)s")

    def get_context_data(self, **kwargs):
        # A large organization signs thousands of documents or owes thousands of commitments: the
        # page shows the first RELATED_LIMIT of each (plain LIMIT queries for this one organization,
        # cheaper than sliced prefetches, which number the rows of every organization fetched),
        # counts all, and links to the full lists.
        organization = self.object
        signatures = (
            DocumentParty.objects.filter(organization=organization, document__publication_status="published")
            .select_related("document", "side")
            .order_by("-document__signed_on", "document__title")
        )
        commitments = queries.commitment_summaries(
            Commitment.objects.published().filter(responsible_organizations=organization)
        )
        visits = queries.listed(Visit.objects.published().filter(organizations=organization))
        return super().get_context_data(
            parent=queries.if_published(organization.parent),
            signatures=signatures[:RELATED_LIMIT],
            commitments=commitments[:RELATED_LIMIT],
            visits=visits[:RELATED_LIMIT],
            related_limit=RELATED_LIMIT,
            **kwargs,
        )


# --- Method and corrections -----------------------------------------------------------


class MethodologyView(TemplateView):
    """What each status and basis means, how progress is set, how sources are chosen, how to
    report an error: the page a fact-checker reads first."""

    template_name = "web/methodology.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(corrections_url=reverse("web:corrections"), **kwargs)


class CorrectionsView(TemplateView):
    """Every change made to a published record after its publication, newest first (corrections.py)."""

    template_name = "web/corrections.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            corrections=corrections.latest_corrections(),
            limit=corrections.LIMIT,
            methodology_url=reverse("web:methodology"),
            **kwargs,
        )
