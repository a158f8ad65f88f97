from rest_framework.routers import SimpleRouter

from cases.api.views import DeadlineRuleViewSet, NoticeViewSet

router = SimpleRouter()
router.register("notices", NoticeViewSet, basename="notice")
router.register("deadline-rules", DeadlineRuleViewSet, basename="deadline-rule")

urlpatterns = router.urls
