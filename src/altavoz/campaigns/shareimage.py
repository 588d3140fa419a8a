"""The picture a shared link shows (Open Graph, Twitter card): 1200 x 630, served by Altavoz.

Either the one the organiser uploaded (cropped to 1200 x 630 and saved again as a JPEG, so
no camera data such as the place a photo was taken goes out with it), or one drawn for the
campaign in the page's language: the organisation, the headline and the progress bar.
"""

import io
import textwrap
from pathlib import Path

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

WIDTH, HEIGHT = 1200, 630
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_PIXELS = 40_000_000  # a 40-megapixel photo; anything bigger is refused unread
FONT = Path(__file__).resolve().parents[1] / "data" / "fonts" / "DejaVuSans-Bold.ttf"
MARGIN = 72
TEXT_WIDTH = WIDTH - 2 * MARGIN
INK, ACCENT, SOFT, MUTED = "#1a1a1a", "#0b5cad", "#dde6f2", "#595959"


class UnusableImage(ValueError):
    """An upload that cannot be a share image, with a message saying what to do."""


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def _wrapped(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """The text in lines no wider than ``width`` pixels (a word longer than that stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _headline_lines(title: str) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The headline in at most three lines, as large as fits (cut short with "…" at the
    smallest size)."""
    for size in (64, 56, 48, 42):
        font = _font(size)
        lines = _wrapped(title, font, TEXT_WIDTH)
        if len(lines) <= 3:
            return lines, font
    return [*lines[:2], textwrap.shorten(" ".join(lines[2:]), width=40, placeholder=" …")], font


def progress_words(count: int, goal: int) -> str:
    """ "1,234 signatures · Goal: 5,000", in the page's language (US numbers in each)."""
    signatures = ngettext("%(number)s signature", "%(number)s signatures", count) % {
        "number": intcomma(count)
    }
    return f"{signatures} · {_('Goal: %(goal)s') % {'goal': intcomma(goal)}}"


def draw(*, organisation: str, title: str, count: int, goal: int) -> bytes:
    """A PNG: the organisation, the headline and how far the campaign is to its goal."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, WIDTH, 16), fill=ACCENT)
    pen.text((MARGIN, 64), organisation.upper()[:60], font=_font(30), fill=MUTED)
    lines, font = _headline_lines(title)
    y = 130
    for line in lines:
        pen.text((MARGIN, y), line, font=font, fill=INK)
        y += int(font.size * 1.2)
    pen.text((MARGIN, 440), progress_words(count, goal), font=_font(36), fill=ACCENT)
    pen.rounded_rectangle((MARGIN, 510, WIDTH - MARGIN, 550), radius=20, fill=SOFT)
    done = min(1.0, count / goal) if goal else 1.0
    if done > 0:
        right = MARGIN + max(40, int(TEXT_WIDTH * done))
        pen.rounded_rectangle((MARGIN, 510, right, 550), radius=20, fill=ACCENT)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def normalised_upload(upload) -> bytes:
    """The uploaded picture as the share image: cropped to 1200 x 630 around its centre,
    saved again as a JPEG without its metadata. Raises UnusableImage saying why not."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise UnusableImage(
            _("This image is %(size)d MB; use one under 5 MB.")
            % {"size": round(upload.size / 1024 / 1024)}
        )
    try:
        upload.seek(0)
        picture: Image.Image = Image.open(upload)
        if picture.width * picture.height > MAX_UPLOAD_PIXELS:
            too_large = _("This image is too large in pixels; use one under 40 megapixels.")
            raise UnusableImage(too_large)
        picture = ImageOps.exif_transpose(picture).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        unreadable = _("This file is not a picture we can read; use a JPEG or PNG.")
        raise UnusableImage(unreadable) from None
    cropped = ImageOps.fit(picture, (WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    cropped.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()
