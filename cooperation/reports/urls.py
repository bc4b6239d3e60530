from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("reports/status/", views.status_report, name="status-report"),
    path("feeds/updates/", views.placeholder_feed, name="feed-updates"),
    path("feeds/commitments/<slug:slug>/", views.placeholder_feed, name="feed-commitment"),
    path("feeds/sectors/<slug:slug>/", views.placeholder_feed, name="feed-sector"),
    path("feeds/organizations/<slug:slug>/", views.placeholder_feed, name="feed-organization"),
]
