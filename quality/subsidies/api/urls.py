from rest_framework.routers import SimpleRouter

from quality.subsidies.api import views

router = SimpleRouter()
router.register("subsidies", views.SubsidyViewSet, basename="subsidy")

urlpatterns = router.urls
