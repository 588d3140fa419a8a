from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from altavoz.onboarding import services


class Command(BaseCommand):
    help = (
        'Make an organisation: `organisation add SLUG --name "Name" [--sender-email E]`; '
        "then give it organisers with `organiser add`."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add"])
        parser.add_argument("slug", help="Short name for commands, e.g. miami-rights.")
        parser.add_argument("--name", required=True, help="The name letters are signed with.")
        parser.add_argument(
            "--sender-email", default="", help="Letters are sent From it (default: the site's)."
        )

    def handle(self, *args, action, slug, name, sender_email, **options):
        try:
            organisation = services.organisation_create(
                name=name, slug=slug, sender_email=sender_email
            )
        except ValidationError as error:
            problems = [f"{field}: {' '.join(m)}" for field, m in error.message_dict.items()]
            raise CommandError("; ".join(problems)) from None
        self.stdout.write(f"Organisation {organisation.name} ({organisation.slug}) created.")
        self.stdout.write(
            f"Next: altavoz organiser add USERNAME --email E --organisation {organisation.slug}"
        )
