from django.urls import path

from . import feeds, views

app_name = "reports"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("reports/status/", views.status_report, name="status-report"),
    path("feeds/updates/", feeds.StatusUpdatesFeed(), name="feed-updates"),
    path("feeds/commitments/<slug:slug>/", feeds.CommitmentUpdatesFeed(), name="feed-commitment"),
    path("feeds/sectors/<slug:slug>/", feeds.SectorUpdatesFeed(), name="feed-sector"),
    path("feeds/organizations/<slug:slug>/", feeds.OrganizationUpdatesFeed(), name="feed-organization"),
]
