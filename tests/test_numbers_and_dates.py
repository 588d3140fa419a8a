"""Numbers and dates as Miami readers write them: US numbers in all three languages ("1,000",
"73.9"), dates and times in each language's words, in America/New_York."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format

from altavoz.campaigns.models import Campaign

PAGES = {"en": "/act/miami-287g/", "es": "/es/act/miami-287g/", "ht": "/ht/act/miami-287g/"}
GOAL = {"en": "Goal: 1,000", "es": "Meta: 1,000", "ht": "Objektif: 1,000"}


@pytest.mark.parametrize("language", ["en", "es", "ht"])
def test_the_goal_is_written_the_us_way_in_every_language(client, miami, language):
    html = client.get(PAGES[language]).content.decode()
    assert GOAL[language] in html
    assert "1\xa0000" not in html and "1.000" not in html


@pytest.mark.parametrize("language", ["en", "es", "ht"])
def test_numbers_group_thousands_with_commas_and_decimals_with_a_point(language):
    with translation.override(language):
        assert intcomma(1234567) == "1,234,567"
        assert number_format(73.9, decimal_pos=1, force_grouping=True) == "73.9"
        assert number_format(150000, force_grouping=True) == "150,000"


def test_a_five_figure_goal_reads_the_us_way_on_a_spanish_page(client, miami):
    Campaign.objects.filter(pk=miami.pk).update(goal=25000)
    html = client.get(PAGES["es"]).content.decode()
    assert "Meta: 25,000" in html


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "June 12, 2027", "June 11, 2027, 11:30 p.m."),
        ("es", "12 de junio de 2027", "11 de junio de 2027, 11:30 p.m."),
        ("ht", "12 jen 2027", "11 jen 2027, 11:30 p.m."),
    ],
)
def test_dates_and_times_are_in_each_languages_words_in_miamis_time_zone(
    settings, language, day, moment
):
    assert settings.TIME_ZONE == "America/New_York"
    utc = datetime(2027, 6, 12, 3, 30, tzinfo=UTC)  # 11:30 p.m. the day before, in Miami
    with translation.override(language):
        assert date_format(date(2027, 6, 12), "DATE_FORMAT") == day
        assert date_format(timezone.localtime(utc), "DATETIME_FORMAT") == moment
        rendered = Template('{{ when|date:"DATETIME_FORMAT" }}').render(Context({"when": utc}))
        assert rendered == moment


@pytest.mark.parametrize("language", ["es", "ht"])
def test_every_month_has_its_name_in_the_language(language):
    names = {
        "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
               "septiembre", "octubre", "noviembre", "diciembre"],
        "ht": ["janvye", "fevriye", "mas", "avril", "me", "jen", "jiyè", "out", "septanm",
               "oktòb", "novanm", "desanm"],
    }  # fmt: skip
    with translation.override(language):
        written = [date_format(date(2027, month, 1), "F") for month in range(1, 13)]
    assert written == names[language]


@pytest.mark.parametrize(
    ("language", "deadline"),
    [("en", "(June 12, 2027)"), ("es", "(12 de junio de 2027)"), ("ht", "(12 jen 2027)")],
)
def test_the_deadline_is_the_miami_day_in_the_pages_language(client, miami, language, deadline):
    assert timezone.localtime(miami.deadline).date() == date(2027, 6, 12)
    assert deadline in client.get(PAGES[language]).content.decode()
