"""Events exchanged with a :class:`~smtpsim.connection.Connection` (h11 style: plain frozen data).

A client line goes in; zero or more :class:`Reply` events come out, grouped per input line in
an :class:`Exchange`.  Between the connection and its personality, each input gives one
:class:`Result`: the replies and the :class:`~smtpsim.machine.Outcome` the state table maps to
the next state.  Handlers signal a refusal by raising :class:`Reject`, which carries the reply
to send (RFC 5321 §4.2: every command gets exactly one reply, possibly multi-line).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .machine import Outcome


@dataclass(frozen=True, slots=True)
class Reply:
    """One SMTP reply as it goes on the wire (RFC 5321 §4.2.1).

    ``lines`` are the wire lines without CRLF (``"250-..."`` continuation lines, last one
    ``"250 ..."``); ``reason`` is a machine-readable key of :data:`smtpsim.REASONS`;
    ``close`` says the server drops the connection after sending it.
    """

    code: int
    lines: tuple[str, ...]
    reason: str
    close: bool = False

    @classmethod
    def build(cls, code: int, texts: list[str] | tuple[str, ...], reason: str, close: bool = False) -> Reply:
        """Assemble ``code-text`` / ``code text`` lines from one text per line."""
        texts = list(texts) or [""]
        lines = (*[f"{code}-{t}" for t in texts[:-1]], f"{code} {texts[-1]}")
        return cls(code, lines, reason, close)

    def __add__(self, other: Reply) -> Reply:
        """Join two replies into one multi-line reply (the later one gives code and reason)."""
        first = tuple(ln[:3] + "-" + ln[4:] for ln in self.lines)
        return Reply(other.code, first + other.lines, other.reason, self.close or other.close)


@dataclass(frozen=True, slots=True)
class Result:
    """What a personality decided about one input (a command line, a SASL response, the end of
    a message or of a chunk): the replies to send and what became of the input.

    ``verb`` is the command as the personality read it (``""``: none, or not a command);
    ``chunk`` is the size of the BDAT data that follows (RFC 3030 §2) when the next state is
    BDAT.  :func:`smtpsim.machine.transition` maps (state, ``outcome``, ``verb``) to the next state.
    """

    outcome: Outcome
    replies: tuple[Reply, ...] = ()
    verb: str = ""
    chunk: int = 0


@dataclass(frozen=True, slots=True)
class Exchange:
    """The replies provoked by one client line (``line`` decoded as latin-1, no CRLF)."""

    line: str
    replies: tuple[Reply, ...] = field(default=())

    @property
    def wire(self) -> tuple[str, ...]:
        """All reply lines, in order."""
        return tuple(ln for r in self.replies for ln in r.lines)


class Reject(Exception):
    """Raised by a command handler: the command is refused with ``reply``.

    What counts towards an error limit is the personality's business (Exim counts only
    syntax and protocol errors, Postfix every failed command).
    """

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.lines[0] if reply.lines else f"{reply.code} (not sent)")
        self.reply = reply
