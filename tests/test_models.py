from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from altavoz.campaigns.models import Campaign, Signature
from altavoz.districts.models import Official


def test_public_ids_are_uuids(miami):
    assert len(str(miami.pk)) == 36
    assert all(len(str(o.pk)) == 36 for o in Official.objects.all())


def test_the_roster_holds_the_commissioners_without_inventing_emails(miami):
    holders = {
        o.post.area.number: o for o in Official.objects.current().select_related("post__area")
    }
    assert holders["2"].name == "Damian Pardo"
    assert holders["citywide"].name == "Eileen Higgins"
    assert holders["2"].source.startswith("EmpoweredVote/ev-accounts")
    assert holders["2"].source_as_of == date(2026, 8, 29)
    assert all(o.email == "" for o in holders.values())


def test_an_official_whose_term_ended_is_not_current(miami, district):
    pardo = Official.objects.get(name="Damian Pardo")
    pardo.end_date = timezone.localdate() - timedelta(days=1)
    pardo.save()
    assert list(miami.targets_for_area(district(2).pk)) == []
    assert [o.name for o in miami.targets_for_area(district(3).pk)] == ["Rolando Escalona"]


def test_public_name_is_first_name_and_last_initial():
    assert Signature(first_name="Maria", last_name="lopez").public_name == "Maria L."
    assert Signature(first_name="Cher", last_name="").public_name == "Cher"


def test_a_campaign_cannot_go_live_while_a_target_has_no_address(miami):
    miami.is_demo = False
    with pytest.raises(ValidationError) as caught:
        miami.full_clean()
    messages = caught.value.message_dict["status"]
    assert "This campaign cannot go live: letters could not be delivered." in messages
    assert "Commissioner, District 2: Damian Pardo has no delivery email address." in messages
    assert len([m for m in messages if "has no delivery email address" in m]) == 5


def test_it_goes_live_once_every_target_has_an_address(miami):
    miami.is_demo = False
    Official.objects.filter(post__role="Commissioner").update(email="office@example.org")
    miami.full_clean()


def test_a_vacant_seat_blocks_going_live(miami):
    miami.is_demo = False
    Official.objects.filter(post__role="Commissioner").update(email="office@example.org")
    Official.objects.filter(name="Christine King").delete()
    with pytest.raises(ValidationError, match="Commissioner, District 5: nobody holds this seat"):
        miami.full_clean()


def test_a_draft_may_lack_addresses(miami):
    miami.is_demo = False
    miami.status = Campaign.Status.DRAFT
    miami.full_clean()


def test_is_open_until_the_deadline(miami):
    assert miami.is_open(now=miami.deadline - timedelta(seconds=1))
    assert not miami.is_open(now=miami.deadline)
