"""Page-number pagination that stays cheap on deep pages: the page's keys first, in a total order
(ties broken by primary key), read from the end past the middle, then only that page's rows with
their relations (web/pagination.py's method, `page_keys`). The count comes from the query cache,
shared with the list pages (caching/remember.py)."""

import math

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from cooperation.caching.remember import remember_count
from cooperation.web.pagination import in_total_order, page_keys
from cooperation.web.views import DEFAULT_PER_PAGE, PER_PAGE_CHOICES

from . import public

PAGE, PER_PAGE = "page", "per_page"


def whole_number(request, name: str, default: int) -> int:
    text = request.query_params.get(name, "")
    if not text:
        return default
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    if not text.isdecimal() or int(text) < 1:
        raise ValidationError({name: [_("A whole number from 1 is required.")]})
    return int(text)


class KeysFirstPagination(BasePagination):
    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.per_page = whole_number(request, PER_PAGE, DEFAULT_PER_PAGE)
        if self.per_page not in PER_PAGE_CHOICES:
            choices = ", ".join(str(choice) for choice in PER_PAGE_CHOICES)
            raise ValidationError({PER_PAGE: [_("Rows per page can be %(choices)s.") % {"choices": choices}]})
        self.number = whole_number(request, PAGE, 1)
        self.count = remember_count(request, queryset)
        self.pages = max(1, math.ceil(self.count / self.per_page))
        if self.number > self.pages:
            raise NotFound(
                _("There is no page %(number)s: the last is %(last)s.")
                % {
                    "number": self.number,
                    "last": self.pages,
                }
            )
        bottom = (self.number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        keys = page_keys(in_total_order(queryset), self.count, bottom, top)
        model = queryset.model
        found = {record.pk: record for record in public.rows(model, public.base(model).filter(pk__in=keys))}
        return [found[key] for key in keys if key in found]

    def link(self, number: int) -> str | None:
        if number < 1 or number > self.pages:
            return None
        url = self.request.build_absolute_uri()
        return remove_query_param(url, PAGE) if number == 1 else replace_query_param(url, PAGE, number)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "page": self.number,
                "pages": self.pages,
                "per_page": self.per_page,
                "next": self.link(self.number + 1),
                "previous": self.link(self.number - 1),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["count", "page", "pages", "per_page", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": "Records matching the filters, on all pages."},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
                "per_page": {"type": "integer", "enum": list(PER_PAGE_CHOICES)},
                "next": link,
                "previous": link,
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": PAGE,
                "required": False,
                "in": "query",
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": PER_PAGE,
                "required": False,
                "in": "query",
                "description": f"Records per page (default {DEFAULT_PER_PAGE}).",
                "schema": {"type": "integer", "enum": list(PER_PAGE_CHOICES), "default": DEFAULT_PER_PAGE},
            },
        ]
