from django.urls import path

from quality.subsidies import views

app_name = "subsidies"

urlpatterns = [
    path("", views.subsidy_list, name="list"),
    path("export.xlsx", views.subsidy_export, name="export"),
    path("<int:pk>/", views.subsidy_detail, name="detail"),
    path("<int:pk>/approve/", views.subsidy_approve, name="approve"),
    path("<int:pk>/pay/", views.subsidy_pay, name="pay"),
    path("<int:pk>/recompute/", views.subsidy_recompute, name="recompute"),
    path("<int:pk>/correct/", views.subsidy_correct, name="correct"),
]
