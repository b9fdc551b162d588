"""Golden-transcript cases for Postfix 3.7 (Debian 12); see golden/__init__.py for the format.

Listeners (tools/mta-lab/postfix/setup_postfix.sh), all with ``mynetworks=127.0.0.1/32`` so
the client at 127.0.0.2 is an outsider: 2526 Debian "Local only" defaults without SASL or TLS,
2527 + Cyrus SASL (PLAIN LOGIN, also in clear text) and optional STARTTLS, 2588 Debian's
commented-out submission block (TLS required, AUTH only after TLS).  The ``-reject`` and
``-internet`` configs are the same listeners after the main.cf tweaks in tests/golden/README.md.
"""

from __future__ import annotations

from typing import Any

from .auth_family import auth_cases
from .common import EHLO, MESSAGE, PLAIN_OK, REMOTE, SENDER, USERS, b64, bdat, bdat_big, tailor
from .family import core_cases, make_case
from .malformed import malformed_cases

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
CONFIGS: dict[tuple[str, str], dict[str, Any]] = {
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
    return make_case("postfix", name, config, description, steps, **kw)


LOCAL = "RCPT TO:<postmaster@vm>"
BIG = 10240000  # Debian's message_size_limit: the message is a few octets over it
_BIG_NOTE = "The over-size chunk is stored as 'chunk_repeat' (prefix + char * count + suffix)."
_SMUGGLING_NOTE = (
    "The 'first\\n.\\nRSET' step contains bare LF octets written as-is, then CRLF. "
    "Postfix 3.7.11 (smtpd_forbid_bare_newline = no) ends the message at LF.LF: its "
    "'queued as' reply arrives while the recorder still thinks it is in message data "
    "(kept as 'unsolicited' on that step); the smuggled RSET's '250 2.0.0 Ok' is stored as "
    "the reply of the '.' step, and that '.' is then read as a command and answered "
    "'221 2.7.0 Error: I can break rules, too. Goodbye.' before the server closes."
)
# How Postfix's recordings describe the family's cases (keyed by the family's names).
_2526_WORDING: dict[str, str] = {
    "helo-pipelined": "HELO then MAIL+RCPT+DATA in one write (Exim: sync error)",
    "rcpt-different-errors-data": "RCPTs refused for different reasons, then DATA",
    "nonmail-limit": "NOOP repeated until the junk-command limit (100) bites",
    "long-line-over-buffer": "a 20005-octet command line (beyond line_length_limit 2048)",
    "auth-not-advertised": "AUTH when the server offers none",
    "bdat-no-rcpt": "refused RCPT, then BDAT",
    "data-over-size": "DATA with a message over message_size_limit (10240000): refused after the final dot",
}


_CASES: list[dict[str, Any]] = [
    # ---- 2526: Debian defaults, no SASL ----
    *tailor(
        core_cases("postfix", "2526", chunking=True, big=BIG, starttls=False),
        drop=("expn", "etrn"),  # EXPN not recorded for Postfix; its ETRN case goes on below
        describe=_2526_WORDING,
        notes={"smuggling-bare-lf-dot": _SMUGGLING_NOTE},
    ),
    case("starttls-not-offered", "2526", "STARTTLS when the server offers none", [EHLO, "STARTTLS", "QUIT"]),
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
        "bdat-over-size",
        "2526",
        "BDAT LAST with a chunk over message_size_limit (10240000)",
        [EHLO, SENDER, LOCAL, bdat_big(BIG, last=True), "NOOP", "QUIT"],
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
            bdat_big(BIG, last=False),
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
    *tailor(
        auth_cases("postfix", "2527", tls_first=False),
        # Postfix's own dialogues below: 'Local only' refuses the remote recipient even after AUTH
        drop=(
            "auth-plain-initial-ok",
            "auth-plain-pipelined-send",
            "auth-syntax-errors",
            "auth-no-auth-relay",
        ),
    ),
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

CASES: list[dict[str, Any]] = [*_CASES, *malformed_cases("postfix", "2526")]
