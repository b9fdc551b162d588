"""Postfix 3.7's replies with Debian 12's defaults: ``smtpd.c``, ``smtpd_check.c`` and Cyrus
SASL's texts, checked against the goldens in ``tests/golden/postfix/``.  Names follow
:mod:`smtpsim.replies`: ``S<code>_WORDS``.
"""

from __future__ import annotations

from ...replies import t


class PostfixReplies:
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
