from django.urls import path

from altavoz.organising import views

app_name = "organise"
urlpatterns = [
    path("campaigns/<uuid:campaign_id>/", views.dashboard, name="dashboard"),
    path("campaigns/<uuid:campaign_id>/preview/", views.preview, name="preview"),
    path("campaigns/<uuid:campaign_id>/publish/", views.publish, name="publish"),
    path("campaigns/<uuid:campaign_id>/signers.csv", views.export, name="export"),
    path("campaigns/<uuid:campaign_id>/packet.pdf", views.packet_pdf, name="packet"),
    path("people/<uuid:person_id>/data.json", views.person_export, name="person-export"),
    path("organisations/<uuid:organisation_id>/lookup/", views.bulk_lookup, name="bulk-lookup"),
]
