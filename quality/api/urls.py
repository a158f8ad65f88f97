from django.urls import path, re_path

from legalaid.api import UUID_PATTERN
from quality.api import views

urlpatterns = [
    re_path(rf"^notices/(?P<pk>{UUID_PATTERN})/evaluations/$", views.EvaluationsView.as_view(),
            name="quality-evaluations"),
    re_path(rf"^notices/(?P<pk>{UUID_PATTERN})/quality/$", views.CaseQualityView.as_view(), name="quality-case"),
    path("suspension-proposals/", views.ProposalsView.as_view(), name="quality-proposals"),
    path("suspension-proposals/<int:pk>/confirm/", views.ProposalConfirmView.as_view(),
         name="quality-proposal-confirm"),
    path("suspension-proposals/<int:pk>/dismiss/", views.ProposalDismissView.as_view(),
         name="quality-proposal-dismiss"),
    path("complaints/", views.ComplaintsView.as_view(), name="quality-complaints"),
    path("complaints/<int:pk>/", views.ComplaintView.as_view(), name="quality-complaint"),
    path("complaints/<int:pk>/investigate/", views.ComplaintInvestigateView.as_view(),
         name="quality-complaint-investigate"),
    path("complaints/<int:pk>/decide/", views.ComplaintDecideView.as_view(), name="quality-complaint-decide"),
    path("quality-rules/", views.QualityRulesView.as_view(), name="quality-rules"),
    path("training-records/", views.TrainingRecordsView.as_view(), name="quality-training-records"),
    path("training-report/", views.TrainingReportView.as_view(), name="quality-training-report"),
]
