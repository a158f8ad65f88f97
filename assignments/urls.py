from django.urls import include, path

from assignments import views

urlpatterns = [
    path("notices/<uuid:pk>/designation/", views.designation_page, name="designation-page"),
    path("notices/<uuid:pk>/designation/designate/", views.designate, name="designation-designate"),
    path("notices/<uuid:pk>/designation/replace/", views.replace, name="designation-replace"),
    path("notices/<uuid:pk>/designation/terminate/", views.terminate, name="designation-terminate"),
    path("notices/<uuid:pk>/designation/parties/", views.add_party, name="designation-party"),
    path("roster/lawyers/", views.lawyer_list, name="lawyer-list"),
    path("roster/lawyers/new/", views.lawyer_new, name="lawyer-new"),
    path("roster/lawyers/<int:pk>/", views.lawyer_detail, name="lawyer-detail"),
    path("roster/lawyers/<int:pk>/<str:kind>/", views.lawyer_period, name="lawyer-period"),
    path("roster/firms/", views.firm_list, name="firm-list"),
    path("roster/import/", views.roster_import, name="roster-import"),
    path("duty/", views.duty_roster, name="duty-roster"),
    path("fairness/", views.fairness, name="fairness-report"),
    path("assignments/mine/", views.my_designations, name="my-designations"),
    path("assignments/mine/<int:pk>/<str:verb>/", views.answer, name="designation-answer"),
    path("", include("assignments.work.urls")),
]
