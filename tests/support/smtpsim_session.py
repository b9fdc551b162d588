"""Dialogue helper: talk to a fresh simulated server, one line (or one pipelined group) at a time."""

from __future__ import annotations

import base64
import os
import re
from typing import Any

from smtpsim import Connection, server_config_from_dict
from smtpsim.registry import REGISTRY, names

PLAIN_OK = base64.b64encode(b"\0alice@example.net\0s3cret").decode()
PLAIN_BAD = base64.b64encode(b"\0alice@example.net\0wrong").decode()
WELL_FORMED = re.compile(r"^[2-5]\d\d[ -]")
#: Limits the registry-parametrised tests to these personalities (comma-separated names): the
#: copy-a-personality proof (test_new_personality.py) runs them on its new personality only.
ONLY = "SMTPSIM_TEST_SOFTWARE"


def registered() -> tuple[str, ...]:
    """The personalities the registry-parametrised tests run on: all, or those of $SMTPSIM_TEST_SOFTWARE."""
    only = [n for n in os.environ.get(ONLY, "").split(",") if n]
    unknown = sorted(set(only) - set(names()))
    if unknown:
        raise LookupError(f"${ONLY}: {unknown} not in the registry {names()}")
    return tuple(n for n in names() if not only or n in only)


def server(software: str = "exim", **kw: Any) -> dict[str, Any]:
    """A server mapping: TLS and AUTH offered, or the nearest setting the personality reproduces
    (OpenSMTPD offers AUTH only inside TLS: ``tls-only``); ``kw`` overrides."""
    supported = REGISTRY[software].settings if software in REGISTRY else {}
    d: dict[str, Any] = {
        "software": software,
        "hostname": "mail.example.net",
        "local_domains": ["example.net"],
        "tls": "offered",
        "auth": "offered" if "offered" in supported.get("auth", ("offered",)) else "tls-only",
        "users": {"alice@example.net": "s3cret"},
    }
    d.update(kw)
    return d


def connect(
    software: str = "exim", client_ip: str = "192.0.2.10", client_tls: bool = False, **kw: Any
) -> Connection:
    conn = Connection(server_config_from_dict(server(software, **kw)), client_ip, client_tls)
    conn.start()
    return conn


def talk(lines: list[str | list[str]], software: str = "exim", **kw: Any) -> list[tuple[str, ...]]:
    """Reply wire lines: [greeting, then one per client line]; a nested list is one write."""
    client = {k: kw.pop(k) for k in ("client_ip", "client_tls") if k in kw}
    conn = Connection(server_config_from_dict(server(software, **kw)), **client)
    out: list[tuple[str, ...]] = [conn.start().lines]
    for item in lines:
        group = item if isinstance(item, list) else [item]
        exchanges = conn.receive_data(b"".join(x.encode("latin-1") + b"\r\n" for x in group))
        out += [ex.wire for ex in exchanges] + [()] * (len(group) - len(exchanges))
    return out


def assert_well_formed(lines: tuple[str, ...], max_len: int = 512) -> None:
    """RFC 5321 §4.2: 3 digits, '-' on every line but the last, one code, short lines."""
    assert lines, "empty reply"
    codes = {ln[:3] for ln in lines}
    assert len(codes) == 1, lines
    for i, ln in enumerate(lines):
        assert WELL_FORMED.match(ln), ln
        assert ln[3] == ("-" if i < len(lines) - 1 else " "), lines
        assert len(ln.encode("latin-1")) + 2 <= max_len, ln[:80]
