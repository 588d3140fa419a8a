import sys

from django.core.management.base import BaseCommand, CommandError

from altavoz.campaigns.models import Campaign
from altavoz.organising.forms import ExportFilterForm


class Command(BaseCommand):
    help = "Export a campaign's signers as CSV (streamed): `export signers SLUG [filters]`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        signers = sub.add_parser("signers", help="Signers of one campaign.")
        signers.add_argument("campaign", help="Campaign slug.")
        signers.add_argument("--district", default="", help="District number, e.g. 2.")
        signers.add_argument("--consent", choices=["yes", "no"], default="")
        signers.add_argument("--since", default="", help="YYYY-MM-DD")
        signers.add_argument("--until", default="", help="YYYY-MM-DD")
        signers.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, what, campaign, output, **options):
        try:
            found = Campaign.objects.get(slug=campaign)
        except Campaign.DoesNotExist:
            raise CommandError(f"No campaign with slug {campaign!r}.") from None
        form = ExportFilterForm(
            {k: options[k] for k in ("district", "consent", "since", "until")}, campaign=found
        )
        if not form.is_valid():
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        lines = found.action_kind.export_lines(found, form.signer_filter())
        if output:
            with open(output, "w", newline="", encoding="utf-8") as handle:
                handle.writelines(lines)
        else:
            sys.stdout.writelines(lines)
