"""The wider malformed MAIL/RCPT argument family, recorded for every server.

RFC 5321 §4.1.1.2 (``MAIL FROM:<reverse-path> [SP mail-parameters]``), §4.1.1.3 (``RCPT
TO:<forward-path> [SP rcpt-parameters]``) and §4.1.2 (the path grammar): empty arguments, a
missing colon, bare addresses, ``<>``, spaces where none belong, unbalanced brackets, source
routes, quoted local parts and (unknown or incomplete) parameters.
"""

from __future__ import annotations

from typing import Any

from .common import EHLO, SENDER
from .family import make_case

# Malformed MAIL/RCPT arguments, three per connection (Exim drops a client after a few syntax
# errors, Postfix sleeps past its soft error limit); each MAIL is followed by RSET.
MAIL_SHAPES = [
    ("MAIL", "MAIL FROM", "MAIL FROM alice@example.com"),  # no argument, no colon
    ("MAIL FROM:<>", "MAIL FROM: <alice@example.com>", "MAIL FROM :<alice@example.com>"),  # null, spaces
    ("MAIL FROM:<alice@example.com", "MAIL FROM:alice@example.com>", "MAIL FROM:<<alice@example.com>>"),
    ("MAIL FROM:< >", "MAIL FROM:<alice@>", "MAIL FROM:<@example.com>"),
    (
        "MAIL FROM:<alice @example.com>",
        "MAIL FROM:<alice@example.com>x",
        "MAIL FROM:<alice@example.com>  SIZE=100",
    ),
    (
        "MAIL FROM:<alice@example.com> SIZE",
        "MAIL FROM:<alice@example.com> SIZE=abc",
        "MAIL FROM:<alice@example.com> BODY",
    ),
    (
        "MAIL FROM:<@relay.example:alice@example.com>",
        "MAIL FROM:<alice@[127.0.0.1]>",
        'MAIL FROM:<"alice smith"@example.com>',
    ),
    (
        "MAIL FROM:<alice@example.com> RET=HDRS ENVID=x",
        "MAIL FROM:<alice@example.com> AUTH=<>",
        "MAIL FROM:<alice@example.com> SMTPUTF8",
    ),
]
RCPT_SHAPES = [
    ("RCPT", "RCPT TO", "RCPT TO postmaster@vm"),
    ("RCPT TO:<>", "RCPT TO: <postmaster@vm>", "RCPT TO :<postmaster@vm>"),
    ("RCPT TO:postmaster@vm", "RCPT TO:<postmaster@vm", "RCPT TO:<<postmaster@vm>>"),
    ("RCPT TO:< >", "RCPT TO:<postmaster@>", "RCPT TO:<postmaster>"),
    ("RCPT TO:<post master@vm>", "RCPT TO:<postmaster@vm>x", "RCPT TO:<@vm:postmaster@vm>"),
    (
        "RCPT TO:<postmaster@vm> FOO=bar",
        "RCPT TO:<postmaster@vm> NOTIFY=NEVER",
        "RCPT TO:<postmaster@vm> ORCPT=rfc822;x@vm",
    ),
]


def malformed_cases(
    sw: str, cfg: str, *, local_domain: str = "vm", prefix: tuple[Any, ...] = (), sender: str = SENDER
) -> list[dict[str, Any]]:
    """The wider malformed-argument family: ``malformed-mail-N`` and ``malformed-rcpt-N``."""
    out = []
    addr = sender.partition("<")[2].rstrip(">")
    for i, shapes in enumerate(MAIL_SHAPES, 1):
        steps: list[Any] = [EHLO]
        shapes = tuple(s.replace("alice@example.com", addr) for s in shapes)
        for line in shapes:
            steps += [line, "RSET"]
        out.append(
            make_case(
                sw,
                f"malformed-mail-{i}",
                cfg,
                "malformed MAIL arguments: " + " | ".join(shapes),
                [*prefix, *steps, "QUIT"],
            )
        )
    for i, shapes in enumerate(RCPT_SHAPES, 1):
        lines = [s.replace("@vm", "@" + local_domain) for s in shapes]
        out.append(
            make_case(
                sw,
                f"malformed-rcpt-{i}",
                cfg,
                "malformed RCPT arguments: " + " | ".join(lines),
                [*prefix, EHLO, sender, *lines, "QUIT"],
            )
        )
    return out
