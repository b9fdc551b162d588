"""Golden cases for Sendmail 8.17 (Debian 12, tools/mta-lab/sendmail/); format in golden/__init__.py.

Debian's ``sendmail.mc`` with the MTA daemon on 127.0.0.1:2525 and the MSA (``M=Ea``) on 2587,
queue-only delivery, and ``/etc/mail/access`` narrowed to ``Connect:127.0.0.1 RELAY`` so that
127.0.0.2 is an outsider.  ``auth`` adds Debian's own ``sasl.m4`` and ``starttls.m4`` includes
(Cyrus sasldb: PLAIN, LOGIN).  Sendmail 8.17 has no CHUNKING and no default size limit.
"""

from __future__ import annotations

from typing import Any

from .auth_family import auth_cases
from .common import EHLO, PLAIN_OK, REMOTE, SENDER, USERS
from .family import core_cases, make_case
from .malformed import malformed_cases

SW = "sendmail"
_BASE: dict[str, Any] = {
    "software": SW,
    "hostname": "vm",
    "local_domains": ["vm", "localhost"],
    "relay_networks": ["127.0.0.1/32", "::1/128"],
    "tls": "none",
    "auth": "none",
    "relay_policy": "reject",
    "delivery": "local-only",
    "users": USERS,
}
_NOTE = (
    "Debian sendmail.mc (listeners moved to 127.0.0.1:2525 MTA and :2587 MSA M=Ea, "
    "confDELIVERY_MODE q), /etc/mail/access with Connect:127.0.0.1 RELAY only; "
    "relay_policy/delivery describe Sendmail's hard 550 relay refusal and the queue-only setup."
)
_AUTH = " + Debian's sasl.m4 and starttls.m4 includes (Cyrus sasldb PLAIN LOGIN, self-signed STARTTLS)."
CONFIGS: dict[tuple[str, str], dict[str, Any]] = {
    (SW, "default"): {"port": 2525, "server": dict(_BASE), "notes": _NOTE},
    (SW, "msa"): {
        "port": 2587,
        "server": {**_BASE, "auth": "required"},
        "notes": _NOTE + " The MSA port 2587 (M=Ea).",
    },
    (SW, "auth"): {
        "port": 2525,
        "server": {**_BASE, "tls": "offered", "auth": "offered"},
        "notes": _NOTE + _AUTH,
    },
    (SW, "auth-msa"): {
        "port": 2587,
        "server": {**_BASE, "tls": "offered", "auth": "required"},
        "notes": _NOTE + _AUTH + " The MSA port 2587 (M=Ea).",
    },
}
LOCAL = "RCPT TO:<postmaster@vm>"


def _c(name: str, config: str, description: str, steps: list[Any]) -> dict[str, Any]:
    return make_case(SW, name, config, description, steps)


CASES: list[dict[str, Any]] = [
    *core_cases(
        SW, "default", starttls=False, noops=24
    ),  # past MaxNOOPCommands (20) it sleeps longer each time
    *malformed_cases(SW, "default"),
    *auth_cases(SW, "auth", tls_first=False, failures=6),  # each failure past a few sleeps longer
    _c(
        "auth-starttls",
        "auth",
        "STARTTLS, then EHLO again: capabilities after TLS",
        [EHLO, "STARTTLS", EHLO, "QUIT"],
    ),
    _c(
        "auth-starttls-auth-send",
        "auth",
        "STARTTLS, AUTH PLAIN, remote recipient, RSET",
        [EHLO, "STARTTLS", EHLO, "AUTH PLAIN " + PLAIN_OK, SENDER, REMOTE, "RSET", "QUIT"],
    ),
    _c(
        "msa-no-auth-data",
        "msa",
        "MSA port without AUTH: relay, local, then DATA",
        [EHLO, SENDER, REMOTE, LOCAL, "DATA", "QUIT"],
    ),
    _c(
        "msa-pipelined", "msa", "MSA port: MAIL+RCPT+DATA pipelined", [EHLO, [SENDER, REMOTE, "DATA"], "QUIT"]
    ),
    _c(
        "auth-msa-no-auth-data",
        "auth-msa",
        "MSA port with AUTH offered, client does not sign in: relay, local, DATA",
        [EHLO, SENDER, REMOTE, LOCAL, "DATA", "QUIT"],
    ),
    _c(
        "auth-msa-auth-send",
        "auth-msa",
        "MSA port: AUTH PLAIN, remote recipient, RSET",
        [EHLO, "AUTH PLAIN " + PLAIN_OK, SENDER, REMOTE, "RSET", "QUIT"],
    ),
]
