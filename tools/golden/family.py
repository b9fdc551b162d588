"""Dialogue families shared by every server's golden cases (the format is in golden/__init__.py).

``core_cases`` is the default-config family the Exim and Postfix goldens started with (relaying
and the DATA 503, pipelining, sequence errors, limits, over-long lines, BDAT where offered);
the authenticated variant (AUTH PLAIN/LOGIN success and failure, cancel, bad base64, limits) is
``auth_family.auth_cases``; the malformed-argument family is in ``malformed.py``.  A server module
calls them with its software name, config names and the few things that differ (local recipient,
message size limit, whether CHUNKING is offered) and adds its own cases; ``common.tailor``
gives the family's cases the names and descriptions a server's earlier recordings carry.
"""

from __future__ import annotations

from typing import Any

from .common import BDAT_NOTE, EHLO, MESSAGE, PLAIN_OK, REMOTE, SENDER, bdat, repeat


def make_case(
    software: str, name: str, config: str, description: str, steps: list[Any], **kw: Any
) -> dict[str, Any]:
    """One case dict."""
    return {
        "name": name,
        "software": software,
        "config": config,
        "description": description,
        "steps": steps,
        **kw,
    }


def _big_data(big: int) -> list[Any]:
    return [
        "DATA",
        "Subject: big",
        "",
        {"send_repeat": {"prefix": "", "char": "x", "count": big, "suffix": ""}},
        ".",
    ]


def core_cases(
    sw: str,
    cfg: str,
    *,
    local: str = "RCPT TO:<postmaster@vm>",
    unknown: str = "RCPT TO:<nosuchuser@vm>",
    big: int | None = None,
    chunking: bool = False,
    starttls: bool = True,
    prefix: tuple[Any, ...] = (),
    sender: str = SENDER,
    noops: int = 130,
) -> list[dict[str, Any]]:
    """The default-config family; ``prefix`` runs before EHLO-level steps (e.g. implicit TLS needs none)."""

    def c(name: str, description: str, steps: list[Any], **kw: Any) -> dict[str, Any]:
        return make_case(sw, name, cfg, description, [*prefix, *steps], **kw)

    out = [
        c(
            "relay-no-auth-data",
            "client not authenticated tries to relay, then DATA",
            [EHLO, sender, REMOTE, "DATA", "QUIT"],
        ),
        c(
            "relay-no-auth-data-pipelined",
            "client not authenticated tries to relay; MAIL, RCPT, DATA pipelined in one write",
            [EHLO, [sender, REMOTE, "DATA"], "QUIT"],
        ),
        c(
            "relay-two-rcpts-data",
            "two refused remote recipients then DATA",
            [EHLO, sender, REMOTE, "RCPT TO:<carol@example.org>", "DATA", "QUIT"],
        ),
        c(
            "noop-between-rcpt-and-data",
            "refused RCPT, then NOOP, then DATA",
            [EHLO, sender, REMOTE, "NOOP", "DATA", "QUIT"],
        ),
        c(
            "helo-relay-data",
            "HELO (not EHLO), refused RCPT, then DATA",
            ["HELO laptop.example", sender, REMOTE, "DATA", "QUIT"],
        ),
        c(
            "helo-pipelined",
            "HELO (PIPELINING not advertised) then MAIL+RCPT+DATA in one write",
            ["HELO laptop.example", [sender, REMOTE, "DATA"], "QUIT"],
        ),
        c("data-no-rcpt", "MAIL then DATA without any RCPT", [EHLO, sender, "DATA", "QUIT"]),
        c("data-no-mail", "DATA straight after EHLO", [EHLO, "DATA", "QUIT"]),
        c("rcpt-no-mail", "RCPT before MAIL", [EHLO, REMOTE, "QUIT"]),
        c("mail-twice", "a second MAIL in the same transaction", [EHLO, sender, sender, "QUIT"]),
        c("local-recipient", "local recipient accepted, then RSET", [EHLO, sender, local, "RSET", "QUIT"]),
        c(
            "message-dot-stuffing",
            "local recipient, full message with a dot-stuffed line, accepted and queued (never delivered)",
            [EHLO, sender, local, "DATA", *MESSAGE, "QUIT"],
        ),
        c(
            "unknown-local-user",
            "unknown local user at RCPT, then DATA",
            [EHLO, sender, unknown, "DATA", "QUIT"],
        ),
        c(
            "rcpt-mixed-data",
            "one local recipient accepted, one remote refused, then DATA and a message",
            [EHLO, sender, local, REMOTE, "DATA", *MESSAGE, "QUIT"],
        ),
        c(
            "rset-after-refusal",
            "refused RCPT, RSET, new MAIL, then DATA",
            [EHLO, sender, REMOTE, "RSET", sender, "DATA", "QUIT"],
        ),
        c(
            "rcpt-different-errors-data",
            "RCPTs refused for different reasons (relay, unknown user), then DATA",
            [EHLO, sender, REMOTE, unknown, "DATA", "QUIT"],
        ),
        c(
            "ehlo-twice-mid-transaction",
            "EHLO again after MAIL resets the transaction",
            [EHLO, sender, EHLO, local, "QUIT"],
        ),
        c(
            "mail-from-no-brackets",
            "MAIL FROM without angle brackets",
            [EHLO, "MAIL FROM:alice@example.com", "QUIT"],
        ),
        c(
            "mail-from-size",
            "MAIL FROM with SIZE= under and over the limit",
            [EHLO, f"{sender} SIZE=1000", "RSET", f"{sender} SIZE=999999999", "QUIT"],
        ),
        c(
            "mail-from-null-sender",
            "MAIL FROM:<> (bounce sender) then local RCPT",
            [EHLO, "MAIL FROM:<>", local, "QUIT"],
        ),
        c(
            "mail-unknown-parameter",
            "MAIL FROM with an unknown ESMTP parameter, then BODY=8BITMIME",
            [EHLO, f"{sender} FOO=bar", f"{sender} BODY=8BITMIME", "QUIT"],
        ),
        c(
            "rcpt-bad-address",
            "RCPT TO with a malformed address",
            [EHLO, sender, "RCPT TO:<bad address>", "RCPT TO:bob", "QUIT"],
        ),
        c("helo-no-arg", "HELO without argument", ["HELO", "QUIT"]),
        c("ehlo-no-arg", "EHLO without argument", ["EHLO", "QUIT"]),
        c(
            "lowercase-commands",
            "commands in lower case (RFC 5321 2.4: case-insensitive)",
            ["ehlo laptop.example", sender.lower(), local.lower(), "rset", "quit"],
        ),
        c("unknown-command", "an unknown command after EHLO", [EHLO, "FOO bar", "QUIT"]),
        c(
            "unknown-command-limit",
            "unknown commands repeated until the server disconnects",
            [EHLO, *repeat("FOO", 30)],
        ),
        c(
            "syntax-error-limit",
            "syntax errors (MAIL FROM:<bad) repeated until the server disconnects",
            [EHLO, *repeat("MAIL FROM:<bad", 30)],
        ),
        c(
            "bad-sequence-limit",
            "DATA without MAIL repeated until the server disconnects",
            [EHLO, *repeat("DATA", 30)],
        ),
        c(
            "nonmail-limit",
            "NOOP repeated until a non-mail command limit bites (if any)",
            [EHLO, *repeat("NOOP", noops)],
        ),
        c("mail-before-ehlo", "MAIL before HELO/EHLO", [sender, "QUIT"]),
        c("rcpt-before-ehlo", "RCPT and DATA before HELO/EHLO", [REMOTE, "DATA", "QUIT"]),
        c(
            "long-line-1100",
            "a command line of 1105 octets (> RFC 5321 4.5.3.1.4 limit of 512)",
            [EHLO, {"send_repeat": {"prefix": "NOOP ", "char": "A", "count": 1100, "suffix": ""}}, "QUIT"],
        ),
        c(
            "long-mail-from",
            "MAIL FROM with a 1100-octet local part",
            [
                EHLO,
                {
                    "send_repeat": {
                        "prefix": "MAIL FROM:<",
                        "char": "a",
                        "count": 1100,
                        "suffix": "@example.com>",
                    }
                },
                "QUIT",
            ],
        ),
        c(
            "long-line-over-buffer",
            "a 20005-octet command line",
            [EHLO, {"send_repeat": {"prefix": "NOOP ", "char": "A", "count": 20000, "suffix": ""}}, "QUIT"],
        ),
        c(
            "message-long-line",
            "a 2000-octet line inside the message body",
            [
                EHLO,
                sender,
                local,
                "DATA",
                "Subject: long line",
                "",
                {"send_repeat": {"prefix": "", "char": "x", "count": 2000, "suffix": ""}},
                ".",
                "QUIT",
            ],
        ),
        c(
            "smuggling-bare-lf-dot",
            "SMTP smuggling attempt: a message line holding LF.LF and a second command",
            [EHLO, sender, local, "DATA", "Subject: smuggle", "", "first\n.\nRSET", ".", "QUIT"],
            notes="The 'first\\n.\\nRSET' step contains bare LF octets written as-is, then CRLF.",
        ),
        c("nul-byte", "a command containing a NUL octet", [EHLO, "NOOP a\0b", "QUIT"]),
        c(
            "noop-rset-vrfy-help-quit",
            "NOOP, RSET, VRFY (local, unknown, remote), HELP, QUIT",
            [
                EHLO,
                "NOOP",
                "RSET",
                "VRFY postmaster",
                "VRFY nosuchuser",
                "VRFY bob@example.net",
                "HELP",
                "QUIT",
            ],
        ),
        c(
            "auth-not-advertised",
            "AUTH when the server offers none (before TLS)",
            [EHLO, "AUTH PLAIN " + PLAIN_OK, "QUIT"],
        ),
        c(
            "etrn",
            "ETRN without and with an argument (RFC 1985)",
            [EHLO, "ETRN", "ETRN example.net", "ETRN #example.net", "QUIT"],
        ),
        c(
            "expn",
            "EXPN without argument, a local alias, an unknown user, a remote address",
            [EHLO, "EXPN", "EXPN postmaster", "EXPN nosuchuser", "EXPN bob@example.net", "QUIT"],
        ),
        c(
            "command-syntax-errors",
            "MAIL/RCPT without FROM:/TO:, VRFY without address, DATA/RSET/STARTTLS with an argument",
            [
                EHLO,
                "MAIL alice@example.com",
                sender,
                "RCPT bob@example.net",
                local,
                "VRFY",
                "DATA x",
                "RSET x",
                "STARTTLS x",
                "QUIT",
            ],
        ),
        c(
            "bdat-no-rcpt",
            "refused RCPT, then BDAT (CHUNKING offered or not)",
            [EHLO, sender, REMOTE, bdat("Hello.\r\n"), "QUIT"],
            notes=BDAT_NOTE,
        ),
    ]
    if starttls:
        out += [
            c(
                "starttls",
                "STARTTLS, then EHLO again: capabilities after TLS",
                [EHLO, "STARTTLS", EHLO, "QUIT"],
            ),
            c("starttls-before-ehlo", "STARTTLS before EHLO", ["STARTTLS", "QUIT"]),
        ]
    if chunking:
        out += [
            c(
                "bdat-local",
                "BDAT (CHUNKING) with a local recipient",
                [EHLO, sender, local, bdat("Subject: bdat test\r\n\r\nHello.\r\n"), "QUIT"],
                notes=BDAT_NOTE,
            ),
            c(
                "bdat-chunks",
                "BDAT chunks that are not LAST, a NOOP between, then LAST (RFC 3030 2)",
                [
                    EHLO,
                    sender,
                    local,
                    bdat("Subject: chunks\r\n", last=False),
                    bdat("\r\nHello.\r\n", last=False),
                    "NOOP",
                    bdat("Bye.\r\n"),
                    "QUIT",
                ],
                notes=BDAT_NOTE,
            ),
        ]
    if big:
        out.append(
            c(
                "data-over-size",
                f"DATA with a message just over the size limit ({big}), then NOOP",
                [EHLO, sender, local, *_big_data(big), "NOOP", "QUIT"],
            )
        )
    return out
