"""Exim's address parser (``parse.c``: ``parse_extract_address``) and MAIL/RCPT option
splitter (``smtp_in.c``: ``extract_option``), ported closely enough that the error texts
and the odd corner cases (a RCPT option put back as ``=``) match the real server.
Address syntax is RFC 5321 §4.1.2 / RFC 5322 §3.4 as Exim reads it (liberally).
"""

from __future__ import annotations

import ipaddress
import re

from ...personality import C_SPACE
from ...replies import T
from .replies import EximReplies as R

SPECIALS = '()<>@,;:\\".[]'
ADDRESS_MAXLENGTH = 512
_HELO_CHARS = re.compile(r"[A-Za-z0-9.-]+\Z")


class AddressError(ValueError):
    pass


def _c(s: str, i: int) -> str:
    return s[i] if i < len(s) else ""


def _cntrl_or_special(c: str) -> bool:
    return c == "" or ord(c) < 33 or ord(c) == 127 or c in SPECIALS


def _isalnum(c: str) -> bool:
    return c != "" and c.isascii() and c.isalnum()


def _skip(s: str, i: int) -> int:
    """skip_comment(): white space and (nested) comments."""
    while True:
        while _c(s, i) != "" and _c(s, i) in C_SPACE:
            i += 1
        if _c(s, i) != "(":
            return i
        depth = 0
        while i < len(s):
            if s[i] == "\\" and i + 1 < len(s):
                i += 2
                continue
            depth += {"(": 1, ")": -1}.get(s[i], 0)
            i += 1
            if depth == 0:
                break


def _local_part(s: str, i: int, allow_null: bool) -> tuple[str, int]:
    t = ""
    while True:
        before = len(t)
        i = _skip(s, i)
        if _c(s, i) == '"':
            t += '"'
            i += 1
            while _c(s, i) not in ("", '"'):
                t += s[i]
                if s[i] == "\\" and _c(s, i + 1):
                    i += 1
                    t += s[i]
                i += 1
            if _c(s, i) != '"':
                raise AddressError("unmatched doublequote in local part")
            i += 1
            t += '"'
        else:
            while not _cntrl_or_special(_c(s, i)) or _c(s, i) == "\\":
                ch = s[i]
                t += ch
                i += 1
                if ch == "\\" and _c(s, i):
                    t += s[i]
                    i += 1
        i = _skip(s, i)
        if len(t) == before and _c(s, i) != ".":
            if not t and not allow_null:
                raise AddressError("missing or malformed local part")
            return t, i
        if _c(s, i) != ".":
            return t, i
        while _c(s, i) == ".":
            t += "."
            i += 1


def _domain(s: str, i: int) -> tuple[str, int]:
    if _c(s, i) == "[":  # Debian leaves allow_domain_literals unset (parse.c read_domain)
        raise AddressError("domain literals not allowed")
    t = ""
    while True:
        start = len(t)
        if _c(s, i) != "-":
            while _isalnum(_c(s, i)) or _c(s, i) == "-":
                t += s[i]
                i += 1
        i = _skip(s, i)
        if len(t) == start:
            raise AddressError("domain missing or malformed")
        if _c(s, i) != ".":
            return t, i
        t += "."
        i = _skip(s, i + 1)


def _addr_spec(s: str, i: int, term: str) -> tuple[str, str | None, int]:
    lp, i = _local_part(s, i, False)
    if _c(s, i) == term:
        return lp, None, i
    if _c(s, i) != "@":
        raise AddressError(f'"@" or "." expected after "{lp}"')
    dom, i = _domain(s, i + 1)
    return lp, dom, i


def _route(s: str, i: int) -> int:
    commas = False
    while _c(s, i) == "@":
        _, i = _domain(s, i + 1)
        if _c(s, i) != ",":
            break
        i = _skip(s, i + 1)
        commas = True
    if _c(s, i) != ":":
        raise AddressError("colon expected after route list" if commas else "no local part")
    return _skip(s, i + 1)


_ATOM = r'[^\x00-\x20\x7f()<>@,;:\\".\[\]]+'
_LABEL = r"[A-Za-z0-9][A-Za-z0-9-]*"
_SIMPLE = re.compile(rf"<?({_ATOM}(?:\.{_ATOM})*)@({_LABEL}(?:\.{_LABEL})*)>?")


def parse_extract_address(mailbox: str, allow_null: bool) -> tuple[str, str | None]:
    """Return (address, domain or None); raise AddressError with Exim's text."""
    m = _SIMPLE.fullmatch(mailbox)
    if m and (mailbox[0] == "<") == (mailbox[-1] == ">") and len(mailbox) <= ADDRESS_MAXLENGTH:
        return f"{m.group(1)}@{m.group(2)}", m.group(2)  # the common case, same result
    s = mailbox
    i = _skip(s, 0)
    start = i
    lp, i = _local_part(s, i, True)
    domain: str | None = None
    if _c(s, i) not in ("@", "<"):
        if _c(s, i) in ("", ";"):
            if not lp:
                raise AddressError("empty address")
            return _finish(s, lp, None, start, len(s.rstrip(C_SPACE)), i)
        while _c(s, i) != "<":
            try:
                _, i = _local_part(s, i, False)
            except AddressError as e:
                raise AddressError(f'{e} (expected word or "<")') from None
    if _c(s, i) == "<":
        i += 1
        start = i
        i = _skip(s, i)
        routed = False
        if _c(s, i) == "@":
            i = _route(s, i)
            routed = True
        if allow_null and not routed and _c(s, i) == ">":
            address = ""
        else:
            lp, domain, i = _addr_spec(s, i, ">")
            if routed and domain is None:
                raise AddressError("domain missing in source-routed address")
            address = lp if domain is None else f"{lp}@{domain}"
        end = i
        if _c(s, i) != ">":
            if _c(s, i) == "":
                raise AddressError("'>' missing at end of address")
            raise AddressError(f"malformed address: {s[i : i + 32]} may not follow {s[:i]}")
        i = _skip(s, i + 1)
        return _finish(s, address, domain, start, end, i)
    if not lp:
        i = _route(s, i)
        lp, domain, i = _addr_spec(s, i, "")
        if domain is None:
            raise AddressError("domain missing in source-routed address")
        return _finish(s, f"{lp}@{domain}", domain, start, len(s[:i].rstrip(C_SPACE)), i)
    domain, i = _domain(s, i + 1)
    return _finish(s, f"{lp}@{domain}", domain, start, len(s[:i].rstrip(C_SPACE)), i)


def _finish(s: str, address: str, domain: str | None, start: int, end: int, i: int) -> tuple[str, str | None]:
    if _c(s, i) not in ("", ";"):
        raise AddressError(f"malformed address: {s[i : i + 32]} may not follow {s[:i]}")
    if end - start > ADDRESS_MAXLENGTH:
        raise AddressError(f"address is ridiculously long: {address[:64]}...")
    return address, domain


def extract_option(buf: list[str]) -> tuple[int, int] | None:
    """Port of ``extract_option``: split the last ``NAME=VALUE`` (or bare word) off ``buf``.

    ``buf`` holds the command argument as characters; like the C code it is cut with NUL
    markers ("\\0") and the caller puts characters back.  Returns (name index, value index).
    """
    v = len(buf) - 1
    while v > 0 and buf[v] in C_SPACE:
        v -= 1
    del buf[v + 1 :]
    while v > 0 and buf[v] != "=" and buf[v] not in C_SPACE:
        if buf[v] == '"':
            v -= 1
            while buf[v] != '"' and v > 1:
                v -= 1
        v -= 1
    n = v
    if buf[v] == "=":
        while n > 0 and buf[n - 1].isascii() and buf[n - 1].isalpha():
            n -= 1
        if n == 0 or buf[n - 1] not in C_SPACE:
            return None
        buf[n - 1] = "\0"
    else:
        n += 1
        if v == 0:
            return None
    buf[v] = "\0"
    return n, v + 1


def cstr(buf: list[str], i: int = 0) -> str:
    """The C string starting at ``i`` (up to the first NUL)."""
    s = "".join(buf[i:])
    return s.split("\0", 1)[0]


def check_helo(arg: str) -> bool:
    """check_helo(): a domain of letters, digits, dots, hyphens, or an IP literal."""
    if arg.startswith("["):
        if not arg.endswith("]"):
            return False
        inner = arg[1:-1]
        for prefix in ("IPv6:", "IPv4:"):
            if inner[:5].lower() == prefix.lower():
                inner = inner[5:]
        try:
            ipaddress.ip_address(inner)
            return True
        except ValueError:
            return False
    return _HELO_CHARS.match(arg) is not None


_STRTOUL = re.compile(r"[ \t\n\v\f\r]*([+-]?[0-9]+)")  # what strtoul() reads to the end


class OptionRefused(ValueError):
    """A MAIL option Exim refuses with a 501 (``template``), counted as a syntax error."""

    def __init__(self, template: T) -> None:
        super().__init__(template.reason)
        self.template = template


def may_have_option(arg: str) -> bool:
    """extract_option() can only split something off after white space."""
    return " " in arg or "\t" in arg or "\v" in arg or "\f" in arg


def mail_options(arg: str, esmtp: bool) -> tuple[str, int, bool]:
    """smtp_in.c's MAIL option loop (RFC 1869 SIZE, RFC 6152 BODY, PRDR): the address part left,
    the declared SIZE (-1: none) and whether PRDR was asked for."""
    buf = list(arg) if esmtp and may_have_option(arg) else None
    size, prdr = -1, False
    while buf and (opt := extract_option(buf)):
        name, value = cstr(buf, opt[0]), cstr(buf, opt[1])
        key = name.upper()
        # a known option that needs a value but has none, or a SIZE that is not a number,
        # ends the loop WITHOUT putting the separators back: the rest is dropped
        if key in ("SIZE", "BODY", "AUTH", "RET", "ENVID") and value == "":
            break
        if key == "SIZE":
            if not (m := _STRTOUL.fullmatch(value)):
                break
            n = int(m.group(1))  # strtoul: a negative number wraps to a huge one; capped at INT_MAX
            size = n if 0 <= n < 2**31 else 2**31 - 1
        elif key == "BODY" and value.upper() in ("8BITMIME", "7BIT"):
            pass
        elif key == "BODY":
            raise OptionRefused(R.S501_BODY)
        elif key == "PRDR":
            prdr = True
        elif key == "SMTPUTF8":  # Debian's Exim has SUPPORT_I18N; SMTPUTF8 is not advertised
            raise OptionRefused(R.S501_SMTPUTF8)
        elif key not in ("AUTH", "RET", "ENVID"):
            buf[opt[1] - 1] = "="
            buf[opt[0] - 1] = " "
            break
    return (cstr(buf) if buf else arg), size, prdr
