from django import template

from altavoz.campaigns import text

register = template.Library()


@register.filter(name="campaign_text")
def campaign_text(value: str):
    return text.render(value or "")
