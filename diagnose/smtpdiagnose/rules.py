"""The diagnosis's rules as the matcher holds them (``diagnoses.json``, compiled from ``data/diagnoses.yml``
and its sibling files by ``macros.diagnoses_schema``), and what a diagnosis returns. The flat API is
``smtpdiagnose.diagnose``, which re-exports these names."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from .similar import Similar

RULES_FILE = "diagnoses.json"
#: Both matchers' flags: ``^``/``$`` at line ends, ``\w`` and ``\b`` ASCII only (as JavaScript's).
PY_FLAGS = re.MULTILINE | re.ASCII


@dataclass(frozen=True)
class Rule:
    id: str
    regex: re.Pattern[str] | None
    causes: tuple[tuple[str, float], ...]
    strength: float
    symptom: bool
    server: str | None
    stage: str | None
    program: str | None
    consequences: tuple[str, ...] = ()
    layer: str = "wording"
    meaning: str = ""


@dataclass(frozen=True)
class Rules:
    titles: dict[str, str]
    order: tuple[str, ...]  # cause ids in data-file order
    servers: tuple[str, ...]
    rules: tuple[Rule, ...]
    enhanced: dict[str, Rule] = field(default_factory=dict)  # "4.2.1", "7.8" or "7" (subject) -> rule
    reply: dict[str, Rule] = field(default_factory=dict)  # "535" or "550@rcpt" or "5xx" -> rule
    not_refusals: frozenset[str] = frozenset()  # reply codes a later 503 does not repeat
    similar: Similar | None = None  # the "similar texts" layer (smtpdiagnose.similar)


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
    decided_by: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    capped: bool = False

    def contract(self) -> dict[str, Any]:
        return {
            "causes": self.causes,
            "server": self.server,
            "stage": self.stage,
            "reply": self.reply,
            "decided_by": self.decided_by,
            "evidence": self.evidence,
        }

    def to_json(self) -> dict[str, Any]:
        """Everything, as ``diagnose-core.mjs`` returns it (the parity test compares this)."""
        return {
            **self.contract(),
            "program": self.program,
            "hidden": self.hidden,
            "matched": self.matched,
            "capped": self.capped,
        }


def _code_rule(key: str, row: dict[str, Any], layer: str) -> Rule:
    causes = tuple((c, float(w)) for c, w in row["causes"])
    return Rule(
        key,
        None,
        causes,
        max((w for _, w in causes), default=0.0),
        layer == "prior",
        None,
        row.get("stage"),
        None,
        (),
        layer,
        row["meaning"],
    )


def rules_from_json(data: dict[str, Any]) -> Rules:
    reply: dict[str, Rule] = {}
    for row in data.get("reply", []):
        key = row["code"] + (f"@{row['stage']}" if row.get("stage") else "")
        reply[key] = _code_rule(row["code"], row, row.get("layer", "reply-code"))
    return Rules(
        titles={c["id"]: c["title"] for c in data["causes"]},
        order=tuple(c["id"] for c in data["causes"]),
        servers=tuple(data["servers"]),
        rules=tuple(
            Rule(
                r["id"],
                re.compile(r["re"], PY_FLAGS),
                tuple((c, float(w)) for c, w in r["causes"]),
                float(r["strength"]),
                bool(r["symptom"]),
                r["server"],
                r["stage"],
                r["program"],
                tuple(r.get("consequences", ())),
                r.get("layer", "wording"),
                r.get("meaning", ""),
            )
            for r in data["recognisers"]
        ),
        enhanced={k: _code_rule(k, v, "enhanced-code") for k, v in data.get("enhanced", {}).items()},
        reply=reply,
        not_refusals=frozenset(data.get("not_refusals", ())),
        similar=Similar.from_json(data["similar"]) if data.get("similar") else None,
    )


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The rules shipped in the package (works from a wheel and in Pyodide)."""
    text = resources.files(__package__).joinpath(RULES_FILE).read_text(encoding="utf-8")
    return rules_from_json(json.loads(text))
