"""Sendmail 8.17.1.9's replies with Debian 12's ``sendmail.mc``: texts copied from the goldens in
``tests/golden/sendmail/`` or, where no golden shows them, from the strings of Debian's
``sendmail-bin 8.17.1.9-2+deb12u2`` binary (``srvrsmtp.c``, ``parseaddr.c``, ``collect.c``) and from
``cf/m4/proto.m4`` of ``sendmail-cf``.  Names follow :mod:`smtpsim.replies`: ``S<code>_WORDS``.

Sendmail prefixes a reply about an address with the address as the client wrote it, then
``"... "`` (``usrerr()`` with ``e_to`` set): ``{addr}`` below.
"""

from __future__ import annotations

from ...replies import t

VERSION = "8.17.1.9"


class SendmailReplies:
    """Sendmail 8.17.1.9 with Debian 12's ``sendmail.mc`` (``srvrsmtp.c``, ``proto.m4``)."""

    # confSMTP_LOGIN_MSG of Debian's cf: "$j Sendmail $v/$Z; $b; (No UCE/UBE) $?{client_addr}
    # logging access from: ${client_name}(${client_resolve})-$_$."; no reverse DNS here
    S220_GREETING = t(
        220,
        "{host} ESMTP Sendmail " + VERSION + "/" + VERSION + "/Debian-2+deb12u2; {date}; "
        "(No UCE/UBE) logging access from: [{ip}](FAIL)-[{ip}]",
        reason="greeting",
    )
    S250_HELLO = t(250, "{host} Hello [{ip}], pleased to meet you", reason="hello")
    S501_HELO_NO_DOMAIN = t(501, "5.0.0 {verb} requires domain address", reason="syntax-error")
    S501_INVALID_DOMAIN = t(501, "5.0.0 Invalid domain name", reason="syntax-error")
    S250_SENDER_OK = t(250, "2.1.0 {addr}... Sender ok", reason="sender-ok")
    S250_RECIPIENT_OK = t(250, "2.1.5 {addr}... Recipient ok", reason="recipient-ok")
    S250_OK = t(250, "2.0.0 OK", reason="ok")
    S250_RESET = t(250, "2.0.0 Reset state", reason="reset")
    S250_VERBOSE = t(250, "2.0.0 Verbose mode", reason="ok")
    S250_QUEUED = t(250, "2.0.0 {qid} Message accepted for delivery", reason="accepted")
    S354_DATA = t(354, "End data with <CR><LF>.<CR><LF>", reason="start-data")
    S221_BYE = t(221, "2.0.0 {host} closing connection", reason="bye")
    S220_TLS_READY = t(220, "2.0.0 Ready to start TLS", reason="tls-ready")
    S214_HELP = t(
        214,
        "2.0.0 This is sendmail version " + VERSION,
        "2.0.0 Topics:",
        "2.0.0 \tHELO\tEHLO\tMAIL\tRCPT\tDATA",
        "2.0.0 \tRSET\tNOOP\tQUIT\tHELP\tVRFY",
        "2.0.0 \tEXPN\tVERB\tETRN\tDSN\tAUTH",
        "2.0.0 \tSTARTTLS",
        '2.0.0 For more info use "HELP <topic>".',
        "2.0.0 To report bugs in the implementation see",
        "2.0.0 \thttp://www.sendmail.org/email-addresses.html",
        "2.0.0 For local information send email to Postmaster at your site.",
        "2.0.0 End of HELP info",
        reason="help",
    )
    S504_HELP_UNKNOWN = t(504, '5.3.0 HELP topic "{topic}" unknown', reason="unknown-command")
    # sequence (srvrsmtp.c)
    S503_POLITE = t(503, "5.0.0 Polite people say HELO first", reason="helo-required")
    S503_INTRODUCE = t(503, "5.0.0 I demand that you introduce yourself first", reason="helo-required")
    S503_SENDER_ALREADY = t(503, "5.5.0 Sender already specified", reason="bad-sequence")
    S503_NEED_MAIL_BEFORE_RCPT = t(503, "5.0.0 Need MAIL before RCPT", reason="bad-sequence")
    S503_NEED_MAIL = t(503, "5.0.0 Need MAIL command", reason="bad-sequence")
    S503_NEED_RCPT = t(503, "5.0.0 Need RCPT (recipient)", reason="no-valid-recipients")
    # the MSA port (DAEMON_OPTIONS M=a): MAIL refused until the client signs in
    S530_AUTH_REQUIRED = t(530, "5.7.0 Authentication required", reason="auth-required")
    # commands
    S500_UNRECOGNIZED = t(500, '5.5.1 Command unrecognized: "{line}"', reason="unknown-command")
    S502_NOT_IMPLEMENTED = t(502, '5.5.1 Command not implemented: "{line}"', reason="unknown-command")
    S421_TOO_MANY_BAD = t(
        421, "4.7.0 {host} Too many bad commands; closing connection", reason="too-many-errors"
    )
    S421_TOO_LONG = t(421, "4.7.0 {host} Command too long, possible attack [{ip}]", reason="line-too-long")
    S421_OPEN_PROXY = t(421, "4.7.0 {host} Rejecting open proxy [{ip}]", reason="command-refused")
    S501_ARGUMENT_REQUIRED = t(501, "5.5.2 Argument required", reason="syntax-error")
    S502_NOT_ALLOWED = t(502, "5.7.0 Sorry, we do not allow this operation", reason="etrn-refused")
    S500_PARAMETER_REQUIRED = t(500, "5.5.2 Parameter required", reason="syntax-error")
    S250_ETRN_NODE = t(250, "2.0.0 Queuing for node {node} started", reason="ok")
    S250_ETRN_QUEUE = t(250, "2.0.0 Queuing for queue group {queue} started", reason="ok")
    S459_QUEUE_UNKNOWN = t(459, "4.5.4 Queue {queue} unknown", reason="etrn-refused")
    # MAIL/RCPT syntax (skipword()) and addresses (prescan(), proto.m4 Parse0)
    S501_SYNTAX_SCANNING = t(501, '5.5.2 Syntax error in parameters scanning "{text}"', reason="syntax-error")
    S553_UNBALANCED = t(553, "5.0.0 {addr}... Unbalanced '{char}'", reason="syntax-error")
    S553_TOKEN_TOO_LONG = t(553, "5.1.0 {addr}... prescan: token too long", reason="syntax-error")
    S553_HOSTNAME_REQUIRED = t(553, "5.1.3 {addr}... Hostname required", reason="syntax-error")
    S553_USER_ADDRESS_REQUIRED = t(553, "5.1.3 {addr}... User address required", reason="syntax-error")
    # Basic_check_rcpt: "$#error $@ nouser $: 553 User address required" (no DSN code: 5.0.0)
    S553_RCPT_EMPTY = t(553, "5.0.0 {addr}... User address required", reason="syntax-error")
    # ESMTP parameters (mail_esmtp_args(), rcpt_esmtp_args())
    S501_REQUIRES_VALUE = t(501, "5.5.2 {param} requires a value", reason="syntax-error")
    S555_UNRECOGNIZED_PARAM = t(555, "5.5.4 {param} parameter unrecognized", reason="syntax-error")
    S552_SIZE_TOO_BIG = t(552, "5.2.3 Message size exceeds maximum value", reason="message-too-big")
    S552_SIZE_INVALID = t(552, "5.2.3 Message size invalid", reason="syntax-error")
    S501_UNKNOWN_BODY = t(501, "5.5.4 Unknown BODY type {value}", reason="syntax-error")
    S501_DUPLICATE = t(501, "5.5.0 Duplicate {param} parameter", reason="syntax-error")
    S501_PARAM_SYNTAX = t(501, "5.5.4 Syntax error in {param} parameter value", reason="syntax-error")
    S501_BAD_RET = t(501, '5.5.2 Bad argument "{value}" to RET', reason="syntax-error")
    S501_BAD_NOTIFY = t(501, '5.5.4 Bad argument "{value}"  to NOTIFY', reason="syntax-error")
    S501_BY_SEMICOLON = t(501, "5.5.2 BY= missing ';'", reason="syntax-error")
    S501_BY_MODE = t(501, "5.5.2 illegal by-mode '{char}'", reason="syntax-error")
    S501_BY_TRACE = t(501, "5.5.2 illegal by-trace '{char}'", reason="syntax-error")
    S501_BY_R_TIME = t(501, "5.5.4 mode R requires BY time > 0", reason="syntax-error")
    # check_rcpt (proto.m4): Relay_ok with ${client_resolve} FAIL (no reverse DNS for the client)
    S550_RELAY_DENIED = t(
        550, "5.7.1 {addr}... Relaying denied. IP name lookup failed [{ip}]", reason="relay-denied"
    )
    # FEATURE(delay_checks): check_mail runs at RCPT; the sender's domain does not resolve
    S553_SENDER_DOMAIN = t(
        553, "5.1.8 {addr}... Domain of sender address {sender} does not exist", reason="sender-refused"
    )
    S550_USER_UNKNOWN = t(550, "5.1.1 {addr}... User unknown", reason="unknown-user")
    # VRFY / EXPN (printvrfyaddr())
    S250_VRFY_LOCAL = t(250, "2.1.5 <{user}@{host}>", reason="vrfy-ok")
    S252_VRFY_REMOTE = t(252, "2.1.5 <{addr}>", reason="vrfy-ok")
    S250_EXPN = t(250, "2.1.5 {name}<{addr}>", reason="vrfy-ok")
    # STARTTLS
    S501_NO_PARAMETERS = t(501, "5.5.2 Syntax error (no parameters allowed)", reason="syntax-error")
    S503_TLS_NOT_AVAILABLE = t(503, "5.5.0 TLS not available", reason="tls-not-available")
    S454_TLS_AFTER_START = t(454, "4.3.3 TLS not available after start", reason="tls-not-available")
    S503_TLS_IN_TRANSACTION = t(
        503, "5.5.0 TLS not permitted during a mail transaction", reason="bad-sequence"
    )
    # AUTH (Cyrus SASL)
    S334_CHALLENGE = t(334, "{challenge}", reason="auth-challenge")
    S235_AUTH_OK = t(235, "2.0.0 OK Authenticated", reason="auth-ok")
    S535_AUTH_FAILED = t(535, "5.7.0 authentication failed", reason="auth-failed")
    S501_AUTH_ABORTED = t(501, "5.0.0 AUTH aborted", reason="auth-cancelled")
    S501_AUTH_NO_MECH = t(501, "5.5.2 AUTH mechanism must be specified", reason="syntax-error")
    S504_AUTH_MECH = t(504, "5.3.3 AUTH mechanism {mech} not available", reason="auth-not-available")
    S501_AUTH_BASE64 = t(501, "5.5.4 cannot BASE64 decode '{text}'", reason="auth-failed")
    S501_AUTH_DECODE = t(501, "5.5.4 cannot decode AUTH parameter {text}", reason="auth-failed")
    S503_AUTH_ALREADY = t(503, "5.5.0 Already Authenticated", reason="bad-sequence")
    S503_AUTH_IN_TRANSACTION = t(
        503, "5.5.0 AUTH not permitted during a mail transaction", reason="bad-sequence"
    )
    # collect.c (Debian's fix for CVE-2023-51765): a bare LF in the message ends the session
    S421_BARE_LF = t(421, "4.5.0 Bare linefeed (LF) not allowed", reason="sync-error")
