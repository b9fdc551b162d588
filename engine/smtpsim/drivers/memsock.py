"""smtplib over an in-memory connection to the simulator: a Python sample runs unchanged where there
are no sockets (Pyodide in the browser's live console) and talks to the same engine as ``serve``.

``simulated_smtplib(config)`` swaps ``smtplib.SMTP`` and ``smtplib.SMTP_SSL`` for subclasses whose
socket is a :class:`MemorySocket`: every ``sendall`` is fed to a :class:`~smtpsim.connection.Connection`
and its replies are what ``readline`` returns. TLS is modelled, not performed: ``SMTP_SSL`` opens a
session that is encrypted from the start (implicit TLS, RFC 8314 §3), ``starttls()`` sends STARTTLS
and, on 220, forgets what it knew as RFC 3207 §4.2 requires, without wrapping anything.

>>> cfg = ServerConfig(hostname="mail.example.net", local_domains=("example.net",), auth="offered",
...                    users={"alice@example.net": "s3cret"})
>>> run_code('''
... import smtplib
... with smtplib.SMTP_SSL("mail.example.net", 465) as s:
...     print(s.login("alice@example.net", "s3cret")[0])
... ''', cfg)
'235\\n'
"""

from __future__ import annotations

import contextlib
import io
import smtplib
from collections.abc import Iterator
from typing import Any

from ..config import ServerConfig
from ..connection import Connection


def _wire(lines: tuple[str, ...]) -> bytes:
    return b"".join(line.encode("latin-1", "replace") + b"\r\n" for line in lines)


class MemorySocket:
    """The part of ``socket.socket`` smtplib uses (``sendall``, ``makefile``, ``close``), backed by
    a simulated session instead of the network."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.inbox = bytearray(_wire(conn.start().lines))
        self.closed = False

    def sendall(self, data: bytes) -> None:
        if self.closed or self.conn.closed:
            raise BrokenPipeError("the simulated server closed the connection")
        for exchange in self.conn.receive_data(bytes(data)):
            for reply in exchange.replies:
                self.inbox += _wire(reply.lines)

    def makefile(self, mode: str = "rb") -> _Reader:
        return _Reader(self)

    def settimeout(self, timeout: float | None) -> None:
        """Nothing waits: every reply is ready when ``sendall`` returns."""

    def close(self) -> None:
        self.closed = True


class _Reader:
    """``readline`` over the replies written so far; ``b""`` (end of file) once they are read and
    the session is over, as a closed socket reads."""

    def __init__(self, sock: MemorySocket) -> None:
        self.sock = sock

    def readline(self, limit: int = -1) -> bytes:
        inbox = self.sock.inbox
        end = inbox.find(b"\n") + 1 or len(inbox)
        if limit >= 0:
            end = min(end, limit)
        line = bytes(inbox[:end])
        del inbox[:end]
        return line

    def close(self) -> None:
        pass


def simulated_classes(config: ServerConfig, client_ip: str = "192.0.2.10") -> tuple[type, type]:
    """``(SMTP, SMTP_SSL)`` subclasses of smtplib's that connect to a fresh simulated session."""

    class SMTP(smtplib.SMTP):
        _implicit_tls = False

        def _get_socket(self, host: str, port: int, timeout: float) -> Any:
            if self.debuglevel > 0:
                self._print_debug("connect: to", (host, port), "(simulated, in memory)")
            return MemorySocket(Connection(config, client_ip=client_ip, client_tls=self._implicit_tls))

        def starttls(self, *, context: Any = None) -> tuple[int, bytes]:
            """RFC 3207: STARTTLS, then (on 220) start over as if the handshake had happened."""
            self.ehlo_or_helo_if_needed()
            if not self.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server.")
            code, reply = self.docmd("STARTTLS")
            if code != 220:
                raise smtplib.SMTPResponseException(code, reply)
            self.file = None
            self.helo_resp = self.ehlo_resp = None
            self.esmtp_features = {}
            self.does_esmtp = False
            return code, reply

    class SMTP_SSL(SMTP):
        """Implicit TLS (RFC 8314 §3): the simulated session is encrypted from its first octet."""

        default_port = smtplib.SMTP_SSL_PORT
        _implicit_tls = True

        def __init__(
            self,
            host: str = "",
            port: int = 0,
            local_hostname: str | None = None,
            *,
            timeout: float = 30.0,
            source_address: tuple[str, int] | None = None,
            context: Any = None,
        ) -> None:
            self.context = context
            super().__init__(host, port, local_hostname, timeout, source_address)

    return SMTP, SMTP_SSL


@contextlib.contextmanager
def simulated_smtplib(config: ServerConfig, client_ip: str = "192.0.2.10") -> Iterator[None]:
    """Within the block, ``smtplib.SMTP``/``SMTP_SSL`` talk to the simulator (restored afterwards)."""
    saved = smtplib.SMTP, smtplib.SMTP_SSL
    smtplib.SMTP, smtplib.SMTP_SSL = simulated_classes(config, client_ip)
    try:
        yield
    finally:
        smtplib.SMTP, smtplib.SMTP_SSL = saved


def run_code(code: str, config: ServerConfig, client_ip: str = "192.0.2.10") -> str:
    """Run a Python sample against the simulator and return what it printed (and any traceback)."""
    out = io.StringIO()
    with (
        simulated_smtplib(config, client_ip),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(out),
    ):
        try:
            exec(compile(code, "<sample>", "exec"), {"__name__": "__main__"})
        except Exception:
            import traceback

            traceback.print_exc()
    return out.getvalue()
