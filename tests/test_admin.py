from django.contrib.admin.helpers import AdminForm
from django.forms.models import model_to_dict

from altavoz.campaigns.models import Campaign


def _real_campaign_form_data(campaign: Campaign) -> dict:
    """The admin change form as submitted with "demo" unticked."""
    fields = model_to_dict(campaign, exclude=["deadline", "is_demo"])
    data = {k: "" if v is None else v for k, v in fields.items()}
    data["deadline_0"], data["deadline_1"] = campaign.deadline.strftime("%Y-%m-%d %H:%M:%S").split()
    return data


def test_the_admin_says_which_officials_block_going_live(admin_client, miami):
    data = _real_campaign_form_data(miami)
    response = admin_client.post(f"/admin/campaigns/campaign/{miami.pk}/change/", data)
    assert response.status_code == 200
    form = response.context["adminform"]
    assert isinstance(form, AdminForm)
    errors = form.form.errors["status"]
    assert "This campaign cannot go live: letters could not be delivered." in errors
    assert (
        'Commissioner, District 4: Ralph "Rafael" Rosado has no delivery email address.' in errors
    )
    miami.refresh_from_db()
    assert miami.is_demo


def test_every_model_has_an_admin_page(admin_client, miami):
    for path in [
        "campaigns/campaign",
        "campaigns/organisation",
        "campaigns/person",
        "campaigns/signature",
        "districts/boundaryset",
        "districts/area",
        "districts/post",
        "districts/official",
        "delivery/delivery",
        "delivery/outboxmessage",
    ]:
        assert admin_client.get(f"/admin/{path}/").status_code == 200, path
