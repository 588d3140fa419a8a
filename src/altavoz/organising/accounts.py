"""Admin accounts for organisers and platform staff."""

import argparse

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.crypto import get_random_string

from altavoz import validation


def email_argument(value: str) -> str:
    """A command's ``--email``, held to the one rule for addresses (argparse ``type=``)."""
    try:
        validation.validate_email_address(value)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(f"{value!r}: {error.messages[0]}") from None
    return value


def staff_account_ensure(*, username: str, email: str) -> tuple[object, str]:
    """The admin account called ``username``, made if missing. Returns it and its first
    password (empty when the account already existed)."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": email, "is_staff": True}
    )
    if not created:
        return user, ""
    password = get_random_string(20)
    user.set_password(password)
    user.save()
    return user, password


def demo_account_ensure(*, username: str, email: str) -> tuple[object, str]:
    """A demo's account: made if missing, given a new random password each time (printed by
    ``loaddemo --accounts``, so nobody needs one written down or shared)."""
    user, _first = staff_account_ensure(username=username, email=email)
    password = get_random_string(16)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user, password
