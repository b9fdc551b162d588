"""The written-from texts as ``tools/estimate_code_priors.py`` counts them (issue 17): for each text,
the reply rows (``data/diagnose-codes.yml``) that counted as its evidence, whether a code decides it
now, and the rows of the codes that decided it before rules were written from it (the spent blind
set with ee290ce's matcher, round 3's training texts with a745652's, read with ``git show``)."""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from smtpdiagnose import diagnose as dg
from support.diagnose_corpus import (
    CORPUS,
    SPENT_BLIND,
    SPENT_BLIND_2,
    SPENT_BLIND_4,
    SPENT_BLIND_5,
    SPENT_BLIND_6,
    SPENT_BLIND_7,
    SPENT_BLIND_8,
    SPENT_BLIND_9,
    load_corpus,
    load_sets,
)

ROOT = Path(__file__).resolve().parent.parent
CODE_LAYERS = frozenset({"reply-code", "prior"})
#: The matchers that met the written-from texts before rules were written from them (README "Parts").
SPENT_BLIND_COMMIT = "ee290ce"
ROUND3_COMMIT = "a745652"
ROUND3_MARK = "# ---- round 3"
#: Blind set 2's spent half (round 4, ``SPENT_BLIND_2``): main's matcher before round 4's rules met it.
SPENT_BLIND_2_COMMIT = "234ae61"
#: Blind set 3 (spent in round 6, ``SPENT_BLIND_4``): main's matcher before round 6's rules met it.
SPENT_BLIND_4_COMMIT = "101ee91"
#: Blind set 4 (spent in round 7, ``SPENT_BLIND_5``): main's matcher before round 7's rules met it.
SPENT_BLIND_5_COMMIT = "31a8e50"
#: Blind set 5 (spent in round 8, ``SPENT_BLIND_6``): main's matcher before round 8's rules met it.
SPENT_BLIND_6_COMMIT = "01d155c"
#: Blind set 6's spent half (round 9, ``SPENT_BLIND_7``): main's matcher before round 9's rules met it.
SPENT_BLIND_7_COMMIT = "7017c87"
#: Blind set 7's texts without a 503 (round 10, ``SPENT_BLIND_8``): main's matcher before round 10's rules.
SPENT_BLIND_8_COMMIT = "b37138c"
#: Blind set 8's texts without a 503 (round 11, ``SPENT_BLIND_9``): main's matcher before round 11's rules.
SPENT_BLIND_9_COMMIT = "2a110ed"
#: Each spent collection that rules were later written from, with main's matcher from before that
#: (``fresh_codes``; ``fresh_scores.FRESH`` takes the ones whose matcher had a model). A new spent set
#: joins here only.
BEFORE_READ: tuple[tuple[str, Path], ...] = (
    (SPENT_BLIND_2_COMMIT, SPENT_BLIND_2),
    (SPENT_BLIND_4_COMMIT, SPENT_BLIND_4),
    (SPENT_BLIND_5_COMMIT, SPENT_BLIND_5),
    (SPENT_BLIND_6_COMMIT, SPENT_BLIND_6),
    (SPENT_BLIND_7_COMMIT, SPENT_BLIND_7),
    (SPENT_BLIND_8_COMMIT, SPENT_BLIND_8),
    (SPENT_BLIND_9_COMMIT, SPENT_BLIND_9),
)


@dataclass(frozen=True)
class Text:
    id: str
    cause: str
    text: str
    keys: tuple[str, ...]  # the reply rows that counted as its evidence ("550@rcpt", "535", "5xx")
    code_only: bool  # every counted piece of evidence is a reply code (or the 503 prior)
    fresh_keys: tuple[str, ...] = ()  # the rows of the codes that decided it before its rules existed


def compiled() -> dict[str, Any]:
    return json.loads(resources.files("smtpdiagnose").joinpath(dg.RULES_FILE).read_text(encoding="utf-8"))


def row_key(row: dict[str, Any]) -> str:
    return row["code"] + (f"@{row['stage']}" if row.get("stage") else "")


def reply_keys(text: str, rules: dg.Rules) -> list[tuple[str, str]]:
    """(code, row) for each reply code ``diagnose`` looks up in *text* (step hint as it reads it)."""
    low = dg.lower_ascii(dg.cap(dg.normalise(text))[0])
    hints = [(r, 0, 0) for r in rules.rules if r.stage and not r.causes and r.regex and r.regex.search(low)]
    best = dg._best(hints)
    stage = best[0].stage if best else None
    keys: list[tuple[str, str]] = []
    for m in dg.CODE_EVIDENCE.finditer(low):
        code = m.group(2)
        for key in (f"{code}@{stage}", code, code[0] + "xx"):
            if key in rules.reply:
                if rules.reply[key].causes and (code, key) not in keys:
                    keys.append((code, key))
                break
    return keys


def old_matcher(commit: str, folder: Path) -> tuple[Any, dg.Rules]:
    """``smtpdiagnose.diagnose`` and its rules as they were at *commit* (read with ``git show``), as a
    package of its own (the matcher imports its sibling ``similar`` from round 5 on)."""
    package = folder / f"smtpdiagnose_{commit}"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    for file in ("diagnose.py", "similar.py", "rules.py", "diagnoses.json"):
        shown = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{commit}:diagnose/smtpdiagnose/{file}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if shown.returncode == 0:
            (package / file).write_text(shown.stdout, encoding="utf-8")
        elif file not in ("similar.py", "rules.py"):  # round 5 and round 7 added them
            raise RuntimeError(f"{commit}: diagnose/smtpdiagnose/{file}: {shown.stderr.strip()}")
    spec = importlib.util.spec_from_file_location(
        package.name, package / "__init__.py", submodule_search_locations=[str(package)]
    )
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load the matcher of {commit}")
    sys.modules[package.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sys.modules[package.name])
    module = importlib.import_module(f"{package.name}.diagnose")
    rules = json.loads((package / "diagnoses.json").read_text(encoding="utf-8"))
    return module, module.rules_from_json(rules)


def fresh_codes() -> dict[str, set[str]]:
    """For the written-from texts a matcher met before any rule was written from them (the spent
    blind sets: ee290ce, 234ae61, 101ee91, 31a8e50 and 01d155c; round 3's training texts: a745652),
    the reply codes that decided them when a code decided them: the texts whose words were not
    recognised."""
    out: dict[str, set[str]] = {}
    lines = CORPUS.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(ROUND3_MARK))
    batches = [
        (SPENT_BLIND_COMMIT, load_corpus(SPENT_BLIND)),
        (ROUND3_COMMIT, yaml.safe_load("\n".join(lines[start:]))),
    ]
    for commit, path in BEFORE_READ:
        if path.exists():
            batches.append((commit, load_corpus(path)))
    with tempfile.TemporaryDirectory() as tmp:
        for commit, entries in batches:
            module, rules = old_matcher(commit, Path(tmp))
            for e in entries:
                d = module.diagnose(e["text"], rules)
                if d.decided_by in CODE_LAYERS:
                    out[e["id"]] = {ev["text"] for ev in d.evidence if ev["layer"] in CODE_LAYERS}
    return out


def load_texts(part: str, rules: dg.Rules) -> list[Text]:
    fresh = fresh_codes() if part == "written-from" else {}
    out = []
    for e in load_sets()[part]:
        d = dg.diagnose(e["text"], rules)
        layers = {ev["layer"] for ev in d.evidence}
        codes = {ev["text"] for ev in d.evidence if ev["layer"] in CODE_LAYERS}
        looked_up = reply_keys(e["text"], rules)
        keys = tuple(dict.fromkeys(key for code, key in looked_up if code in codes))
        old = tuple(dict.fromkeys(key for code, key in looked_up if code in fresh.get(e["id"], ())))
        out.append(Text(e["id"], e["cause"], e["text"], keys, bool(layers) and layers <= CODE_LAYERS, old))
    return out


def counts(texts: list[Text], use_all: bool) -> dict[str, Counter]:
    """Per row, how often each cause was the established one: over the texts a code decides (now,
    or before their rules were written: ``fresh_keys``), or with *use_all* every text with the row."""
    table: dict[str, Counter] = {}
    for t in texts:
        keys = t.keys if use_all or t.code_only else t.fresh_keys
        for key in keys:
            table.setdefault(key, Counter())[t.cause] += 1
    return table
