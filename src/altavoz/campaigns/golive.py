"""The go-live check as an organiser reads it: each problem says what is wrong, names the
object and links to where it is fixed (a field of the campaign, an official, a seat)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from altavoz.campaigns.models import Campaign

# The element to jump to for a field whose widget is split or repeated.
FIELD_ANCHORS = {"deadline": "id_deadline_0", "languages": "id_languages_0"}


@dataclass(frozen=True)
class Problem:
    text: str
    url: str  # where it is fixed
    where: str  # what the link opens, e.g. "Deadline" or "Rolando Escalona"


def change_url(campaign: Campaign, field: str = "") -> str:
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    return f"{url}#{FIELD_ANCHORS.get(field, f'id_{field}')}" if field else url


def _field_problems(campaign: Campaign, errors: dict) -> list[Problem]:
    problems = []
    for field, messages in errors.items():
        if field == "status":  # the seats: told one by one below
            continue
        where = str(Campaign._meta.get_field(field).verbose_name).capitalize()
        url = change_url(campaign, field)
        problems += [Problem(f"{where}: {message}", url, where) for message in messages]
    return problems


def _target_problem(target) -> Problem:
    if target.official is not None:
        url = reverse("admin:districts_official_change", args=[target.official.pk])
        return Problem(target.text, url, target.official.name)
    url = reverse("admin:districts_post_change", args=[target.post.pk])
    return Problem(target.text, url, str(target.post))


def publish_problems(campaign: Campaign) -> list[Problem]:
    """What keeps ``campaign`` from going live; empty when it can. Its fields are checked as
    they are saved (a draft's), and each target seat apart, so that every problem is named."""
    try:
        campaign.full_clean()
        errors = {}
    except ValidationError as error:
        errors = error.message_dict
    problems = _field_problems(campaign, errors)
    if not campaign.is_demo:
        problems += [_target_problem(t) for t in campaign.target_problems() if t.blocks_publishing]
    return problems


def publish_warnings(campaign: Campaign) -> list[Problem]:
    """What does not keep it from going live but a supporter would notice: texts missing in
    an offered language (the English ones show instead), letters waiting for an address to
    be confirmed."""
    from altavoz.campaigns.translations import missing_translation_links

    warnings = [Problem(*link) for link in missing_translation_links(campaign)]
    held = [t for t in campaign.target_problems() if not t.blocks_publishing]
    return warnings + _greeting_warnings(campaign) + [_target_problem(t) for t in held]


def _greeting_warnings(campaign: Campaign) -> list[Problem]:
    """A greeting naming one seat ("Dear Commissioner [Official Name],") in a campaign that
    also writes to another (a mayor) would greet that one wrongly."""
    roles = sorted(set(campaign.target_posts().values_list("role", flat=True)))
    named = [role for role in roles if role.lower() in campaign.letter_greeting.lower()]
    if len(roles) < 2 or not named:
        return []
    text = _(
        "The greeting names one seat (%(role)s), but letters also go to: %(others)s. Write a "
        "greeting that fits each official, such as “Dear [Official Name],”."
    ) % {"role": named[0], "others": ", ".join(r for r in roles if r != named[0])}
    where = str(Campaign._meta.get_field("letter_greeting").verbose_name).capitalize()
    return [Problem(text, change_url(campaign, "letter_greeting"), where)]
