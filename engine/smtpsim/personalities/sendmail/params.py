"""The ESMTP parameters of MAIL and RCPT as Sendmail 8.17 checks them: ``mail_esmtp_args()`` and
``rcpt_esmtp_args()`` (srvrsmtp.c) for SIZE (RFC 1870), BODY (RFC 6152), ENVID, RET, NOTIFY and
ORCPT (RFC 3461), AUTH= (RFC 4954 §5) and BY (RFC 2852).  A refusal is an
:class:`~smtpsim.personalities.sendmail.address.AddressError` carrying the catalogue template.
"""

from __future__ import annotations

from .address import C_SPACE, AddressError
from .replies import SendmailReplies as R

LONG_MAX = 2**63 - 1


def xtext_ok(s: str) -> bool:
    """``xtextok()``: RFC 3461 §4 xtext (printable ASCII but ``=``; ``+`` then two upper-case hex)."""
    i = 0
    while i < len(s):
        c = s[i]
        if c == "+":
            if len(s) < i + 3 or any(h not in "0123456789ABCDEF" for h in s[i + 1 : i + 3]):
                return False
            i += 3
            continue
        if not ("!" <= c <= "~") or c == "=":
            return False
        i += 1
    return True


def strtol(s: str) -> int:
    """C ``strtol(s, NULL, 10)``: leading spaces, a sign, digits; nothing readable is 0."""
    s = s.lstrip(C_SPACE)
    sign = -1 if s[:1] == "-" else 1
    s = s[1:] if s[:1] in "+-" else s
    digits = ""
    for c in s:
        if not ("0" <= c <= "9"):
            break
        digits += c
    return sign * int(digits) if digits else 0


def mail_param(key: str, value: str | None, seen: set[str]) -> None:
    """mail_esmtp_args() (RFC 1870, 6152, 3461, 4954 §5, 2852)."""
    k = key.lower()
    if k in ("size", "body", "envid", "ret", "auth", "by") and value is None:
        name = {"auth": "AUTH=", "by": "BY="}.get(k, k.upper())
        raise AddressError(R.S501_REQUIRES_VALUE, param=name)
    if k in ("envid", "ret", "auth"):
        if k in seen:
            raise AddressError(R.S501_DUPLICATE, param=k.upper())
        seen.add(k)
    if k == "size":
        n = strtol(value or "")
        if n > LONG_MAX:
            raise AddressError(R.S552_SIZE_TOO_BIG)
        if n < 0:
            raise AddressError(R.S552_SIZE_INVALID)
    elif k == "body":
        if (value or "").lower() not in ("7bit", "8bitmime"):
            raise AddressError(R.S501_UNKNOWN_BODY, value=value or "")
    elif k in ("envid", "auth"):
        if not xtext_ok(value or ""):
            raise AddressError(R.S501_PARAM_SYNTAX, param=k.upper())
    elif k == "ret":
        if (value or "").lower() not in ("full", "hdrs"):
            raise AddressError(R.S501_BAD_RET, value=value or "")
    elif k == "by":
        by_param(value or "")
    else:
        raise AddressError(R.S555_UNRECOGNIZED_PARAM, param=key)


def by_param(value: str) -> None:
    """RFC 2852 §4: ``BY=<seconds>;<R|N>[T]``."""
    time, semi, mode = value.partition(";")
    if not semi:
        raise AddressError(R.S501_BY_SEMICOLON)
    if mode[:1].upper() not in ("R", "N"):
        raise AddressError(R.S501_BY_MODE, char=mode[:1])
    if mode[:1].upper() == "R" and strtol(time) <= 0:
        raise AddressError(R.S501_BY_R_TIME)
    if mode[1:2] and mode[1:2].upper() != "T":
        raise AddressError(R.S501_BY_TRACE, char=mode[1:2])


def rcpt_param(key: str, value: str | None, seen: set[str]) -> None:
    """rcpt_esmtp_args() (RFC 3461 §4.1, §4.2)."""
    k = key.lower()
    if k not in ("notify", "orcpt"):
        raise AddressError(R.S555_UNRECOGNIZED_PARAM, param=key)
    if value is None:
        raise AddressError(R.S501_REQUIRES_VALUE, param=k.upper())
    if k == "notify":
        for item in value.split(","):
            if item.lower() not in ("never", "success", "failure", "delay"):
                raise AddressError(R.S501_BAD_NOTIFY, value=item)
        return
    if k in seen:
        raise AddressError(R.S501_DUPLICATE, param="ORCPT")
    seen.add(k)
    kind, semi, xtext = value.partition(";")
    if not semi or not kind or not xtext_ok(xtext):
        raise AddressError(R.S501_PARAM_SYNTAX, param="ORCPT")
