import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from altavoz.campaigns import selectors, services
from altavoz.campaigns.models import Person
from altavoz.campaigns.services import normalise_email


class Command(BaseCommand):
    help = "People's data rights: `people export EMAIL --organisation SLUG`, `people erase ...`."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")
        parser.add_argument("--organisation", required=True, help="Organisation slug.")

    def handle(self, *args, action, email, organisation, **options):
        try:
            person = Person.objects.get(
                organisation__slug=organisation, email=normalise_email(email)
            )
        except Person.DoesNotExist:
            raise CommandError(f"{organisation} holds nothing about {email}.") from None
        if action == "export":
            data = selectors.person_data(person)
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=2))
        else:
            services.person_erase(person=person)
            self.stdout.write(f"Erased {email}; their signatures stay counted, anonymised.")
