"""A sans-I/O SMTP server connection: octets in, :class:`~smtpsim.events.Exchange` events out.

No sockets, clock or randomness: the date and queue ids come from injectable providers
whose defaults are deterministic.  Input is framed here (RFC 5321 §2.3.8 lines, §4.5.2
dot-stuffing, RFC 3030 chunks); what the server says is the personality's business.
The connection holds the session state and is the only writer of it: every change is
``machine.transition()`` applied to the :class:`~smtpsim.events.Result` the personality returned.
Memory is bounded: no partial line, message or chunk is kept beyond a fixed size.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from .config import ServerConfig
from .events import Exchange, Reply, Result
from .machine import COMMAND_STATES, Outcome, State, transition
from .personality import DEFAULT_CLIENT_PORT, MessageLine, PersonalityInterface, Session, closing
from .registry import get as get_personality

DEFAULT_DATE = _dt.datetime(2026, 6, 1, 9, 30, 0, tzinfo=_dt.UTC)
_DATA_PARTIAL_CAP = 4096  # octets of an unfinished message line kept in the buffer
_LINE_TEXT_CAP = 1024  # characters of a client line echoed in Exchange.line
_INPUT_MODES = (State.DATA, State.AUTH, State.BDAT)
_CONNECTED, _DATA, _BDAT, _RESUME = State.CONNECTED, State.DATA, State.BDAT, State.RESUME
_ACCEPTED, _CLOSE = Outcome.ACCEPTED, Outcome.CLOSE


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
        *,
        client_port: int = DEFAULT_CLIENT_PORT,
    ) -> None:
        self.config = config
        self.client_ip = client_ip
        self.state = State.CONNECTED
        self._resume = State.CONNECTED  # the command state an input mode returns to
        self._date = date_provider or (lambda: DEFAULT_DATE)
        self.session = Session(client_ip, client_tls, client_port)
        self.personality: PersonalityInterface = get_personality(config.software).factory(
            config, self.session, self._date, queue_id_provider
        )
        framing = self.personality.framing
        self._line_limit = framing.line_limit
        self._overflow_drop = framing.overflow_drop
        self._lf_ends_data = framing.lf_ends_data
        self._lf_only_ends = framing.lf_ends_lf_only_data
        self._data_lf_only = True  # no message line so far ended with CRLF
        self._bdat_refused_early = framing.bdat_refused_early
        self._data_limit = framing.data_line_limit
        self._buf = bytearray()
        self._replies: list[Reply] = []  # replies for the physical line being read
        self._line_head = b""  # start of that line, for Exchange.line
        self._skip = False  # discarding the rest of an over-long line
        self._data_partial = 0  # octets of an unfinished message line already dropped
        self._data_crlf = True  # previous message line ended with CRLF
        self.chunk_left = 0  # BDAT octets still expected
        self._chunk_answered = False  # a refused BDAT was answered before its chunk

    # ----------------------------------------------------------------- read-only views
    def now(self) -> _dt.datetime:
        return self._date()

    @property
    def closed(self) -> bool:
        return self.state is State.CLOSED

    @property
    def tls(self) -> bool:
        return self.session.tls

    @property
    def helo(self) -> str | None:
        return self.session.helo

    @property
    def esmtp(self) -> bool:
        return self.session.esmtp

    @property
    def user(self) -> str | None:
        return self.session.user

    @property
    def sender(self) -> str | None:
        return self.session.sender

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(self.session.recipients)

    @property
    def buffered(self) -> int:
        """Octets read but not yet framed (memory is bounded: the attack tests hold it down)."""
        return len(self._buf)

    # ----------------------------------------------------------------- the one state writer
    def _apply(self, res: Result) -> None:
        """Queue the replies and move to the table's next state (machine.py)."""
        outcome = res.outcome
        for reply in res.replies:
            self._replies.append(reply)
            if reply.close:  # the personality hangs up after this reply
                outcome = _CLOSE
        before = self.state
        nxt = transition(before, outcome, res.verb)
        if nxt is not before:
            if nxt is _RESUME:
                nxt = self._resume
            elif nxt in _INPUT_MODES and before in COMMAND_STATES:
                self._resume = before
                if nxt is _DATA:
                    self._data_crlf, self._data_partial, self._data_lf_only = True, 0, True
                elif nxt is _BDAT:
                    self.chunk_left = res.chunk
        if nxt is _CONNECTED and res.verb == "STARTTLS" and outcome is _ACCEPTED:
            self._buf.clear()  # RFC 3207 §5: nothing sent before the handshake is trusted
        self.state = nxt

    # ----------------------------------------------------------------- public API
    def start(self) -> Reply:
        """The greeting (RFC 5321 §4.2: the server speaks first)."""
        res = closing(self.personality.greeting())
        self.state = transition(self.state, res.outcome)
        return res.replies[0]

    def receive_line(self, line: str) -> Exchange:
        """Feed one client line (CRLF added, no LF inside); returns its exchange."""
        ex = self.receive_data(line.encode("utf-8") + b"\r\n")
        return ex[0] if ex else Exchange(line)

    def receive_data(self, data: bytes) -> list[Exchange]:
        """Feed octets as read from the socket; returns one Exchange per completed line."""
        if self.state is State.CLOSED:
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
            limit = self._line_limit
            if self._skip:
                if nl < 0:
                    self._buf.clear()
                    break
                del self._buf[: nl + 1]
                self._skip = False
                self._finish_line(out)
                continue
            if (nl < 0 and len(self._buf) <= limit) or 0 <= nl <= limit:
                if nl < 0:
                    break
                raw = bytes(self._buf[:nl])
                del self._buf[: nl + 1]
                self._line_head = self._line_head or raw[:_LINE_TEXT_CAP]
                self._command(raw, bool(self._buf), False)
                if self.state is not bdat:
                    self._finish_line(out)
                elif self._replies and self._bdat_refused_early:
                    self._finish_line(out)  # answered now; the chunk is skipped silently
                    self._chunk_answered = True
                continue
            # over-long command line: the personality decides how to cut it
            head = bytes(self._buf[:limit])
            self._line_head = self._line_head or head[:_LINE_TEXT_CAP]
            drop = self._overflow_drop
            if drop is None:  # Postfix: truncate, skip the rest up to LF
                del self._buf[:limit]
                self._skip = True
                self._command(head, False, True)
            else:  # Exim: the buffer-full part is a bad command, 1 octet lost
                del self._buf[: limit + drop]
                self._command(head, bool(self._buf), True)
        if self.state is closed:
            if self._replies or self._line_head:  # hung up in the middle of a line
                self._finish_line(out)
            self._buf.clear()
        return out

    # ----------------------------------------------------------------- framing
    def _command(self, raw: bytes, pending: bool, overflow: bool) -> None:
        """A command line, or in state AUTH a SASL response (RFC 4954 §4)."""
        p = self.personality
        if self.state is State.AUTH:
            self._apply(p.sasl_line(raw, pending, overflow))
        else:
            self._apply(p.command(self.state, raw, pending, overflow))

    def _finish_line(self, out: list[Exchange]) -> None:
        text = self._line_head.rstrip(b"\r").decode("latin-1")
        out.append(Exchange(text, tuple(self._replies)))
        self._replies, self._line_head = [], b""
        if self.state is State.CLOSED:
            self._buf.clear()

    def _take_data_line(self, nl: int, out: list[Exchange]) -> bool:
        """One message line (RFC 5321 §4.5.2); CRLF.CRLF ends the message (and, for
        personalities that accept it, a bare-LF "." line: always for Postfix 3.7, in a message
        sent with bare LFs only for Exim 4.96)."""
        limit = self._data_limit
        if limit is not None and self._data_partial + (len(self._buf) if nl < 0 else nl) >= limit:
            # the server's buffer holds limit + 1 octets: anything past them was never read
            unread = self._data_partial + len(self._buf) > limit + 1
            self._line_head = bytes(self._buf[:_LINE_TEXT_CAP])
            line = MessageLine(self._data_partial + len(self._buf), False, False, True, True, unread)
            self._apply(self.personality.message_line(line))
            self._finish_line(out)
            return True
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
            and (
                self._lf_ends_data
                or (crlf and self._data_crlf)
                or (self._lf_only_ends and not crlf and self._data_lf_only)
            )
        )
        self._data_partial, self._data_crlf = 0, crlf
        self._data_lf_only = self._data_lf_only and not crlf
        self._line_head = raw[:_LINE_TEXT_CAP]
        length = length - 1 if body.startswith(b".") else length
        res = self.personality.message_line(MessageLine(length, crlf, ends, bool(self._buf)))
        if res is not None:
            self._apply(res)
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
        self._apply(self.personality.end_of_chunk())
        if not (self._chunk_answered and not self._replies):
            self._finish_line(out)
        self._chunk_answered = False
        return True
