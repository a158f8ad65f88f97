from django.urls import include, path
from rest_framework.routers import SimpleRouter

from assignments.api import views

router = SimpleRouter()
router.register("notices", views.NoticeAssignmentViewSet, basename="notice-assignment")
router.register("designations", views.DesignationViewSet, basename="designation")
router.register("lawyers", views.LawyerViewSet, basename="lawyer")
router.register("duty-shifts", views.DutyShiftViewSet, basename="duty-shift")

urlpatterns = [
    path("notices/<uuid:pk>/letter.pdf", views.LetterView.as_view(), name="notice-letter"),
    path("interim-help-requests/", views.HelpRequestView.as_view(), name="interim-help-request"),
    path("plea-sessions/", views.PleaSessionView.as_view(), name="plea-session"),
    path("fairness/", views.FairnessView.as_view(), name="fairness"),
    path("", include("assignments.work.api.urls")),
    *router.urls,
]
