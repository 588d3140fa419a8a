from django.core.management.base import BaseCommand

from altavoz.campaigns import access
from altavoz.organising.accounts import email_argument, staff_account_ensure


class Command(BaseCommand):
    help = (
        "Give someone platform staff access (changing civic data: officials, their delivery "
        "addresses, boundaries): `staff add USERNAME --email E`."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add"])
        parser.add_argument("username")
        parser.add_argument("--email", required=True, type=email_argument)

    def handle(self, *args, action, username, email, **options):
        user, password = staff_account_ensure(username=username, email=email)
        user.groups.add(access.platform_staff_group())
        self.stdout.write(f"{username} is platform staff.")
        if password:
            self.stdout.write(f"First password (change it after signing in): {password}")
