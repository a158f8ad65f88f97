from django.urls import path

from cases import views

urlpatterns = [
    path("notices/", views.inbox, name="notice-inbox"),
    path("notices/new/", views.notice_new, name="notice-new"),
    path("notices/<uuid:notice_id>/", views.detail, name="notice-detail"),
    path("notices/<uuid:notice_id>/reveal-id/", views.reveal_id_number, name="notice-reveal-id"),
    path("notices/<uuid:notice_id>/supplement/", views.supplement_request, name="notice-supplement"),
    path("notices/<uuid:notice_id>/supplements/<int:request_id>/send/", views.supplement_send,
         name="supplement-send"),
    path("notices/<uuid:notice_id>/documents/<int:document_id>/", views.document_download,
         name="notice-document"),
]
