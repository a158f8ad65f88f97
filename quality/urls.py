from django.urls import path

from quality import views

app_name = "quality"

urlpatterns = [
    path("notices/<uuid:pk>/", views.case_quality, name="case"),
    path("notices/<uuid:pk>/complaints/new/", views.complaint_new, name="complaint-new"),
    path("lawyers/<int:lawyer_id>/", views.lawyer_record, name="lawyer"),
    path("suspensions/", views.proposals, name="proposals"),
    path("suspensions/<int:pk>/<str:verb>/", views.proposal_decide, name="proposal-decide"),
    path("training/", views.training, name="training"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/<str:verb>/", views.complaint_act, name="complaint-act"),
]
