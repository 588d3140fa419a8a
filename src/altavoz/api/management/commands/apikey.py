from django.core.management.base import BaseCommand, CommandError

from altavoz.api import keys
from altavoz.api.models import ApiKey
from altavoz.campaigns.models import Organisation


class Command(BaseCommand):
    help = (
        "API keys: `apikey create --organisation SLUG --scope read|write [--name N]` prints a "
        "new key once; `apikey revoke PREFIX` stops one."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "revoke"])
        parser.add_argument("prefix", nargs="?", help="revoke: the key's first characters")
        parser.add_argument("--organisation")
        parser.add_argument("--scope", choices=ApiKey.Scope.values, default=ApiKey.Scope.READ)
        parser.add_argument("--name", default="command line")

    def handle(self, *args, action, prefix, organisation, scope, name, **options):
        if action == "revoke":
            count = keys.apikeys_revoke(queryset=ApiKey.objects.filter(prefix=prefix or "-"))
            if not count:
                raise CommandError(f"No live key starts with {prefix!r}.")
            self.stdout.write(f"Revoked {prefix}.")
            return
        found = Organisation.objects.filter(slug=organisation or "").first()
        if found is None:
            raise CommandError(f"No organisation {organisation!r}: give --organisation SLUG.")
        key, token = keys.apikey_create(organisation=found, name=name, scope=scope)
        self.stdout.write(f"{key.get_scope_display()} key for {found.name} (shown once):")
        self.stdout.write(token)
