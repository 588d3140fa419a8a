from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "altavoz.outcomes"
    verbose_name = _("Replies and outcomes")

    def ready(self) -> None:
        from anymail.signals import inbound

        from altavoz.outcomes import inbound_webhooks

        inbound.connect(inbound_webhooks.on_inbound, dispatch_uid="altavoz.outcomes.replies")
