"""Shared pieces of the golden-transcript cases (lines, credentials, message)."""

from __future__ import annotations

import base64


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
