from django.urls import path

from cases.deadlines import views

urlpatterns = [
    path("", views.board, name="deadline-board"),
    path("breaches/", views.breaches, name="deadline-breaches"),
    path("<int:pk>/waive/", views.waive, name="deadline-waive"),
]
