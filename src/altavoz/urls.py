from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

from altavoz import admin_site
from altavoz.campaigns.views import action, call, district_json, embed, share, signature
from altavoz.delivery import views as delivery_views
from altavoz.delivery.channels.email import webhooks
from altavoz.onboarding import views as onboarding
from altavoz.outcomes import inbound_webhooks
from altavoz.outcomes import views as outcomes

admin_site.configure()

# The supporter's pages, in each language: /act/<slug>/ in English, /es/act/<slug>/ in
# Spanish, /ht/act/<slug>/ in Haitian Creole. The language is in the URL, so a cached page
# is always in the language its address names.
urlpatterns = i18n_patterns(
    path("", action.home, name="home"),
    path("act/<slug:slug>/", action.campaign_page, name="campaign"),
    path("act/<slug:slug>/thanks/", action.thanks, name="thanks"),
    path("act/<slug:slug>/share-image", share.share_image, name="share-image"),
    path("act/<slug:slug>/counter/", share.counter, name="counter"),
    path("act/<slug:slug>/counter.svg", share.counter_svg, name="counter-svg"),
    path("act/<slug:slug>/meeting.ics", action.meeting_calendar, name="meeting-ics"),
    path("act/<slug:slug>/challenge.json", action.pow_challenge, name="pow-challenge"),
    path("act/<slug:slug>/lookup/", district_json.district_lookup, name="district-lookup"),
    path("embed/<slug:slug>/", embed.embed, name="embed"),
    path("embed/<slug:slug>/thanks/", embed.embed_thanks, name="embed-thanks"),
    path("act/<slug:slug>/thanks/resend/", signature.resend_link, name="resend-link"),
    path("act/<slug:slug>/calls/", call.call_report, name="call-report"),
    path(
        "act/<slug:slug>/calls/<uuid:official_id>/reminder.ics",
        call.call_reminder,
        name="call-reminder",
    ),
    path("signature/<str:token>/", signature.signature_page, name="signature"),
    path("signature/<str:token>/change/", signature.signature_change, name="signature-change"),
    path("unsubscribe/<str:token>/", delivery_views.unsubscribe, name="unsubscribe"),
    path("replied/<str:token>/", outcomes.letter_reply, name="letter-reply"),
    path("start/", onboarding.organisation_request, name="organisation-request"),
    path("start/sent/", onboarding.organisation_request_sent, name="organisation-request-sent"),
    path("join/<str:token>/", onboarding.organisation_join, name="organisation-join"),
    prefix_default_language=False,
)
urlpatterns += [
    # Crawlers and old browsers ask for /favicon.ico whatever the page names.
    path("favicon.ico", RedirectView.as_view(url=static("altavoz/favicon.ico"), permanent=True)),
    path("organise/", include("altavoz.organising.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("altavoz.api.urls")),
    *webhooks.url_patterns(),  # the provider's bounce webhook, only where it is the provider
    *inbound_webhooks.url_patterns(),  # offices' replies, where a provider receives them
]
