"""Golden-transcript cases for Postfix 3.7 (Debian 12); see golden_cases.py for the format.

Listeners (tools/mta-lab/postfix/setup_postfix.sh), all with ``mynetworks=127.0.0.1/32`` so
the client at 127.0.0.2 is an outsider: 2526 Debian "Local only" defaults without SASL or TLS,
2527 + Cyrus SASL (PLAIN LOGIN, also in clear text) and optional STARTTLS, 2588 Debian's
commented-out submission block (TLS required, AUTH only after TLS).  The ``-reject`` and
``-internet`` configs are the same listeners after the main.cf tweaks in tests/golden/README.md.
"""

from __future__ import annotations

from typing import Any

from golden_common import EHLO, MESSAGE, PLAIN_BAD, PLAIN_OK, REMOTE, SENDER, USERS, b64, bdat, repeat

_BASE: dict[str, Any] = {
    "software": "postfix",
    "hostname": "vm",
    "local_domains": ["vm", "localhost.localdomain", "localhost"],
    "relay_networks": ["127.0.0.1/32"],
    "tls": "none",
    "auth": "none",
    "relay_policy": "defer",
    "delivery": "local-only",
    "users": USERS,
}
_LOCAL = (
    "Debian 'Local only' (default_transport = relay_transport = error); "
    "defer_transports covers every transport so nothing is ever delivered."
)
_SASL = {**_BASE, "tls": "offered", "auth": "offered"}
_REJECT = "smtpd_relay_restrictions = permit_mynetworks permit_sasl_authenticated reject_unauth_destination."
_INTERNET = "'Internet Site' tweak: default_transport = smtp, relay_transport = relay."
POSTFIX_CONFIGS: dict[tuple[str, str], dict[str, Any]] = {
    ("postfix", "2526"): {"port": 2526, "server": dict(_BASE), "notes": _LOCAL + " No SASL, no TLS."},
    ("postfix", "2527"): {
        "port": 2527,
        "server": _SASL,
        "notes": _LOCAL + " Cyrus SASL (sasldb) PLAIN LOGIN allowed without TLS; "
        "smtpd_tls_security_level = may.",
    },
    ("postfix", "2588"): {
        "port": 2588,
        "server": {**_BASE, "tls": "required", "auth": "tls-only"},
        "notes": _LOCAL + " Debian's submission block: smtpd_tls_security_level = encrypt, "
        "smtpd_tls_auth_only = yes, smtpd_relay_restrictions empty, "
        "smtpd_recipient_restrictions = permit_sasl_authenticated,reject "
        "(every recipient, local or not, needs AUTH), "
        "smtpd_reject_unlisted_recipient = no.",
    },
    ("postfix", "2526-reject"): {
        "port": 2526,
        "server": {**_BASE, "relay_policy": "reject"},
        "notes": _LOCAL + " No SASL, no TLS. " + _REJECT,
    },
    ("postfix", "2527-internet"): {
        "port": 2527,
        "server": {**_SASL, "delivery": "internet"},
        "notes": "Cyrus SASL PLAIN LOGIN without TLS, STARTTLS may. "
        + _INTERNET
        + " defer_transports still covers every transport: nothing leaves the queue.",
    },
}


def case(name: str, config: str, description: str, steps: list[Any], **kw: Any) -> dict[str, Any]:
    """One Postfix case."""
    return {
        "name": name,
        "software": "postfix",
        "config": config,
        "description": description,
        "steps": steps,
        **kw,
    }


LOCAL = "RCPT TO:<postmaster@vm>"
_BDAT_NOTE = "The BDAT step's 'chunk' holds the exact octets written right after the command line."
BIG = 10240000  # Debian's message_size_limit: the message is a few octets over it
_BIG_NOTE = "The over-size chunk is stored as 'chunk_repeat' (prefix + char * count + suffix)."


def bdat_big(last: bool) -> dict[str, Any]:
    """A BDAT step whose chunk is just over message_size_limit (RFC 3030 §2, RFC 1870)."""
    rep = {"prefix": "Subject: big\r\n\r\n", "char": "x", "count": BIG, "suffix": "\r\n"}
    size = len(rep["prefix"]) + BIG + len(rep["suffix"])
    return {"send": f"BDAT {size}{' LAST' if last else ''}", "chunk_repeat": rep}


POSTFIX_CASES: list[dict[str, Any]] = [
    # ---- 2526: Debian defaults, no SASL ----
    case(
        "relay-no-auth-data",
        "2526",
        "client not authenticated tries to relay, then DATA",
        [EHLO, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    case(
        "relay-no-auth-data-pipelined",
        "2526",
        "client not authenticated tries to relay; MAIL, RCPT, DATA pipelined in one write",
        [EHLO, [SENDER, REMOTE, "DATA"], "QUIT"],
    ),
    case(
        "relay-two-rcpts-data",
        "2526",
        "two refused remote recipients then DATA",
        [EHLO, SENDER, REMOTE, "RCPT TO:<carol@example.org>", "DATA", "QUIT"],
    ),
    case(
        "noop-between-rcpt-and-data",
        "2526",
        "refused RCPT, then NOOP, then DATA",
        [EHLO, SENDER, REMOTE, "NOOP", "DATA", "QUIT"],
    ),
    case(
        "helo-relay-data",
        "2526",
        "HELO (not EHLO), refused RCPT, then DATA",
        ["HELO laptop.example", SENDER, REMOTE, "DATA", "QUIT"],
    ),
    case(
        "helo-pipelined",
        "2526",
        "HELO then MAIL+RCPT+DATA in one write (Exim: sync error)",
        ["HELO laptop.example", [SENDER, REMOTE, "DATA"], "QUIT"],
    ),
    case("data-no-rcpt", "2526", "MAIL then DATA without any RCPT", [EHLO, SENDER, "DATA", "QUIT"]),
    case("data-no-mail", "2526", "DATA straight after EHLO", [EHLO, "DATA", "QUIT"]),
    case("rcpt-no-mail", "2526", "RCPT before MAIL", [EHLO, REMOTE, "QUIT"]),
    case("mail-twice", "2526", "a second MAIL in the same transaction", [EHLO, SENDER, SENDER, "QUIT"]),
    case(
        "local-recipient",
        "2526",
        "local recipient accepted, then RSET",
        [EHLO, SENDER, LOCAL, "RSET", "QUIT"],
    ),
    case(
        "message-dot-stuffing",
        "2526",
        "local recipient, full message with a dot-stuffed line, accepted and queued (never delivered)",
        [EHLO, SENDER, LOCAL, "DATA", *MESSAGE, "QUIT"],
    ),
    case(
        "unknown-local-user",
        "2526",
        "unknown local user at RCPT, then DATA",
        [EHLO, SENDER, "RCPT TO:<nosuchuser@vm>", "DATA", "QUIT"],
    ),
    case(
        "rcpt-mixed-data",
        "2526",
        "one local recipient accepted, one remote refused, then DATA and a message",
        [EHLO, SENDER, LOCAL, REMOTE, "DATA", *MESSAGE, "QUIT"],
    ),
    case(
        "rset-after-refusal",
        "2526",
        "refused RCPT, RSET, new MAIL, then DATA",
        [EHLO, SENDER, REMOTE, "RSET", SENDER, "DATA", "QUIT"],
    ),
    case(
        "rcpt-different-errors-data",
        "2526",
        "RCPTs refused for different reasons, then DATA",
        [EHLO, SENDER, REMOTE, "RCPT TO:<nosuchuser@vm>", "DATA", "QUIT"],
    ),
    case(
        "ehlo-twice-mid-transaction",
        "2526",
        "EHLO again after MAIL resets the transaction",
        [EHLO, SENDER, EHLO, LOCAL, "QUIT"],
    ),
    case(
        "mail-from-no-brackets",
        "2526",
        "MAIL FROM without angle brackets",
        [EHLO, "MAIL FROM:alice@example.com", "QUIT"],
    ),
    case(
        "mail-from-size",
        "2526",
        "MAIL FROM with SIZE= under and over the limit",
        [
            EHLO,
            "MAIL FROM:<alice@example.com> SIZE=1000",
            "RSET",
            "MAIL FROM:<alice@example.com> SIZE=999999999",
            "QUIT",
        ],
    ),
    case(
        "mail-from-null-sender",
        "2526",
        "MAIL FROM:<> (bounce sender) then local RCPT",
        [EHLO, "MAIL FROM:<>", LOCAL, "QUIT"],
    ),
    case(
        "mail-unknown-parameter",
        "2526",
        "MAIL FROM with an unknown ESMTP parameter, then BODY=8BITMIME",
        [
            EHLO,
            "MAIL FROM:<alice@example.com> FOO=bar",
            "MAIL FROM:<alice@example.com> BODY=8BITMIME",
            "QUIT",
        ],
    ),
    case(
        "rcpt-bad-address",
        "2526",
        "RCPT TO with a malformed address",
        [EHLO, SENDER, "RCPT TO:<bad address>", "RCPT TO:bob", "QUIT"],
    ),
    case("helo-no-arg", "2526", "HELO without argument", ["HELO", "QUIT"]),
    case("ehlo-no-arg", "2526", "EHLO without argument", ["EHLO", "QUIT"]),
    case(
        "lowercase-commands",
        "2526",
        "commands in lower case (RFC 5321 2.4: case-insensitive)",
        ["ehlo laptop.example", "mail from:<alice@example.com>", "rcpt to:<postmaster@vm>", "rset", "quit"],
    ),
    case("unknown-command", "2526", "an unknown command after EHLO", [EHLO, "FOO bar", "QUIT"]),
    case(
        "unknown-command-limit",
        "2526",
        "unknown commands repeated until the server disconnects",
        [EHLO, *repeat("FOO", 30)],
    ),
    case(
        "syntax-error-limit",
        "2526",
        "syntax errors (MAIL FROM:<bad) repeated until the server disconnects",
        [EHLO, *repeat("MAIL FROM:<bad", 30)],
    ),
    case(
        "bad-sequence-limit",
        "2526",
        "DATA without MAIL repeated until the server disconnects",
        [EHLO, *repeat("DATA", 30)],
    ),
    case(
        "nonmail-limit",
        "2526",
        "NOOP repeated until the junk-command limit (100) bites",
        [EHLO, *repeat("NOOP", 130)],
    ),
    case("mail-before-ehlo", "2526", "MAIL before HELO/EHLO", [SENDER, "QUIT"]),
    case("rcpt-before-ehlo", "2526", "RCPT and DATA before HELO/EHLO", [REMOTE, "DATA", "QUIT"]),
    case(
        "long-line-1100",
        "2526",
        "a command line of 1105 octets (> RFC 5321 4.5.3.1.4 limit of 512)",
        [EHLO, {"send_repeat": {"prefix": "NOOP ", "char": "A", "count": 1100, "suffix": ""}}, "QUIT"],
    ),
    case(
        "long-mail-from",
        "2526",
        "MAIL FROM with a 1100-octet local part",
        [
            EHLO,
            {"send_repeat": {"prefix": "MAIL FROM:<", "char": "a", "count": 1100, "suffix": "@example.com>"}},
            "QUIT",
        ],
    ),
    case(
        "long-line-over-buffer",
        "2526",
        "a 20005-octet command line (beyond line_length_limit 2048)",
        [EHLO, {"send_repeat": {"prefix": "NOOP ", "char": "A", "count": 20000, "suffix": ""}}, "QUIT"],
    ),
    case(
        "message-long-line",
        "2526",
        "a 2000-octet line inside the message body",
        [
            EHLO,
            SENDER,
            LOCAL,
            "DATA",
            "Subject: long line",
            "",
            {"send_repeat": {"prefix": "", "char": "x", "count": 2000, "suffix": ""}},
            ".",
            "QUIT",
        ],
    ),
    case(
        "smuggling-bare-lf-dot",
        "2526",
        "SMTP smuggling attempt: a message line holding LF.LF and a second command",
        [EHLO, SENDER, LOCAL, "DATA", "Subject: smuggle", "", "first\n.\nRSET", ".", "QUIT"],
        notes="The 'first\\n.\\nRSET' step contains bare LF octets written as-is, then CRLF. "
        "Postfix 3.7.11 (smtpd_forbid_bare_newline = no) ends the message at LF.LF: its "
        "'queued as' reply arrives while the recorder still thinks it is in message data "
        "(kept as 'unsolicited' on that step); the smuggled RSET's '250 2.0.0 Ok' is stored as "
        "the reply of the '.' step, and that '.' is then read as a command and answered "
        "'221 2.7.0 Error: I can break rules, too. Goodbye.' before the server closes.",
    ),
    case("nul-byte", "2526", "a command containing a NUL octet", [EHLO, "NOOP a\0b", "QUIT"]),
    case(
        "noop-rset-vrfy-help-quit",
        "2526",
        "NOOP, RSET, VRFY (local, unknown, remote), HELP, QUIT",
        [EHLO, "NOOP", "RSET", "VRFY postmaster", "VRFY nosuchuser", "VRFY bob@example.net", "HELP", "QUIT"],
    ),
    case(
        "auth-not-advertised",
        "2526",
        "AUTH when the server offers none",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, "QUIT"],
    ),
    case("starttls-not-offered", "2526", "STARTTLS when the server offers none", [EHLO, "STARTTLS", "QUIT"]),
    case(
        "bdat-local",
        "2526",
        "BDAT (CHUNKING) with a local recipient",
        [EHLO, SENDER, LOCAL, bdat("Subject: bdat test\r\n\r\nHello.\r\n"), "QUIT"],
        notes=_BDAT_NOTE,
    ),
    case(
        "bdat-no-rcpt",
        "2526",
        "refused RCPT, then BDAT",
        [EHLO, SENDER, REMOTE, bdat("Hello.\r\n"), "QUIT"],
        notes=_BDAT_NOTE,
    ),
    case(
        "command-syntax-errors",
        "2526",
        "MAIL/RCPT without FROM:/TO:, VRFY without address, DATA/RSET/STARTTLS with an argument",
        [
            EHLO,
            "MAIL alice@example.com",
            SENDER,
            "RCPT bob@example.net",
            LOCAL,
            "VRFY",
            "DATA x",
            "RSET x",
            "STARTTLS x",
            "QUIT",
        ],
    ),
    case(
        "empty-and-bad-utf8",
        "2526",
        "an empty command line and a command with octets that are not UTF-8",
        [EHLO, "", "NOOP \xff\xfe", "MAIL FROM:<al\xefce@example.com>", "QUIT"],
    ),
    case(
        "etrn",
        "2526",
        "ETRN without argument, with a domain, with '#', then inside a transaction (RFC 1985)",
        [
            EHLO,
            "ETRN",
            "ETRN example.net",
            "ETRN #example.net",
            "ETRN vm",
            SENDER,
            "ETRN example.net",
            "QUIT",
        ],
    ),
    case(
        "xclient-xforward",
        "2526",
        "XCLIENT and XFORWARD from 127.0.0.2 (not in smtpd_authorized_xclient_hosts), without arguments, in "
        "a transaction",
        [
            EHLO,
            "XCLIENT NAME=spike.example ADDR=192.0.2.7",
            "XFORWARD NAME=spike.example ADDR=192.0.2.7",
            "XCLIENT",
            "XFORWARD",
            SENDER,
            "XCLIENT NAME=spike.example",
            "XFORWARD NAME=spike.example",
            "QUIT",
        ],
    ),
    case(
        "bdat-chunks",
        "2526",
        "BDAT chunks that are not LAST, a NOOP between, then LAST (RFC 3030 2)",
        [
            EHLO,
            SENDER,
            LOCAL,
            bdat("Subject: chunks\r\n", last=False),
            bdat("\r\nHello.\r\n", last=False),
            "NOOP",
            bdat("Bye.\r\n"),
            "QUIT",
        ],
        notes=_BDAT_NOTE,
    ),
    case(
        "bdat-no-size",
        "2526",
        "BDAT without a size: a syntax error that ends the session",
        [EHLO, SENDER, LOCAL, "BDAT", "QUIT"],
    ),
    case(
        "bdat-bad-keyword",
        "2526",
        "BDAT with a size and a word other than LAST",
        [EHLO, SENDER, LOCAL, "BDAT 5 FIRST", "QUIT"],
    ),
    case(
        "bdat-refused-no-chunk",
        "2526",
        "BDAT before MAIL, written without its chunk: the next line becomes the chunk",
        [EHLO, ["BDAT 5", "QUIT"], "QUIT"],
        notes="BDAT 5 and the first QUIT go in one write: the 6 octets QUIT CR LF are read as the 5-octet "
        "chunk plus an empty command line.",
    ),
    case(
        "data-over-size",
        "2526",
        "DATA with a message over message_size_limit (10240000): refused after the final dot",
        [
            EHLO,
            SENDER,
            LOCAL,
            "DATA",
            "Subject: big",
            "",
            {"send_repeat": {"prefix": "", "char": "x", "count": BIG, "suffix": ""}},
            ".",
            "NOOP",
            "QUIT",
        ],
    ),
    case(
        "bdat-over-size",
        "2526",
        "BDAT LAST with a chunk over message_size_limit (10240000)",
        [EHLO, SENDER, LOCAL, bdat_big(last=True), "NOOP", "QUIT"],
        notes=_BIG_NOTE,
    ),
    case(
        "bdat-over-size-not-last",
        "2526",
        "a non-LAST chunk over message_size_limit, then BDAT LAST",
        [
            EHLO,
            SENDER,
            LOCAL,
            bdat_big(last=False),
            "NOOP",
            bdat("hi\r\n", last=False),
            bdat("hi\r\n"),
            SENDER,
            "QUIT",
        ],
        notes=_BIG_NOTE,
    ),
    # ---- 2527: SASL offered (also without TLS), STARTTLS may ----
    case(
        "starttls",
        "2527",
        "STARTTLS, then EHLO again: capabilities after TLS",
        [EHLO, "STARTTLS", EHLO, "QUIT"],
    ),
    case("starttls-before-ehlo", "2527", "STARTTLS before EHLO", ["STARTTLS", "QUIT"]),
    case(
        "auth-plain-initial-ok",
        "2527",
        "AUTH PLAIN with initial response, then a remote recipient: 'Local only' still refuses it",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    case(
        "auth-plain-local-send",
        "2527",
        "AUTH PLAIN, then a message to a local recipient",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, SENDER, LOCAL, "DATA", *MESSAGE, "QUIT"],
    ),
    case(
        "auth-plain-pipelined-send",
        "2527",
        "authenticated, then MAIL+RCPT(local)+DATA pipelined",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, [SENDER, LOCAL, "DATA"], *MESSAGE, "QUIT"],
    ),
    case(
        "auth-plain-challenge-ok",
        "2527",
        "AUTH PLAIN with an empty challenge (334 )",
        [EHLO, "AUTH PLAIN", PLAIN_OK, "QUIT"],
    ),
    case(
        "auth-plain-initial-fail",
        "2527",
        "AUTH PLAIN, wrong password, then relay+DATA",
        [EHLO, "AUTH PLAIN " + PLAIN_BAD, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    case(
        "auth-plain-challenge-fail",
        "2527",
        "AUTH PLAIN challenge form, wrong password",
        [EHLO, "AUTH PLAIN", PLAIN_BAD, "QUIT"],
    ),
    case(
        "auth-login-ok",
        "2527",
        "AUTH LOGIN (user and password challenges)",
        [EHLO, "AUTH LOGIN", b64("testuser"), b64("testpass"), "QUIT"],
    ),
    case(
        "auth-login-initial-ok",
        "2527",
        "AUTH LOGIN with the user name as initial response",
        [EHLO, "AUTH LOGIN " + b64("testuser"), b64("testpass"), "QUIT"],
    ),
    case(
        "auth-login-fail",
        "2527",
        "AUTH LOGIN, wrong password",
        [EHLO, "AUTH LOGIN", b64("testuser"), b64("wrongpass"), "QUIT"],
    ),
    case(
        "auth-cancel",
        "2527",
        "'*' cancels AUTH LOGIN and AUTH PLAIN (RFC 4954 4)",
        [EHLO, "AUTH LOGIN", "*", "AUTH PLAIN", "*", "QUIT"],
    ),
    case(
        "auth-bad-base64",
        "2527",
        "AUTH PLAIN with a response that is not base64",
        [EHLO, "AUTH PLAIN !!!notbase64", "QUIT"],
    ),
    case(
        "auth-unknown-mechanism", "2527", "AUTH with a mechanism not offered", [EHLO, "AUTH CRAM-MD5", "QUIT"]
    ),
    case(
        "auth-twice",
        "2527",
        "a second AUTH after success",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, "AUTH PLAIN " + PLAIN_OK, "QUIT"],
    ),
    case(
        "auth-fail-limit",
        "2527",
        "failed AUTH PLAIN repeated until the server disconnects",
        [EHLO, *repeat("AUTH PLAIN " + PLAIN_BAD, 30)],
    ),
    case("auth-before-ehlo", "2527", "AUTH before EHLO", ["AUTH PLAIN " + PLAIN_OK, "QUIT"]),
    case(
        "auth-during-mail",
        "2527",
        "AUTH inside a mail transaction",
        [EHLO, SENDER, "AUTH PLAIN " + PLAIN_OK, "QUIT"],
    ),
    case(
        "auth-syntax-errors",
        "2527",
        "AUTH without mechanism, with too many words, then continued responses that are not base64",
        [
            EHLO,
            "AUTH",
            "AUTH PLAIN a b",
            "AUTH PLAIN",
            "!!!notbase64",
            "AUTH PLAIN",
            "!!",
            "AUTH LOGIN",
            "!!",
            "AUTH LOGIN",
            b64("testuser"),
            "@@@",
            "QUIT",
        ],
    ),
    case(
        "starttls-twice",
        "2527",
        "STARTTLS, EHLO, then STARTTLS again inside TLS",
        [EHLO, "STARTTLS", EHLO, "STARTTLS", "QUIT"],
    ),
    case(
        "starttls-auth-send",
        "2527",
        "STARTTLS, EHLO, AUTH PLAIN, local recipient, message queued",
        [EHLO, "STARTTLS", EHLO, "AUTH PLAIN " + PLAIN_OK, SENDER, LOCAL, "DATA", *MESSAGE, "QUIT"],
    ),
    # ---- 2588: submission (TLS required, AUTH after TLS, recipients need AUTH) ----
    case(
        "submission-auth-before-starttls",
        "2588",
        "AUTH before STARTTLS on a TLS-required port",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, "QUIT"],
    ),
    case(
        "submission-mail-before-starttls",
        "2588",
        "MAIL, RCPT and DATA before STARTTLS",
        [EHLO, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    case(
        "submission-mail-before-auth",
        "2588",
        "after STARTTLS: MAIL and RCPT without AUTH, then DATA",
        [EHLO, "STARTTLS", EHLO, SENDER, REMOTE, LOCAL, "DATA", "QUIT"],
    ),
    case(
        "submission-auth-send",
        "2588",
        "STARTTLS, AUTH PLAIN, remote and local recipients both accepted "
        "(smtpd_reject_unlisted_recipient = no here, unlike 2527), message queued",
        [EHLO, "STARTTLS", EHLO, "AUTH PLAIN " + PLAIN_OK, SENDER, REMOTE, LOCAL, "DATA", *MESSAGE, "QUIT"],
    ),
    case(
        "submission-auth-login",
        "2588",
        "STARTTLS then AUTH LOGIN success",
        [EHLO, "STARTTLS", EHLO, "AUTH LOGIN", b64("testuser"), b64("testpass"), "QUIT"],
    ),
    # ---- 2526-reject: reject_unauth_destination (554 instead of 454) ----
    case(
        "reject-relay-no-auth-data",
        "2526-reject",
        "reject_unauth_destination: relay attempt, then DATA",
        [EHLO, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    case(
        "reject-relay-no-auth-data-pipelined",
        "2526-reject",
        "reject_unauth_destination: MAIL, RCPT, DATA pipelined",
        [EHLO, [SENDER, REMOTE, "DATA"], "QUIT"],
    ),
    # ---- 2527-internet: 'Internet Site' transports ----
    case(
        "internet-auth-send",
        "2527-internet",
        "'Internet Site': AUTH PLAIN then a remote recipient accepted and a message queued",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, SENDER, REMOTE, "DATA", *MESSAGE, "QUIT"],
    ),
    case(
        "internet-relay-no-auth-data",
        "2527-internet",
        "'Internet Site' without AUTH: relay refused, then DATA",
        [EHLO, SENDER, REMOTE, "DATA", "QUIT"],
    ),
]
