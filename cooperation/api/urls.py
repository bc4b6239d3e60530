from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import findable, views


class Router(DefaultRouter):
    APIRootView = views.RootView
    include_format_suffixes = False  # one address per resource; ?format=json is enough


router = Router()
router.register("documents", views.DocumentViewSet, basename="documents")
router.register("visits", views.VisitViewSet, basename="visits")
router.register("commitments", views.CommitmentViewSet, basename="commitments")
router.register("organizations", views.OrganizationViewSet, basename="organizations")
router.register("people", views.PersonViewSet, basename="people")
router.register("sectors", views.SectorViewSet, basename="sectors")
router.register("figures", views.FigureViewSet, basename="figures")
router.register("sources", views.SourceViewSet, basename="sources")

app_name = "api"

# Outside the language prefixes (cooperation/urls.py): one sitemap, one robots.txt, one data package.
site_patterns = [
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": findable.SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": findable.SITEMAPS}, name="sitemap-section"),
    path("robots.txt", findable.robots_txt, name="robots"),
]

urlpatterns = [
    path("data/", views.data_file, name="data"),
    path("data/<str:name>", views.data_file, name="data-file"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", views.SchemaView.as_view(), name="schema"),
    path("api/docs/", views.DocsView.as_view(), name="docs"),
]
