from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cooperation.api.urls import site_patterns
from cooperation.staff.admin.queue import publication_queue

admin.site.site_header = _("Cooperation Tracker — staff")
admin.site.site_title = _("Cooperation Tracker")
admin.site.index_title = _("Records")

# JSON under /api/ and /data/, Django's pages elsewhere (cooperation/api/errors.py).
handler404 = "cooperation.api.errors.not_found"
handler500 = "cooperation.api.errors.server_error"

urlpatterns = [
    *site_patterns,
    path("admin/queue/", admin.site.admin_view(publication_queue), name="publication-queue"),
    path("admin/", admin.site.urls),
    # Browsers and feed readers ask for /favicon.ico whatever the page says: send them to the icon
    # WhiteNoise serves (its hashed address, so it is cached for good).
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("img/favicon.svg")), name="favicon"),
    path("", include("cooperation.api.urls")),
    path("", include("cooperation.reports.urls")),
    path("", include("cooperation.web.urls")),
]
