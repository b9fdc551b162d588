"""What the matchers read (``smtpdiagnose.diagnose``, ``diagnose-core.mjs``): ``data/diagnoses.yml`` and
its sibling files compiled to ``diagnose/smtpdiagnose/diagnoses.json`` and ``/api/diagnoses.json``, the
same for both. ``python -m macros.diagnoses_schema`` rewrites the file; a test keeps it in sync."""

from __future__ import annotations

import json
from typing import Any

from .diagnose_regex import compile_pattern
from .diagnoses_schema import SERVER_IDS, DiagnosesData, Recogniser


def meaning_of(rec: Recogniser, data: DiagnosesData) -> str:
    """What a recogniser's evidence means, in customer words (its own ``meaning``, else derived)."""
    if rec.meaning:
        return rec.meaning
    if rec.causes:
        top = max(rec.causes.items(), key=lambda kv: kv[1])[0]
        return next(c.title for c in data.causes if c.id == top)
    if rec.program:
        prog = next(p for p in data.programs if p.id == rec.program)
        return f"how {prog.name or prog.client} words an error"
    if rec.stage:
        return "the server refused " + next(s.label for s in data.stages if s.id == rec.stage)
    return "the wording of " + next(s.name for s in data.servers if s.id == rec.server)


def compile_rules(data: DiagnosesData) -> dict[str, Any]:
    """What the matchers (``smtpdiagnose.diagnose``, ``diagnose-core.mjs``) read: the same for both.
    Expressions are run on the paste with its ASCII letters lower-cased (``macros.diagnose_regex``)."""
    return {
        "format": 2,
        "flags": "m",
        "causes": [{"id": c.id, "title": c.title} for c in data.causes],
        "servers": list(SERVER_IDS),
        "recognisers": [
            {
                "id": r.id,
                "re": compile_pattern(r.match),
                "causes": [[cause, weight] for cause, weight in r.causes.items()],
                "strength": r.strength,
                "consequences": list(r.consequences),
                "symptom": r.symptom,
                "server": r.server,
                "stage": r.stage,
                "program": r.program,
                "layer": r.layer or ("wrapper" if r.program else "wording"),
                "meaning": meaning_of(r, data),
            }
            for r in data.recognisers
        ],
        "enhanced": {
            e.code.removeprefix("X.").removesuffix(".x"): {
                "title": e.title,
                "causes": [[c, w] for c, w in e.causes.items()],
                "meaning": e.meaning,
            }
            for e in data.enhanced
        },
        "reply": [
            {
                "code": r.code,
                "stage": r.stage,
                "layer": r.layer,
                "causes": [[c, w] for c, w in r.causes.items()],
                "meaning": r.meaning,
            }
            for r in data.reply
        ],
        "not_refusals": list(data.not_refusals),
        "similar": data.similar,
    }


def rules_json(rules: dict[str, Any]) -> str:
    """Compiled rules as JSON text: indented, but the generated "similar texts" model on one compact
    line (its readable source is ``data/diagnose-similar.json``; indented, it weighs twice as much
    gzipped)."""
    rest = {k: v for k, v in rules.items() if k != "similar"}
    text = json.dumps(rest, indent=1, ensure_ascii=False)
    model = json.dumps(rules.get("similar"), ensure_ascii=False, separators=(",", ":"))
    return f'{text[:-2]},\n "similar": {model}\n}}\n'


def compiled_text(data: DiagnosesData) -> str:
    return rules_json(compile_rules(data))
