from django.contrib import admin
from django.urls import path

from altavoz.campaigns.views import action, lookup

urlpatterns = [
    path("", action.home, name="home"),
    path("act/<slug:slug>/", action.campaign_page, name="campaign"),
    path("act/<slug:slug>/thanks/", action.thanks, name="thanks"),
    path("act/<slug:slug>/lookup/", lookup.district_lookup, name="district-lookup"),
    path("admin/", admin.site.urls),
]
