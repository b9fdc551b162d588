"""How Sendmail 8.17 reads the arguments of MAIL and RCPT: ``skipword()`` and
``parse_esmtp_args()`` (srvrsmtp.c), ``prescan()`` (parseaddr.c) and the canonical form the
rulesets of Debian's ``sendmail.cf`` give an address (``canonify``, ``Parse0``: RFC 5321 §4.1.2,
RFC 5322 §3.4).  Errors are :class:`AddressError` with the catalogue template and its fields; the
personality renders them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...replies import T
from .replies import SendmailReplies as R

C_SPACE = " \t\n\v\f\r"  # isspace() in the "C" locale
MAXNAME = 256  # sendmail.h: longest token prescan() takes
MAXSHORTSTR = 203  # sendmail.h: shortenstring() limit in replies
_CLOSES = {")": "(", ">": "<"}


class AddressError(Exception):
    """A refusal: the catalogue template and the fields that fill it."""

    def __init__(self, tmpl: T, **fields: str) -> None:
        super().__init__(tmpl.code)
        self.tmpl, self.fields = tmpl, fields


def shorten(s: str, m: int = MAXSHORTSTR) -> str:
    """``shortenstring()`` (util.c): a string of m or more characters keeps its two ends."""
    if len(s) < m:
        return s
    half = (m - 3) // 2
    return s[:half] + "..." + s[len(s) - half :]


_WORD = {w: re.compile(w + r"[ \t]*:[ \t]*(?=[^ \t\n\v\f\r])", re.IGNORECASE) for w in ("from", "to")}


def skipword(arg: str, word: str) -> str:
    """``skipword()``: ``word`` (any case), optional spaces, ``:``, optional spaces; returns the
    rest, which must not be empty (501 otherwise, quoting the word as scanned)."""
    m = _WORD[word].match(arg)
    if m:  # the common case
        return arg[m.end() :]
    p = arg.lstrip(C_SPACE)
    i = 0
    while i < len(p) and p[i] != ":" and p[i] not in C_SPACE:
        i += 1
    scanned = p[:i]
    j = i
    while j < len(p) and p[j] in C_SPACE:
        j += 1
    if j >= len(p) or p[j] != ":":
        raise AddressError(R.S501_SYNTAX_SCANNING, text=shorten(scanned))
    rest = p[j + 1 :].lstrip(C_SPACE)
    if not rest or scanned.lower() != word:
        raise AddressError(R.S501_SYNTAX_SCANNING, text=shorten(scanned))
    return rest


def prescan(text: str) -> tuple[str, str]:
    """Split the address (up to a space outside quotes, comments and angle brackets) from the
    ESMTP parameters, checking the balance of ``<>``, ``()`` and quotes and the token length."""
    depth = {"(": 0, "<": 0}  # comments, angle brackets
    quoted = escaped = False
    token = 0
    i = 0
    while i < len(text):
        c = text[i]
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif quoted:
            quoted = c != '"'
        elif c == '"':
            quoted = True
        elif c in _CLOSES and (c == ")" or not depth["("]):
            if depth[_CLOSES[c]] <= 0:
                raise AddressError(R.S553_UNBALANCED, addr=shorten(text), char=c)
            depth[_CLOSES[c]] -= 1
        elif c in depth and (c == "(" or not depth["("]):
            depth[c] += 1
        elif c == " " and not depth["("] and depth["<"] <= 0:
            break
        token = 0 if (c in '<>@,;:."[] \t' and not quoted) else token + 1
        if token > MAXNAME:
            raise AddressError(R.S553_TOKEN_TOO_LONG, addr=shorten(text))
        i += 1
    for still_open, char in ((quoted, '"'), (depth["("], "("), (depth["<"], "<")):
        if still_open:
            raise AddressError(R.S553_UNBALANCED, addr=shorten(text), char=char)
    return text[:i], text[i:]


@dataclass(frozen=True)
class Address:
    """An address as the rulesets see it: ``printed`` as the client wrote it (replies quote it),
    ``local`` and ``domain`` after canonify (route and brackets gone; no domain: ``""``)."""

    printed: str
    local: str
    domain: str

    @property
    def empty(self) -> bool:
        return not self.local and not self.domain

    @property
    def plain(self) -> str:
        """``$&f``: the address without brackets."""
        return f"{self.local}@{self.domain}" if self.domain else self.local


def _strip_comments(s: str) -> str:
    out, depth, quoted = [], 0, False
    for c in s:
        if c == '"' and not depth:
            quoted = not quoted
        if not quoted and c == "(":
            depth += 1
        elif not quoted and c == ")" and depth:
            depth -= 1
        elif not depth:
            out.append(c)
    return "".join(out)


def canonical(printed: str) -> Address:
    """canonify (ruleset 3): the innermost ``<...>``, no comments, no source route; then Parse0:
    ``<@domain>`` wants a user, ``user@`` a host name (553 5.1.3)."""
    s = _strip_comments(printed).strip(C_SPACE)
    while "<" in s and ">" in s[s.index("<") :]:
        s = s[s.index("<") + 1 : s.rindex(">")].strip(C_SPACE)
    if s.startswith("@") and ":" in s:  # RFC 5321 §4.1.2 source route: dropped
        s = s[s.rindex(":") + 1 :]
    if not s:
        return Address(printed, "", "")
    at = _last_at(s)
    if at < 0:
        return Address(printed, s, "")
    local, domain = s[:at].strip(C_SPACE), s[at + 1 :].strip(C_SPACE)
    if not local:
        raise AddressError(R.S553_USER_ADDRESS_REQUIRED, addr=shorten(printed))
    if not domain:
        raise AddressError(R.S553_HOSTNAME_REQUIRED, addr=shorten(printed))
    return Address(printed, local, domain)


def _last_at(s: str) -> int:
    quoted, at = False, -1
    for i, c in enumerate(s):
        if c == '"':
            quoted = not quoted
        elif c == "@" and not quoted:
            at = i
    return at


def esmtp_args(rest: str) -> list[tuple[str, str | None]]:
    """``parse_esmtp_args()``: keyword (letters, digits, ``-``), then ``=value`` up to a space,
    a control character or ``=``; the character after each is dropped."""
    out: list[tuple[str, str | None]] = []
    i, n = 0, len(rest)
    while i < n:
        while i < n and rest[i] in C_SPACE:
            i += 1
        if i >= n:
            break
        k = i
        while i < n and ((rest[i].isascii() and rest[i].isalnum()) or rest[i] == "-"):
            i += 1
        key, value = rest[k:i], None
        if i < n and rest[i] == "=":
            i += 1
            v = i
            while i < n and rest[i] != " " and not (rest[i] < " " or rest[i] == "\x7f") and rest[i] != "=":
                i += 1
            value = rest[v:i]
        if i < n:
            i += 1
        out.append((key, value))
    return out


# "<local@domain>" of letters, digits and ._+- only, then the end or a space: nothing for prescan()
# or canonify to change, the common case read in one step
_PLAIN = re.compile(r"<([A-Za-z0-9._+-]{1,64})@([A-Za-z0-9.-]{1,190})>(?= |$)")


def read_address(text: str) -> tuple[str, str, Address]:
    """The address as written, the ESMTP parameters after it and its canonical form."""
    m = _PLAIN.match(text)
    if m and not m.group(2).startswith("."):
        printed = m.group(0)
        return printed, text[m.end() :], Address(printed, m.group(1), m.group(2))
    printed, rest = prescan(text)
    return printed, rest, canonical(printed)
