"""Checks on the committed golden transcripts themselves (format, internal consistency).

The simulator's replay of these files lives with the engine tests; this file only makes sure
each recording is well formed, so a hand edit or a broken re-recording cannot slip in.
Reply syntax: RFC 5321 §4.2 (3 digits, '-' on every line but the last, same code throughout).
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest

from golden import CASES, CONFIGS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

FILES = sorted(HERE.glob("*/*.json"))
TOP_KEYS = {"case", "description", "recorded", "server", "client", "steps", "notes"}
SERVER_KEYS = {
    "software",
    "hostname",
    "local_domains",
    "relay_networks",
    "tls",
    "auth",
    "relay_policy",
    "delivery",
    "users",
}
STEP_KEYS = {
    "send",
    "reply",
    "batch",
    "closed",
    "after_close",
    "send_repeat",
    "chunk",
    "chunk_repeat",
    "tls",
    "unsolicited",
    "timeout",
}
REPLY = re.compile(r"^[2-5][0-9][0-9]([ -].*)?$")
# Recordings that end with the connection still open, and why: Sendmail's limits make it sleep
# before each reply instead of hanging up (checksmtpattack()), so the recorder stopped after the
# case's steps; command-syntax-errors ends inside a message ("DATA x" gets 354).
ENDS_OPEN = {
    "sendmail/nonmail-limit": "past MaxNOOPCommands (20) each NOOP is answered later, never refused",
    "sendmail/bad-sequence-limit": "out-of-sequence commands are only answered more slowly",
    "sendmail/syntax-error-limit": "refused MAIL commands are only answered more slowly",
    "sendmail/auth-fail-limit": "failed AUTH attempts are only answered more slowly",
    "sendmail/command-syntax-errors": "DATA with an argument gets 354: the last lines are message text",
}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def sent_text(step: dict[str, Any]) -> str:
    rep = step.get("send_repeat")
    if rep:
        return rep.get("prefix", "") + rep["char"] * rep["count"] + rep.get("suffix", "")
    return step["send"]


def check_replies(lines: list[str]) -> None:
    """One or more complete replies in a row (PRDR sends one per recipient, then one more)."""
    assert lines, "empty reply"
    start = 0
    for i, line in enumerate(lines):
        if len(line) == 3 or line[3:4] == " ":
            check_reply(lines[start : i + 1])
            start = i + 1
    assert start == len(lines), f"incomplete reply: {lines}"


def check_reply(lines: list[str]) -> None:
    assert lines, "empty reply"
    for i, line in enumerate(lines):
        assert REPLY.match(line), line
        assert line[:3] == lines[0][:3], f"code changes inside a reply: {lines}"
        assert (line[3:4] == "-") == (i < len(lines) - 1) or len(line) == 3, lines


def test_every_case_has_a_file_and_vice_versa() -> None:
    """Each defined case is recorded, and no stray golden file lacks a definition."""
    defined = {(c["software"], c["name"]) for c in CASES}
    recorded = {(p.parent.name, p.stem) for p in FILES}
    assert defined == recorded
    assert len(FILES) > 100


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden_file(path: Path) -> None:
    g = load(path)
    assert set(g) <= TOP_KEYS and TOP_KEYS - {"notes"} <= set(g)
    assert g["case"] == path.stem and g["server"]["software"] == path.parent.name
    assert set(g["server"]) == SERVER_KEYS
    assert g["server"]["tls"] in {"none", "offered", "required"}
    assert g["server"]["auth"] in {"none", "offered", "tls-only", "required"}
    cfg = CONFIGS[(path.parent.name, g["recorded"]["config"])]
    # the client's port only where a reply quotes it (cPanel's relay refusal)
    assert set(g["client"]) == ({"ip", "port"} if cfg.get("client_port") else {"ip"})
    assert g["client"]["ip"] == "127.0.0.2" and 1024 <= g["client"].get("port", 1024) < 65536
    assert g["recorded"].get("implicit_tls", False) == cfg.get("implicit_tls", False)
    assert g["server"] == cfg["server"] and g["recorded"]["port"] == cfg["port"]

    steps = g["steps"]
    assert steps[0]["send"] is None and steps[0]["reply"][0].startswith("220 ")
    in_data = gone = False
    batch_left = 0
    for k, t in enumerate(steps[1:], start=1):
        assert set(t) <= STEP_KEYS, t
        assert not t.get("timeout"), f"step {k} timed out"
        if "batch" in t:  # a batch is N consecutive steps all marked N
            n = t["batch"]
            if batch_left == 0:
                assert n > 1 and all(u.get("batch") == n for u in steps[k : k + n]), k
                batch_left = n
            batch_left -= 1
        else:
            assert batch_left == 0, k
        if gone or t.get("after_close"):
            assert gone and t.get("after_close") and t["reply"] == [], k
            continue
        if t["reply"] == [] and t.get("closed") and not in_data:
            pass  # the server hung up on this line without a reply (Exim inside TLS, past a limit)
        elif in_data and t["send"] != ".":
            assert t["reply"] == [], f"message line {k} got a reply"
        else:
            check_reply(t["reply"])
            in_data = t["reply"][-1].startswith("354")
        if "unsolicited" in t:
            check_replies(t["unsolicited"])
        if "chunk" in t:  # RFC 3030 §2: BDAT size = octets in the chunk
            assert int(t["send"].split()[1]) == len(t["chunk"].encode("latin-1")), k
        if "chunk_repeat" in t:
            rep = t["chunk_repeat"]
            size = len((rep.get("prefix", "") + rep.get("suffix", "")).encode("latin-1")) + rep["count"]
            assert "chunk" not in t and int(t["send"].split()[1]) == size and len(rep["char"]) == 1, k
        if "send_repeat" in t:
            rep = t["send_repeat"]
            assert (
                t["send"] == f"{rep.get('prefix', '')}<{rep['count']}x{rep['char']}>{rep.get('suffix', '')}"
            )
        gone = bool(t.get("closed"))
    last = steps[-1]
    if f"{path.parent.name}/{path.stem}" in ENDS_OPEN:
        assert not any(t.get("closed") for t in steps), "listed as ending open"
        return
    # a "-limit" case sends more lines than any limit: a server without that limit (OpenSMTPD has
    # none) is still talking when the recorder runs out of lines
    assert last.get("closed") or last.get("after_close") or path.stem.endswith("-limit"), (
        "every recording ends with the server closing"
    )


def test_exim_503_repeats_the_refusal() -> None:
    """The article's message, as recorded: Exim 4.96 answers DATA after a refused RCPT."""
    g = load(HERE / "exim" / "relay-no-auth-data.json")
    assert [s["reply"] for s in g["steps"] if s["send"] == "DATA"] == [
        [
            "503-All RCPT commands were rejected with this error:",
            "503-relay not permitted",
            "503 Valid RCPT command must precede DATA",
        ]
    ]


def test_auth_lines_match_the_test_user() -> None:
    """AUTH PLAIN responses sent in the goldens decode to the documented test credentials."""
    seen = set()
    for path in FILES:
        for s in load(path)["steps"]:
            text = s["send"] or ""
            m = re.fullmatch(r"(?:AUTH PLAIN )?([A-Za-z0-9+/]{16,}={0,2})", text)
            if m:
                parts = base64.b64decode(m.group(1)).split(b"\0")
                if len(parts) == 3:
                    seen.add(parts[1])
    assert seen == {b"testuser"}


def test_sent_text_round_trips_octets() -> None:
    """Odd octets (NUL, bare LF) survive the JSON as latin-1 characters."""
    texts = [sent_text(s) for p in FILES for s in load(p)["steps"] if s["send"] is not None]
    assert "NOOP a\0b" in texts and "first\n.\nRSET" in texts
