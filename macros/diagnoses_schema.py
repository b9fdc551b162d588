"""Schema of ``data/diagnoses.yml`` (causes, recognisers, programs) and its loader (its compiled form:
``macros.diagnoses_compile``).

The YAML is validated like ``data/clients.yml`` (``macros.yamlfile``: file, line, key path and id in
every message) and exported as JSON Schema (``data/diagnoses.schema.json``). The compiled rules are
written into the diagnosis package (``diagnose/smtpdiagnose/diagnoses.json``), so ``python -m smtpsim
diagnose`` works from an installed wheel; ``python -m macros.diagnoses_schema`` rewrites both files
and tests fail while either is stale. Regular expressions are held to the subset that Python's ``re``
(ASCII, ignore case, multi-line) and JavaScript's ``RegExp`` (flags ``im``) read alike.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.json_schema import SkipJsonSchema

from smtpsim.registry import names

from .diagnose_regex import CACHED, NOT_PORTABLE, check_linear, lower_ascii, normalise, wording_regex
from .safe_text import MarkdownText, PlainLines, PlainText, Source, StrictBool, StrictDate, StrictFloat
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
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
Text = PlainText  # every text is plain (escaped) unless its field says MarkdownText
Anchor = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]

#: The layers of evidence (issue 17), strongest first: what decided a diagnosis.
LAYERS = ("wording", "enhanced-code", "reply-code", "wrapper", "language", "device", "prior")
LayerId = Literal[LAYERS]
LANGUAGES = (
    *("en", "de", "fr", "es", "pt", "it", "nl", "pl", "ru", "zh", "ja"),
    *("cs", "tr", "sv", "ko", "uk", "hu"),
    *("da", "nb", "nn", "sk", "sl", "hr", "bg", "lt", "lv", "et", "ca", "el", "vi", "id"),
    *("fi", "ro", "he", "ar", "sr"),
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cause(_Model):
    """Why the mail was refused, in the reader's words, and what to change."""

    id: CauseId
    title: Text = Field(description="The cause in plain words (a short sentence)")
    explanation: MarkdownText
    fix: MarkdownText = Field(description="What to change, whatever the program")
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
    match: str = Field(
        max_length=4000, description="Regular expression (ignore case, multi-line; JS/Python common subset)"
    )
    causes: dict[CauseId, Annotated[StrictFloat, Field(gt=0, le=10)]] = Field(default_factory=dict)
    weight: Annotated[StrictFloat, Field(gt=0, le=10)] | None = Field(
        None, description="Strength of a recogniser without causes (program, step or server hint)"
    )
    consequences: list[CauseId] = Field(
        default_factory=list, description="Causes this wording explains away (they stop counting)"
    )
    symptom: StrictBool = Field(
        False, description="Says what was refused, not why (counts only without a reason)"
    )
    server: ServerId | None = None
    stage: StageId | None = None
    program: Id | None = None
    example: PlainLines = Field(description="A real text this wording matches, quoted from the source")
    layer: LayerId | None = Field(
        None, description="Kind of evidence (default: 'wrapper' with a program, else 'wording')"
    )
    meaning: Text | None = Field(
        None, description="What it means, in customer words (default: the title of its first cause)"
    )
    lang: Literal[LANGUAGES] | None = Field(None, description="Language of a plain-language wording")
    constructed: StrictBool = Field(
        False,
        description="The example is a phrase written to test the wording (a translation of an English "
        "wording, no vendor page quoted), not a quote; needs verified: false",
    )
    other_servers: Literal["data", "refusal"] | None = Field(
        None, description="Row of the article's 'What other mail servers say' table (servers not simulated)"
    )
    recorded: StrictBool = Field(
        False, description="Also replayed by the simulator from a real-server recording"
    )
    source: Source
    checked: StrictDate
    verified: StrictBool = True

    @field_validator("match")
    @classmethod
    def _portable_regex(cls, value: str) -> str:
        problem = _regex_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @property
    def strength(self) -> float:
        return max(self.causes.values()) if self.causes else (self.weight or 0.0)


@functools.lru_cache(maxsize=CACHED)
def _regex_problem(value: str) -> str | None:
    """Why the wording *value* cannot be a recogniser's ``match`` (or None): once per distinct wording."""
    bad = NOT_PORTABLE.search(value)
    if bad:
        return f"{bad.group(0)!r} is read differently by JavaScript; use the common subset"
    try:
        regex = wording_regex(value)
    except re.error as exc:
        return f"not a regular expression: {exc}"
    risk = check_linear(regex.pattern)
    if risk:
        return f"could backtrack badly on a long paste: {risk}"
    if regex.search(""):
        return "matches the empty text (it would match everything)"
    return None


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
    verified: StrictBool = True
    settings: dict[Literal[SETTINGS + NOT_SETTINGS[:2]], Text] = Field(
        default_factory=dict, description="How each setting is written in this program (libraries)"
    )


#: ``X.7.8``; ``X.7.x`` is any code of that subject the table does not list; ``4.2.1`` is that code in
#: one class only (it wins over ``X.2.1``: a temporary 4.2.1 is a rate limit, a 5.2.1 a disabled mailbox).
CodeText = Annotated[str, StringConstraints(pattern=r"^[X45]\.[0-9]{1,3}\.([0-9]{1,3}|x)$")]
#: ``535``; ``5xx`` is any reply of that class the table does not list.
ReplyText = Annotated[str, StringConstraints(pattern=r"^[45]([0-5][0-9]|xx)$")]
Weights = dict[CauseId, Annotated[StrictFloat, Field(gt=0, le=10)]]


class EnhancedCode(_Model):
    """An enhanced status code (RFC 3463, the IANA registry of RFC 5248), class left out (``X.7.8``)
    or, where the class changes its meaning, with its class (``4.2.1``)."""

    code: CodeText
    title: Text = Field(description="The registry's name for it")
    causes: Weights = Field(default_factory=dict, description="Empty: says nothing about the cause")
    meaning: Text = Field(description="What it means, in customer words")
    source: Source
    checked: StrictDate


class ReplyCode(_Model):
    """A three-digit SMTP reply (RFC 5321 §4.2, RFC 4954 §6) at a step, or at any step."""

    code: ReplyText
    stage: StageId | None = None
    layer: Literal["reply-code", "prior"] = "reply-code"
    causes: Weights = Field(default_factory=dict)
    meaning: Text
    source: Source
    checked: StrictDate


class NotRefusals(_Model):
    """The reply codes that refuse nothing of their own (RFC 5321 §4.2.3: the server is closing, or the
    command is unknown or not implemented): a later 503 does not repeat them (issue 17's prior)."""

    codes: list[ReplyText] = Field(min_length=1)
    meaning: Text
    source: Source
    checked: StrictDate


class DiagnosesData(_Model):
    """The whole ``data/diagnoses.yml``, and after loading the layers of the other data files
    (``macros.diagnose_layers``: codes, languages, devices) appended to it."""

    causes: list[Cause] = Field(min_length=1)
    servers: list[Server] = Field(min_length=1)
    stages: list[Stage] = Field(min_length=1)
    recognisers: list[Recogniser] = Field(min_length=1)
    programs: list[Program] = Field(min_length=1)
    enhanced: list[EnhancedCode] = Field(default_factory=list)
    reply: list[ReplyCode] = Field(default_factory=list)
    not_refusals: list[ReplyText] = Field(default_factory=list)
    #: The "similar texts" model (``data/diagnose-similar.json``, generated by tools/train_similar.py),
    #: loaded beside the YAML; never written in diagnoses.yml.
    similar: SkipJsonSchema[dict[str, Any] | None] = Field(default=None, exclude=True)


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


def matches(match: str, example: str) -> bool:
    """Whether the wording *match* finds *example*, read as both matchers read a paste."""
    return wording_regex(match).search(lower_ascii(normalise(example))) is not None


def recogniser_checks(recognisers: list[Recogniser], programs: set[str]) -> list[tuple[Loc, str]]:
    """Each recogniser on its own: causes or a weight, known program, its example matched."""
    found = _duplicates(recognisers, "recognisers")
    for i, rec in enumerate(recognisers):
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
        if rec.constructed and rec.verified:
            found.append((("recognisers", i, "verified"), "a constructed example is not verified: false"))
        if not matches(rec.match, rec.example):
            found.append((("recognisers", i, "example"), f"is not matched by its own 'match' {rec.match!r}"))
    return found


def cross_checks(model: DiagnosesData, client_ids: set[str] | None = None) -> list[tuple[Loc, str]]:
    """Rules spanning entries: ids, references, and each example matched by its own expression."""
    found = _duplicates(model.causes, "causes") + _duplicates(model.programs, "programs")
    for kind, ids, items in (("servers", SERVER_IDS, model.servers), ("stages", STAGE_IDS, model.stages)):
        found += _duplicates(items, kind)
        absent = [i for i in ids if i not in {x.id for x in items}]
        if absent:
            found.append(((kind,), f"missing {', '.join(absent)} (the JSON contract needs all)"))
    missing = [c for c in CAUSE_IDS if c not in {x.id for x in model.causes}]
    if missing:
        found.append((("causes",), f"missing cause(s) {', '.join(missing)} (the JSON contract needs all)"))
    recognised = {c for rec in model.recognisers for c in rec.causes}
    found += recogniser_checks(model.recognisers, {p.id for p in model.programs})
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
    path: Path = DATA_PATH,
    display: str = "data/diagnoses.yml",
    client_ids: set[str] | None = None,
    timed: bool = True,
) -> DiagnosesData:
    """``data/diagnoses.yml`` with the layers of its sibling files (codes, languages, devices); *timed*:
    run the expressions' speed guard (``macros.diagnose_layers.with_layers``)."""
    from .diagnose_layers import with_layers

    main = load_text(path.read_text(encoding="utf-8"), display, client_ids)
    return with_layers(main, path.parent, str(Path(display).parent), timed)


def json_schema() -> dict:
    return editor_schema(DiagnosesData, "SmartHost Help Centre: error diagnosis (data/diagnoses.yml)")


def schema_text() -> str:
    return schema_file_text(json_schema())


if __name__ == "__main__":  # python -m macros.diagnoses_schema -> rewrite the JSON Schema and compiled rules
    from .diagnoses_compile import compiled_text

    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    COMPILED_PATH.write_text(compiled_text(load_file()), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH.relative_to(ROOT)} and {COMPILED_PATH.relative_to(ROOT)}\n")
