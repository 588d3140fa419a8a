"""Where the action is shown: the campaign's own page, or the compact embed other sites
frame (campaigns.views.embed). The same form, lookup, letter, shield and service are behind
both; they differ in the template, the addresses, the live column, and how a form proves it
came from a page of ours: the CSRF cookie on the page; in a frame, where browsers may block
third-party cookies, the signed render token alone (shield.formtoken)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Surface:
    name: str
    template: str
    form_url: str  # the URL name the form posts to (and "Back to the campaign")
    thanks_url: str
    live_template: str  # the counter column (kept rendered by campaigns.pagecache)
    embedded: bool = False

    def source_of(self, request) -> str:
        """The source code a signature from this request records: the address's, else the
        embed's own ("embed"), else none (direct)."""
        return request.GET.get("source", "")[:200] or ("embed" if self.embedded else "")


PAGE = Surface("page", "campaigns/campaign.html", "campaign", "thanks", "campaigns/_live.html")
EMBED = Surface(
    "embed", "campaigns/embed.html", "embed", "embed-thanks", "campaigns/_progress.html",
    embedded=True,
)  # fmt: skip
