from django import template

from altavoz.campaigns import access

register = template.Library()


@register.simple_tag(takes_context=True)
def own_organisations(context):
    """The organisations the signed-in user organises (for links to their own tools)."""
    return list(access.organisations_for_user(context["request"].user).order_by("name"))
