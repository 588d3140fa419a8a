from django.contrib import admin
from django.urls import include, path

from altavoz.campaigns.views import action
from altavoz.delivery import views as delivery_views

urlpatterns = [
    path("", action.home, name="home"),
    path("act/<slug:slug>/", action.campaign_page, name="campaign"),
    path("act/<slug:slug>/thanks/", action.thanks, name="thanks"),
    path("unsubscribe/<str:token>/", delivery_views.unsubscribe, name="unsubscribe"),
    path("anymail/", include("anymail.urls")),
    path("admin/", admin.site.urls),
]
