"""The diagnosis layers kept beside ``data/diagnoses.yml`` (issue 17), each file validated on its own
(errors name its file, line, key and id) and appended to the main data:

- ``data/diagnose-codes.yml``: enhanced status codes (RFC 3463 and the IANA registry of RFC 5248,
  class left out), three-digit replies at each step (RFC 5321, RFC 4954), and the providers' own
  codes with the wording that tells their causes apart (Microsoft 365's 5.7.139, Google, Yahoo, Zoho);
- ``data/diagnose-languages.yml``: plain-language wordings in en de fr es pt it nl pl ru zh ja;
- ``data/diagnose-devices.yml``: printers', scanners' and appliances' own error codes and messages,
  and the "Printer or scanner" programs by maker.

The build also times every compiled expression on hostile texts (``macros.diagnose_regex.guard``)
and fails on one over budget.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import Field

from .diagnose_regex import compile_pattern, guard
from .diagnoses_schema import (
    DiagnosesData,
    DiagnosesDataError,
    EnhancedCode,
    LayerId,
    NotRefusals,
    Program,
    Recogniser,
    ReplyCode,
    _duplicates,
    _Model,
    recogniser_checks,
)
from .yamlfile import Loc, parse_yaml, validate_model

CODES_FILE = "diagnose-codes.yml"
LANGUAGES_FILE = "diagnose-languages.yml"
DEVICES_FILE = "diagnose-devices.yml"
SIMILAR_FILE = "diagnose-similar.json"
#: Budget of one expression on one hostile text of GUARD_SIZE characters, in the build (Python).
GUARD_SIZE = 4096
GUARD_BUDGET_MS = 25.0


class CodesFile(_Model):
    """``data/diagnose-codes.yml``."""

    enhanced: list[EnhancedCode] = Field(min_length=1)
    reply: list[ReplyCode] = Field(min_length=1)
    not_refusals: list[NotRefusals] = Field(min_length=1)
    recognisers: list[Recogniser] = Field(default_factory=list)


class LayerFile(_Model):
    """``data/diagnose-languages.yml`` or ``data/diagnose-devices.yml``."""

    recognisers: list[Recogniser] = Field(min_length=1)
    programs: list[Program] = Field(default_factory=list)


def _layer_checks(
    model: CodesFile | LayerFile, programs: set[str], layer: LayerId, *, lang: bool = False
) -> list[tuple[Loc, str]]:
    found = recogniser_checks(model.recognisers, programs)
    for i, rec in enumerate(model.recognisers):
        if (rec.layer or layer) != layer and layer != "enhanced-code":
            found.append((("recognisers", i, "layer"), f"this file holds the {layer!r} layer"))
        if lang and rec.lang is None:
            found.append((("recognisers", i, "lang"), "a plain-language wording needs its language"))
    if isinstance(model, CodesFile):
        found += [(loc, msg.replace("recognisers", "enhanced")) for loc, msg in _dup_codes(model)]
    else:
        found += _duplicates(model.programs, "programs")
    return found


def _dup_codes(model: CodesFile) -> list[tuple[Loc, str]]:
    seen: dict[str, int] = {}
    found: list[tuple[Loc, str]] = []
    for i, row in enumerate(model.enhanced):
        if row.code in seen:
            found.append(
                (("enhanced", i, "code"), f"duplicate code {row.code} (also enhanced[{seen[row.code]}])")
            )
        seen.setdefault(row.code, i)
    keys: dict[tuple[str, str | None], int] = {}
    for i, row in enumerate(model.reply):
        key = (row.code, row.stage)
        if key in keys:
            found.append(
                (("reply", i, "code"), f"duplicate reply {row.code} at {row.stage} (also reply[{keys[key]}])")
            )
        keys.setdefault(key, i)
    return found


def _load(path: Path, display: str, model: type, checks) -> _Model | None:
    if not path.exists():
        return None
    data = parse_yaml(path.read_text(encoding="utf-8"), display, DiagnosesDataError)
    if data is None:
        raise DiagnosesDataError([])
    return validate_model(data, display, model, checks, DiagnosesDataError)


def _with_layer(recs: list[Recogniser], layer: LayerId) -> list[Recogniser]:
    return [r if r.layer else r.model_copy(update={"layer": layer}) for r in recs]


def _similar(path: Path, display: str, causes: set[str]) -> dict[str, Any] | None:
    """The generated "similar texts" model (tools/train_similar.py), if there is one; its classes must
    be causes."""
    if not path.exists():
        return None
    model = json.loads(path.read_text(encoding="utf-8"))
    stray = [c for c in model["classes"] if c not in causes]
    if stray:
        raise DiagnosesDataError([f"{display}: class(es) {', '.join(stray)} not a cause in diagnoses.yml"])
    return model


def with_layers(
    main: DiagnosesData, folder: Path, display_folder: str = "data", timed: bool = True
) -> DiagnosesData:
    """*main* with the codes, languages and devices files of *folder* appended (each validated),
    every expression checked by the guard (unless *timed* is False: a reader of the examples only,
    such as tools/train_similar.py; the build and the tests always time them)."""
    shown = (display_folder.rstrip("/") + "/") if display_folder not in ("", ".") else ""
    devices = _load(
        folder / DEVICES_FILE,
        shown + DEVICES_FILE,
        LayerFile,
        lambda m: _layer_checks(m, {p.id for p in main.programs} | {p.id for p in m.programs}, "device"),
    )
    programs = list(main.programs) + (list(devices.programs) if devices else [])
    known = {p.id for p in programs}
    codes = _load(
        folder / CODES_FILE, shown + CODES_FILE, CodesFile, lambda m: _layer_checks(m, known, "enhanced-code")
    )
    languages = _load(
        folder / LANGUAGES_FILE,
        shown + LANGUAGES_FILE,
        LayerFile,
        lambda m: _layer_checks(m, known, "language", lang=True),
    )
    recognisers = list(main.recognisers)
    recognisers += _with_layer(codes.recognisers, "enhanced-code") if codes else []
    recognisers += _with_layer(languages.recognisers, "language") if languages else []
    recognisers += _with_layer(devices.recognisers, "device") if devices else []
    ids: dict[str, int] = {}
    clashes = [r.id for r in recognisers if ids.setdefault(r.id, 0) or ids.update({r.id: 1})]
    if clashes:
        raise DiagnosesDataError([f"{shown}diagnose*.yml: recogniser id(s) used twice: {', '.join(clashes)}"])
    slow = timed and guard(
        ((r.id, compile_pattern(r.match), r.example) for r in recognisers), GUARD_SIZE, GUARD_BUDGET_MS
    )
    if slow:
        lines = [
            f"{shown}diagnose*.yml: recogniser {i!r} takes {ms} ms on {GUARD_SIZE} characters of {k}"
            for i, k, ms in slow
        ]
        raise DiagnosesDataError([*lines, f"(budget {GUARD_BUDGET_MS} ms: bound its repetitions)"])
    similar = _similar(folder / SIMILAR_FILE, shown + SIMILAR_FILE, {c.id for c in main.causes})
    return main.model_copy(
        update={
            "similar": similar,
            "recognisers": recognisers,
            "programs": programs,
            "enhanced": list(codes.enhanced) if codes else [],
            "reply": list(codes.reply) if codes else [],
            "not_refusals": [c for row in codes.not_refusals for c in row.codes] if codes else [],
        }
    )
