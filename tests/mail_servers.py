"""Mail servers for the outbox tests: backends that refuse, a server that never answers, a
real SMTP sink, and moving the outbox's clock past the next try."""

import socket
import threading

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from registrations.models import MailStatus, OutboxMail


class FailingBackend(BaseEmailBackend):
    """A mail server that cannot be reached."""

    def send_messages(self, email_messages):
        raise OSError("Connection refused")


class RefusingOnceBackend(LocmemBackend):
    """The test outbox, except that the first mail to each address in `settings.REFUSE_ONCE`
    is refused (the setting's list is emptied as it goes)."""

    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if address in settings.REFUSE_ONCE:
                    settings.REFUSE_ONCE.remove(address)
                    raise OSError(f"Mailbox {address} is busy")
        return super().send_messages(messages)


class SilentSMTPServer:
    """A mail server that accepts connections and never answers, counting the connections.

    This is the fault that made a sign-up take twice EMAIL_TIMEOUT when mail was sent inside
    the request.
    """

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:  # closed by stop()
                return
            self.connections.append(connection)  # held open, never answered

    def start(self) -> "SilentSMTPServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.listener.close()
        for connection in self.connections:
            connection.close()


class SMTPSink:
    """A real local SMTP server (aiosmtpd) that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages = []  # aiosmtpd envelopes: .rcpt_tos, .content
        self.sessions = []  # one per connection that delivered a message
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(envelope)
        if not any(seen is session for seen in self.sessions):
            self.sessions.append(session)
        return "250 OK"

    def start(self) -> "SMTPSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def recipients(self) -> list[str]:
        """Return the recipient of every message received, sorted (one per message here)."""
        return sorted(address for message in self.messages for address in message.rcpt_tos)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def make_due_now() -> None:
    """Move the clock past every next try: the queued mails and their tasks are due now."""
    now = timezone.now()
    OutboxMail.objects.filter(status=MailStatus.QUEUED).update(next_try_at=now)
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=now)
