from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("documents/", views.DocumentListView.as_view(), name="document-list"),
    path("documents/<slug:slug>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path("visits/", views.VisitListView.as_view(), name="visit-list"),
    path("visits/<slug:slug>/", views.VisitDetailView.as_view(), name="visit-detail"),
    path("commitments/", views.CommitmentListView.as_view(), name="commitment-list"),
    path("commitments/<slug:slug>/", views.CommitmentDetailView.as_view(), name="commitment-detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    # An indicator's page, /figures/<slug>/, with its chart: cooperation/reports (reports:indicator).
    path("figures/", views.FigureListView.as_view(), name="figure-list"),
    path("methodology/", views.MethodologyView.as_view(), name="methodology"),
    path("corrections/", views.CorrectionsView.as_view(), name="corrections"),
]
