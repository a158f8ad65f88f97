from django.urls import path
from rest_framework.routers import SimpleRouter

from assignments.work.api import views

router = SimpleRouter()
router.register("lawyer/cases", views.LawyerCaseViewSet, basename="lawyer-case")
router.register("notices", views.NoticeWorkViewSet, basename="notice-work")
router.register("work-entries", views.WorkEntryViewSet, basename="work-entry")

urlpatterns = [
    path("work-kinds/", views.WorkKindsView.as_view(), name="work-kinds"),
    path("verified-records/", views.VerifiedRecordView.as_view(), name="verified-records"),
    *router.urls,
]
