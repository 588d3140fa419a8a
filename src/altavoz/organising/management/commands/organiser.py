from django.core.management.base import BaseCommand, CommandError

from altavoz.campaigns.models import Organisation
from altavoz.onboarding.services import organiser_add
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
            raise CommandError(
                f"No organisation with slug {organisation!r}. Make it first: altavoz "
                f'organisation add {organisation} --name "Its name"'
            ) from None
        if org.status != Organisation.Status.ACTIVE:
            raise CommandError(
                f"{org.name} is {org.get_status_display().lower()}: platform staff decide it "
                "in the admin (Requests to start using Altavoz)."
            )
        user, password = staff_account_ensure(username=username, email=email)
        organiser_add(organisation=org, user=user)
        self.stdout.write(f"{username} organises {org.name}.")
        if password:
            self.stdout.write(f"First password (change it after signing in): {password}")
