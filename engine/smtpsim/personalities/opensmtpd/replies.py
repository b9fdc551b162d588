"""OpenSMTPD 6.8's replies (Debian 12's ``opensmtpd 6.8.0p2``), copied from the goldens in
``tests/golden/opensmtpd/`` or, where no golden reaches them, from the server's source at tag
``v6.8.0p2`` (github.com/OpenSMTPD/OpenSMTPD, ``usr.sbin/smtpd/``): ``smtp_session.c`` (the
formats), ``esc.c`` (the enhanced code ``class.subject.detail`` and its description, RFC 3463)
and ``lka_session.c`` (``550 Invalid recipient``).  Names follow :mod:`smtpsim.replies`.
Entries marked "source" were not recorded.
"""

from __future__ import annotations

from ...replies import t


class OpenSMTPDReplies:
    """OpenSMTPD 6.8.0p2, Debian 12's ``smtpd.conf`` (and a submission listener with AUTH)."""

    # smtp_send_banner(): "220 %s ESMTP %s", smtpname, SMTPD_NAME
    S220_GREETING = t(220, "{host} ESMTP OpenSMTPD", reason="greeting")
    # smtp_proceed_helo()/_ehlo(); the EHLO keywords follow as further lines
    S250_HELO = t(250, "{host} Hello {helo} [{ip}], pleased to meet you", reason="hello")
    S501_HELO_DOMAIN_REQUIRED = t(
        501, "5.5.1 Invalid command: {verb} requires domain name", reason="syntax-error"
    )
    S501_INVALID_DOMAIN = t(
        501, "5.5.4 Invalid command arguments: Invalid domain name", reason="syntax-error"
    )
    S503_ALREADY_IDENTIFIED = t(503, "5.5.1 Invalid command: Already identified", reason="bad-sequence")
    S503_NOT_ALLOWED = t(
        503, "5.5.1 Invalid command: Command not allowed at this point.", reason="bad-sequence"
    )
    # AUTH without a TLS session (or on a listener without auth), STARTTLS where not offered
    S503_NOT_SUPPORTED = t(503, "5.5.1 Invalid command: Command not supported", reason="auth-not-available")
    S503_ALREADY_AUTHENTICATED = t(503, "5.5.1 Invalid command: Already authenticated", reason="bad-sequence")
    S501_NO_PARAMETERS = t(501, "5.5.4 Invalid command arguments: No parameters given", reason="syntax-error")
    S503_CHANNEL_SECURED = t(
        503, "5.5.1 Invalid command: Channel already secured", reason="bad-sequence"
    )  # source
    S501_PARAMETERS_NOT_ALLOWED = t(  # source
        501, "5.5.4 Invalid command arguments: No parameters allowed", reason="syntax-error"
    )
    # smtp_check_mail_from(): a listener with "auth" (not "auth-optional") before AUTH
    S530_AUTH_FIRST = t(
        530, "5.5.1 Invalid command: Must issue an AUTH command first", reason="auth-required"
    )
    # smtp_check_mail_from(): sc_session_max_mails (100) messages in one session; source
    S452_TOO_MANY_MESSAGES = t(
        452, "4.5.3 Too many recipients: Too many messages sent", reason="too-many-recipients"
    )
    S553_SENDER_SYNTAX = t(553, "5.1.0 Sender address syntax error", reason="syntax-error")
    S503_UNSUPPORTED_OPTION = t(
        503, "5.5.4 Invalid command arguments: Unsupported option {option}", reason="syntax-error"
    )
    S503_OPTION_TOO_LARGE = t(  # ENVID= over DSN_ENVID_LEN (100); source
        503, "5.5.4 Invalid command arguments: option too large, truncated: {option}", reason="syntax-error"
    )
    # smtp_proceed_mail_from() -> IMSG_SMTP_MESSAGE_CREATE
    S250_MAIL_OK = t(250, "2.0.0 Ok", reason="sender-ok")
    # smtp_tx_rcpt_to(): sc_session_max_rcpt (1000) recipients in one message; source
    S451_TOO_MANY_RECIPIENTS = t(
        451, "4.5.3 Too many recipients: Too many recipients", reason="too-many-recipients"
    )
    S501_RECIPIENT_SYNTAX = t(501, "5.1.3 Recipient address syntax error", reason="syntax-error")
    # smtp_tx_rcpt_to() writes these three without an enhanced code
    S503_RCPT_UNSUPPORTED_OPTION = t(503, "Unsupported option {option}", reason="syntax-error")
    S553_NOTIFY_NEVER = t(  # source
        553, "NOTIFY option NEVER cannot be combined with other options", reason="syntax-error"
    )
    S553_ORCPT_SYNTAX = t(553, "ORCPT address syntax error", reason="syntax-error")  # source
    # lka_session.c: no match rule (or no such user) -> LKA_PERMFAIL, "%s: <%s>" with the address
    S550_INVALID_RECIPIENT = t(550, "Invalid recipient: <{addr}>", reason="relay-denied")
    # the same words when a rule matched but its local delivery has no such user; source
    S550_UNKNOWN_RECIPIENT = t(550, "Invalid recipient: <{addr}>", reason="unknown-user")
    S250_RCPT_OK = t(250, "2.1.5 Destination address valid: Recipient ok", reason="recipient-ok")
    S503_NO_RECIPIENT = t(
        503, "5.5.4 Invalid command arguments: No recipient specified", reason="no-valid-recipients"
    )
    S354_DATA = t(354, 'Enter mail, end with "." on a line by itself', reason="start-data")
    # IMSG_SMTP_MESSAGE_COMMIT: "250 %s %08x Message accepted for delivery"
    S250_QUEUED = t(250, "2.0.0 {qid} Message accepted for delivery", reason="accepted")
    # smtp_message_end(), TX_ERROR_SIZE (esc.c: the first description of code 34); source
    S554_TOO_BIG = t(
        554, "5.3.4 Message too big for system: Transaction failed, message too big", reason="message-too-big"
    )
    S250_RESET = t(250, "2.0.0 Reset state", reason="reset")
    S250_OK = t(250, "2.0.0 Ok", reason="ok")
    S221_BYE = t(221, "2.0.0 Bye", reason="bye")
    S214_HELP = t(
        214,
        "2.0.0 This is OpenSMTPD",
        "2.0.0 To report bugs in the implementation, please contact bugs@openbsd.org",
        "2.0.0 with full details",
        "2.0.0 End of HELP info",
        reason="help",
    )
    S500_WIZ = t(
        500, "5.5.1 Invalid command: this feature is not supported yet ;-)", reason="unknown-command"
    )  # source
    S500_NO_ARGUMENTS = t(
        500, "5.5.4 Invalid command arguments: command does not accept arguments.", reason="syntax-error"
    )
    S500_UNRECOGNIZED = t(500, "5.5.1 Invalid command: Command unrecognized", reason="unknown-command")
    # smtp_io(): more input already buffered after a command, or after the "." of a message
    S500_PIPELINING = t(500, "5.5.1 Invalid command: Pipelining not supported", reason="sync-error")
    S500_LINE_TOO_LONG = t(500, "5.0.0 Line too long", reason="line-too-long")  # 64 KiB, then hang up
    S500_COMMAND_TOO_LONG = t(500, "5.0.0 Command line too long", reason="line-too-long")  # LINE_MAX
    S220_TLS_READY = t(220, "2.0.0 Ready to start TLS", reason="tls-ready")
    S504_AUTH_METHOD = t(
        504,
        '5.7.4 Security features not supported: AUTH method "{method}" not supported',
        reason="auth-not-available",
    )
    S334_CHALLENGE = t(334, "{challenge}", reason="auth-challenge")
    S501_AUTH_SYNTAX = t(501, "5.5.2 Syntax error: Syntax error", reason="syntax-error")
    S235_AUTH_OK = t(235, "2.0.0 Authentication succeeded", reason="auth-ok")
    S535_AUTH_FAILED = t(535, "Authentication failed", reason="auth-failed")
