from django.urls import path, re_path

from altavoz.api import views

app_name = "api"
TAG = "<str:name>"

urlpatterns = [
    path("", views.entry_point, name="entry-point"),
    path("people/", views.people, name="people"),
    path("people/<uuid:pk>/", views.person, name="person"),
    path("people/<uuid:pk>/signatures/", views.person_signatures, name="person-signatures"),
    path("people/<uuid:pk>/outreaches/", views.person_outreaches, name="person-outreaches"),
    path("petitions/", views.petitions, name="petitions"),
    path("petitions/<uuid:pk>/", views.petition, name="petition"),
    path("petitions/<uuid:pk>/signatures/", views.petition_signatures, name="signatures"),
    path("petitions/<uuid:pk>/signatures/<uuid:signature_pk>/", views.signature, name="signature"),
    path("advocacy_campaigns/", views.advocacy_campaigns, name="advocacy-campaigns"),
    path("advocacy_campaigns/<uuid:pk>/", views.advocacy_campaign, name="advocacy-campaign"),
    path("advocacy_campaigns/<uuid:pk>/outreaches/", views.outreaches, name="outreaches"),
    path(
        "advocacy_campaigns/<uuid:pk>/outreaches/<uuid:outreach_pk>/",
        views.outreach,
        name="outreach",
    ),
    path("tags/", views.tags, name="tags"),
    path(f"tags/{TAG}/", views.tag, name="tag"),
    path(f"tags/{TAG}/taggings/", views.taggings, name="taggings"),
    path(f"tags/{TAG}/taggings/<uuid:pk>/", views.tagging, name="tagging"),
    path("schema/", views.openapi, name="schema"),
    re_path(r"^(?P<rest>[\s\S]*)$", views.nothing_here),  # any path, newlines too
]
