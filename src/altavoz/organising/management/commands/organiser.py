from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string

from altavoz.campaigns import access
from altavoz.campaigns.models import Organisation


class Command(BaseCommand):
    help = "Give someone organiser access: `organiser add USERNAME --email E --organisation SLUG`."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add"])
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--organisation", required=True, help="Organisation slug.")

    def handle(self, *args, action, username, email, organisation, **options):
        try:
            org = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation with slug {organisation!r}.") from None
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": email, "is_staff": True}
        )
        password = ""
        if created:
            password = get_random_string(20)
            user.set_password(password)
            user.save()
        user.groups.add(access.organiser_group())
        org.members.add(user)
        self.stdout.write(f"{username} organises {org.name}.")
        if password:
            self.stdout.write(f"First password (change it after signing in): {password}")
