from django.core.management.base import BaseCommand, CommandError

from altavoz.campaigns import access
from altavoz.campaigns.models import Organisation
from altavoz.organising.accounts import email_argument, staff_account_ensure


class Command(BaseCommand):
    help = "Give someone organiser access: `organiser add USERNAME --email E --organisation SLUG`."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add"])
        parser.add_argument("username")
        parser.add_argument("--email", required=True, type=email_argument)
        parser.add_argument("--organisation", required=True, help="Organisation slug.")

    def handle(self, *args, action, username, email, organisation, **options):
        try:
            org = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation with slug {organisation!r}.") from None
        user, password = staff_account_ensure(username=username, email=email)
        user.groups.add(access.organiser_group())
        org.members.add(user)
        self.stdout.write(f"{username} organises {org.name}.")
        if password:
            self.stdout.write(f"First password (change it after signing in): {password}")
