"""The interface between :class:`~smtpsim.connection.Connection` and a personality, and what
every personality shares: dispatch through the state table, SASL (RFC 4954 §4), BDAT chunk
bookkeeping (RFC 3030 §2), queue ids and dates.

The connection frames the input and holds the state; a personality reads what the connection
hands it and returns a :class:`~smtpsim.events.Result` (replies and outcome).  The connection
uses only :class:`PersonalityInterface`; a personality never sees the connection, only the
:class:`Session` record it keeps up to date.
"""

from __future__ import annotations

import abc
import binascii
import datetime as _dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, NamedTuple, Protocol

from .events import Reject, Reply, Result
from .machine import TABLE, Outcome, State

if TYPE_CHECKING:
    from .config import ServerConfig

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
C_SPACE = " \t\n\v\f\r"  # C isspace() in the "C" locale


@functools.lru_cache(maxsize=64)
def rfc5322_date(d: _dt.datetime) -> str:
    """``Sat, 28 Nov 2026 16:30:41 +0000`` without depending on the locale."""
    off = d.utcoffset() or _dt.timedelta(0)
    mins = int(off.total_seconds()) // 60
    sign = "+" if mins >= 0 else "-"
    return (
        f"{_DAYS[d.weekday()]}, {d.day:02d} {_MONTHS[d.month - 1]} {d.year} "
        f"{d:%H:%M:%S} {sign}{abs(mins) // 60:02d}{abs(mins) % 60:02d}"
    )


def base62(n: int, width: int) -> str:
    out = ""
    for _ in range(width):
        n, r = divmod(n, 62)
        out = B62[r] + out
    return out


def b64decode(text: str) -> bytes | None:
    """Strict base64 (RFC 4954 §4); ``None`` if the text is not base64."""
    s = text.strip(C_SPACE)
    if len(s) % 4:
        s += "=" * (-len(s) % 4)
    try:
        return binascii.a2b_base64(s.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None


_ACTIONS = {state: {verb: "on_" + a for verb, (a, _) in row.items()} for state, row in TABLE.items()}
ACCEPTED, REFUSED, CLOSE = Outcome.ACCEPTED, Outcome.REFUSED, Outcome.CLOSE


@dataclass(frozen=True)
class Framing:
    """How the real server cuts its input, read once by the connection (RFC 5321 §4.5.3.1.4
    line limits, §4.5.2 end of data, RFC 3030 §2 chunks)."""

    line_limit: int = 2048  # longest command line read as one
    overflow_drop: int | None = None  # octets lost when cutting an over-long line (None: skip to LF)
    lf_ends_data: bool = False  # a bare-LF "." line ends the message (SMTP smuggling exposure)
    #: a bare-LF "." line ends a message only if no line of it ended in CRLF (Exim's fix for
    #: CVE-2023-51766, in Debian 12's 4.96: a bare-LF client still works, smuggling does not)
    lf_ends_lf_only_data: bool = False
    bdat_refused_early: bool = False  # a refused BDAT is answered before its chunk is read
    #: the server reads a message line into a buffer of this many octets (before its LF): a longer
    #: one reaches :meth:`Personality.message_line` as ``too_long`` (None: lines of any length)
    data_line_limit: int | None = None


class MessageLine(NamedTuple):
    """One line of a message after 354, as the connection framed it (RFC 5321 §4.5.2): what
    :meth:`Personality.message_line` decides on.  The octets are counted, never handed over."""

    length: int  # octets without the line end, dot-stuffing removed
    crlf: bool  # ended in CRLF (False: a bare LF, or not ended: ``too_long``)
    ends: bool  # a lone "." that the framing's end-of-data rule takes as the end of the message
    pending: bool  # more input was already read (a client writing the next command with it)
    too_long: bool = False  # reached Framing.data_line_limit before its LF
    unread: bool = False  # too_long, and the client wrote more than the server's buffer holds


DEFAULT_CLIENT_PORT = 52301  # a client port when none is given: any ephemeral port (Linux 32768-60999)


@dataclass
class Session:
    """What the client has established: the personality's record, shown read-only by the
    connection.  STARTTLS forgets all of it but the client address (RFC 3207 §4.2)."""

    client_ip: str
    tls: bool = False  # implicit TLS (port 465) or after STARTTLS
    client_port: int = DEFAULT_CLIENT_PORT  # the client's own TCP port (Exim's $sender_host_port)
    helo: str | None = None  # HELO/EHLO argument once accepted
    esmtp: bool = False
    user: str | None = None  # authenticated user
    sender: str | None = None
    recipients: list[str] = field(default_factory=list)

    def reset_transaction(self) -> None:
        """Forget sender and recipients (RSET, HELO/EHLO, MAIL, end of message)."""
        self.sender = None
        self.recipients = []

    def start_tls(self) -> None:
        """RFC 3207 §4.2: after the handshake the session starts afresh, now encrypted."""
        self.tls, self.helo, self.esmtp, self.user = True, None, False, None
        self.reset_transaction()


def accept(verb: str, *replies: Reply) -> Result:
    """A command handler's result: ``verb`` accepted, with these replies (the connection moves
    to the table's next state for it)."""
    return Result(ACCEPTED, replies, verb)


class PersonalityInterface(Protocol):
    """All the connection uses of a personality, and nothing more (a test reads connection.py):
    what the real server says is decided behind these calls, the state is changed in front of
    them."""

    framing: Framing  # how the input is cut (read once, when the connection starts)

    def greeting(self) -> Result: ...  # RFC 5321 §4.2: the server speaks first

    def command(self, state: State, raw: bytes, pending: bool, overflow: bool) -> Result: ...

    def sasl_line(self, raw: bytes, pending: bool, overflow: bool) -> Result: ...  # after 334 (RFC 4954 §4)

    #: after 354 (RFC 5321 §4.5.2); a ``too_long`` line must be answered
    def message_line(self, line: MessageLine) -> Result | None: ...

    def chunk_data(self, n: int) -> None: ...  # BDAT octets (RFC 3030 §2)

    def end_of_chunk(self) -> Result: ...


class Personality(abc.ABC):
    """One real server's behaviour.  Subclasses implement :meth:`handle` (read one command line
    the way the real server does, then :meth:`dispatch`), one ``on_<action>(verb, arg)`` handler
    per action of :data:`smtpsim.machine.TABLE` (return a :class:`Result`, or raise
    :class:`Reject`), ``greeting``, ``data_line``, ``end_of_data``, ``last_chunk`` and the SASL
    texts ``sasl_cancelled`` / ``sasl_bad_base64``.
    """

    R: ClassVar[type]  # the reply catalogue
    framing: ClassVar[Framing] = Framing()

    def __init__(
        self,
        config: ServerConfig,
        session: Session,
        clock: Callable[[], _dt.datetime],
        queue_ids: Callable[[], str] | None,
    ) -> None:
        self.cfg = config
        self.session = session  # the connection's record of the session, kept up to date here
        self.now = clock
        self._ids = iter(()) if queue_ids else self.default_queue_ids()
        self._queue_ids = queue_ids

    # -- ids -----------------------------------------------------------------
    def default_queue_ids(self) -> Iterator[str]:
        raise NotImplementedError

    def queue_id(self) -> str:
        return self._queue_ids() if self._queue_ids else next(self._ids)

    @staticmethod
    def live_queue_id(sec: int, usec: int, pid: int, serial: Callable[[], int]) -> str:
        """A fresh id in this server's own format from the real clock (``serve`` only): ``sec`` and
        ``usec`` of now, the session's ``pid``, ``serial()`` a server-wide counter."""
        raise NotImplementedError

    # -- interface: what the connection calls -----------------------------------------
    @abc.abstractmethod
    def greeting(self) -> Result:
        """The 220 the server speaks first (RFC 5321 §4.2)."""

    def command(self, state: State, raw: bytes, pending: bool, overflow: bool) -> Result:
        """One command line read in ``state``; ``pending``: more input is already buffered;
        ``overflow``: the line was cut at the framing's line limit."""
        try:
            res = self.handle(state, raw, pending, overflow)
        except Reject as e:
            res = self.refused(e)
        return res

    def sasl_line(self, raw: bytes, pending: bool = False, overflow: bool = False) -> Result:
        """A line read after a 334 (state AUTH): the client's SASL response (``pending`` and
        ``overflow`` as for :meth:`command`)."""
        try:
            res = self.sasl_response(raw.decode("latin-1"))
        except Reject as e:
            res = self.refused(e)
        return res

    def message_line(self, line: MessageLine) -> Result | None:
        """The one hook for the message after 354: a result answers the line (the "." that ends
        the message, or a server's own quirk: a bare LF refused, a line over its buffer, a "."
        pipelined with the next command); ``None`` reads on.  Most servers count the line and
        answer the end; a personality with a quirk overrides this and calls it for the rest."""
        if line.too_long:  # only where the personality set Framing.data_line_limit: it answers
            raise NotImplementedError(f"{type(self).__name__} sets a data_line_limit: answer too_long lines")
        if line.ends:
            return self.end_of_data()
        self.data_line(line.length)
        return None

    @abc.abstractmethod
    def data_line(self, length: int) -> None:
        """A message line of ``length`` octets (dot-stuffing removed) was read after 354."""

    @abc.abstractmethod
    def end_of_data(self) -> Result:
        """The reply (or replies: PRDR) to the "." that ends a message (RFC 5321 §4.1.1.4)."""

    def chunk_data(self, n: int) -> None:
        """``n`` more octets of the current BDAT chunk were read (counted, never stored)."""
        self.bdat_total += n

    def end_of_chunk(self) -> Result:
        """A chunk has been read: a refused BDAT's is dropped silently (SKIPPED); others get
        250 (MORE), LAST gets the message's reply."""
        if self.bdat_discard:
            self.bdat_discard = False
            return Result(Outcome.SKIPPED)
        if not self.bdat_last:
            return Result(Outcome.MORE, (self.R.S250_CHUNK.render(size=self.bdat_size),))
        return self.last_chunk()

    # -- dispatch --------------------------------------------------------------
    @abc.abstractmethod
    def handle(self, state: State, raw: bytes, pending: bool, overflow: bool) -> Result:
        """Read one command line as the real server does; most end in :meth:`dispatch`."""

    def dispatch(self, state: State, verb: str, arg: str) -> Result:
        """Run the table's action for ``verb`` in ``state`` (see machine.py); the result
        carries the verb, for the connection's transition."""
        res = getattr(self, _ACTIONS[state].get(verb, "on_unknown"))(verb, arg)
        return res if res.verb == verb else Result(res.outcome, res.replies, verb, res.chunk)

    def refused(self, e: Reject) -> Result:
        return Result(REFUSED, (e.reply,))

    # -- BDAT chunks (RFC 3030 §2): counted, never stored -----------------------------
    bdat_total = bdat_size = 0
    bdat_last = bdat_discard = False

    def last_chunk(self) -> Result:
        raise NotImplementedError

    # -- SASL (RFC 4954 §4), shared by the personalities --------------------------
    def sasl_start(self, mech: str, initial: str | None) -> Result:
        """Begin PLAIN or LOGIN; returns a 334 challenge or the final reply."""
        self._sasl: dict = {"mech": mech, "fields": []}
        if initial is None:
            return self.sasl_challenge()
        return self.sasl_response(initial, initial=True)

    def sasl_challenge(self) -> Result:
        """Send the next 334 (PLAIN: empty; LOGIN: "Username:", "Password:" in base64)."""
        got = len(self._sasl["fields"])
        text = "" if self._sasl["mech"] == "PLAIN" else ("VXNlcm5hbWU6", "UGFzc3dvcmQ6")[got]
        return Result(Outcome.CHALLENGE, (self.R.S334_CHALLENGE.render(challenge=text),))

    def sasl_response(self, line: str, initial: bool = False) -> Result:
        """One client response; ``*`` cancels (RFC 4954 §4)."""
        if line.strip(C_SPACE) == "*" and not initial:
            raise Reject(self.sasl_cancelled())
        data = b"" if line.strip(C_SPACE) == "=" else self.sasl_decode(line, initial)
        mech, fields = self._sasl["mech"], self._sasl["fields"]
        if mech == "PLAIN":
            parts = data.decode("latin-1").split("\0")
            user, password = (parts[1], parts[2]) if len(parts) == 3 else ("", None)
        else:
            fields.append(data.decode("latin-1"))
            if len(fields) < 2:
                return self.sasl_challenge()
            user, password = fields
        if password is not None and self.cfg.check_password(user, password):
            self.session.user = user
            return Result(ACCEPTED, (self.R.S235_AUTH_OK.render(),))
        raise Reject(self.R.S535_AUTH_FAILED.render())

    def sasl_decode(self, text: str, initial: bool) -> bytes:
        """Base64-decode a SASL response (RFC 4954 §4); refuse it if it is not base64."""
        data = b64decode(text)
        if data is None:
            raise Reject(self.sasl_bad_base64(initial))
        return data

    @abc.abstractmethod
    def sasl_cancelled(self) -> Reply: ...

    @abc.abstractmethod
    def sasl_bad_base64(self, initial: bool) -> Reply: ...


def closing(res: Result) -> Result:
    """A result whose replies hang up has the outcome CLOSE (RFC 5321 §3.8); the connection
    applies the same rule to every result it receives."""
    if res.outcome is not CLOSE:
        for r in res.replies:
            if r.close:
                return Result(CLOSE, res.replies, res.verb, res.chunk)
    return res


@dataclass(frozen=True)
class ServeTexts:
    """What the real server says outside any dialogue, for ``smtpsim serve`` (``{host}``: the
    server's host name, ``{ip}``: the client's address).  Each is one wire line, code included
    (RFC 5321 §3.8, §4.2)."""

    too_many_connections: str | None  # a connection over the limit, before any greeting
    idle_timeout: str | None  # the client said nothing for too long (None: it hangs up silently)
    shutdown: str | None  # the server stops while the client is connected (None: it says nothing)
    data_idle_timeout: str | None = None  # the same in the DATA phase, where it differs
    data_shutdown: str | None = None  # the same in the DATA phase, where it differs


@dataclass(frozen=True)
class Spec:
    """One personality, as the rest of the project sees it."""

    name: str  # server.software: "exim", "postfix", "exim-cpanel", ...
    label: str  # short display name: "Exim"
    long_label: str  # with the version recorded: "Exim 4.96"
    catalogue: type  # the reply catalogue class (S<code>_... constants)
    factory: type[Personality]  # the Personality subclass
    serve_texts: ServeTexts
    #: scenario ``server.<key>`` values this personality reproduces; a key not listed takes any
    #: value of smtpsim.config; a listed key with another value is refused, naming the key.
    settings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""  # what it was recorded from (package, configuration)
    #: the largest message the server takes, in octets (RFC 1870 SIZE); None: no limit
    message_size_limit: int | None = None
    #: what differs from run to run in its replies, as (regular expression, placeholder): its
    #: date and queue-id forms; the golden replay puts the placeholder in on both sides
    volatile: tuple[tuple[str, str], ...] = ()

    @property
    def framing(self) -> Framing:
        """How the server cuts its input (line limits: the caps the attack tests hold it to)."""
        return self.factory.framing
