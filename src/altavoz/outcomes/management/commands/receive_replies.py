"""``altavoz receive_replies``: the SMTP receiver for offices' replies to letters."""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from altavoz.outcomes import smtp_receiver


class Command(BaseCommand):
    help = (
        "Receive offices' replies to letters by SMTP (reply+<token>@ the organisation's reply "
        "domain), forward each to its writer and mark the letter replied."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:2525", help="HOST:PORT to listen on.")

    def handle(self, *args, bind: str, **options) -> None:
        host, _, port = bind.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--bind must be HOST:PORT, not {bind!r}")
        receiver = smtp_receiver.controller(host, int(port))
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *a: stop.set())
        signal.signal(signal.SIGINT, lambda *a: stop.set())
        receiver.start()
        self.stdout.write(f"Receiving replies on {host}:{port}")
        stop.wait()
        receiver.stop()
