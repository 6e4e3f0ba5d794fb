from django.urls import path

from . import views

app_name = "relations"

urlpatterns = [
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership_detail"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("working-groups/<int:pk>/", views.working_group_detail, name="working_group_detail"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/export.csv", views.agreement_export, name="agreement_export"),
    path("agreements/export.xlsx", views.agreement_export_xlsx, name="agreement_export_xlsx"),
    path(
        "agreements/suggestions/<slug:name>/",
        views.filter_suggestions,
        name="filter_suggestions",
    ),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/document/", views.agreement_document, name="agreement_document"),
]
