from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "altavoz.delivery"
    verbose_name = _("Delivery")

    def ready(self) -> None:
        from anymail.signals import tracking

        from altavoz.delivery.channels.email import webhooks

        tracking.connect(webhooks.on_tracking, dispatch_uid="altavoz.delivery.bounces")
