"""Postfix 3.7's reading of MAIL/RCPT arguments: ``smtpd_token.c``, ``tok822_parse.c`` and
``extract_addr()`` in ``smtpd.c``.

1. The command line is split into tokens at white space; ``<...>`` and ``"..."`` (nested, with
   backslash escapes) stay one token, and ``FROM:``/``TO:`` end a token at their colon.  An
   unclosed ``<`` or ``"`` marks the token as an error.
2. The address token loses ONE pair of outer angle brackets, then goes through the RFC 822
   parser, which groups tokens into addresses right to left and adds missing commas
   (``<a>x`` and ``post master`` are two addresses).  More than one address, an empty
   recipient, or a domain missing after ``@`` is "Bad ... address syntax" (RFC 5321 §4.1.2 is
   not enforced: ``strict_rfc821_envelopes = no``).
"""

from __future__ import annotations

import functools
import re

SPACE = " \t\n\v\f\r"  # isspace() in the C locale
SPECIALS = '()<>@,;:\\".[]'  # LEX_822_SPECIALS
OPCHAR = "|%!" + SPECIALS
WORDS = ("ATOM", "QSTRING", "DOMLIT")
# runs of characters the loops below only copy (read in one step instead of one by one)
_PLAIN = re.compile(r'[^ \t\n\v\f\r<":\\]+')  # smtpd_token(): no space, quote, colon or escape
_QUOTED_PLAIN = {">": re.compile(r'[^\\"<>]+'), '"': re.compile(r'[^\\"]+')}  # smtp_quoted()
# the everyday shapes, answered without the general loops (test_server_postfix.py: the same result)
_SIMPLE_ARG = re.compile(r'((?i:from|to):)(<[^ \t\n\v\f\r<>"\\]*>)\Z')  # FROM:<...>, nothing after
_SIMPLE_ADDR = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\Z")
_NEEDS_QUOTE = re.compile(r'[\x00-\x20\x7f|%!()<>@,;:\\".\[\]]')  # tok822_scan(): not an atom


def smtpd_tokens(text: str) -> list[tuple[str, bool]]:
    """smtpd_token(): (token, is_error) for each token of ``text``."""
    if (m := _SIMPLE_ARG.match(text)) is not None:
        return [(m.group(1), False), (m.group(2), False)]
    return smtpd_tokens_general(text)


def smtpd_tokens_general(text: str) -> list[tuple[str, bool]]:
    """smtpd_token()'s loop, character by character (every shape of argument)."""
    out: list[tuple[str, bool]] = []
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in SPACE:
            i += 1
        if i >= n:
            return out
        tok: list[str] = []
        error = False
        while i < n:
            c = text[i]
            i += 1
            if c in SPACE:
                if tok:
                    break
            elif (m := _PLAIN.match(text, i - 1)) is not None:
                tok.append(m.group())
                i = m.end()
            elif c in '<"':
                i, error = _quoted(text, i, tok, c, ">" if c == "<" else c)
            elif c == ":":
                tok.append(c)
                if "".join(tok).lower() in ("to:", "from:"):
                    break
            else:
                if c == "\\":
                    tok.append(c)
                    if i >= n:
                        break
                    c = text[i]
                    i += 1
                tok.append(c)
        out.append(("".join(tok), error))


def _quoted(text: str, i: int, tok: list[str], start: str, last: str) -> tuple[int, bool]:
    """smtp_quoted(): copy up to the matching ``last``; True if the input ended first."""
    stack = [last]
    tok.append(start)
    n = len(text)
    while i < n:
        if (m := _QUOTED_PLAIN[stack[-1]].match(text, i)) is not None:
            tok.append(m.group())
            i = m.end()
            continue
        c = text[i]
        i += 1
        tok.append(c)
        if c == "\\":
            if i >= n:
                break
            tok.append(text[i])
            i += 1
        elif c == stack[-1]:
            if len(stack) == 1:
                return i, False
            stack.pop()
        elif c == '"':
            stack.append('"')
        elif c == "<" and stack[-1] == ">":
            stack.append(">")
    return i, True


def _collect(s: str, i: int, stop: str, space_ends: bool) -> tuple[str, int]:
    """COLLECT(): characters up to one in ``stop`` (backslash escapes), white space as ' '."""
    out = []
    plain = _collect_plain(stop, space_ends)
    while i < len(s):
        if (m := plain.match(s, i)) is not None:
            out.append(m.group())
            i = m.end()
            continue
        c = s[i]
        if c == "\\":
            i += 1
            if i >= len(s):
                break
            c = s[i]
        elif c in stop or (space_ends and c in " \t\r\n"):
            break
        out.append(" " if c in " \t\r\n" else c)
        i += 1
    return "".join(out), i


@functools.cache
def _collect_plain(stop: str, space_ends: bool) -> re.Pattern[str]:
    """COLLECT()'s runs of characters copied as they are (no escape, stop or white space)."""
    return re.compile(f"[^{re.escape(stop)}\\\\ \t\r\n]+")


def tok822_scan(s: str) -> list[tuple[str, str]]:
    """tok822_scan(): (type, text); comments are dropped (the parser moves them aside)."""
    toks: list[tuple[str, str]] = []
    i = 0
    while i < len(s):
        c = s[i]
        i += 1
        if c in " \t\r\n":
            continue
        if c == "(":
            level = 1
            while i < len(s) and level:
                level += {"(": 1, ")": -1}.get(s[i], 0)
                i += 2 if s[i] == "\\" else 1
        elif c in '["':
            text, i = _collect(s, i, "]" if c == "[" else '"', False)
            i += 1  # COLLECT_SKIP_LAST
            toks.append(("DOMLIT" if c == "[" else "QSTRING", text))
        elif c != "\\" and c in OPCHAR:
            toks.append((c, c))
        else:
            text, i = _collect(s, i - 1, OPCHAR.replace("\\", ""), True)
            quote = _NEEDS_QUOTE.search(text) is not None
            toks.append(("QSTRING" if quote else "ATOM", text))
    return toks


Node = tuple[str, object]  # (type, text) or ("ADDR", [children])


def tok822_parse(s: str) -> list[Node]:
    """tok822_parse(): group the tokens into addresses, right to left, adding missing commas."""
    seq: list[Node] = [("", ""), *tok822_scan(s), ("", "")]  # sentinels

    def group(left: int, right: int, comma: bool) -> int:
        if left != right and left + 1 != right:
            seq[left + 1 : right] = [(",", ",")] * comma + [("ADDR", seq[left + 1 : right])]
        return left

    do_word, do_group = 1, 2
    state, right, tp = do_word, len(seq) - 1, len(seq) - 2
    while seq[tp][0]:
        t = seq[tp][0]
        if t == ";":
            right = group(tp, right, True)
            state = do_group | do_word
        elif t == ":" and state & do_group:
            seq[tp] = ("STARTGRP", ":")
            group(tp, right, False)
            while seq[tp][0] and seq[tp][0] != ",":
                tp -= 1
            right = tp
            continue
        elif t == ">":
            right = group(tp, right, True)
            while seq[tp][0] and seq[tp][0] != "<":
                tp -= 1
            group(tp, right, False)
            while seq[tp][0] and seq[tp][0] not in (">", ";", ",", ":"):
                tp -= 1
            right = tp
            state |= do_word
            continue
        elif t in WORDS:
            if not state & do_word:
                right = group(tp, right, True) + 1
            state &= ~do_word
        elif t == ",":
            right = group(tp, right, False)
            state |= do_word
        else:
            state |= do_word
        tp -= 1
    group(tp, right, False)
    return seq[1:-1]


def internalize(nodes: object) -> str:
    """tok822_internalize() of an address's tokens (no spaces inside an address)."""
    out = []
    for typ, text in nodes:
        if typ == "ADDR":
            out.append(internalize(text))
        elif typ == "DOMLIT":
            out.append(f"[{text}]")
        else:
            out.append(str(text))
    return "".join(out)


def extract_addr(token: str, allow_empty: bool) -> str | None:
    """extract_addr(): the internal-form address, or None for "Bad ... address syntax"."""
    if len(token) >= 2 and token[0] == "<" and token[-1] == ">":
        token = token[1:-1]
    if _SIMPLE_ADDR.match(token):  # dot-separated atoms, one @: the parser returns it as it is
        return token
    return extract_addr_general(token, allow_empty)


def extract_addr_general(token: str, allow_empty: bool) -> str | None:
    """extract_addr() through the RFC 822 parser, for any token (outer brackets already gone)."""
    addrs = [text for typ, text in tok822_parse(token) if typ == "ADDR"]
    if len(addrs) > 1:
        return None
    addr = internalize(addrs[-1]) if addrs else ""
    if (not addr and not allow_empty) or addr.endswith("@"):  # trivial-rewrite: no domain after @
        return None
    return addr


def strip_route(addr: str) -> str:
    """``@a,@b:user@domain`` -> ``user@domain`` (RFC 5321 §4.1.2 source route, ignored)."""
    if addr.startswith("@") and ":" in addr:
        return addr.rsplit(":", 1)[1]
    return addr
