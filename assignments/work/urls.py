from django.urls import path

from assignments.work import views

urlpatterns = [
    path("lawyer/", views.home, name="lawyer-home"),
    path("lawyer/cases/<uuid:pk>/", views.case, name="lawyer-case"),
    path("lawyer/cases/<uuid:pk>/log/<str:kind>/", views.log, name="lawyer-log"),
    path("lawyer/cases/<uuid:pk>/closing/", views.closing, name="lawyer-closing"),
    path("lawyer/cases/<uuid:pk>/documents/<int:document_id>/", views.document, name="lawyer-document"),
    path("work/files/<uuid:pk>/<int:document_id>/", views.work_document, name="work-document"),
    path("work/entries/<int:entry_id>/edit/", views.entry_edit, name="work-entry-edit"),
    path("work/entries/<int:entry_id>/answer/", views.complaint_answer, name="work-complaint-answer"),
    path("work/complaints/", views.complaints, name="work-complaints"),
    path("notices/<uuid:pk>/closing/amend/", views.closing_amend, name="closing-amend"),
    path("notices/<uuid:pk>/closing/<str:verb>/", views.closing_review, name="closing-review"),
]
