"""The authenticated dialogue family shared by the servers' golden cases (RFC 4954: AUTH PLAIN and
LOGIN success and failure, a cancelled exchange, bad base64, the failure limit), beside
``family.core_cases``; the format is in golden/__init__.py."""

from __future__ import annotations

from typing import Any

from .common import EHLO, MESSAGE, PLAIN_BAD, PLAIN_OK, REMOTE, SENDER, b64, repeat
from .family import make_case


def auth_cases(
    sw: str,
    cfg: str,
    *,
    tls_first: bool,
    local: str = "RCPT TO:<postmaster@vm>",
    recipient: str = REMOTE,
    sender: str = SENDER,
    failures: int = 30,
) -> list[dict[str, Any]]:
    """The authenticated variant; ``tls_first``: AUTH is offered only after STARTTLS."""
    pre = [EHLO, "STARTTLS", EHLO] if tls_first else [EHLO]

    def c(name: str, description: str, steps: list[Any], **kw: Any) -> dict[str, Any]:
        return make_case(sw, name, cfg, description, [*pre, *steps], **kw)

    out = [
        c(
            "auth-plain-initial-ok",
            "AUTH PLAIN with initial response, then a remote recipient and a message",
            ["AUTH PLAIN " + PLAIN_OK, sender, recipient, "DATA", *MESSAGE, "QUIT"],
        ),
        c(
            "auth-plain-pipelined-send",
            "authenticated, then MAIL+RCPT+DATA pipelined",
            ["AUTH PLAIN " + PLAIN_OK, [sender, recipient, "DATA"], *MESSAGE, "QUIT"],
        ),
        c(
            "auth-plain-challenge-ok",
            "AUTH PLAIN with an empty challenge (334 )",
            ["AUTH PLAIN", PLAIN_OK, "QUIT"],
        ),
        c(
            "auth-plain-initial-fail",
            "AUTH PLAIN, wrong password, then relay+DATA",
            ["AUTH PLAIN " + PLAIN_BAD, sender, REMOTE, "DATA", "QUIT"],
        ),
        c(
            "auth-plain-challenge-fail",
            "AUTH PLAIN challenge form, wrong password",
            ["AUTH PLAIN", PLAIN_BAD, "QUIT"],
        ),
        c(
            "auth-login-ok",
            "AUTH LOGIN (user and password challenges)",
            ["AUTH LOGIN", b64("testuser"), b64("testpass"), "QUIT"],
        ),
        c(
            "auth-login-initial-ok",
            "AUTH LOGIN with the user name as initial response",
            ["AUTH LOGIN " + b64("testuser"), b64("testpass"), "QUIT"],
        ),
        c(
            "auth-login-fail",
            "AUTH LOGIN, wrong password",
            ["AUTH LOGIN", b64("testuser"), b64("wrongpass"), "QUIT"],
        ),
        c(
            "auth-cancel",
            "'*' cancels AUTH LOGIN and AUTH PLAIN (RFC 4954 4)",
            ["AUTH LOGIN", "*", "AUTH PLAIN", "*", "QUIT"],
        ),
        c(
            "auth-bad-base64",
            "AUTH PLAIN with a response that is not base64",
            ["AUTH PLAIN !!!notbase64", "QUIT"],
        ),
        c("auth-unknown-mechanism", "AUTH with a mechanism not offered", ["AUTH CRAM-MD5", "QUIT"]),
        c(
            "auth-twice",
            "a second AUTH after success",
            ["AUTH PLAIN " + PLAIN_OK, "AUTH PLAIN " + PLAIN_OK, "QUIT"],
        ),
        c(
            "auth-fail-limit",
            "failed AUTH PLAIN repeated until the server disconnects",
            repeat("AUTH PLAIN " + PLAIN_BAD, failures),
        ),
        c("auth-during-mail", "AUTH inside a mail transaction", [sender, "AUTH PLAIN " + PLAIN_OK, "QUIT"]),
        c(
            "auth-syntax-errors",
            "AUTH without mechanism, with too many words, continued responses that are not base64",
            [
                "AUTH",
                "AUTH PLAIN a b",
                "AUTH PLAIN",
                "!!!notbase64",
                "AUTH LOGIN",
                b64("testuser"),
                "@@@",
                "QUIT",
            ],
        ),
        c("auth-no-auth-relay", "no AUTH: relay refused, then DATA", [sender, REMOTE, "DATA", "QUIT"]),
        make_case(sw, "auth-before-ehlo", cfg, "AUTH before EHLO", ["AUTH PLAIN " + PLAIN_OK, "QUIT"]),
    ]
    if tls_first:
        out.append(
            make_case(
                sw,
                "auth-before-starttls",
                cfg,
                "AUTH before STARTTLS (not advertised yet), then relay attempt and DATA",
                [EHLO, "AUTH PLAIN " + PLAIN_OK, sender, REMOTE, "DATA", "QUIT"],
            )
        )
    return out
