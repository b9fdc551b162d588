"""Golden cases for Exim 4.96 (Debian 12, exim4-config); the format is in golden/__init__.py."""

from __future__ import annotations

from typing import Any

from .auth_family import auth_cases
from .common import BDAT_NOTE, EHLO, MESSAGE, PLAIN_OK, REMOTE, SENDER, USERS, bdat, bdat_big, tailor
from .family import core_cases, make_case
from .malformed import malformed_cases

_EXIM_BASE: dict[str, Any] = {
    "software": "exim",
    "hostname": "vm",
    "local_domains": ["vm"],
    "relay_networks": ["127.0.0.1/32", "::1/128"],
    "tls": "offered",
    "auth": "none",
    "relay_policy": "defer",
    "delivery": "local-only",
    "users": USERS,
}
CONFIGS: dict[tuple[str, str], dict[str, Any]] = {
    ("exim", "default"): {
        "port": 2525,
        "server": dict(_EXIM_BASE),
        "notes": "Debian exim4-config 'local' (local delivery only), relay_from_hosts "
        "127.0.0.1 : ::1; STARTTLS offered with a certificate Exim makes on the fly; "
        "relay_policy/delivery keys are Postfix-only and left at their defaults.",
    },
    ("exim", "auth-notls"): {
        "port": 2525,
        "server": {**_EXIM_BASE, "auth": "offered"},
        "notes": "As default plus AUTH_SERVER_ALLOW_NOTLS_PASSWORDS and Debian's plain_server/"
        "login_server authenticators (PLAIN, LOGIN) backed by /etc/exim4/passwd.",
    },
    ("exim", "auth-tls"): {
        "port": 2525,
        "server": {**_EXIM_BASE, "auth": "tls-only"},
        "notes": "As default plus MAIN_TLS_ENABLE and the plain_server/login_server "
        "authenticators: AUTH is advertised only after STARTTLS (Debian's rule); TLS "
        "itself is not required.",
    },
}


BIG = 52428800  # Debian's MESSAGE_SIZE_LIMIT (50M): the message is a few octets over it
_BIG_NOTE = (
    "The over-size chunk is stored as 'chunk_repeat' (prefix + char * count + suffix); "
    "it has a header and a blank line, else Exim answers '552 Message header is "
    "ridiculously long'."
)
_PRDR_NOTE = (
    "PRDR (draft-hall-prdr): after the final '353', one reply per accepted recipient and "
    "one for the message arrive without a command; the recorder keeps them as "
    "'unsolicited' on the step that ended the message."
)


def case(name: str, config: str, description: str, steps: list[Any], **kw: Any) -> dict[str, Any]:
    """One Exim case."""
    return make_case("exim", name, config, description, steps, **kw)


# How Exim's recordings describe the family's cases (keyed by the family's names).
_DEFAULT_WORDING: dict[str, str] = {
    "relay-no-auth-data": "client not authenticated tries to relay, then DATA (one command per write)",
    "relay-two-rcpts-data": "two refused remote recipients then DATA (the 503 repeats the refusal once)",
    "noop-between-rcpt-and-data": "refused RCPT, then NOOP, then DATA: lowercase 'valid' in the 503",
    "helo-pipelined": "HELO (no PIPELINING advertised) then MAIL+RCPT+DATA in one write",
    "rset-after-refusal": "refused RCPT, RSET, new MAIL, then DATA: does the 503 still repeat the refusal?",
    "rcpt-different-errors-data": "two RCPTs refused for different reasons (relay, unknown user), then DATA",
    "nonmail-limit": "NOOP repeated until the non-mail command limit disconnects",
    "long-line-over-buffer": "a 20005-octet command line (beyond Exim's 16384-octet command buffer)",
    "auth-not-advertised": "AUTH when the server offers none",
    "expn": "EXPN without argument, of a local alias, an unknown user and a remote address",
    "bdat-no-rcpt": "refused RCPT, then BDAT",
    "data-over-size": "DATA with a message over message_size_limit (50M): 552 after the final dot, then NOOP",
}
_AUTH_NOTLS_WORDING: dict[str, str] = {
    "auth-plain-initial-ok": "AUTH PLAIN with initial response, then a remote recipient accepted and a "
    "message queued",
    "auth-plain-pipelined-send": "authenticated, then MAIL+RCPT+DATA pipelined: 354 follows",
}

# Exim's dialogue in each family case is the family's; the descriptions its recordings carry are its own.
EXIM_CASES: list[dict[str, Any]] = [
    # ---- config default: no AUTH at all ----
    *tailor(
        core_cases("exim", "default", chunking=True, big=BIG, noops=30),
        drop=("command-syntax-errors", "etrn"),  # not recorded for Exim; Exim's ETRN case goes on below
        rename={"helo-pipelined": "helo-pipelined-sync-error"},
        describe=_DEFAULT_WORDING,
    ),
    case(
        "etrn",
        "default",
        "ETRN without and with an argument, then inside a transaction (RFC 1985)",
        [EHLO, "ETRN", "ETRN example.net", "ETRN #example.net", SENDER, "ETRN example.net", "QUIT"],
    ),
    case(
        "bdat-zero-last",
        "default",
        "a non-LAST chunk, then an empty 'BDAT 0 LAST' ends the message",
        [
            EHLO,
            SENDER,
            "RCPT TO:<postmaster@vm>",
            bdat("Subject: zero\r\n\r\nHello.\r\n", last=False),
            bdat(""),
            "QUIT",
        ],
        notes=BDAT_NOTE,
    ),
    case(
        "bdat-then-mail",
        "default",
        "MAIL after a non-LAST chunk (only BDAT may follow), then RSET",
        [EHLO, SENDER, "RCPT TO:<postmaster@vm>", bdat("Subject: x\r\n", last=False), SENDER, "RSET", "QUIT"],
        notes=BDAT_NOTE,
    ),
    case(
        "bdat-over-size",
        "default",
        "BDAT LAST with a chunk over message_size_limit (50M), then NOOP",
        [EHLO, SENDER, "RCPT TO:<postmaster@vm>", bdat_big(BIG, last=True), "NOOP", "QUIT"],
        notes=_BIG_NOTE,
    ),
    case(
        "bdat-over-size-not-last",
        "default",
        "a non-LAST chunk over message_size_limit: 552 at once and the transaction is gone",
        [EHLO, SENDER, "RCPT TO:<postmaster@vm>", bdat_big(BIG, last=False), "NOOP", bdat("hi\r\n"), "QUIT"],
        notes=_BIG_NOTE,
    ),
    case(
        "prdr-data",
        "default",
        "MAIL FROM with PRDR, two local recipients, DATA: one reply per recipient",
        [
            EHLO,
            "MAIL FROM:<alice@example.com> PRDR",
            "RCPT TO:<postmaster@vm>",
            "RCPT TO:<root@vm>",
            "DATA",
            *MESSAGE,
            "QUIT",
        ],
        notes=_PRDR_NOTE,
    ),
    case(
        "prdr-bdat",
        "default",
        "MAIL FROM with PRDR, two local recipients, BDAT LAST",
        [
            EHLO,
            "MAIL FROM:<alice@example.com> PRDR",
            "RCPT TO:<postmaster@vm>",
            "RCPT TO:<root@vm>",
            bdat("Subject: prdr\r\n\r\nHello.\r\n"),
            "QUIT",
        ],
        notes=_PRDR_NOTE + " " + BDAT_NOTE,
    ),
    case(
        "prdr-one-recipient",
        "default",
        "MAIL FROM with PRDR but one recipient: an ordinary reply",
        [EHLO, "MAIL FROM:<alice@example.com> PRDR", "RCPT TO:<postmaster@vm>", "DATA", *MESSAGE, "QUIT"],
    ),
    case(
        "prdr-after-helo",
        "default",
        "PRDR on MAIL FROM after HELO (no ESMTP parameters)",
        ["HELO laptop.example", "MAIL FROM:<alice@example.com> PRDR", "QUIT"],
    ),
    case(
        "mail-rcpt-syntax-errors",
        "default",
        "MAIL/RCPT without address, sender without domain, bad BODY, restricted local part",
        [
            EHLO,
            "MAIL FROM:",
            "MAIL FROM:<alice>",
            "MAIL FROM:<alice@example.com> BODY=FOO",
            SENDER,
            "RCPT TO:",
            "RCPT TO:<a/b@vm>",
            "QUIT",
        ],
    ),
    case(
        "argument-and-bdat-errors",
        "default",
        "RSET with an argument, BDAT without size, then BDAT after HELO (CHUNKING not advertised)",
        [EHLO, "RSET x", "BDAT", "HELO laptop.example", "BDAT 5", "QUIT"],
    ),
    case(
        "bdat-after-helo",
        "default",
        "BDAT after HELO only (CHUNKING never advertised), chunk in the same write",
        ["HELO laptop.example", SENDER, "RCPT TO:<postmaster@vm>", bdat("NOOP\r\n"), "QUIT"],
        notes=BDAT_NOTE,
    ),
    # ---- config auth-notls: AUTH PLAIN/LOGIN offered in clear text ----
    *tailor(
        auth_cases("exim", "auth-notls", tls_first=False, failures=12),
        drop=("auth-during-mail", "auth-syntax-errors", "auth-no-auth-relay"),  # auth-errors instead
        describe=_AUTH_NOTLS_WORDING,
    ),
    case(
        "auth-errors",
        "auth-notls",
        "AUTH with a bad character in the mechanism name, then AUTH inside a transaction",
        [EHLO, "AUTH PL@IN", SENDER, "AUTH PLAIN " + PLAIN_OK, "QUIT"],
    ),
    # ---- config auth-tls: AUTH only after STARTTLS ----
    case(
        "auth-tls-before-starttls",
        "auth-tls",
        "AUTH before STARTTLS (not advertised yet), then relay attempt and DATA",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    case(
        "auth-tls-starttls-auth-send",
        "auth-tls",
        "STARTTLS, EHLO (AUTH now listed), AUTH PLAIN, remote recipient, message queued",
        [EHLO, "STARTTLS", EHLO, "AUTH PLAIN " + PLAIN_OK, SENDER, REMOTE, "DATA", *MESSAGE, "QUIT"],
    ),
    case(
        "auth-tls-starttls-no-auth",
        "auth-tls",
        "STARTTLS but no AUTH: relay still refused, 503 at DATA",
        [EHLO, "STARTTLS", EHLO, SENDER, REMOTE, "DATA", "QUIT"],
    ),
]

CASES: list[dict[str, Any]] = [*EXIM_CASES, *malformed_cases("exim", "default")]
