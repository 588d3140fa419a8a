"""Django's SMTP backend, serialising messages faster (the worker's hot path).

Letters and confirmations are written straight to bytes by wire.py. Anything else (a
digest with its CSV, an unusual address) goes through Django's ``message()``, where most of
the time is the standard library parsing headers: its registry builds a new class for every
header of every message (``HeaderRegistry.__getitem__`` calls ``type()``) and parses the same
values and folds the same values again and again. This registry builds each class once and
reuses parsed and folded headers (they are immutable); the bytes are the same
(tests/test_delivery_email.py checks it).
"""

import email.policy
import functools
import smtplib
from email.headerregistry import HeaderRegistry

from django.core.mail.backends import smtp

from altavoz.delivery.channels.email.wire import Wire, serialise


class CachedHeaderRegistry(HeaderRegistry):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._classes: dict[str, type] = {}
        # Parsed headers are immutable; the same (name, value) recurs in every message
        # (MIME-Version, Content-Type, an official's To, the organisation's From).
        self._parsed = functools.lru_cache(maxsize=1024)(super().__call__)

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        cls = self._classes.get(key)
        if cls is None:
            cls = self._classes[key] = _remembering_folds(super().__getitem__(name))
        return cls

    def __call__(self, name: str, value):
        if type(value) is str:
            return self._parsed(name, value)
        return super().__call__(name, value)


def _remembering_folds(cls: type) -> type:
    """The header class, folding each (shared, immutable) header once per policy."""

    def fold(self, *, policy) -> str:
        folds = self.__dict__.setdefault("_folds", {})  # keyed by the policy object itself
        if policy not in folds:
            folds[policy] = cls.fold(self, policy=policy)
        return folds[policy]

    return type(cls.__name__, (cls,), {"fold": fold})


POLICY = email.policy.SMTP.clone(header_factory=CachedHeaderRegistry())


@functools.lru_cache(maxsize=1024)
def _prepared_address(address: str, force_ascii: bool) -> str:
    # Django's prep_address uses nothing of the backend; officials' and organisations'
    # addresses recur in every batch.
    return smtp.EmailBackend.prep_address(None, address, force_ascii)


class EmailBackend(smtp.EmailBackend):
    def prep_address(self, address, force_ascii=True) -> str:
        return _prepared_address(str(address), force_ascii)

    def _wire(self, email_message) -> Wire:
        """Django's way (for what wire.py does not write), with the faster policy."""
        return Wire(
            self.prep_address(email_message.from_email),
            [self.prep_address(addr) for addr in email_message.recipients()],
            email_message.message(policy=POLICY).as_bytes(),
        )

    def _send(self, email_message) -> bool:
        """As Django's, with the message written directly when wire.py can."""
        if not email_message.recipients():
            return False
        wire = serialise(email_message) or self._wire(email_message)
        try:
            self.connection.sendmail(wire.sender, wire.recipients, wire.data)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
