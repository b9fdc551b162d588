"""Diagnose a pasted error text: the likely causes, the server software, the refused step, the reply.

The rules are ``diagnoses.json`` in this package, compiled from ``data/diagnoses.yml`` (the one
knowledge source). ``docs/assets/js/diagnose-core.mjs`` is the same algorithm in JavaScript; a test
runs the whole corpus through both and compares the results field by field. The algorithm:

1. Normalise line ends (CR LF, CR, U+2028/9 -> LF) and Unicode spaces (-> space).
2. Every recogniser whose expression matches (first match) is a hit. A cause's score is the largest
   weight any hit gives it (overlapping wordings of one reply do not add up). Hits marked
   ``symptom`` (the DATA refusal that only says every recipient was refused) count only when no
   other hit names a cause: a text that carries the real refusal is diagnosed by it. Causes listed
   in a counted hit's ``consequences`` (a refused sign-in explains a later relay refusal) score 0.
3. Causes with a score, highest first (ties: order of the data file); confidence =
   score / (sum of scores + 1), the sum taken in data-file order, rounded to two decimals.
   Nothing matched: ``unknown``.
4. Server: the largest sum of recogniser strengths per server; else ``other`` if the text holds an
   SMTP reply code, else ``unknown``. Program: the strongest matched program wording.
5. Stage: the strongest matched step hint (a wording without causes that says which command
   failed, e.g. "in reply to RCPT TO command"), else the strongest counted hit with a stage among
   those pointing to the top cause, else among all counted hits; else ``unknown``. Reply: the SMTP
   reply (all lines of a multi-line one) around the strongest match of the top cause; the matched
   line when it carries no reply code.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

RULES_FILE = "diagnoses.json"
#: What both languages strip (Python's bare strip() also strips \x1c-\x1f and \x85; JS trim() does not).
_WS = " \t\n\r\f\v"
_PY_FLAGS = re.IGNORECASE | re.MULTILINE | re.ASCII
_LINE_ENDS = re.compile("\r\n|\r|\u2028|\u2029")
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]")
#: An SMTP reply code as it appears in pasted text (RFC 5321 §4.2: 4yz/5yz; y is 0-5).
REPLY_CODE = re.compile(r"(^|[^0-9.:])([45][0-5][0-9])([ -]|$)", _PY_FLAGS)


@dataclass(frozen=True)
class Rule:
    id: str
    regex: re.Pattern[str]
    causes: tuple[tuple[str, float], ...]
    strength: float
    symptom: bool
    server: str | None
    stage: str | None
    program: str | None
    consequences: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rules:
    titles: dict[str, str]
    order: tuple[str, ...]  # cause ids in data-file order
    servers: tuple[str, ...]
    rules: tuple[Rule, ...]


@dataclass
class Diagnosis:
    """What ``diagnose`` found; ``contract()`` is the JSON of ``smtpsim diagnose --json``."""

    causes: list[dict[str, Any]]
    server: str
    stage: str
    reply: str | None
    program: str | None = None
    hidden: bool = False  # only the DATA symptom was shown: the program hid the real refusal
    matched: list[str] = field(default_factory=list)

    def contract(self) -> dict[str, Any]:
        return {"causes": self.causes, "server": self.server, "stage": self.stage, "reply": self.reply}

    def to_json(self) -> dict[str, Any]:
        """Everything, as ``diagnose-core.mjs`` returns it (the parity test compares this)."""
        return {**self.contract(), "program": self.program, "hidden": self.hidden, "matched": self.matched}


def rules_from_json(data: dict[str, Any]) -> Rules:
    return Rules(
        titles={c["id"]: c["title"] for c in data["causes"]},
        order=tuple(c["id"] for c in data["causes"]),
        servers=tuple(data["servers"]),
        rules=tuple(
            Rule(
                r["id"],
                re.compile(r["re"], _PY_FLAGS),
                tuple((c, float(w)) for c, w in r["causes"]),
                float(r["strength"]),
                bool(r["symptom"]),
                r["server"],
                r["stage"],
                r["program"],
                tuple(r.get("consequences", ())),
            )
            for r in data["recognisers"]
        ),
    )


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The rules shipped in the package (works from a wheel and in Pyodide)."""
    text = resources.files(__package__).joinpath(RULES_FILE).read_text(encoding="utf-8")
    return rules_from_json(json.loads(text))


def normalise(text: str) -> str:
    return _SPACES.sub(" ", _LINE_ENDS.sub("\n", text))


def round2(x: float) -> float:
    """Half-up to two decimals, exactly as ``Math.floor(x * 100 + 0.5) / 100`` in JavaScript."""
    return math.floor(x * 100 + 0.5) / 100


def _best(items: list[tuple[Rule, int]]) -> tuple[Rule, int] | None:
    """Strongest, earliest in the data file on ties (``items`` are in data-file order)."""
    best = None
    for item in items:
        if best is None or item[0].strength > best[0].strength:
            best = item
    return best


def _reply_around(text: str, pos: int) -> str:
    """The SMTP reply holding position *pos*: from its code to the end of its last line."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    line = text[start:end]
    code_at = None
    for m in REPLY_CODE.finditer(line):
        if m.start(2) <= pos - start:
            code_at = m
    if code_at is None:
        return line.strip(_WS)
    code = code_at.group(2)
    lines = [line[code_at.start(2) :].rstrip(_WS)]
    # Earlier lines of the same multi-line reply ("550-...") when this one starts a line.
    if not line[: code_at.start(2)].strip(_WS):
        before = text[: max(start - 1, 0)].split("\n") if start > 0 else []
        while before and before[-1].lstrip(_WS).startswith(code + "-"):
            lines.insert(0, before.pop().strip(_WS))
    # Later lines while the reply continues ("550-" ... "550 ").
    after = text[end + 1 :].split("\n") if end < len(text) else []
    last = lines[-1]
    for nxt in after:
        if not last.startswith(code + "-"):
            break
        stripped = nxt.strip(_WS)
        if not (stripped.startswith((code + "-", code + " ")) or stripped == code):
            break
        lines.append(stripped)
        last = stripped
    return "\n".join(lines)


def diagnose(text: str, rules: Rules | None = None) -> Diagnosis:
    """Diagnose *text* (any pasted error: a reply, a dialog, an exception, a bounce, a log)."""
    rules = rules or default_rules()
    text = normalise(text)
    hits: list[tuple[Rule, int]] = []
    for rule in rules.rules:
        m = rule.regex.search(text)
        if m:
            hits.append((rule, m.start()))
    reasons = any(rule.causes and not rule.symptom for rule, _ in hits)
    counted = [(r, p) for r, p in hits if not (reasons and r.symptom)]
    explained = {c for rule, _ in counted for c in rule.consequences}
    scores = dict.fromkeys(rules.order, 0.0)
    for rule, _ in counted:
        for cause, weight in rule.causes:
            if cause not in explained:
                scores[cause] = max(scores[cause], weight)
    total = 0.0
    for cause in rules.order:
        total += scores[cause]
    ranked = sorted(
        (c for c in rules.order if scores[c] > 0), key=lambda c: (-scores[c], rules.order.index(c))
    )
    if ranked:
        causes = [
            {"id": c, "title": rules.titles[c], "confidence": round2(scores[c] / (total + 1))} for c in ranked
        ]
    else:
        causes = [{"id": "unknown", "title": rules.titles["unknown"], "confidence": 0.0}]
    top = ranked[0] if ranked else None
    for_top = [(r, p) for r, p in counted if top and any(c == top for c, _ in r.causes)]

    server_score: dict[str, float] = {}
    for rule, _ in hits:
        if rule.server:
            server_score[rule.server] = server_score.get(rule.server, 0.0) + rule.strength
    if server_score:
        server = max(rules.servers, key=lambda s: (server_score.get(s, -1.0), -rules.servers.index(s)))
    else:
        server = "other" if REPLY_CODE.search(text) else "unknown"

    hints = [h for h in hits if h[0].stage and not h[0].causes]
    staged = (
        _best(hints) or _best([h for h in for_top if h[0].stage]) or _best([h for h in counted if h[0].stage])
    )
    stage = staged[0].stage if staged else "unknown"
    program_hit = _best([h for h in hits if h[0].program])
    program = program_hit[0].program if program_hit else None

    anchor = None
    for rule, pos in for_top:
        weight = next(w for c, w in rule.causes if c == top)
        if anchor is None or weight > anchor[0]:
            anchor = (weight, pos)
    if anchor is not None:
        reply = _reply_around(text, anchor[1])
    else:
        first = REPLY_CODE.search(text)
        reply = _reply_around(text, first.start(2)) if first else None
    hidden = bool(for_top) and all(r.symptom for r, _ in for_top)
    return Diagnosis(causes, server, stage, reply, program, hidden, [r.id for r, _ in hits])


def summary(d: Diagnosis) -> str:
    """The human answer printed by ``smtpsim diagnose``."""
    out = []
    top = d.causes[0]
    if top["id"] == "unknown":
        out.append("Not recognised: " + top["title"] + ".")
        out.append("Contact support with the whole error text, the program you send with and the time.")
    else:
        out.append(f"Most likely: {top['title']} ({top['id']}, confidence {top['confidence']:.2f})")
    out.append(
        f"Server software: {d.server}    Refused at: {d.stage.upper() if d.stage != 'unknown' else 'unknown'}"
    )
    if d.program:
        out.append(f"Program: {d.program}")
    if d.reply:
        out.append("Server reply:")
        out.extend("  " + line for line in d.reply.split("\n"))
    if d.hidden:
        out.append(
            "The program hid the server's reason: the text says only that the message was refused in "
            "the end; the server said why in an earlier reply (your program can show the full reply)."
        )
    if len(d.causes) > 1:
        out.append("Other possible causes:")
        out.extend(f"  {c['id']}: {c['title']} ({c['confidence']:.2f})" for c in d.causes[1:])
    return "\n".join(out)
