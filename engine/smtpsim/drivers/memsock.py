"""smtplib over an in-memory connection to the simulator: a Python sample runs unchanged where there
are no sockets (Pyodide in the browser's live console) and talks to the same engine as ``serve``.

``simulated_smtplib(config)`` swaps ``smtplib.SMTP`` and ``smtplib.SMTP_SSL`` for subclasses whose
socket is a :class:`MemorySocket`: every ``sendall`` is fed to a :class:`~smtpsim.connection.Connection`
and its replies are what ``readline`` returns. TLS is modelled, not performed: ``SMTP_SSL`` opens a
session that is encrypted from the start (implicit TLS, RFC 8314 §3), ``starttls()`` sends STARTTLS
and, on 220, forgets what it knew as RFC 3207 §4.2 requires, without wrapping anything.

With a :class:`Network` (the provider's host and ports, from ``data/clients.yml``) the connection
fails where the real one would, with the exception CPython raises on Linux (measured against
``smtpsim serve`` with real TLS on loopback, CPython 3.13.0, Debian 12): an unknown host name is
``socket.gaierror: [Errno -2] Name or service not known``; a port nobody listens on is
``ConnectionRefusedError: [Errno 111] Connection refused``; a blocked port (dropped on the way, as
many internet providers drop port 25) is ``TimeoutError: timed out``; ``SMTP_SSL`` to a port that
greets in plain text reads the greeting as a TLS record (``ssl.SSLError: [SSL: WRONG_VERSION_NUMBER]
wrong version number``); a plain ``SMTP`` to an implicit-TLS port waits for a greeting that never
comes, until the program's timeout (``SMTPServerDisconnected: Connection unexpectedly closed: timed
out``). Without a network every host and port answers.

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
import re
import smtplib
import socket
import ssl
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..config import ServerConfig
from ..connection import Connection


def _wire(lines: tuple[str, ...]) -> bytes:
    return b"".join(line.encode("latin-1", "replace") + b"\r\n" for line in lines)


#: What CPython's ssl module raises when the first bytes it reads are not a TLS record (measured:
#: ``SMTP_SSL`` to ``smtpsim serve`` on a plain port, CPython 3.13.0 with OpenSSL 3; the ``_ssl.c``
#: line number differs between Python builds).
WRONG_VERSION = "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1020)"
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})+\.?$")
#: glibc's EAI_NONAME and its gai_strerror(3) text (what CPython shows on Linux; measured above).
EAI_NONAME = -2


@dataclass(frozen=True)
class Network:
    """Where the simulated server can be reached, as a provider's settings say: its ``host`` (when
    ``host_is_placeholder``, the same first label under any domain: ``mail.yourdomain.example``
    stands for ``mail.<your domain>``), ``ports`` (port -> ``ssl_tls`` for implicit TLS, RFC 8314
    §3, or ``starttls``/``none`` for a plain greeting, RFC 3207) and ``blocked`` ports (dropped on the
    way: the connection times out). Any other port of the host refuses the connection."""

    host: str
    ports: dict[int, str]
    host_is_placeholder: bool = False
    blocked: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Network:
        """``{"host", "host_is_placeholder", "ports": {"465": "ssl_tls", ...}, "blocked": [25]}``."""
        return cls(
            host=str(data["host"]),
            ports={int(port): str(security) for port, security in data["ports"].items()},
            host_is_placeholder=bool(data.get("host_is_placeholder", False)),
            blocked=frozenset(int(port) for port in data.get("blocked", ())),
        )

    def resolves(self, host: str) -> bool:
        """Whether *host* names the server (case and a final dot do not matter, as in DNS)."""
        name = host.lower().rstrip(".")
        if name == self.host.lower():
            return True
        label = self.host.lower().split(".", 1)[0]
        return (
            self.host_is_placeholder
            and bool(_HOST_NAME.match(name))
            and name.startswith(label + ".")
            and name.count(".") >= 2
        )

    def connect(self, host: str, port: int, timeout: float | None) -> str:
        """The security the port speaks (``ssl_tls``, ``starttls``, ``none``), or the error the real
        connection raises: DNS (EAI_NONAME, ``getaddrinfo(3)``), refused (ECONNREFUSED) or dropped
        (``socket.create_connection``'s timeout; ETIMEDOUT when the program gave none)."""
        if not self.resolves(str(host)):
            raise socket.gaierror(EAI_NONAME, "Name or service not known")
        if port in self.blocked:
            if timeout is None:
                raise TimeoutError(110, "Connection timed out")
            raise TimeoutError("timed out")
        if port not in self.ports:
            raise ConnectionRefusedError(111, "Connection refused")
        return self.ports[port]


class _Silent:
    """An implicit-TLS port as a plain client sees it: the server waits for a TLS handshake, the
    client for a greeting; the read ends at the client's timeout (or, with none, when the server
    gives up and closes, as ``smtpsim serve`` does after its idle timeout)."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self.closed = False

    def sendall(self, data: bytes) -> None:
        """Bytes sent before a greeting go unanswered."""

    def makefile(self, mode: str = "rb") -> _Silent:
        return self

    def readline(self, limit: int = -1) -> bytes:
        if self.timeout is None:
            return b""
        raise TimeoutError("timed out")

    def settimeout(self, timeout: float | None) -> None:
        self.timeout = timeout

    def close(self) -> None:
        self.closed = True


class MemorySocket:
    """The part of ``socket.socket`` smtplib uses (``sendall``, ``makefile``, ``close``), backed by
    a simulated session instead of the network. ``transcript``, when given, receives each line as
    ``("C", line)`` or ``("S", line)``."""

    def __init__(self, conn: Connection, transcript: list[tuple[str, str]] | None = None) -> None:
        self.conn = conn
        self.transcript = transcript
        greeting = conn.start().lines
        self._record("S", greeting)
        self.inbox = bytearray(_wire(greeting))
        self.closed = False

    def _record(self, who: str, lines: tuple[str, ...] | list[str]) -> None:
        if self.transcript is not None:
            self.transcript.extend((who, line) for line in lines)

    def sendall(self, data: bytes) -> None:
        if self.closed or self.conn.closed:
            raise BrokenPipeError("the simulated server closed the connection")
        self._record("C", bytes(data).decode("utf-8", "replace").splitlines())
        for exchange in self.conn.receive_data(bytes(data)):
            for reply in exchange.replies:
                self._record("S", reply.lines)
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


def simulated_classes(
    config: ServerConfig,
    client_ip: str = "192.0.2.10",
    network: Network | None = None,
    transcript: list[tuple[str, str]] | None = None,
) -> tuple[type, type]:
    """``(SMTP, SMTP_SSL)`` subclasses of smtplib's that connect to a fresh simulated session,
    reachable as *network* says (anywhere when it is None)."""

    class SMTP(smtplib.SMTP):
        _implicit_tls = False

        def _get_socket(self, host: str, port: int, timeout: float | None) -> Any:
            if self.debuglevel > 0:
                self._print_debug("connect: to", (host, port), "(simulated, in memory)")
            if network is not None:
                speaks = network.connect(host, port, timeout)
                if speaks == "ssl_tls" and not self._implicit_tls:
                    return _Silent(timeout)
                if speaks != "ssl_tls" and self._implicit_tls:
                    raise ssl.SSLError(1, WRONG_VERSION)
            conn = Connection(config, client_ip=client_ip, client_tls=self._implicit_tls)
            return MemorySocket(conn, transcript)

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
def simulated_smtplib(
    config: ServerConfig,
    client_ip: str = "192.0.2.10",
    network: Network | None = None,
    transcript: list[tuple[str, str]] | None = None,
) -> Iterator[None]:
    """Within the block, ``smtplib.SMTP``/``SMTP_SSL`` talk to the simulator (restored afterwards)."""
    saved = smtplib.SMTP, smtplib.SMTP_SSL
    smtplib.SMTP, smtplib.SMTP_SSL = simulated_classes(config, client_ip, network, transcript)
    try:
        yield
    finally:
        smtplib.SMTP, smtplib.SMTP_SSL = saved


def run_code(
    code: str, config: ServerConfig, client_ip: str = "192.0.2.10", network: Network | None = None
) -> str:
    """Run a Python sample against the simulator and return what it printed and, when it stopped
    on an exception, the traceback as Python prints it (without this module's own frames)."""
    out = io.StringIO()
    with (
        simulated_smtplib(config, client_ip, network),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(out),
    ):
        try:
            exec(compile(code, "<sample>", "exec"), {"__name__": "__main__"})
        except Exception as exc:
            out.write(_traceback(exc))
    return out.getvalue()


def _traceback(exc: BaseException) -> str:
    """``traceback.format_exception`` without the frames of this module (the simulated socket)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != __file__]
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(frames)]
    return "".join(lines + traceback.format_exception_only(type(exc), exc))
