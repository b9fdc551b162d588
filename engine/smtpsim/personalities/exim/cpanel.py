"""The cPanel-style Exim 4.96 personality: the server most SmartHost customers meet.

Recorded from Debian 12's exim4 with cPanel's wording added to ``acl_check_rcpt``
(``tools/mta-lab/eximcpanel/cpanel.diff``; goldens in ``tests/golden/exim-cpanel/``):

- AUTH (PLAIN, LOGIN) is advertised only inside TLS (``MAIN_TLS_ENABLE``, Debian's
  ``server_advertise_condition``), on every port;
- on port 587 (``auth: required``) the first rule of ``acl_check_rcpt`` denies every
  unauthenticated recipient, local ones included: "SMTP AUTH is required for message submission
  on port 587";
- the relay refusal is cPanel's three-line message, with the client as Exim expands
  ``$sender_fullhost [$sender_host_address]:$sender_host_port`` (no reverse DNS here:
  ``(HELO name) [IP]``), re-wrapped by Exim at 75 characters (``string_split_message()``);
- the DATA 503 after every recipient was refused repeats those lines under
  "All RCPT commands were rejected with this error:" (RFC 5321 §3.3 leaves the text free).

Everything else is Debian's Exim, inherited from :mod:`smtpsim.personalities.exim.server`.
"""

from __future__ import annotations

from functools import lru_cache

from ...events import Reject, Reply
from ...personality import Spec
from ...replies import t
from .replies import EximReplies as _Exim
from .server import SPEC as EXIM
from .server import Exim


class Replies(_Exim):
    """Exim 4.96's catalogue plus cPanel's two ACL messages (``cpanel.diff``)."""

    S550_CPANEL_RELAY = t(  # one message with two newlines; Exim re-wraps it (render_wrapped)
        550,
        "Please turn on SMTP Authentication in your mail client.",
        "{fullhost} [{ip}]:{port} is not permitted to relay through",
        "this server without authentication.",
        reason="relay-denied",
    )
    S550_SUBMISSION_AUTH = t(
        550, "SMTP AUTH is required for message submission on port 587", reason="auth-required"
    )


# every entry of the class, inherited ones included (the registry's tests read vars())
R = type("EximCpanelReplies", (), {k: v for k, v in vars(_Exim).items() if not k.startswith("_")})
for _name in ("S550_CPANEL_RELAY", "S550_SUBMISSION_AUTH"):
    setattr(R, _name, getattr(Replies, _name))
R.__doc__ = Replies.__doc__


@lru_cache(maxsize=256)  # a pure function of the text; a session's client repeats it per refusal
def split_message(msg: str) -> str:
    """Exim's ``string_split_message()`` (string.c): a line over 75 characters is broken at the
    last space between columns 36 and 76 (preferring one after a colon), else at the next space."""
    if len(msg) <= 75:
        return msg
    s, n = list(msg), len(msg)
    start = ss = 0
    while True:
        i = 0
        while i < 75 and ss < n and s[ss] != "\n":
            ss, i = ss + 1, i + 1
        if ss >= n:
            break
        if s[ss] == "\n":
            ss += 1
            start = ss
            continue
        cut = None
        for t_ in range(ss, start + 35, -1):  # behind: the last space, or one after a colon
            if s[t_] == " ":
                if s[t_ - 1] == ":":
                    cut = t_
                    break
                if cut is None:
                    cut = t_
        if cut is None:  # ahead: the next space or newline
            cut = next((t_ for t_ in range(ss + 1, n) if s[t_] in " \n"), None)
        if cut is None:
            break
        s[cut] = "\n"
        start = ss = cut + 1
    return "".join(s)


class EximCpanel(Exim):
    """Debian's Exim with cPanel's port-587 rule and relay refusal."""

    auth_after_tls = ("tls-only", "required")  # AUTH inside TLS only, on every port

    def _acl_rcpt(self, local: str, domain: str) -> None:
        if self.cfg.auth == "required" and not self.session.user:  # first rule (port 587)
            raise Reject(R.S550_SUBMISSION_AUTH.render())
        super()._acl_rcpt(local, domain)

    def relay_refusal(self) -> Reply:
        ip, port = self.session.client_ip, self.session.client_port
        fullhost = f"({self.session.helo}) [{ip}]"  # $sender_fullhost without a reverse DNS name
        return R.S550_CPANEL_RELAY.render_wrapped(split_message, fullhost=fullhost, ip=ip, port=port)


SPEC = Spec(
    name="exim-cpanel",
    label="cPanel",
    long_label="cPanel Exim 4.96",
    catalogue=R,
    factory=EximCpanel,
    serve_texts=EXIM.serve_texts,
    settings={"tls": ("none", "offered"), "auth": ("none", "offered", "tls-only", "required")},
    source="Debian 12 exim4-daemon-light 4.96 with cPanel's ACL wording (tools/mta-lab/eximcpanel/)",
    message_size_limit=EXIM.message_size_limit,
    volatile=EXIM.volatile,
)
