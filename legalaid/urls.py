from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from legalaid import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include("cases.api.urls")),
    path("api/v1/", include("assignments.api.urls")),
    path("api/v1/", include("quality.api.urls")),
    path("api/v1/", include("quality.subsidies.api.urls")),
    path("notifications/", include("notifications.urls")),
    path("deadlines/", include("cases.deadlines.urls")),
    path("statistics/", include("cases.statistics.urls")),
    path("quality/", include("quality.urls")),
    path("subsidies/", include("quality.subsidies.urls")),
    path("", include("cases.urls")),
    path("", include("assignments.urls")),
]

if settings.BENCH_ENDPOINTS:
    from legalaid.api.bench import BenchEcho

    urlpatterns.insert(0, path("api/v1/bench/echo", BenchEcho.as_view(), name="bench-echo"))

handler400 = "legalaid.views.bad_request"
handler404 = "legalaid.views.page_not_found"
handler500 = "legalaid.views.server_error"
