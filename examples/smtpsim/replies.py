"""Reply catalogues, one class per personality, named by code (aiosmtpd style).

Texts are copied from the real servers (Exim 4.96 ``smtp_in.c`` / Debian exim4-config ACLs,
Postfix 3.7 ``smtpd.c`` / ``smtpd_check.c``) and checked against the golden transcripts in
``tests/golden/``.  ``{placeholders}`` are filled by :meth:`T.render`.  Tests assert against
these constants, so a text lives in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from .events import Reply


@dataclass(frozen=True)
class T:
    """A reply template: code, one text per wire line, reason key."""

    code: int
    texts: tuple[str, ...]
    reason: str

    def __post_init__(self) -> None:
        # the reply as sent without placeholders filled, open and closing, built once
        built = tuple(Reply.build(self.code, self.texts, self.reason, c) for c in (False, True))
        object.__setattr__(self, "_built", built)

    def render(self, close: bool = False, **kw: object) -> Reply:
        """Fill the placeholders and build the wire lines (constant replies are built once)."""
        if kw:
            return Reply.build(self.code, [t.format(**kw) for t in self.texts], self.reason, close)
        return self._built[close]  # type: ignore[attr-defined,no-any-return]

    def with_lines(self, extra: list[str] | tuple[str, ...], close: bool = False, **kw: object) -> Reply:
        """The template's lines, then ``extra`` lines under the same code (EHLO keywords,
        RFC 5321 §4.1.1.1; a refusal an Exim 503 quotes)."""
        texts = [t.format(**kw) for t in self.texts] if kw else list(self.texts)
        return Reply.build(self.code, texts + list(extra), self.reason, close)

    def ending(self, reply: Reply, close: bool = False, **kw: object) -> Reply:
        """``reply`` with this template's line(s) added under ``reply``'s code (a template of
        code :data:`ANY_CODE`: Exim's "Too many syntax or protocol errors")."""
        texts = [t.format(**kw) for t in self.texts] if kw else list(self.texts)
        return reply + Reply.build(reply.code, texts, self.reason, close)


ANY_CODE = 0  # a template whose line takes the code of the reply it ends (name: S5XX_...)


def t(code: int, *texts: str, reason: str) -> T:
    return T(code, texts, reason)


class Exim:
    """Exim 4.96 as Debian 12's exim4-config sets it up (``smtp_in.c`` and the default ACLs)."""

    S220_GREETING = t(220, "{host} ESMTP Exim 4.96 {date}", reason="greeting")
    S250_HELLO = t(250, "{host} Hello {helo} [{ip}]", reason="hello")
    S501_HELO_SYNTAX = t(501, "Syntactically invalid {verb} argument(s)", reason="syntax-error")
    S503_HELO_REQUIRED = t(503, "HELO or EHLO required", reason="helo-required")
    S250_OK = t(250, "OK", reason="sender-ok")
    S250_OK_PRDR = t(250, "OK, PRDR Requested", reason="sender-ok")
    S250_NOOP = t(250, "OK", reason="ok")
    S250_ACCEPTED = t(250, "Accepted", reason="recipient-ok")
    # smtp_in.c RCPT_CMD: rcpt_count > recipients_max (no recipients_max_reject)
    S452_TOO_MANY_RECIPIENTS = t(452, "too many recipients", reason="too-many-recipients")
    S250_RESET = t(250, "Reset OK", reason="reset")
    S250_QUEUED = t(250, "OK id={qid}", reason="accepted")
    S250_CHUNK = t(250, "{size} byte chunk received", reason="chunk-ok")
    S250_CHUNK_TOTAL = t(250, " {size} byte chunk, total {total}", reason="chunk-ok")
    S354_ENTER = t(354, 'Enter message, ending with "." on a line by itself', reason="start-data")
    S353_PRDR = t(353, "PRDR content analysis beginning", reason="prdr-start")
    S250_PRDR_RECIPIENT = t(250, "PRDR R=<{addr}> acceptance", reason="recipient-ok")
    S250_PRDR_QUEUED = t(250, "id={qid} message accepted", reason="accepted")
    S221_BYE = t(221, "{host} closing connection", reason="bye")
    S220_TLS_GO = t(220, "TLS go ahead", reason="tls-ready")
    S214_HELP = t(214, "Commands supported:", "{commands}", reason="help")
    S252_VRFY = t(252, "Administrative prohibition", reason="vrfy-refused")
    S550_EXPN = t(550, "Administrative prohibition", reason="vrfy-refused")
    S458_ETRN = t(458, "Administrative prohibition", reason="etrn-refused")
    S503_ETRN_IN_TRANSACTION = t(503, "ETRN is not permitted inside a transaction", reason="bad-sequence")
    S334_CHALLENGE = t(334, "{challenge}", reason="auth-challenge")
    S235_AUTH_OK = t(235, "Authentication succeeded", reason="auth-ok")
    S535_AUTH_FAILED = t(535, "Incorrect authentication data", reason="auth-failed")
    S501_AUTH_CANCELLED = t(501, "Authentication cancelled", reason="auth-cancelled")
    S501_AUTH_BASE64 = t(501, "Invalid base64 data", reason="syntax-error")
    S501_AUTH_MECH_CHAR = t(501, "invalid character in authentication mechanism name", reason="syntax-error")
    S503_AUTH_NOT_ADVERTISED = t(503, "AUTH command used when not advertised", reason="auth-not-available")
    S503_AUTH_ALREADY = t(503, "already authenticated", reason="bad-sequence")
    S503_AUTH_IN_TRANSACTION = t(503, "not permitted in mail transaction", reason="bad-sequence")
    S504_AUTH_MECH = t(504, "{mech} authentication mechanism not supported", reason="auth-not-available")
    S503_STARTTLS_NOT_ADVERTISED = t(
        503, "STARTTLS command used when not advertised", reason="tls-not-available"
    )
    S503_SENDER_ALREADY = t(503, "sender already given", reason="bad-sequence")
    S501_MAIL_NO_ADDRESS = t(501, "MAIL must have an address operand", reason="syntax-error")
    S501_RCPT_NO_ADDRESS = t(501, "RCPT must have an address operand", reason="syntax-error")
    S501_ADDRESS = t(501, "{data}: {error}", reason="syntax-error")
    S501_ERROR = t(501, "{error}", reason="syntax-error")
    S501_SENDER_DOMAIN = t(501, "{data}: sender address must contain a domain", reason="syntax-error")
    S501_RECIPIENT_DOMAIN = t(501, "{data}: recipient address must contain a domain", reason="syntax-error")
    S501_BODY = t(501, "invalid data for BODY", reason="syntax-error")
    S501_SMTPUTF8 = t(501, "SMTPUTF8 used when not advertised", reason="syntax-error")
    S552_SIZE = t(552, "Message size exceeds maximum permitted", reason="message-too-big")
    S503_NO_SENDER = t(503, "sender not yet given", reason="bad-sequence")
    S550_RELAY = t(550, "relay not permitted", reason="relay-denied")
    S550_UNROUTEABLE = t(550, "Unrouteable address", reason="unknown-user")
    S550_RESTRICTED = t(550, "restricted characters in address", reason="bad-address")
    S503_ALL_RCPT_REJECTED = t(
        503, "All RCPT commands were rejected with this error:", reason="no-valid-recipients"
    )
    S503_VALID_RCPT = t(503, "Valid RCPT command must precede {cmd}", reason="no-valid-recipients")
    S503_VALID_RCPT_LC = t(503, "valid RCPT command must precede {cmd}", reason="bad-sequence")
    S503_BDAT_NOT_ADVERTISED = t(503, "BDAT command used when CHUNKING not advertised", reason="bad-sequence")
    S501_BDAT_SIZE = t(501, "missing size for BDAT command", reason="syntax-error")
    S503_ONLY_BDAT = t(503, "only BDAT permissible after non-LAST BDAT", reason="bad-sequence")
    S500_UNRECOGNIZED = t(500, "unrecognized command", reason="unknown-command")
    S500_TOO_MANY_UNRECOGNIZED = t(500, "Too many unrecognized commands", reason="too-many-errors")
    S501_UNEXPECTED_ARG = t(501, "unexpected argument data", reason="syntax-error")
    S501_NUL = t(501, "NUL characters are not allowed in SMTP commands", reason="nul-character")
    S554_SYNC = t(554, "SMTP synchronization error", reason="sync-error")
    S554_TOO_MANY_NONMAIL = t(554, "Too many nonmail commands", reason="too-many-errors")
    S5XX_TOO_MANY_ERRORS = t(ANY_CODE, "Too many syntax or protocol errors", reason="too-many-errors")
    S550_LINE_LENGTH = t(
        550, "maximum allowed line length is 998 octets, got {length}", reason="line-too-long"
    )


class Postfix:
    """Postfix 3.7 with Debian 12's defaults (``smtpd.c``, ``smtpd_check.c``, Cyrus SASL)."""

    S220_GREETING = t(220, "{host} ESMTP Postfix (Debian/GNU)", reason="greeting")
    S250_HELO = t(250, "{host}", reason="hello")
    S501_HELO_SYNTAX = t(501, "Syntax: {verb} hostname", reason="syntax-error")
    S250_MAIL_OK = t(250, "2.1.0 Ok", reason="sender-ok")
    S250_RCPT_OK = t(250, "2.1.5 Ok", reason="recipient-ok")
    # smtpd.c rcpt_cmd(): rcpt_count >= smtpd_recipient_limit
    S452_TOO_MANY_RECIPIENTS = t(452, "4.5.3 Error: too many recipients", reason="too-many-recipients")
    S250_OK = t(250, "2.0.0 Ok", reason="ok")
    S250_RESET = t(250, "2.0.0 Ok", reason="reset")
    S250_QUEUED = t(250, "2.0.0 Ok: queued as {qid}", reason="accepted")
    S250_CHUNK = t(250, "2.0.0 Ok: {size} bytes", reason="chunk-ok")
    S250_CHUNK_QUEUED = t(250, "2.0.0 Ok: {size} bytes queued as {qid}", reason="accepted")
    S354_DATA = t(354, "End data with <CR><LF>.<CR><LF>", reason="start-data")
    S221_BYE = t(221, "2.0.0 Bye", reason="bye")
    S220_TLS_READY = t(220, "2.0.0 Ready to start TLS", reason="tls-ready")
    S252_VRFY = t(252, "2.0.0 {addr}", reason="vrfy-ok")
    S334_CHALLENGE = t(334, "{challenge}", reason="auth-challenge")
    S235_AUTH_OK = t(235, "2.7.0 Authentication successful", reason="auth-ok")
    S535_AUTH_FAILED = t(
        535, "5.7.8 Error: authentication failed: authentication failure", reason="auth-failed"
    )
    S535_AUTH_MECH = t(
        535, "5.7.8 Error: authentication failed: no mechanism available", reason="auth-not-available"
    )
    S535_AUTH_BADPROT = t(
        535, "5.7.8 Error: authentication failed: bad protocol / cancel", reason="auth-failed"
    )
    S501_AUTH_ABORTED = t(501, "5.7.0 Authentication aborted", reason="auth-cancelled")
    S535_AUTH_CONTINUE = t(
        535,
        "5.7.8 Error: authentication failed: another step is needed in authentication",
        reason="auth-failed",
    )
    S501_AUTH_SYNTAX = t(501, "5.5.4 Syntax: AUTH mechanism", reason="syntax-error")
    S503_AUTH_NOT_ENABLED = t(503, "5.5.1 Error: authentication not enabled", reason="auth-not-available")
    S503_AUTH_ALREADY = t(503, "5.5.1 Error: already authenticated", reason="bad-sequence")
    S503_IN_TRANSACTION = t(503, "5.5.1 Error: MAIL transaction in progress", reason="bad-sequence")
    S503_AUTH_IN_TRANSACTION = S503_IN_TRANSACTION  # AUTH, XCLIENT and XFORWARD say the same
    S502_STARTTLS_NOT_IMPLEMENTED = t(502, "5.5.1 Error: command not implemented", reason="tls-not-available")
    S554_TLS_ACTIVE = t(554, "5.5.1 Error: TLS already active", reason="bad-sequence")
    S530_STARTTLS_FIRST = t(530, "5.7.0 Must issue a STARTTLS command first", reason="tls-required")
    S503_NESTED_MAIL = t(503, "5.5.1 Error: nested MAIL command", reason="bad-sequence")
    S503_NEED_MAIL = t(503, "5.5.1 Error: need MAIL command", reason="bad-sequence")
    S503_NEED_RCPT = t(503, "5.5.1 Error: need RCPT command", reason="bad-sequence")
    S554_NO_VALID_RECIPIENTS = t(554, "5.5.1 Error: no valid recipients", reason="no-valid-recipients")
    S501_MAIL_SYNTAX = t(501, "5.5.4 Syntax: MAIL FROM:<address>", reason="syntax-error")
    S501_RCPT_SYNTAX = t(501, "5.5.4 Syntax: RCPT TO:<address>", reason="syntax-error")
    S501_VRFY_SYNTAX = t(501, "5.5.4 Syntax: VRFY address [SMTPUTF8]", reason="syntax-error")
    S500_ETRN_SYNTAX = t(500, "Syntax: ETRN domain", reason="syntax-error")
    S459_ETRN = t(459, "<{domain}>: service unavailable", reason="etrn-refused")
    S503_ETRN_IN_TRANSACTION = t(503, "Error: MAIL transaction in progress", reason="bad-sequence")
    S501_X_SYNTAX = t(501, "5.5.4 Syntax: {verb} attribute=value...", reason="syntax-error")
    S550_X_UNAUTHORIZED = t(550, "5.7.0 Error: insufficient authorization", reason="command-refused")
    S521_BDAT_SYNTAX = t(521, "5.5.4 Syntax: BDAT count [LAST]", reason="syntax-error")
    S552_CHUNK_TOO_BIG = t(552, "5.3.4 Chunk exceeds message size limit", reason="message-too-big")
    S551_CHUNK_DISCARDED = t(
        551, "5.0.0 Discarded {size} bytes after earlier error", reason="message-too-big"
    )
    S501_NO_ARGS = t(501, "5.5.4 Syntax: {verb}", reason="syntax-error")
    S555_UNSUPPORTED_OPTION = t(555, "5.5.4 Unsupported option: {option}", reason="syntax-error")
    S501_BAD_SENDER = t(501, "5.1.7 Bad sender address syntax", reason="syntax-error")
    S501_BAD_SIZE = t(501, "5.5.4 Bad message size syntax", reason="syntax-error")
    S501_BAD_RECIPIENT = t(501, "5.1.3 Bad recipient address syntax", reason="syntax-error")
    S552_SIZE = t(552, "5.3.4 Message size exceeds fixed limit", reason="message-too-big")
    S552_TOO_BIG = t(552, "5.3.4 Error: message file too big", reason="message-too-big")
    S454_RELAY = t(454, "4.7.1 <{addr}>: Relay access denied", reason="relay-denied")
    S554_RELAY = t(554, "5.7.1 <{addr}>: Relay access denied", reason="relay-denied")
    S554_RCPT_ACCESS = t(
        554, "5.7.1 <{addr}>: Recipient address rejected: Access denied", reason="auth-required"
    )
    S550_UNKNOWN_USER = t(
        550,
        "5.1.1 <{addr}>: Recipient address rejected: User unknown in local recipient table",
        reason="unknown-user",
    )
    S550_LOCAL_ONLY = t(550, "5.1.1 <{addr}>: Recipient address rejected: {domain}", reason="relay-denied")
    S500_UNRECOGNIZED = t(500, "5.5.2 Error: command not recognized", reason="unknown-command")
    S500_BAD_SYNTAX = t(500, "5.5.2 Error: bad syntax", reason="syntax-error")
    S500_BAD_UTF8 = t(500, "5.5.2 Error: bad UTF-8 syntax", reason="syntax-error")
    S221_FORBIDDEN = t(221, "2.7.0 Error: I can break rules, too. Goodbye.", reason="sync-error")
    S421_TOO_MANY_ERRORS = t(421, "4.7.0 {host} Error: too many errors", reason="too-many-errors")


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
