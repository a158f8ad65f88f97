from django.urls import path

from notifications import views

urlpatterns = [
    path("", views.inbox, name="notification-inbox"),
    path("<int:pk>/read/", views.message_read, name="notification-read"),
    path("read-all/", views.messages_read_all, name="notification-read-all"),
    path("preferences/", views.preferences, name="notification-preferences"),
    path("deliveries/", views.delivery_list, name="delivery-list"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery-detail"),
    path("deliveries/<int:pk>/replay/", views.delivery_replay, name="delivery-replay"),
]
