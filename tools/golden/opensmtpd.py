"""Golden cases for OpenSMTPD 6.8 (Debian 12, tools/mta-lab/opensmtpd/); format in golden/__init__.py.

``default``: Debian's ``smtpd.conf`` listening on 127.0.0.1:2525; 127.0.0.2 is not "local" to
it, so every recipient is refused.  ``submission``: + a listener on 2587 with STARTTLS and AUTH
(credentials table testuser/testpass) and ``match from any auth for any action "relay"``.
Debian's smtpd 6.8.0p2 cannot complete a TLS handshake with a certificate under OpenSSL 3
(server log "SSL routines::EVP lib", upstream issues #1171, #1239): the submission recordings use
``submission-anontls.conf``, the same file with ``smtp ciphers "aNULL:@SECLEVEL=0"``, and a
client that offers anonymous TLS 1.2 suites only.  That listener is a lab workaround, not a
sane production setting; the SMTP replies after STARTTLS are the server's own.
"""

from __future__ import annotations

from typing import Any

from .auth_family import auth_cases
from .common import EHLO, MESSAGE, PLAIN_OK, REMOTE, SENDER, USERS
from .family import core_cases, make_case
from .malformed import malformed_cases

SW = "opensmtpd"
BIG = 36700160  # max-message-size default 35M
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
    "Debian smtpd.conf ('match for local action local', 'match from local for any action relay'), "
    "listening on 127.0.0.1:2525; smtpd -d -P mda -P mta (nothing is delivered)."
)
ANON_TLS = {"ciphers": "aNULL:@SECLEVEL=0", "max_version": "TLSv1_2"}
CONFIGS: dict[tuple[str, str], dict[str, Any]] = {
    (SW, "default"): {"port": 2525, "server": dict(_BASE), "notes": _NOTE},
    (SW, "submission"): {
        "port": 2587,
        "client_tls": ANON_TLS,
        "server": {**_BASE, "tls": "offered", "auth": "tls-only"},
        "notes": _NOTE
        + " Submission listener 2587 'tls pki probe auth <creds>', 'match from any auth for any action "
        "relay'."
        + " WORKAROUND: OpenSSL 3 breaks smtpd 6.8's STARTTLS with a certificate (upstream #1171, #1239); "
        "recorded with 'smtp ciphers aNULL:@SECLEVEL=0' and a client offering anonymous TLS 1.2 suites.",
    },
}


def _c(name: str, config: str, description: str, steps: list[Any]) -> dict[str, Any]:
    return make_case(SW, name, config, description, steps)


TLS = [EHLO, "STARTTLS", EHLO]
CASES: list[dict[str, Any]] = [
    *core_cases(SW, "default", starttls=False, big=BIG),
    *malformed_cases(SW, "default"),
    *auth_cases(SW, "submission", tls_first=True),
    _c("submission-starttls", "submission", "STARTTLS, then EHLO again", [*TLS, "QUIT"]),
    _c(
        "submission-no-tls-data",
        "submission",
        "no STARTTLS: MAIL, RCPT, DATA",
        [EHLO, SENDER, REMOTE, "DATA", "QUIT"],
    ),
    _c(
        "submission-auth-pipelined-local",
        "submission",
        "STARTTLS, AUTH, a local recipient and a message",
        [*TLS, "AUTH PLAIN " + PLAIN_OK, [SENDER, "RCPT TO:<postmaster@vm>", "DATA"], *MESSAGE, "QUIT"],
    ),
]
