from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views


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

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/schema/", views.SchemaView.as_view(), name="schema"),
    path("api/docs/", views.DocsView.as_view(), name="docs"),
]
