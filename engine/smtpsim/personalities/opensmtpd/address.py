"""How OpenSMTPD 6.8 reads addresses, host names and base64, ported from its source (tag
``v6.8.0p2`` of github.com/OpenSMTPD/OpenSMTPD): ``smtp_mailaddr()`` (``smtp_session.c``),
``text_to_mailaddr()`` (``to.c``), ``valid_localpart()``/``valid_domainpart()`` (``util.c``),
``res_hnok()`` and ``b64_pton()`` (``openbsd-compat``).  Pure functions on ``str`` (latin-1
octets), no state.
"""

from __future__ import annotations

import binascii
import functools
import ipaddress
import re

from ...personality import C_SPACE

#: smtpd.h MAILADDR_ALLOWED: the characters besides letters and digits of an RFC 5322 atom
MAILADDR_ALLOWED = frozenset("!#$%&'*/?^`{|}~+-=_")
MAXPART = 256  # SMTPD_MAXLOCALPARTSIZE, SMTPD_MAXDOMAINPARTSIZE (255 + 1)
LINE_MAX = 2048  # text_to_mailaddr()'s buffer
_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


_LABEL = r"(?:[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)?"
_HOSTNAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_ATOM = "[A-Za-z0-9" + re.escape("".join(sorted(MAILADDR_ALLOWED))) + "]+"
_LOCALPART = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")


def res_hnok(dn: str) -> bool:
    """A host name: labels begin and end with a letter or digit, "-" and "_" inside (empty labels
    pass: the C loop only looks at a character's neighbours)."""
    return _HOSTNAME.fullmatch(dn) is not None


@functools.lru_cache(maxsize=256)
def valid_localpart(s: str) -> bool:
    """Dot-separated atoms of letters, digits and MAILADDR_ALLOWED (no quoted strings)."""
    return _LOCALPART.fullmatch(s) is not None


@functools.lru_cache(maxsize=256)
def valid_domainpart(s: str) -> bool:
    """A host name, or an address literal ``[192.0.2.1]`` / ``[IPv6:...]``; no trailing dot."""
    if s.startswith("["):
        inner = s[6:] if s[:6].lower() == "[ipv6:" else s[1:]
        if len(inner) >= MAXPART or not inner.endswith("]") or "]" in inner[:-1]:
            return False
        try:
            ipaddress.ip_address(inner[:-1])
        except ValueError:
            return False
        return "%" not in inner  # inet_pton() takes no zone index
    if not s or len(s) >= MAXPART or s.endswith("."):
        return False
    return res_hnok(s)


def text_to_mailaddr(text: str) -> tuple[str, str] | None:
    """(user, domain) split at the last "@"; None when a part does not fit its buffer."""
    if len(text) >= LINE_MAX:
        return None
    user, at, domain = text.rpartition("@")
    if not at:
        user, domain = text, ""
    if len(user) >= MAXPART or len(domain) >= MAXPART:
        return None
    return user, domain


def smtp_mailaddr(arg: str, mail_from: bool, host: str) -> tuple[str, str, str] | None:
    """``<address>`` then parameters: (user, domain, the text after ">" and its spaces), or None
    for "553/501 ... address syntax error".  A source route ``@a,@b:`` is dropped, a missing
    domain is the server's own name, ``<>`` is the null sender (MAIL only)."""
    if not arg.startswith("<"):
        return None
    end = arg.find(">")
    if end < 0:
        return None
    parsed = text_to_mailaddr(arg[1:end])
    if parsed is None:
        return None
    user, domain = parsed
    rest = arg[end + 1 :].lstrip(" ")
    if ":" in user:
        user = user.split(":", 1)[1]
    if mail_from and not user and not domain:
        return "", "", rest
    if not user or not valid_localpart(user):
        return None
    if not domain:
        domain = host
    if not valid_domainpart(domain):
        return None
    return user, domain, rest


def b64_pton(text: str, size: int) -> bytes | None:
    """OpenBSD's ``b64_pton()``: white space anywhere is skipped, padding must be exact, the
    bits past the last octet must be zero; None (-1) also when more than ``size`` octets."""
    s = "".join(c for c in text if c not in C_SPACE)
    body, eq, pad = s.partition("=")
    if any(c not in _B64 for c in body):
        return None
    rem = len(body) % 4
    if not eq:
        if rem:
            return None
    elif (rem, "=" + pad) not in ((2, "=="), (3, "=")):
        return None
    elif body[-1] not in ("AQgw" if rem == 2 else "AEIMQUYcgkosw048"):
        return None  # the "extra" bits are not zero
    data = binascii.a2b_base64(body + "=" * (-len(body) % 4)) if body else b""
    return None if len(data) > size else data


def cstr(data: bytes) -> str:
    """A decoded buffer read as a C string: up to its first NUL, latin-1."""
    return data.split(b"\0", 1)[0].decode("latin-1")
