"""Golden cases for the cPanel-style Exim 4.96 (tools/mta-lab/eximcpanel/); format in golden/__init__.py.

Debian's exim4 with ``MAIN_TLS_ENABLE``, the plain/login authenticators (AUTH only after
STARTTLS) and two cPanel-like edits in ``acl_check_rcpt``: an unauthenticated RCPT on port 587
(here 2587) is denied with "SMTP AUTH is required for message submission on port 587", and the
relay refusal reads "Please turn on SMTP Authentication in your mail client." plus the client's
``$sender_fullhost [$sender_host_address]:$sender_host_port`` line.  Port 2465 stands for 465
(``tls_on_connect_ports``): implicit TLS, the port-25 rules.
"""

from __future__ import annotations

from typing import Any

from .auth_family import auth_cases
from .common import EHLO, MESSAGE, PLAIN_BAD, PLAIN_OK, REMOTE, SENDER, USERS, b64
from .family import core_cases, make_case
from .malformed import malformed_cases

SW = "exim-cpanel"
_BASE: dict[str, Any] = {
    "software": SW,
    "hostname": "vm",
    "local_domains": ["vm"],
    "relay_networks": ["127.0.0.1/32", "::1/128"],
    "tls": "offered",
    "auth": "tls-only",
    "relay_policy": "defer",
    "delivery": "local-only",
    "users": USERS,
}
_NOTE = (
    "Debian exim4-config 'local' + MAIN_TLS_ENABLE + plain_server/login_server (AUTH after "
    "STARTTLS) + the cPanel-like acl_check_rcpt edits (tools/mta-lab/eximcpanel/cpanel.diff); "
    "relay_policy/delivery are Postfix-only keys left at their defaults."
)
CONFIGS: dict[tuple[str, str], dict[str, Any]] = {
    (SW, "cpanel-25"): {"port": 2525, "client_port": True, "server": dict(_BASE), "notes": _NOTE},
    (SW, "cpanel-587"): {
        "port": 2587,
        "client_port": True,
        "server": {**_BASE, "auth": "required"},
        "notes": _NOTE + " Port 2587 stands for 587: an unauthenticated RCPT is denied.",
    },
    (SW, "cpanel-465"): {
        "port": 2465,
        "implicit_tls": True,
        "client_port": True,
        "server": dict(_BASE),
        "notes": _NOTE + " Port 2465 stands for 465 (tls_on_connect_ports): TLS from the first octet.",
    },
}
TLS = [EHLO, "STARTTLS", EHLO]
LOCAL = "RCPT TO:<postmaster@vm>"


def _c(name: str, config: str, description: str, steps: list[Any]) -> dict[str, Any]:
    return make_case(SW, name, config, description, steps)


CASES: list[dict[str, Any]] = [
    *core_cases(SW, "cpanel-25", chunking=True),
    *auth_cases(SW, "cpanel-25", tls_first=True),
    *malformed_cases(SW, "cpanel-25"),
    _c(
        "relay-tls-no-auth-data",
        "cpanel-25",
        "STARTTLS but no AUTH: relay refused inside TLS, then DATA",
        [*TLS, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    _c(
        "relay-helo-names",
        "cpanel-25",
        "the refusal quotes the HELO name: short, long, an address literal, then DATA (Exim wraps at 75)",
        [
            "EHLO x",
            SENDER,
            REMOTE,
            "EHLO a-rather-long-host-name.customers.example",
            SENDER,
            REMOTE,
            "EHLO [127.0.0.2]",
            SENDER,
            REMOTE,
            "EHLO " + "h" * 70 + ".example",
            SENDER,
            REMOTE,
            "DATA",
            "QUIT",
        ],
    ),
    # ---- port 587: AUTH required for every recipient ----
    _c(
        "submission-no-tls-data",
        "cpanel-587",
        "no STARTTLS, no AUTH: MAIL, RCPT, DATA",
        [EHLO, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    _c(
        "submission-no-auth-data",
        "cpanel-587",
        "STARTTLS, no AUTH: remote recipient, then DATA",
        [*TLS, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    _c(
        "submission-no-auth-local",
        "cpanel-587",
        "STARTTLS, no AUTH: even a local recipient is refused, then two remote, DATA",
        [*TLS, SENDER, LOCAL, REMOTE, "RCPT TO:<carol@example.org>", "DATA", "QUIT"],
    ),
    _c(
        "submission-no-auth-pipelined",
        "cpanel-587",
        "STARTTLS, no AUTH, MAIL+RCPT+DATA pipelined",
        [*TLS, [SENDER, REMOTE, "DATA"], "QUIT"],
    ),
    _c(
        "submission-auth-send",
        "cpanel-587",
        "STARTTLS, AUTH PLAIN, remote recipient, message queued",
        [*TLS, "AUTH PLAIN " + PLAIN_OK, SENDER, REMOTE, "DATA", *MESSAGE, "QUIT"],
    ),
    _c(
        "submission-auth-pipelined",
        "cpanel-587",
        "STARTTLS, AUTH PLAIN, then MAIL+RCPT+DATA pipelined",
        [*TLS, "AUTH PLAIN " + PLAIN_OK, [SENDER, REMOTE, "DATA"], *MESSAGE, "QUIT"],
    ),
    _c(
        "submission-wrong-password",
        "cpanel-587",
        "STARTTLS, AUTH PLAIN with a wrong password, then MAIL, RCPT, DATA",
        [*TLS, "AUTH PLAIN " + PLAIN_BAD, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    _c(
        "submission-auth-login",
        "cpanel-587",
        "STARTTLS, AUTH LOGIN",
        [*TLS, "AUTH LOGIN", b64("testuser"), b64("testpass"), SENDER, REMOTE, "RSET", "QUIT"],
    ),
    _c(
        "submission-auth-before-starttls",
        "cpanel-587",
        "AUTH before STARTTLS (not advertised)",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, "QUIT"],
    ),
    # ---- port 465: implicit TLS ----
    _c(
        "smtps-no-auth-data",
        "cpanel-465",
        "implicit TLS, no AUTH: relay, then DATA",
        [EHLO, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    _c(
        "smtps-no-auth-pipelined",
        "cpanel-465",
        "implicit TLS, no AUTH: MAIL+RCPT+DATA pipelined",
        [EHLO, [SENDER, REMOTE, "DATA"], "QUIT"],
    ),
    _c(
        "smtps-auth-send",
        "cpanel-465",
        "implicit TLS, AUTH PLAIN, remote recipient, message queued",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, SENDER, REMOTE, "DATA", *MESSAGE, "QUIT"],
    ),
    _c(
        "smtps-wrong-password",
        "cpanel-465",
        "implicit TLS, wrong password, then relay and DATA",
        [EHLO, "AUTH PLAIN " + PLAIN_BAD, SENDER, REMOTE, "DATA", "QUIT"],
    ),
]
