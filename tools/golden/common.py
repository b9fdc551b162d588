"""Shared pieces of the golden-transcript cases (lines, credentials, message)."""

from __future__ import annotations

import base64
from typing import Any


def b64(text: str) -> str:
    """Base64 of a latin-1 string (RFC 4648 §4), as AUTH responses carry it (RFC 4954 §4)."""
    return base64.b64encode(text.encode("latin-1")).decode("ascii")


USERS = {"testuser": "testpass"}
PLAIN_OK = b64("\0testuser\0testpass")  # RFC 4616 §2: authzid NUL authcid NUL passwd
PLAIN_BAD = b64("\0testuser\0wrongpass")
EHLO = "EHLO laptop.example"
SENDER = "MAIL FROM:<alice@example.com>"
REMOTE = "RCPT TO:<bob@example.net>"
MESSAGE = [
    "From: alice@example.com",
    "To: bob@example.net",
    "Subject: golden test",
    "",
    "Hello.",
    "..a line that began with a dot (dot-stuffed, RFC 5321 4.5.2)",
    ".",
]


def repeat(line: str, n: int) -> list[str]:
    """n copies of a line, for 'repeat until the server disconnects' cases."""
    return [line] * n


def bdat(chunk: str, last: bool = True) -> dict[str, str]:
    """A BDAT step (RFC 3030 §2) whose size is the chunk's octet count."""
    return {"send": f"BDAT {len(chunk.encode('latin-1'))}{' LAST' if last else ''}", "chunk": chunk}


BDAT_NOTE = "The BDAT step's 'chunk' holds the exact octets written right after the command line."


def bdat_big(limit: int, last: bool) -> dict[str, Any]:
    """A BDAT step whose chunk is just over a ``limit``-octet message_size_limit (RFC 3030 §2, RFC 1870)."""
    rep = {"prefix": "Subject: big\r\n\r\n", "char": "x", "count": limit, "suffix": "\r\n"}
    size = len(rep["prefix"]) + limit + len(rep["suffix"])
    return {"send": f"BDAT {size}{' LAST' if last else ''}", "chunk_repeat": rep}


def tailor(
    cases: list[dict[str, Any]],
    *,
    drop: tuple[str, ...] = (),
    rename: dict[str, str] | None = None,
    describe: dict[str, str] | None = None,
    notes: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """A family's cases as one server's recordings know them.

    ``drop``: cases the server records as its own dialogue (or not at all); ``rename``,
    ``describe``, ``notes``: the name, description and notes its golden files carry, keyed by the
    family's name.  Every name given must be one of the family's, so a typo cannot leave a case as
    it was without a word.
    """
    rename, describe, notes = rename or {}, describe or {}, notes or {}
    unknown = ({*drop} | rename.keys() | describe.keys() | notes.keys()) - {c["name"] for c in cases}
    if unknown:
        raise KeyError(f"not cases of this family: {sorted(unknown)}")
    out = []
    for c in cases:
        name = c["name"]
        if name in drop:
            continue
        c = {**c, "name": rename.get(name, name), "description": describe.get(name, c["description"])}
        if name in notes:
            c["notes"] = notes[name]
        out.append(c)
    return out
