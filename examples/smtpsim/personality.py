"""What every personality shares: dispatch through the state table, SASL decoding, ids."""

from __future__ import annotations

import binascii
import datetime as _dt
import functools
from typing import TYPE_CHECKING, Callable, Iterator

from .events import Reject, Reply
from .machine import TABLE, State

if TYPE_CHECKING:
    from .connection import Connection

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


_UNKNOWN = ("unknown", None)
_HANDLER = {a: "on_" + a for row in TABLE.values() for a, _ in row.values()} | {"unknown": "on_unknown"}


class Personality:
    """Base class: the connection gives it command lines; it answers with replies.

    Subclasses implement ``handle`` (read one command line the way the real server does, then
    :meth:`dispatch`), one ``on_<action>`` handler per action of :data:`smtpsim.machine.TABLE`,
    ``greeting``, ``data_line``, ``end_of_data``, ``chunk_data``, ``end_of_chunk`` and the SASL
    texts ``sasl_cancelled`` / ``sasl_bad_base64``.
    """

    R: type  # the reply catalogue (smtpsim.replies.Exim or .Postfix)
    line_limit = 2048  # longest command line read as one
    overflow_drop: int | None = None  # octets lost when cutting an over-long line (None: skip to LF)
    lf_ends_data = False  # a bare-LF "." line ends the message (SMTP smuggling exposure)

    def __init__(self, conn: "Connection", queue_ids: Callable[[], str] | None) -> None:
        self.conn = conn
        self.cfg = conn.config
        self._ids = iter(()) if queue_ids else self.default_queue_ids()
        self._queue_ids = queue_ids
        self.verb = ""

    # -- ids -----------------------------------------------------------------
    def default_queue_ids(self) -> Iterator[str]:
        raise NotImplementedError

    def queue_id(self) -> str:
        return self._queue_ids() if self._queue_ids else next(self._ids)

    # -- dispatch --------------------------------------------------------------
    def dispatch(self, verb: str, arg: str) -> Reply | None:
        """Run the table's action for ``verb`` in the current state (see machine.py)."""
        conn = self.conn
        before = conn.state
        action, nxt = TABLE[before].get(verb, _UNKNOWN)
        self.verb = verb
        reply = getattr(self, _HANDLER[action])(arg)
        if conn.state is before and nxt is not None:
            conn.state = nxt
        return reply

    def command(self, raw: bytes, pending: bool, overflow: bool) -> list[Reply]:
        """Handle one command line; ``pending``: more input is already buffered."""
        if self.conn.state is State.AUTH:
            return self.auth_line(raw)
        try:
            return self.handle(raw, pending, overflow)
        except Reject as e:
            return self.refused(e)

    def handle(self, raw: bytes, pending: bool, overflow: bool) -> list[Reply]:
        raise NotImplementedError

    def refused(self, e: Reject) -> list[Reply]:
        return [e.reply]

    # -- BDAT chunks (RFC 3030 §2): counted, never stored -----------------------------
    bdat_total = bdat_size = 0
    bdat_last = bdat_discard = False
    bdat_refused_early = False  # a refused BDAT is answered before its chunk is read

    def chunk_data(self, n: int) -> None:
        self.bdat_total += n

    def end_of_chunk(self) -> list[Reply]:
        """A refused BDAT's chunk is dropped silently; others get 250 (LAST: the message)."""
        if self.bdat_discard:
            self.bdat_discard = False
            return []
        if not self.bdat_last:
            self.conn.state = State.RCPT
            return [self.R.S250_CHUNK.render(size=self.bdat_size)]
        self.conn.state = State.READY
        done = self.last_chunk()
        return done if isinstance(done, list) else [done]

    def last_chunk(self) -> Reply | list[Reply]:
        raise NotImplementedError

    def end_of_data(self) -> Reply | list[Reply]:
        """The reply (or replies: PRDR) to the "." that ends a message (RFC 5321 §4.1.1.4)."""
        raise NotImplementedError

    # -- SASL (RFC 4954 §4), shared by both personalities --------------------------
    def sasl_start(self, mech: str, initial: str | None) -> Reply:
        """Begin PLAIN or LOGIN; returns a 334 challenge or the final reply."""
        self._sasl = {"mech": mech, "fields": []}
        if initial is None:
            return self.sasl_challenge()
        return self.sasl_response(initial, initial=True)

    def sasl_challenge(self) -> Reply:
        """Send the next 334 (PLAIN: empty; LOGIN: "Username:", "Password:" in base64)."""
        if self.conn.state is not State.AUTH:
            self._sasl_return = self.conn.state
            self.conn.state = State.AUTH
        got = len(self._sasl["fields"])
        text = "" if self._sasl["mech"] == "PLAIN" else ("VXNlcm5hbWU6", "UGFzc3dvcmQ6")[got]
        return self.R.S334_CHALLENGE.render(challenge=text)

    def sasl_response(self, line: str, initial: bool = False) -> Reply:
        """One client response; ``*`` cancels (RFC 4954 §4)."""
        if self.conn.state is State.AUTH:
            self.conn.state = self._sasl_return
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
            self.conn.user = user
            return self.R.S235_AUTH_OK.render()
        raise Reject(self.R.S535_AUTH_FAILED.render())

    def sasl_decode(self, text: str, initial: bool) -> bytes:
        """Base64-decode a SASL response (RFC 4954 §4); refuse it if it is not base64."""
        data = b64decode(text)
        if data is None:
            raise Reject(self.sasl_bad_base64(initial))
        return data

    def sasl_cancelled(self) -> Reply:
        raise NotImplementedError

    def sasl_bad_base64(self, initial: bool) -> Reply:
        raise NotImplementedError

    def auth_line(self, raw: bytes) -> list[Reply]:
        try:
            return [self.sasl_response(raw.decode("latin-1"))]
        except Reject as e:
            return self.refused(e)


def make_personality(conn: "Connection", queue_ids: Callable[[], str] | None) -> Personality:
    """The personality named by ``conn.config.software``."""
    if conn.config.software == "exim":
        from .exim import Exim

        return Exim(conn, queue_ids)
    from .postfix import Postfix

    return Postfix(conn, queue_ids)
