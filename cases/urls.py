from django.urls import path

from cases import views

urlpatterns = [
    path("notices/", views.inbox, name="notice-inbox"),
]
