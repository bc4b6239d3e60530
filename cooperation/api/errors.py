"""Every error of the open-data URLs as JSON with a message, never an HTML page:
`{"status": 400, "message": "...", "errors": {"parameter": ["..."]}}`.

`exception_handler` is REST framework's hook (settings.REST_FRAMEWORK); `not_found` and
`server_error` are the project's handler404 and handler500 (cooperation/urls.py), JSON under
/api/ and /data/ and Django's own pages elsewhere.
"""

import logging
import re

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as framework_handler
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

OPEN_DATA_PATH = re.compile(r"^/([a-z]{2}(-[a-z]+)?/)?(api|data)/")

MESSAGES = {
    status.HTTP_400_BAD_REQUEST: lambda: _("Some parameters are not valid; see errors."),
    status.HTTP_404_NOT_FOUND: lambda: _("Nothing is published at this address."),
    status.HTTP_500_INTERNAL_SERVER_ERROR: lambda: _("The server failed to answer; the error has been logged."),
}


def body(status_code: int, message=None, errors=None) -> dict:
    data = {"status": status_code, "message": str(message or MESSAGES.get(status_code, lambda: "")())}
    if errors:
        data["errors"] = errors
    return data


def exception_handler(exc, context):
    response = framework_handler(exc, context)
    if response is None:
        # Not an API exception: a bug. Logged with its traceback, answered as JSON.
        logger.error("API error in %s", context.get("view"), exc_info=exc)
        set_rollback()
        return Response(body(500), status=500)
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        response.data = body(response.status_code, data["detail"])
    else:
        response.data = body(response.status_code, errors=data)
    return response


def is_open_data(request) -> bool:
    return bool(OPEN_DATA_PATH.match(request.path))


def not_found(request, exception=None):
    if is_open_data(request):
        return JsonResponse(body(404), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_open_data(request):
        return JsonResponse(body(500), status=500)
    return defaults.server_error(request)
