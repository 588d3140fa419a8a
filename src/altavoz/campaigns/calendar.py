"""An iCalendar (RFC 5545) file for the campaign's meeting, so supporters can show up."""

from datetime import UTC, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from altavoz.campaigns.models import Campaign


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, start = [], 0
    while start < len(encoded):
        end = min(start + (75 if not parts else 74), len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:  # not inside a character
            end -= 1
        parts.append(encoded[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def _event(uid: str, timing: list[str], summary: str, description: str, url: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Altavoz//Campaign//EN",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{uid}@altavoz",
        f"DTSTAMP:{timezone.now().strftime('%Y%m%dT%H%M%SZ')}",
        *timing,
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def call_reminder_ics(campaign: Campaign, target, *, minutes: int) -> str:
    """A short event when ``target``'s office next opens (in UTC, so every calendar shows it
    at the right local time): who to call, the number and the script."""
    url = settings.SITE_URL + reverse("thanks", kwargs={"slug": campaign.slug})
    start = target.opens_next.astimezone(UTC)
    end = start + timedelta(minutes=minutes)
    official = target.official
    summary = _("Call %(official)s: %(phone)s") % {
        "official": official.name,
        "phone": official.phone,
    }
    timing = [f"DTSTART:{start:%Y%m%dT%H%M%SZ}", f"DTEND:{end:%Y%m%dT%H%M%SZ}"]
    uid = f"call-{campaign.pk}-{official.pk}-{start:%Y%m%d}"
    return _event(uid, timing, summary, f"{target.script}\n\n{url}", url)


def meeting_ics(campaign: Campaign) -> str:
    day = campaign.meeting_date
    url = settings.SITE_URL + reverse("campaign", kwargs={"slug": campaign.slug})
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Altavoz//Campaign meeting//EN",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:meeting-{campaign.pk}@altavoz",
        f"DTSTAMP:{timezone.now().strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{_escape(campaign.meeting_title or campaign.deadline_label or campaign.title)}",
        f"DESCRIPTION:{_escape(campaign.title + chr(10) + url)}",
        f"URL:{url}",
    ]
    if campaign.meeting_location:
        lines.append(f"LOCATION:{_escape(campaign.meeting_location)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
