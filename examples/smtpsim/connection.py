"""A sans-I/O SMTP server connection: octets in, :class:`~smtpsim.events.Exchange` events out.

No sockets, clock or randomness: the date and queue ids come from injectable providers
whose defaults are deterministic.  Input is framed here (RFC 5321 §2.3.8 lines, §4.5.2
dot-stuffing, RFC 3030 chunks); what the server says is the personality's business.
Memory is bounded: no partial line, message or chunk is kept beyond a fixed size.
"""

from __future__ import annotations

import datetime as _dt
from typing import Callable

from .config import ServerConfig
from .events import Exchange, Reply
from .machine import State

DEFAULT_DATE = _dt.datetime(2026, 6, 1, 9, 30, 0, tzinfo=_dt.timezone.utc)
_DATA_PARTIAL_CAP = 4096  # octets of an unfinished message line kept in the buffer
_LINE_TEXT_CAP = 1024  # characters of a client line echoed in Exchange.line


class Connection:
    """One simulated SMTP session.

    >>> c = Connection(ServerConfig(software="postfix", hostname="mx.example"))
    >>> c.start().lines
    ('220 mx.example ESMTP Postfix (Debian/GNU)',)
    >>> c.receive_data(b"QUIT\\r\\n")[0].wire
    ('221 2.0.0 Bye',)
    """

    def __init__(
        self,
        config: ServerConfig,
        client_ip: str = "192.0.2.10",
        client_tls: bool = False,
        date_provider: Callable[[], _dt.datetime] | None = None,
        queue_id_provider: Callable[[], str] | None = None,
    ) -> None:
        from .personality import make_personality

        self.config = config
        self.client_ip = client_ip
        self.tls = client_tls  # implicit TLS (port 465) or after STARTTLS
        self.state = State.CONNECTED
        self.helo: str | None = None  # HELO/EHLO argument once accepted
        self.esmtp = False
        self.user: str | None = None  # authenticated user
        self.sender: str | None = None
        self.recipients: list[str] = []
        self._date = date_provider or (lambda: DEFAULT_DATE)
        self.personality = make_personality(self, queue_id_provider)
        self._buf = bytearray()
        self._replies: list[Reply] = []  # replies for the physical line being read
        self._line_head = b""  # start of that line, for Exchange.line
        self._skip = False  # discarding the rest of an over-long line
        self._data_partial = 0  # octets of an unfinished message line already dropped
        self._data_crlf = True  # previous message line ended with CRLF
        self.chunk_left = 0  # BDAT octets still expected
        self._chunk_return = State.READY
        self._chunk_answered = False  # a refused BDAT was answered before its chunk

    # ----------------------------------------------------------------- helpers
    def now(self) -> _dt.datetime:
        return self._date()

    @property
    def closed(self) -> bool:
        return self.state is State.CLOSED

    def reset_transaction(self) -> None:
        """Forget sender and recipients (RSET, HELO/EHLO, MAIL, end of message)."""
        self.sender = None
        self.recipients = []

    # ----------------------------------------------------------------- public API
    def start(self) -> Reply:
        """The greeting (RFC 5321 §4.2: the server speaks first)."""
        reply = self.personality.greeting()
        if reply.close:
            self.state = State.CLOSED
        return reply

    def receive_line(self, line: str) -> Exchange:
        """Feed one client line (CRLF added, no LF inside); returns its exchange."""
        ex = self.receive_data(line.encode("utf-8") + b"\r\n")
        return ex[0] if ex else Exchange(line)

    def receive_data(self, data: bytes) -> list[Exchange]:
        """Feed octets as read from the socket; returns one Exchange per completed line."""
        if self.closed:
            return []
        self._buf += data
        out: list[Exchange] = []
        closed, bdat, in_data = State.CLOSED, State.BDAT, State.DATA
        while self.state is not closed:
            if self.state is bdat:
                if not self._take_chunk(out):
                    break
                continue
            nl = self._buf.find(b"\n")
            if self.state is in_data:
                if not self._take_data_line(nl, out):
                    break
                continue
            limit = self.personality.line_limit
            if self._skip:
                if nl < 0:
                    self._buf.clear()
                    break
                del self._buf[: nl + 1]
                self._skip = False
                self._finish_line(out)
                continue
            if nl < 0 and len(self._buf) <= limit or 0 <= nl <= limit:
                if nl < 0:
                    break
                raw = bytes(self._buf[:nl])
                del self._buf[: nl + 1]
                self._line_head = self._line_head or raw[:_LINE_TEXT_CAP]
                self._feed(self.personality.command(raw, bool(self._buf), False))
                if self.state is not State.BDAT:
                    self._finish_line(out)
                elif self._replies and self.personality.bdat_refused_early:
                    self._finish_line(out)  # answered now; the chunk is skipped silently
                    self._chunk_answered = True
                continue
            # over-long command line: the personality decides how to cut it
            head = bytes(self._buf[:limit])
            self._line_head = self._line_head or head[:_LINE_TEXT_CAP]
            drop = self.personality.overflow_drop
            if drop is None:  # Postfix: truncate, skip the rest up to LF
                del self._buf[:limit]
                self._skip = True
                self._feed(self.personality.command(head, False, True))
            else:  # Exim: the buffer-full part is a bad command, 1 octet lost
                del self._buf[: limit + drop]
                self._feed(self.personality.command(head, bool(self._buf), True))
        if self.closed:
            if self._replies or self._line_head:  # hung up in the middle of a line
                self._finish_line(out)
            self._buf.clear()
        return out

    # ----------------------------------------------------------------- framing
    def _feed(self, replies: list[Reply]) -> None:
        for r in replies:
            self._replies.append(r)
            if r.close:
                self.state = State.CLOSED

    def _finish_line(self, out: list[Exchange]) -> None:
        text = self._line_head.rstrip(b"\r").decode("latin-1")
        out.append(Exchange(text, tuple(self._replies)))
        self._replies, self._line_head = [], b""
        if self.closed:
            self._buf.clear()

    def _take_data_line(self, nl: int, out: list[Exchange]) -> bool:
        """One message line (RFC 5321 §4.5.2); CRLF.CRLF ends the message (and, for
        personalities that accept it, a bare-LF "." line, as Postfix 3.7 does)."""
        if nl < 0:
            if len(self._buf) > _DATA_PARTIAL_CAP:
                self._data_partial += len(self._buf)
                self._buf.clear()
                self._data_crlf = False
            return False
        raw = bytes(self._buf[:nl])
        del self._buf[: nl + 1]
        crlf = raw.endswith(b"\r")
        body = raw[:-1] if crlf else raw
        length = self._data_partial + len(body)
        ends = (
            body == b"."
            and not self._data_partial
            and (self.personality.lf_ends_data or crlf and self._data_crlf)
        )
        self._data_partial, self._data_crlf = 0, crlf
        self._line_head = raw[:_LINE_TEXT_CAP]
        if ends:
            self.state = State.READY
            done = self.personality.end_of_data()
            self._feed(done if isinstance(done, list) else [done])
        else:
            self.personality.data_line(length - 1 if body.startswith(b".") else length)
        self._finish_line(out)
        return True

    def _take_chunk(self, out: list[Exchange]) -> bool:
        """BDAT octets (RFC 3030 §2): counted, never stored."""
        n = min(self.chunk_left, len(self._buf))
        del self._buf[:n]
        self.chunk_left -= n
        self.personality.chunk_data(n)
        if self.chunk_left:
            return False
        self._feed(self.personality.end_of_chunk())
        if self.state is State.BDAT:  # a refused BDAT: its chunk is gone, the state is back
            self.state = self._chunk_return
        if not (self._chunk_answered and not self._replies):
            self._finish_line(out)
        self._chunk_answered = False
        return True

    def begin_chunk(self, size: int) -> None:
        """Called by a BDAT handler: the next ``size`` octets are chunk data."""
        self.chunk_left = size
        self._chunk_return = self.state
        self.state = State.BDAT

    def discard_input(self) -> None:
        """Drop buffered input (after STARTTLS: RFC 3207 §5, CVE-2011-0411)."""
        self._buf.clear()

    def begin_data(self) -> None:
        self._data_crlf, self._data_partial = True, 0
