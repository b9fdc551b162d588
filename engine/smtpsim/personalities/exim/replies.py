"""Exim 4.96's replies as Debian 12's exim4-config sets it up: ``src/src/smtp_in.c``,
``receive.c`` and the default ACLs (``acl_check_rcpt``, ``acl_check_data``), checked against the
goldens in ``tests/golden/exim/``.  Names follow :mod:`smtpsim.replies`: ``S<code>_WORDS``.
"""

from __future__ import annotations

from ...replies import ANY_CODE, t


class EximReplies:
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
