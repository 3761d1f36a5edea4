"""A real SMTP server for the tests: aiosmtpd on a free local port, keeping what it receives.

`smtp_server` starts it and points the app's MAIL_* settings (and APP_URL, for the links) at it;
`closed_port()` gives a port nothing listens on (a mail server that is down).
"""

import asyncio
import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

APP_URL = "https://aoapp.bank.example"
MAIL_FROM = "aoapp <digest@bank.example>"


def free_port() -> int:
    """A TCP port of 127.0.0.1 free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


closed_port = free_port  # bound and released: nothing listens there


@dataclass(frozen=True)
class Received:
    """One message as the server got it: envelope recipients and the parsed message."""

    recipients: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        """The text of the `text/<subtype>` part."""
        return self.message.get_body(preferencelist=(subtype,)).get_content()


class Mailbox:
    """The server's handler: keeps every message; `hold` (an Event) makes each delivery wait
    for it (at most `hold_seconds`) before it is accepted, without stopping the server."""

    def __init__(self):
        self.received: list[Received] = []
        self.hold: threading.Event | None = None
        self.hold_seconds = 10.0
        self.delivering = threading.Event()  # set when a delivery has begun
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.delivering.set()
        if self.hold is not None:
            await asyncio.get_running_loop().run_in_executor(
                None, self.hold.wait, self.hold_seconds
            )
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        """The messages delivered to `address`."""
        return [item for item in self.received if address in item.recipients]


@pytest.fixture
def smtp_server(app):
    """A running SMTP server the app mails through (its settings restored after the test)."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_USE_TLS=False,
        MAIL_USE_SSL=False,
        MAIL_USERNAME=None,
        MAIL_FROM=MAIL_FROM,
        MAIL_TIMEOUT=10,
        APP_URL=APP_URL,
    )
    try:
        yield mailbox
    finally:
        if mailbox.hold is not None:
            mailbox.hold.set()
        controller.stop()
