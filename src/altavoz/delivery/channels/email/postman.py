"""The Postman hands messages to the mailers, keeping each connection open across messages.

A pipelined Postman (the worker's) sends from one background thread: while the mail server
answers one letter, the worker builds the next. Every send of one Postman happens on the same
thread, in order, so a mailer and its connection are never shared between threads.
"""

import logging
import smtplib
from concurrent.futures import Future, ThreadPoolExecutor

from django.core.mail import mailers
from django.db import connections

from altavoz.delivery.channels.base import SendError
from altavoz.delivery.channels.email.errors import classify

logger = logging.getLogger(__name__)


class Postman:
    def __init__(self, *, pipelined: bool = False) -> None:
        self._mailers: dict = {}
        self._thread = ThreadPoolExecutor(1, "postman") if pipelined else None

    def send_later(self, message, *, using: str) -> Future:
        """Send on the Postman's thread (now, without one); the future gives the provider's
        id for the message (or its Message-ID), or raises SendError."""
        if self._thread is not None:
            return self._thread.submit(self.send, message, using=using)
        future: Future = Future()
        try:
            future.set_result(self.send(message, using=using))
        except SendError as exc:
            future.set_exception(exc)
        return future

    def send(self, message, *, using: str) -> str:
        reused = using in self._mailers
        try:
            self._send(message, using)
        except SendError:
            raise
        except Exception as exc:
            self._drop(using)
            if reused and isinstance(exc, smtplib.SMTPServerDisconnected):
                # The server dropped a connection left open between batches: reconnect once.
                return self.send(message, using=using)
            raise classify(exc) from exc
        status = getattr(message, "anymail_status", None)
        return (status and status.message_id) or message.extra_headers.get("Message-ID", "")

    def _send(self, message, using: str) -> None:
        mailer = self._mailers.get(using)
        if mailer is None:
            mailer = self._mailers[using] = mailers[using]
            mailer.open()
        if not mailer.send_messages([message]):
            raise SendError("The mailer accepted nothing and gave no reason.", connection=True)

    def _drop(self, using: str) -> None:
        mailer = self._mailers.pop(using, None)
        if mailer is not None:
            try:
                mailer.close()
            except Exception:
                logger.debug("Closing mailer %s failed", using, exc_info=True)

    def _close_all(self) -> None:
        for alias in list(self._mailers):
            self._drop(alias)

    def close(self) -> None:
        """Close every connection (on the Postman's thread, which keeps running)."""
        if self._thread is None:
            self._close_all()
        else:
            self._thread.submit(self._close_all).result()

    def shutdown(self) -> None:
        """Close everything and stop the thread (and its database connection, if the demo
        outbox opened one)."""
        self.close()
        if self._thread is not None:
            self._thread.submit(connections.close_all).result()
            self._thread.shutdown()
