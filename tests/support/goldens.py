"""Replay golden transcripts (recorded from real Exim and Postfix) through the engine.

Golden format (tools/record_golden.py): ``steps`` with ``send`` (``None`` for the greeting),
``reply`` (raw wire lines), optional ``batch`` (size of a pipelined write; consecutive steps),
``send_repeat`` (a long line given as prefix + char * count + suffix), ``chunk`` (BDAT octets
sent right after the command line), ``unsolicited`` (reply lines that arrived later but belong
to this line), ``closed`` (the server hung up after this reply).  The octets are rebuilt with
the recorder's own ``expand``.
Only dates and queue ids are normalised, on both sides: each server's own forms (``Spec.volatile``).
"""

from __future__ import annotations

import functools
import importlib
import json
import re
from pathlib import Path
from typing import Any

from smtpsim import Connection, server_config_from_dict
from smtpsim.personality import DEFAULT_CLIENT_PORT
from smtpsim.registry import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = ROOT / "tests" / "golden"


@functools.cache
def _forms(software: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(rx), placeholder) for rx, placeholder in REGISTRY[software].volatile)


def normalise(line: str, software: str) -> str:
    """*line* with the server's dates and queue ids replaced by placeholders."""
    for rx, repl in _forms(software):
        line = rx.sub(repl, line)
    return line


def golden_files() -> list[Path]:
    return sorted(GOLDEN_DIR.glob("*/*.json"))


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def step_bytes(step: dict[str, Any]) -> bytes:
    """The octets the recorder wrote for this step: its own ``expand`` (one source of truth)."""
    return _recorder().expand(step)[1]


@functools.cache
def _recorder() -> Any:
    return importlib.import_module("record_golden")  # tools/ is on pytest's pythonpath


def expected(golden: dict[str, Any]) -> list[tuple[list[str], bool]]:
    sw = golden["server"]["software"]
    return [
        ([normalise(x, sw) for x in s["reply"] + s.get("unsolicited", [])], bool(s.get("closed")))
        for s in golden["steps"]
    ]


def flat(steps: list[tuple[list[str], bool]]) -> tuple[list[str], bool]:
    """All reply lines in order, and whether the server hung up."""
    return [ln for lines, _ in steps for ln in lines], any(c for _, c in steps)


def replay(golden: dict[str, Any], source: str = "<golden>") -> list[tuple[list[str], bool]]:
    """Feed the golden's client octets, write by write, and collect the replies per step."""
    client = golden.get("client", {})
    implicit_tls = (
        client.get("tls") or golden.get("implicit_tls") or golden.get("recorded", {}).get("implicit_tls")
    )
    conn = Connection(
        server_config_from_dict(golden["server"], source),
        client.get("ip", "127.0.0.2"),
        bool(implicit_tls),
        client_port=client.get("port", DEFAULT_CLIENT_PORT),  # recorded where a reply quotes it
    )
    sw = golden["server"]["software"]
    hello = conn.start()
    out = [([normalise(x, sw) for x in hello.lines], hello.close)]
    steps = golden["steps"][1:]
    i = 0
    while i < len(steps):
        n = steps[i].get("batch", 1)
        group = steps[i : i + n]
        exchanges = conn.receive_data(b"".join(step_bytes(s) for s in group))
        if len(exchanges) > len(group):
            # a send holding bare LFs is several lines for the server: keep the order only
            per_step = [exchanges] + [[] for _ in group[1:]]
        else:
            per_step = [exchanges[j : j + 1] for j in range(len(group))]
        out += [
            (
                [normalise(x, sw) for ex in exs for x in ex.wire],
                any(r.close for ex in exs for r in ex.replies),
            )
            for exs in per_step
        ]
        i += n
    return out
