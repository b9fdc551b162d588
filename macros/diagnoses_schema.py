"""Schema of ``data/diagnoses.yml`` (causes, recognisers, programs), its loader and its compiled form.

The YAML is validated like ``data/clients.yml`` (``macros.yamlfile``: file, line, key path and id in
every message) and exported as JSON Schema (``data/diagnoses.schema.json``). The compiled rules are
written into the diagnosis package (``diagnose/smtpdiagnose/diagnoses.json``), so ``python -m smtpsim
diagnose`` works from an installed wheel; ``python -m macros.diagnoses_schema`` rewrites both files
and tests fail while either is stale. Regular expressions are held to the subset that Python's ``re``
(ASCII, ignore case, multi-line) and JavaScript's ``RegExp`` (flags ``im``) read alike.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from smtpsim.registry import names

from .yamlfile import DataFileError, Loc, editor_schema, parse_yaml, schema_file_text, validate_model

ROOT = Path(__file__).resolve().parent.parent
DATA_PATH = ROOT / "data" / "diagnoses.yml"
SCHEMA_PATH = ROOT / "data" / "diagnoses.schema.json"
COMPILED_PATH = ROOT / "diagnose" / "smtpdiagnose" / "diagnoses.json"

#: The JSON contract of issue 10: exactly these cause, server and stage ids.
CAUSE_IDS = (
    "no-auth",
    "bad-credentials",
    "auth-method-blocked",
    "tls-required",
    "unknown-recipient",
    "bad-recipient-syntax",
    "sender-verify",
    "sender-not-allowed",
    "blocklist-or-policy",
    "rate-limit",
    "temporary",
    "bad-helo",
    "client-bug",
    "unknown",
)
#: Servers the diagnosis knows that smtpsim does not simulate, after those it does.
OTHER_SERVER_IDS = ("gmail", "microsoft365", "exchange", "qmail", "other")
#: Servers in tie-break order: the engine's registry first (cPanel's Exim before plain Exim: its
#: wording is the more specific), then the others.
SERVER_IDS = (*names(), *OTHER_SERVER_IDS)
STAGE_IDS = ("connect", "ehlo", "starttls", "auth", "mail", "rcpt", "data", "message")
#: What a cause asks the reader to check: a ``fields[].value`` of data/clients.yml, or not a setting.
SETTINGS = ("auth_required", "auth_method", "username", "password", "security", "port", "host")
NOT_SETTINGS = ("recipient", "sender", "none")

CauseId = Literal[CAUSE_IDS]
ServerId = Literal[SERVER_IDS]
StageId = Literal[STAGE_IDS]
SettingId = Literal[SETTINGS + NOT_SETTINGS]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Anchor = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]

#: Python flags equal to JavaScript's ``im`` on the normalised text (see smtpdiagnose.diagnose).
PY_FLAGS = re.IGNORECASE | re.MULTILINE | re.ASCII
#: Constructs that Python and JavaScript read differently (or one of them not at all).
_NOT_PORTABLE = re.compile(r"\(\?(?![:=!])|\\[AZzGpPNhKQEx]|\{,|[*+?}]\+|\[\[:|\\[0-9]")


def widen_spaces(pattern: str) -> str:
    """A space in a wording matches any run of white space, line breaks included (bounces and logs
    wrap long replies): ``' '`` -> ``\\s+``, ``' ?'``/``' *'`` -> ``\\s*``; classes are left alone."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class or ch == "[":
            in_class = ch == "[" or (in_class and ch != "]")
            out.append(ch)
        elif ch == " ":
            after = pattern[i + 1 : i + 2]
            if after in ("?", "*", "+"):
                out.append(r"\s*" if after != "+" else r"\s+")
                i += 1
            else:
                out.append(r"\s+" if after != "{" else r"\s")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cause(_Model):
    """Why the mail was refused, in the reader's words, and what to change."""

    id: CauseId
    title: Text = Field(description="The cause in plain words (a short sentence)")
    explanation: Text
    fix: Text = Field(description="What to change, whatever the program")
    article: Anchor | None = Field(None, description="Heading id of this cause on the 503 article")
    settings: list[SettingId] = Field(min_length=1, description="Client settings to check, most useful first")


class Server(_Model):
    id: ServerId
    name: Text


class Stage(_Model):
    id: StageId
    label: Text


class Recogniser(_Model):
    """A wording: a server's reply, a program's wrapper around it, or a hint (step, server)."""

    id: Id
    match: str = Field(description="Regular expression (ignore case, multi-line; JS/Python common subset)")
    causes: dict[CauseId, Annotated[float, Field(gt=0, le=10)]] = Field(default_factory=dict)
    weight: Annotated[float, Field(gt=0, le=10)] | None = Field(
        None, description="Strength of a recogniser without causes (program, step or server hint)"
    )
    consequences: list[CauseId] = Field(
        default_factory=list, description="Causes this wording explains away (they stop counting)"
    )
    symptom: bool = Field(False, description="Says what was refused, not why (counts only without a reason)")
    server: ServerId | None = None
    stage: StageId | None = None
    program: Id | None = None
    example: Text = Field(description="A real text this wording matches, quoted from the source")
    other_servers: Literal["data", "refusal"] | None = Field(
        None, description="Row of the article's 'What other mail servers say' table (servers not simulated)"
    )
    recorded: bool = Field(False, description="Also replayed by the simulator from a real-server recording")
    source: Text
    checked: dt.date
    verified: bool = True

    @field_validator("match")
    @classmethod
    def _portable_regex(cls, value: str) -> str:
        bad = _NOT_PORTABLE.search(value)
        if bad:
            raise ValueError(f"{bad.group(0)!r} is read differently by JavaScript; use the common subset")
        try:
            compiled = re.compile(widen_spaces(value), PY_FLAGS)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        if compiled.search(""):
            raise ValueError("matches the empty text (it would match everything)")
        return value

    @property
    def strength(self) -> float:
        return max(self.causes.values()) if self.causes else (self.weight or 0.0)


class Program(_Model):
    """A mail program or library: where its settings are and how to see the full server reply."""

    id: Id
    client: Id | None = Field(None, description="Client id in data/clients.yml (labels come from there)")
    name: Text | None = Field(None, description="Required when there is no client")
    guide: Annotated[str, StringConstraints(pattern=r"^[a-z0-9/_-]+\.md#[a-z0-9-]+$")] | None = Field(
        None, description="Docs page and anchor with this program's settings (clients: their own guide)"
    )
    full_reply: Text = Field(description="How to see everything the server said, in this program")
    full_reply_source: Text
    verified: bool = True
    settings: dict[Literal[SETTINGS + NOT_SETTINGS[:2]], Text] = Field(
        default_factory=dict, description="How each setting is written in this program (libraries)"
    )


class DiagnosesData(_Model):
    """The whole ``data/diagnoses.yml``."""

    causes: list[Cause] = Field(min_length=1)
    servers: list[Server] = Field(min_length=1)
    stages: list[Stage] = Field(min_length=1)
    recognisers: list[Recogniser] = Field(min_length=1)
    programs: list[Program] = Field(min_length=1)


class DiagnosesDataError(DataFileError):
    """``data/diagnoses.yml`` is invalid."""

    what = "the diagnoses data"


def _duplicates(items: list[Any], kind: str) -> list[tuple[Loc, str]]:
    seen: dict[str, int] = {}
    found: list[tuple[Loc, str]] = []
    for i, item in enumerate(items):
        if item.id in seen:
            found.append(((kind, i, "id"), f"duplicate id {item.id!r} (also {kind}[{seen[item.id]}])"))
        seen.setdefault(item.id, i)
    return found


def cross_checks(model: DiagnosesData, client_ids: set[str] | None = None) -> list[tuple[Loc, str]]:
    """Rules spanning entries: ids, references, and each example matched by its own expression."""
    found = _duplicates(model.causes, "causes") + _duplicates(model.recognisers, "recognisers")
    found += _duplicates(model.programs, "programs")
    for kind, ids, items in (("servers", SERVER_IDS, model.servers), ("stages", STAGE_IDS, model.stages)):
        found += _duplicates(items, kind)
        absent = [i for i in ids if i not in {x.id for x in items}]
        if absent:
            found.append(((kind,), f"missing {', '.join(absent)} (the JSON contract needs all)"))
    missing = [c for c in CAUSE_IDS if c not in {x.id for x in model.causes}]
    if missing:
        found.append((("causes",), f"missing cause(s) {', '.join(missing)} (the JSON contract needs all)"))
    programs = {p.id for p in model.programs}
    recognised = set()
    for i, rec in enumerate(model.recognisers):
        recognised.update(rec.causes)
        if not rec.causes and rec.weight is None:
            found.append((("recognisers", i, "weight"), "a recogniser without causes needs a weight"))
        if rec.causes and rec.weight is not None:
            found.append((("recognisers", i, "weight"), "give either causes or a weight, not both"))
        if rec.program is not None and rec.program not in programs:
            found.append((("recognisers", i, "program"), f"unknown program {rec.program!r}"))
        if set(rec.consequences) & set(rec.causes):
            found.append((("recognisers", i, "consequences"), "a cause cannot explain itself away"))
        if rec.other_servers and not rec.server:
            found.append((("recognisers", i, "other_servers"), "needs 'server' (the table's row)"))
        if not re.search(widen_spaces(rec.match), rec.example, PY_FLAGS):
            found.append((("recognisers", i, "example"), f"is not matched by its own 'match' {rec.match!r}"))
    for cause in CAUSE_IDS:
        if cause != "unknown" and cause not in recognised and cause not in missing:
            index = next(i for i, c in enumerate(model.causes) if c.id == cause)
            found.append((("causes", index, "id"), f"no recogniser points to cause {cause!r}"))
    needed = [s for s in SETTINGS + NOT_SETTINGS if s not in ("host", "none")]
    needed = [s for s in needed if any(s in c.settings for c in model.causes)]
    for i, prog in enumerate(model.programs):
        if (prog.client is None) == (prog.name is None):
            found.append((("programs", i, "name"), "give either 'client' or 'name'"))
        if prog.client is not None and client_ids is not None and prog.client not in client_ids:
            found.append((("programs", i, "client"), f"no client {prog.client!r} in data/clients.yml"))
        if prog.client is None:
            lacking = [s for s in needed if s not in prog.settings]
            if lacking:
                found.append((("programs", i, "settings"), f"missing setting(s) {', '.join(lacking)}"))
    return found


def load_text(
    text: str, file: str = "data/diagnoses.yml", client_ids: set[str] | None = None
) -> DiagnosesData:
    data = parse_yaml(text, file, DiagnosesDataError)
    if data is None:
        raise DiagnosesDataError([])
    return validate_model(
        data, file, DiagnosesData, lambda m: cross_checks(m, client_ids), DiagnosesDataError
    )


def load_file(
    path: Path = DATA_PATH, display: str = "data/diagnoses.yml", client_ids: set[str] | None = None
):
    return load_text(path.read_text(encoding="utf-8"), display, client_ids)


def compile_rules(data: DiagnosesData) -> dict[str, Any]:
    """What the matchers (``smtpdiagnose.diagnose``, ``diagnose-core.mjs``) read: the same for both."""
    return {
        "format": 1,
        "flags": "im",
        "causes": [{"id": c.id, "title": c.title} for c in data.causes],
        "servers": list(SERVER_IDS),
        "recognisers": [
            {
                "id": r.id,
                "re": widen_spaces(r.match),
                "causes": [[cause, weight] for cause, weight in r.causes.items()],
                "strength": r.strength,
                "consequences": list(r.consequences),
                "symptom": r.symptom,
                "server": r.server,
                "stage": r.stage,
                "program": r.program,
            }
            for r in data.recognisers
        ],
    }


def compiled_text(data: DiagnosesData) -> str:
    return json.dumps(compile_rules(data), indent=1, ensure_ascii=False) + "\n"


def json_schema() -> dict:
    return editor_schema(DiagnosesData, "SmartHost Help Centre: error diagnosis (data/diagnoses.yml)")


def schema_text() -> str:
    return schema_file_text(json_schema())


if __name__ == "__main__":  # python -m macros.diagnoses_schema -> rewrite the JSON Schema and compiled rules
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    COMPILED_PATH.write_text(compiled_text(load_file()), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH.relative_to(ROOT)} and {COMPILED_PATH.relative_to(ROOT)}\n")
