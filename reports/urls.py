from django.urls import path

from reports import views

urlpatterns = [
    path("", views.dashboard, name="statistics"),
    path("export/<slug:key>.<str:fmt>", views.export, name="statistics-export"),
    path("public/", views.public, name="statistics-public"),
    path("public/coverage.csv", views.public_csv, name="statistics-public-csv"),
]
