from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cooperation.api.urls import site_patterns

admin.site.site_header = _("Cooperation Tracker — staff")
admin.site.site_title = _("Cooperation Tracker")
admin.site.index_title = _("Records")

# JSON under /api/ and /data/, Django's pages elsewhere (cooperation/api/errors.py).
handler404 = "cooperation.api.errors.not_found"
handler500 = "cooperation.api.errors.server_error"

urlpatterns = [
    *site_patterns,
    path("admin/", admin.site.urls),
    path("", include("cooperation.api.urls")),
    path("", include("cooperation.reports.urls")),
    path("", include("cooperation.web.urls")),
]
