from django import template

from altavoz.campaigns import access

register = template.Library()


@register.simple_tag(takes_context=True)
def own_organisations(context):
    """The organisations the signed-in user organises (for links to their own tools)."""
    return list(access.organisations_for_user(context["request"].user).order_by("name"))


@register.simple_tag
def campaign_tool_bar(campaign) -> dict:
    """The campaign edit page's tool bar (organising/tools.py)."""
    from altavoz.organising import tools

    return {
        "previews": tools.previews(campaign),
        "publish_url": tools.publish_url(campaign),
        "live_page": tools.live_page(campaign),
        "tools": tools.campaign_tools(campaign),
    }
