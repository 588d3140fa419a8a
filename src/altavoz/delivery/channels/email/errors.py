"""Why an email failed, in words an organiser can act on, and whether trying again can help:
whatever a mail backend raised, as the channels' one SendError."""

import smtplib
import socket

from anymail.exceptions import AnymailError, AnymailRecipientsRefused

from altavoz.delivery.channels.base import SendError


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(str(text).split())}"[:500]


def _from_response(exc: smtplib.SMTPResponseException) -> SendError:
    reply = _reply(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPAuthenticationError | smtplib.SMTPSenderRefused):
        # Our own configuration is wrong: every letter would fail, none is at fault.
        return SendError(f"The mail server refused our login or sender: {reply}", connection=True)
    if 500 <= exc.smtp_code <= 599:
        return SendError(f"The mail server rejected the message: {reply}", permanent=True)
    if 400 <= exc.smtp_code <= 499:
        return SendError(f"The mail server deferred the message: {reply}")
    return SendError(f"The mail server gave an unexpected answer: {reply}", connection=True)


def _from_refused(exc: smtplib.SMTPRecipientsRefused) -> SendError:
    replies = {rcpt: _reply(code, text) for rcpt, (code, text) in exc.recipients.items()}
    described = "; ".join(f"{rcpt}: {reply}" for rcpt, reply in replies.items())
    permanent = all(500 <= code <= 599 for code, _ in exc.recipients.values())
    verdict = "rejected" if permanent else "deferred"
    return SendError(f"The mail server {verdict} the recipient: {described}", permanent=permanent)


def classify(exc: BaseException) -> SendError:
    """Turn whatever the mail backend raised into a SendError with a clear reason."""
    if isinstance(exc, SendError):
        return exc
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return _from_refused(exc)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _from_response(exc)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return SendError(f"The mail server closed the connection: {exc}", connection=True)
    if isinstance(exc, smtplib.SMTPException):
        return SendError(f"The mail server misbehaved: {exc}", connection=True)
    if isinstance(exc, ConnectionRefusedError | socket.gaierror | TimeoutError):
        return SendError(f"The mail server could not be reached: {exc}", connection=True)
    if isinstance(exc, OSError):
        return SendError(f"Network error talking to the mail server: {exc}", connection=True)
    if isinstance(exc, UnicodeError):
        return SendError(f"The address cannot be sent through this server: {exc}", permanent=True)
    if isinstance(exc, AnymailRecipientsRefused):
        return SendError(f"The email provider rejected the recipient: {exc}", permanent=True)
    if isinstance(exc, AnymailError):
        return SendError(f"The email provider refused the message: {exc}", connection=True)
    if isinstance(exc, ValueError):  # Django's own address checks, e.g. "Invalid address"
        return SendError(f"The message cannot be sent as written: {exc}", permanent=True)
    return SendError(f"Unexpected error while sending: {exc!r}")
