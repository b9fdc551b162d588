"""What every reply catalogue is made of (aiosmtpd style): :class:`T` templates named by code,
and :data:`REASONS`, the plain-words explanation of each template's reason key.

Each personality's catalogue is one class in its folder's ``replies.py`` (``EximReplies``,
``PostfixReplies``, ...; see :mod:`smtpsim.registry`): constants ``S<code>_WORDS =
t(code, text, ..., reason=...)``, texts copied from the real server and checked against the
golden transcripts in ``tests/golden/``.  ``{placeholders}`` are filled by :meth:`T.render`.
Tests assert against these constants, so a text lives in exactly one place; a reply is built
only from a template (RFC 5321 §4.2: code, then one text per line).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .events import Reply


@dataclass(frozen=True)
class T:
    """A reply template: code, one text per wire line, reason key."""

    code: int
    texts: tuple[str, ...]
    reason: str
    _built: tuple[Reply, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # the reply as sent without placeholders filled, open and closing, built once
        built = tuple(Reply.build(self.code, self.texts, self.reason, c) for c in (False, True))
        object.__setattr__(self, "_built", built)

    def render(self, close: bool = False, **kw: object) -> Reply:
        """Fill the placeholders and build the wire lines (constant replies are built once)."""
        if kw:
            return Reply.build(self.code, [t.format(**kw) for t in self.texts], self.reason, close)
        return self._built[close]

    def with_lines(self, extra: list[str] | tuple[str, ...], close: bool = False, **kw: object) -> Reply:
        """The template's lines, then ``extra`` lines under the same code (EHLO keywords,
        RFC 5321 §4.1.1.1; a refusal an Exim 503 quotes)."""
        texts = [t.format(**kw) for t in self.texts] if kw else list(self.texts)
        return Reply.build(self.code, texts + list(extra), self.reason, close)

    def lost(self) -> Reply:
        """The reply as the client sees it when the server hangs up before flushing it (Exim
        inside TLS, past its nonmail limit): no line, then the close."""
        return Reply(self.code, (), self.reason, True)

    def render_wrapped(self, wrap: Callable[[str], str], close: bool = False, **kw: object) -> Reply:
        """The texts as ONE message joined by newlines, re-wrapped by ``wrap``, one wire line per
        line (an Exim ACL message: ``string_split_message()`` runs before the reply is sent)."""
        text = "\n".join(t.format(**kw) for t in self.texts)
        return Reply.build(self.code, wrap(text).split("\n"), self.reason, close)

    def ending(self, reply: Reply, close: bool = False, **kw: object) -> Reply:
        """``reply`` with this template's line(s) added under ``reply``'s code (a template of
        code :data:`ANY_CODE`: Exim's "Too many syntax or protocol errors")."""
        texts = [t.format(**kw) for t in self.texts] if kw else list(self.texts)
        return reply + Reply.build(reply.code, texts, self.reason, close)


ANY_CODE = 0  # a template whose line takes the code of the reply it ends (name: S5XX_...)


def t(code: int, *texts: str, reason: str) -> T:
    return T(code, texts, reason)


REASONS: dict[str, str] = {
    "greeting": "The server answered the connection and is ready.",
    "hello": "The server accepted the greeting (HELO/EHLO) and listed what it supports.",
    "helo-required": "The server wants the mail program to introduce itself (HELO/EHLO) first.",
    "ok": "The server acknowledged the command.",
    "reset": "The server forgot the message in progress, as asked.",
    "bye": "The server closed the connection, as asked.",
    "help": "The server listed the commands it understands.",
    "sender-ok": "The server accepted the sender address.",
    "recipient-ok": "The server accepted this recipient.",
    "start-data": "The server is ready to receive the message itself.",
    "chunk-ok": "The server received this part of the message.",
    "accepted": "The server accepted the message and queued it for delivery.",
    "tls-ready": "The server agreed to switch to an encrypted connection.",
    "tls-not-available": "The server does not offer an encrypted connection here.",
    "tls-required": "The server insists on an encrypted connection (STARTTLS) before anything else.",
    "vrfy-ok": "The server would not confirm the address, but will try to deliver to it.",
    "vrfy-refused": "The server does not tell whether an address exists.",
    "command-refused": "The server refuses this command from this client.",
    "etrn-refused": "The server does not start a delivery run on request (ETRN).",
    "prdr-start": "The server received the message and now answers for each recipient in turn.",
    "auth-challenge": "The server is waiting for the user name or password.",
    "auth-ok": "The server accepted the user name and password.",
    "auth-failed": "The server rejected the user name or password.",
    "auth-cancelled": "The sign-in was cancelled.",
    "auth-not-available": "The server does not offer this way of signing in here.",
    "auth-required": "The server refused the recipient because you have not signed in.",
    "too-many-recipients": "The server takes only so many recipients in one message: the rest must "
    "go in another message.",
    "relay-denied": "The server refused to pass the message on to another domain because you "
    "have not signed in.",
    "unknown-user": "The server has no mailbox for this recipient.",
    "bad-address": "The address contains characters the server does not accept.",
    "sender-refused": "The server refused the message because of the sender address (here: it "
    "could not find the sender's domain).",
    "no-valid-recipients": "The server refused the message because every recipient had already been refused.",
    "bad-sequence": "The mail program sent a command in the wrong order.",
    "syntax-error": "The server did not understand how the command was written.",
    "unknown-command": "The server does not know this command.",
    "nul-character": "The command contained a forbidden NUL character.",
    "line-too-long": "A line of the message is longer than the server allows.",
    "message-too-big": "The message is larger than the server accepts.",
    "sync-error": "The mail program sent commands too early, without waiting for answers.",
    "too-many-errors": "The server hung up after too many errors.",
}
