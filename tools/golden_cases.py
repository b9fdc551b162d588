"""Golden-transcript cases: which lines to send to which real server configuration.

Each case is a dict: name, software (exim|postfix), config (a key of CONFIGS), description,
steps and optional notes.  A step is a client line (str), a list of lines written in ONE
write (a pipelined batch, RFC 2920), or a dict for special lines:
``{"send_repeat": {"prefix": "NOOP ", "char": "A", "count": 1100, "suffix": ""}}`` (huge line),
``{"send": "BDAT 5 LAST", "chunk": "hi\\r\\n\\r\\n"}`` (RFC 3030 chunk written right after the line).
The recorder stops sending once the server has closed the connection, so "repeat until
disconnect" cases simply list more lines than any limit.
"""

from __future__ import annotations

from typing import Any

from golden_cases_eximcpanel import EXIMCPANEL_CASES, EXIMCPANEL_CONFIGS
from golden_cases_opensmtpd import OPENSMTPD_CASES, OPENSMTPD_CONFIGS
from golden_cases_postfix import POSTFIX_CASES, POSTFIX_CONFIGS
from golden_cases_sendmail import SENDMAIL_CASES, SENDMAIL_CONFIGS
from golden_common import EHLO, MESSAGE, PLAIN_BAD, PLAIN_OK, REMOTE, SENDER, USERS, b64, bdat, repeat
from golden_malformed import malformed_cases

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
    **POSTFIX_CONFIGS,
    **EXIMCPANEL_CONFIGS,
    **SENDMAIL_CONFIGS,
    **OPENSMTPD_CONFIGS,
}


BIG = 52428800  # Debian's MESSAGE_SIZE_LIMIT (50M): the message is a few octets over it
_BDAT_NOTE = "The BDAT step's 'chunk' holds the exact octets written right after the command line."
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


def bdat_big(last: bool) -> dict[str, Any]:
    """A BDAT step whose chunk is just over message_size_limit (RFC 3030 §2, RFC 1870)."""
    rep = {"prefix": "Subject: big\r\n\r\n", "char": "x", "count": BIG, "suffix": "\r\n"}
    size = len(rep["prefix"]) + BIG + len(rep["suffix"])
    return {"send": f"BDAT {size}{' LAST' if last else ''}", "chunk_repeat": rep}


def case(name: str, config: str, description: str, steps: list[Any], **kw: Any) -> dict[str, Any]:
    """One Exim case."""
    return {
        "name": name,
        "software": "exim",
        "config": config,
        "description": description,
        "steps": steps,
        **kw,
    }


EXIM_CASES: list[dict[str, Any]] = [
    # ---- config default: no AUTH at all ----
    case(
        "relay-no-auth-data",
        "default",
        "client not authenticated tries to relay, then DATA (one command per write)",
        [EHLO, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    case(
        "relay-no-auth-data-pipelined",
        "default",
        "client not authenticated tries to relay; MAIL, RCPT, DATA pipelined in one write",
        [EHLO, [SENDER, REMOTE, "DATA"], "QUIT"],
    ),
    case(
        "relay-two-rcpts-data",
        "default",
        "two refused remote recipients then DATA (the 503 repeats the refusal once)",
        [EHLO, SENDER, REMOTE, "RCPT TO:<carol@example.org>", "DATA", "QUIT"],
    ),
    case(
        "noop-between-rcpt-and-data",
        "default",
        "refused RCPT, then NOOP, then DATA: lowercase 'valid' in the 503",
        [EHLO, SENDER, REMOTE, "NOOP", "DATA", "QUIT"],
    ),
    case(
        "helo-relay-data",
        "default",
        "HELO (not EHLO), refused RCPT, then DATA",
        ["HELO laptop.example", SENDER, REMOTE, "DATA", "QUIT"],
    ),
    case(
        "helo-pipelined-sync-error",
        "default",
        "HELO (no PIPELINING advertised) then MAIL+RCPT+DATA in one write",
        ["HELO laptop.example", [SENDER, REMOTE, "DATA"], "QUIT"],
    ),
    case("data-no-rcpt", "default", "MAIL then DATA without any RCPT", [EHLO, SENDER, "DATA", "QUIT"]),
    case("data-no-mail", "default", "DATA straight after EHLO", [EHLO, "DATA", "QUIT"]),
    case("rcpt-no-mail", "default", "RCPT before MAIL", [EHLO, REMOTE, "QUIT"]),
    case("mail-twice", "default", "a second MAIL in the same transaction", [EHLO, SENDER, SENDER, "QUIT"]),
    case(
        "local-recipient",
        "default",
        "local recipient accepted, then RSET",
        [EHLO, SENDER, "RCPT TO:<postmaster@vm>", "RSET", "QUIT"],
    ),
    case(
        "message-dot-stuffing",
        "default",
        "local recipient, full message with a dot-stuffed line, accepted and queued (never delivered)",
        [EHLO, SENDER, "RCPT TO:<postmaster@vm>", "DATA", *MESSAGE, "QUIT"],
    ),
    case(
        "unknown-local-user",
        "default",
        "unknown local user at RCPT, then DATA",
        [EHLO, SENDER, "RCPT TO:<nosuchuser@vm>", "DATA", "QUIT"],
    ),
    case(
        "mail-from-no-brackets",
        "default",
        "MAIL FROM without angle brackets",
        [EHLO, "MAIL FROM:alice@example.com", "QUIT"],
    ),
    case(
        "mail-from-size",
        "default",
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
        "default",
        "MAIL FROM:<> (bounce sender) then local RCPT",
        [EHLO, "MAIL FROM:<>", "RCPT TO:<postmaster@vm>", "QUIT"],
    ),
    case(
        "rcpt-bad-address",
        "default",
        "RCPT TO with a malformed address",
        [EHLO, SENDER, "RCPT TO:<bad address>", "RCPT TO:bob", "QUIT"],
    ),
    case("helo-no-arg", "default", "HELO without argument", ["HELO", "QUIT"]),
    case("ehlo-no-arg", "default", "EHLO without argument", ["EHLO", "QUIT"]),
    case("unknown-command", "default", "an unknown command after EHLO", [EHLO, "FOO bar", "QUIT"]),
    case(
        "unknown-command-limit",
        "default",
        "unknown commands repeated until the server disconnects",
        [EHLO, *repeat("FOO", 30)],
    ),
    case(
        "syntax-error-limit",
        "default",
        "syntax errors (MAIL FROM:<bad) repeated until the server disconnects",
        [EHLO, *repeat("MAIL FROM:<bad", 30)],
    ),
    case(
        "bad-sequence-limit",
        "default",
        "DATA without MAIL repeated until the server disconnects",
        [EHLO, *repeat("DATA", 30)],
    ),
    case("mail-before-ehlo", "default", "MAIL before HELO/EHLO", [SENDER, "QUIT"]),
    case("rcpt-before-ehlo", "default", "RCPT and DATA before HELO/EHLO", [REMOTE, "DATA", "QUIT"]),
    case(
        "long-line-1100",
        "default",
        "a command line of 1105 octets (> RFC 5321 4.5.3.1.4 limit of 512)",
        [EHLO, {"send_repeat": {"prefix": "NOOP ", "char": "A", "count": 1100, "suffix": ""}}, "QUIT"],
    ),
    case(
        "long-mail-from",
        "default",
        "MAIL FROM with a 1100-octet local part",
        [
            EHLO,
            {"send_repeat": {"prefix": "MAIL FROM:<", "char": "a", "count": 1100, "suffix": "@example.com>"}},
            "QUIT",
        ],
    ),
    case(
        "long-line-over-buffer",
        "default",
        "a 20005-octet command line (beyond Exim's 16384-octet command buffer)",
        [EHLO, {"send_repeat": {"prefix": "NOOP ", "char": "A", "count": 20000, "suffix": ""}}, "QUIT"],
    ),
    case("nul-byte", "default", "a command containing a NUL octet", [EHLO, "NOOP a\0b", "QUIT"]),
    case(
        "noop-rset-vrfy-help-quit",
        "default",
        "NOOP, RSET, VRFY (local, unknown, remote), HELP, QUIT",
        [EHLO, "NOOP", "RSET", "VRFY postmaster", "VRFY nosuchuser", "VRFY bob@example.net", "HELP", "QUIT"],
    ),
    case(
        "starttls",
        "default",
        "STARTTLS, then EHLO again: capabilities after TLS",
        [EHLO, "STARTTLS", EHLO, "QUIT"],
    ),
    case("starttls-before-ehlo", "default", "STARTTLS before EHLO", ["STARTTLS", "QUIT"]),
    case(
        "auth-not-advertised",
        "default",
        "AUTH when the server offers none",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, "QUIT"],
    ),
    case(
        "bdat-local",
        "default",
        "BDAT (CHUNKING) with a local recipient",
        [EHLO, SENDER, "RCPT TO:<postmaster@vm>", bdat("Subject: bdat test\r\n\r\nHello.\r\n"), "QUIT"],
        notes=_BDAT_NOTE,
    ),
    case(
        "bdat-no-rcpt",
        "default",
        "refused RCPT, then BDAT",
        [EHLO, SENDER, REMOTE, bdat("Hello.\r\n"), "QUIT"],
        notes=_BDAT_NOTE,
    ),
    case(
        "nonmail-limit",
        "default",
        "NOOP repeated until the non-mail command limit disconnects",
        [EHLO, *repeat("NOOP", 30)],
    ),
    case(
        "rcpt-mixed-data",
        "default",
        "one local recipient accepted, one remote refused, then DATA and a message",
        [EHLO, SENDER, "RCPT TO:<postmaster@vm>", REMOTE, "DATA", *MESSAGE, "QUIT"],
    ),
    case(
        "rset-after-refusal",
        "default",
        "refused RCPT, RSET, new MAIL, then DATA: does the 503 still repeat the refusal?",
        [EHLO, SENDER, REMOTE, "RSET", SENDER, "DATA", "QUIT"],
    ),
    case(
        "ehlo-twice-mid-transaction",
        "default",
        "EHLO again after MAIL resets the transaction",
        [EHLO, SENDER, EHLO, "RCPT TO:<postmaster@vm>", "QUIT"],
    ),
    case(
        "rcpt-different-errors-data",
        "default",
        "two RCPTs refused for different reasons (relay, unknown user), then DATA",
        [EHLO, SENDER, REMOTE, "RCPT TO:<nosuchuser@vm>", "DATA", "QUIT"],
    ),
    case(
        "mail-unknown-parameter",
        "default",
        "MAIL FROM with an unknown ESMTP parameter, then BODY=8BITMIME",
        [
            EHLO,
            "MAIL FROM:<alice@example.com> FOO=bar",
            "MAIL FROM:<alice@example.com> BODY=8BITMIME",
            "QUIT",
        ],
    ),
    case(
        "lowercase-commands",
        "default",
        "commands in lower case (RFC 5321 2.4: case-insensitive)",
        ["ehlo laptop.example", "mail from:<alice@example.com>", "rcpt to:<postmaster@vm>", "rset", "quit"],
    ),
    case(
        "message-long-line",
        "default",
        "a 2000-octet line inside the message body",
        [
            EHLO,
            SENDER,
            "RCPT TO:<postmaster@vm>",
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
        "default",
        "SMTP smuggling attempt: a message line holding LF.LF and a second command",
        [
            EHLO,
            SENDER,
            "RCPT TO:<postmaster@vm>",
            "DATA",
            "Subject: smuggle",
            "",
            "first\n.\nRSET",
            ".",
            "QUIT",
        ],
        notes="The 'first\\n.\\nRSET' step contains bare LF octets written as-is, then CRLF.",
    ),
    case(
        "etrn",
        "default",
        "ETRN without and with an argument, then inside a transaction (RFC 1985)",
        [EHLO, "ETRN", "ETRN example.net", "ETRN #example.net", SENDER, "ETRN example.net", "QUIT"],
    ),
    case(
        "expn",
        "default",
        "EXPN without argument, of a local alias, an unknown user and a remote address",
        [EHLO, "EXPN", "EXPN postmaster", "EXPN nosuchuser", "EXPN bob@example.net", "QUIT"],
    ),
    case(
        "bdat-chunks",
        "default",
        "BDAT chunks that are not LAST, a NOOP between, then LAST (RFC 3030 2)",
        [
            EHLO,
            SENDER,
            "RCPT TO:<postmaster@vm>",
            bdat("Subject: chunks\r\n", last=False),
            bdat("\r\nHello.\r\n", last=False),
            "NOOP",
            bdat("Bye.\r\n"),
            "QUIT",
        ],
        notes=_BDAT_NOTE,
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
        notes=_BDAT_NOTE,
    ),
    case(
        "bdat-then-mail",
        "default",
        "MAIL after a non-LAST chunk (only BDAT may follow), then RSET",
        [EHLO, SENDER, "RCPT TO:<postmaster@vm>", bdat("Subject: x\r\n", last=False), SENDER, "RSET", "QUIT"],
        notes=_BDAT_NOTE,
    ),
    case(
        "data-over-size",
        "default",
        "DATA with a message over message_size_limit (50M): 552 after the final dot, then NOOP",
        [
            EHLO,
            SENDER,
            "RCPT TO:<postmaster@vm>",
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
        "default",
        "BDAT LAST with a chunk over message_size_limit (50M), then NOOP",
        [EHLO, SENDER, "RCPT TO:<postmaster@vm>", bdat_big(last=True), "NOOP", "QUIT"],
        notes=_BIG_NOTE,
    ),
    case(
        "bdat-over-size-not-last",
        "default",
        "a non-LAST chunk over message_size_limit: 552 at once and the transaction is gone",
        [EHLO, SENDER, "RCPT TO:<postmaster@vm>", bdat_big(last=False), "NOOP", bdat("hi\r\n"), "QUIT"],
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
        notes=_PRDR_NOTE + " " + _BDAT_NOTE,
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
        notes=_BDAT_NOTE,
    ),
    # ---- config auth-notls: AUTH PLAIN/LOGIN offered in clear text ----
    case(
        "auth-plain-initial-ok",
        "auth-notls",
        "AUTH PLAIN with initial response, then a remote recipient accepted and a message queued",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, SENDER, REMOTE, "DATA", *MESSAGE, "QUIT"],
    ),
    case(
        "auth-plain-pipelined-send",
        "auth-notls",
        "authenticated, then MAIL+RCPT+DATA pipelined: 354 follows",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, [SENDER, REMOTE, "DATA"], *MESSAGE, "QUIT"],
    ),
    case(
        "auth-plain-challenge-ok",
        "auth-notls",
        "AUTH PLAIN with an empty challenge (334 )",
        [EHLO, "AUTH PLAIN", PLAIN_OK, "QUIT"],
    ),
    case(
        "auth-plain-initial-fail",
        "auth-notls",
        "AUTH PLAIN, wrong password, then relay+DATA",
        [EHLO, "AUTH PLAIN " + PLAIN_BAD, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    case(
        "auth-plain-challenge-fail",
        "auth-notls",
        "AUTH PLAIN challenge form, wrong password",
        [EHLO, "AUTH PLAIN", PLAIN_BAD, "QUIT"],
    ),
    case(
        "auth-login-ok",
        "auth-notls",
        "AUTH LOGIN (user and password challenges)",
        [EHLO, "AUTH LOGIN", b64("testuser"), b64("testpass"), "QUIT"],
    ),
    case(
        "auth-login-initial-ok",
        "auth-notls",
        "AUTH LOGIN with the user name as initial response",
        [EHLO, "AUTH LOGIN " + b64("testuser"), b64("testpass"), "QUIT"],
    ),
    case(
        "auth-login-fail",
        "auth-notls",
        "AUTH LOGIN, wrong password",
        [EHLO, "AUTH LOGIN", b64("testuser"), b64("wrongpass"), "QUIT"],
    ),
    case(
        "auth-cancel",
        "auth-notls",
        "'*' cancels AUTH LOGIN and AUTH PLAIN (RFC 4954 4)",
        [EHLO, "AUTH LOGIN", "*", "AUTH PLAIN", "*", "QUIT"],
    ),
    case(
        "auth-bad-base64",
        "auth-notls",
        "AUTH PLAIN with a response that is not base64",
        [EHLO, "AUTH PLAIN !!!notbase64", "QUIT"],
    ),
    case(
        "auth-unknown-mechanism",
        "auth-notls",
        "AUTH with a mechanism not offered",
        [EHLO, "AUTH CRAM-MD5", "QUIT"],
    ),
    case(
        "auth-twice",
        "auth-notls",
        "a second AUTH after success",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, "AUTH PLAIN " + PLAIN_OK, "QUIT"],
    ),
    case(
        "auth-fail-limit",
        "auth-notls",
        "failed AUTH PLAIN repeated until the server disconnects",
        [EHLO, *repeat("AUTH PLAIN " + PLAIN_BAD, 12)],
    ),
    case(
        "auth-errors",
        "auth-notls",
        "AUTH with a bad character in the mechanism name, then AUTH inside a transaction",
        [EHLO, "AUTH PL@IN", SENDER, "AUTH PLAIN " + PLAIN_OK, "QUIT"],
    ),
    case("auth-before-ehlo", "auth-notls", "AUTH before EHLO", ["AUTH PLAIN " + PLAIN_OK, "QUIT"]),
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

ALL_CASES: list[dict[str, Any]] = [
    *EXIM_CASES,
    *malformed_cases("exim", "default"),
    *POSTFIX_CASES,
    *malformed_cases("postfix", "2526"),
    *EXIMCPANEL_CASES,
    *SENDMAIL_CASES,
    *OPENSMTPD_CASES,
]
# Servers with a personality in smtpsim: their recordings live in tests/golden/<software>/ and
# every one must replay.  The others' recordings wait in tools/mta-lab/recordings/<software>/
# ("not yet simulated"), outside the replay test.
SIMULATED = ("exim", "postfix", "exim-cpanel")
CASES: list[dict[str, Any]] = [c for c in ALL_CASES if c["software"] in SIMULATED]
PENDING_CASES: list[dict[str, Any]] = [c for c in ALL_CASES if c["software"] not in SIMULATED]
