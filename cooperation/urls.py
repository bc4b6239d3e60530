from django.conf.urls.i18n import i18n_patterns
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

# Outside the language prefixes: the open data (its language is the client's Accept-Language,
# cooperation/api/http.py), the sitemap, robots.txt and the icon.
urlpatterns = [
    *site_patterns,
    # Browsers and feed readers ask for /favicon.ico whatever the page says: send them to the icon
    # WhiteNoise serves (its hashed address, so it is cached for good).
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("img/favicon.svg")), name="favicon"),
    path("", include("cooperation.api.urls")),
]

# Every page in each language (README "Languages"): English at /, the others under /kk/, /ru/,
# /sr/ and /sr-latn/. The feeds are here too: /feeds/… (English) keep their addresses, and a
# reader of the Russian pages subscribes to /ru/feeds/… with Russian titles.
urlpatterns += i18n_patterns(
    path("admin/queue/", admin.site.admin_view(publication_queue), name="publication-queue"),
    path("admin/", admin.site.urls),
    path("", include("cooperation.reports.urls")),
    path("", include("cooperation.web.urls")),
    prefix_default_language=False,
)
