from django.urls import path

from . import feeds, views

app_name = "reports"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("reports/status/", views.status_report, name="status-report"),
    path("reports/status/print.css", views.print_margins, name="print-margins"),
    # The list of figures, /figures/, is the web room's (web:figure-list).
    path("figures/<slug:slug>/", views.indicator, name="indicator"),
    path("feeds/updates/", feeds.StatusUpdatesFeed(), name="feed-updates"),
    path("feeds/documents/", feeds.NewDocumentsFeed(), name="feed-documents"),
    path("feeds/visits/", feeds.NewVisitsFeed(), name="feed-visits"),
    path("feeds/corrections/", feeds.CorrectionsFeed(), name="feed-corrections"),
    path("feeds/commitments/<slug:slug>/", feeds.CommitmentUpdatesFeed(), name="feed-commitment"),
    path("feeds/sectors/<slug:slug>/", feeds.SectorUpdatesFeed(), name="feed-sector"),
    path("feeds/organizations/<slug:slug>/", feeds.OrganizationUpdatesFeed(), name="feed-organization"),
]
