"""data/diagnoses.yml: it validates, its JSON Schema and compiled copy are in sync, every wording
is diagnosed as the cause it is listed for, and broken variants fail with file, line, key and id."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from macros.clients_schema import load_file as load_clients
from macros.diagnoses_compile import compiled_text
from macros.diagnoses_schema import (
    CAUSE_IDS,
    COMPILED_PATH,
    DATA_PATH,
    SCHEMA_PATH,
    SERVER_IDS,
    STAGE_IDS,
    DiagnosesData,
    DiagnosesDataError,
    json_schema,
    load_file,
    load_text,
    schema_text,
)
from smtpdiagnose.diagnose import default_rules, diagnose
from support import diagnose_contract
from support.bad_yaml import Mutation as Case
from support.bad_yaml import line_of_marker
from support.yaml_read import read_yaml

ROOT = Path(__file__).resolve().parents[2]

TEXT = DATA_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def data() -> DiagnosesData:
    clients = load_clients(ROOT / "data" / "clients.yml")
    # The expressions' speed guard has its own test (test_recogniser_speed.py): not timed again here.
    return load_file(client_ids={c.id for c in clients.clients}, timed=False)


def raw() -> dict:
    return json.loads(json.dumps(read_yaml(TEXT), default=str))


def test_every_contract_cause_is_defined_once(data: DiagnosesData) -> None:
    assert [c.id for c in data.causes] == list(CAUSE_IDS)


def test_the_schema_declares_exactly_the_contract_ids() -> None:
    assert set(CAUSE_IDS) == diagnose_contract.CAUSES
    assert set(SERVER_IDS) | {"unknown"} == diagnose_contract.SERVERS  # "unknown": nothing recognised
    assert set(STAGE_IDS) | {"unknown"} == diagnose_contract.STAGES


def test_json_schema_and_compiled_rules_are_in_sync(data: DiagnosesData) -> None:
    hint = "stale: run `.venv/bin/python -m macros.diagnoses_schema`"
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), f"{SCHEMA_PATH.name} {hint}"
    assert COMPILED_PATH.read_text(encoding="utf-8") == compiled_text(data), f"{COMPILED_PATH.name} {hint}"


def test_json_schema_accepts_the_yaml_and_rejects_unknown_keys() -> None:
    schema = json_schema()
    doc = raw()
    jsonschema.validate(doc, schema)
    doc["recognisers"][0]["colour"] = "blue"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_every_wording_has_a_source_and_a_checked_date(data: DiagnosesData) -> None:
    """A public page, or a golden transcript recorded from the real server (the example is in it);
    a plain-vocabulary wording whose example is constructed says so (unverified, no page quoted)."""
    for rec in data.recognisers:
        if rec.constructed:
            assert not rec.verified and rec.source.startswith("vocabulary:"), rec.id
        elif rec.source.startswith("tests/golden/"):
            recording = (ROOT / rec.source).read_text(encoding="utf-8")
            lines = rec.example.split("\n")
            assert rec.recorded and all(json.dumps(x)[1:-1] in recording for x in lines), rec.id
        else:
            assert rec.source.startswith(("http://", "https://")), rec.id
    for prog in data.programs:
        assert prog.full_reply_source.startswith(("http://", "https://")), prog.id


def test_each_example_is_diagnosed_as_its_strongest_cause(data: DiagnosesData) -> None:
    """The wordings do not shadow one another: each example text, alone, gets the cause its own
    recogniser gives the most weight (wrappers and symptoms, which name no reason, excepted), by the
    rules alone (with the "similar texts" layer, another cause the rules give exactly as much weight
    may come first: test_similar.py)."""
    alone = dataclasses.replace(default_rules(), similar=None)
    wrong = {}
    for rec in data.recognisers:
        if not rec.causes or rec.symptom or rec.program:
            continue
        want = max(rec.causes, key=lambda c: rec.causes[c])
        got = diagnose(rec.example, alone).causes[0]["id"]
        if got != want:
            wrong[rec.id] = (want, got)
    assert wrong == {}


CASES = [
    Case(
        "unknown-cause",
        "match: 'relay not permitted'\n    causes: {",
        "match: 'relay not permitted'\n    causes: {typo: 1, ",
        r"^recognisers\[\d+\]\.causes\.typo\.\[key\] \(id 'exim-relay-not-permitted'\)$",
        "Input should be",
        "causes: {typo: 1, ",
    ),
    Case(
        "bad-regex",
        "match: 'relay not permitted'",
        "match: 'relay (not permitted'",
        r"^recognisers\[\d+\]\.match \(id 'exim-relay-not-permitted'\)$",
        "not a regular expression",
        "match: 'relay (not permitted'",
    ),
    Case(
        "lookbehind",
        "match: 'relay not permitted'",
        "match: '(?<=550 )relay not permitted'",
        r"^recognisers\[\d+\]\.match \(id 'exim-relay-not-permitted'\)$",
        "read differently by JavaScript",
        "match: '(?<=550 )relay",
    ),
    Case(
        "empty-match",
        "match: 'relay not permitted'",
        "match: 'x*'",
        r"^recognisers\[\d+\]\.match",
        "matches the empty text",
        "match: 'x*'",
    ),
    Case(
        "example-not-matched",
        'example: "550 relay not permitted"',
        'example: "550 relaying not permitted"',
        r"^recognisers\[\d+\]\.example \(id 'exim-relay-not-permitted'\)$",
        "not matched by its own",
        'example: "550 relaying not permitted"',
    ),
    Case(
        "unknown-server",
        "    server: exim-cpanel\n",
        "    server: cpanel\n",
        r"^recognisers\[\d+\]\.server \(id 'cpanel-[a-z0-9-]+'\)$",
        "Input should be",
        "server: cpanel",
    ),
    Case(
        "unknown-program",
        "program: phpmailer\n    stage: rcpt",
        "program: php-mailer\n    stage: rcpt",
        r"^recognisers\[\d+\]\.program \(id 'phpmailer-recipients-failed'\)$",
        "unknown program 'php-mailer'",
        "program: php-mailer",
    ),
    Case(
        "duplicate-id",
        "  - id: postfix-relay-access-denied\n",
        "  - id: exim-relay-not-permitted\n",
        r"^recognisers\[\d+\]\.id \(id 'exim-relay-not-permitted'\)$",
        "duplicate id",
        "- id: exim-relay-not-permitted",
        after="id: cpanel-smtp-auth-required-587",
    ),
    Case(
        "unknown-key",
        "    symptom: true\n    server: exim\n    stage: data\n",
        "    symptom: true\n    sever: exim\n    stage: data\n",
        r"^recognisers\[0\]\.sever \(id 'exim-valid-rcpt-must-precede-data'\)$",
        "unknown key",
        "sever: exim",
    ),
    Case(
        "weight-and-causes",
        "    weight: 0.5\n    stage: rcpt\n",
        "    weight: 0.5\n    causes: {no-auth: 1}\n    stage: rcpt\n",
        r"^recognisers\[\d+\]\.weight \(id 'stage-after-rcpt'\)$",
        "not both",
        "weight: 0.5",
    ),
    Case(
        "missing-cause",
        "  - id: rate-limit\n",
        "  - id: unknown\n",
        r"^causes\[\d+\]\.id \(id 'unknown'\)$|^causes$",
        "",
        "- id: unknown",
    ),
    Case(
        "bad-date",
        "    checked: 2026-12-02\n  - id: exim-all-rcpt-rejected",
        "    checked: someday\n  - id: exim-all-rcpt-rejected",
        r"^recognisers\[0\]\.checked",
        "valid date",
        "checked: someday",
    ),
    Case(
        "library-without-settings",
        "      recipient: \"->to('…')\"\n",
        "",
        r"^programs\[\d+\]\.settings \(id 'symfony-mailer'\)$",
        "missing setting(s) recipient",
        "settings:",
        after="- id: symfony-mailer",
    ),
    Case(
        "tab",
        "    title: The user name or password is wrong\n",
        "\ttitle: The user name or password is wrong\n",
        r"^title$",
        "tab character",
        "\ttitle:",
    ),
    Case(
        "yaml-syntax",
        "    title: The user name or password is wrong\n",
        "    title: [The user name\n",
        r".*",
        "YAML syntax error",
        "explanation: >-",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_yaml_reports_file_line_key_and_id(case: Case) -> None:
    bad = case.apply(TEXT, "data/diagnoses.yml")
    with pytest.raises(DiagnosesDataError) as info:
        load_text(bad, "data/diagnoses.yml")
    problem = case.problem(info.value)
    assert problem.file == "data/diagnoses.yml"
    if case.name not in ("missing-cause", "yaml-syntax"):
        assert problem.line == line_of_marker(bad, case.marker, case.after), str(problem)
    assert str(problem).startswith(f"data/diagnoses.yml:{problem.line}: ") or problem.line is None


def test_a_program_must_name_a_known_client() -> None:
    with pytest.raises(DiagnosesDataError, match=r"programs\[0\]\.client \(id 'outlook-classic-windows'\)"):
        load_text(TEXT, "data/diagnoses.yml", client_ids={"thunderbird"})


def test_empty_file_is_an_error() -> None:
    with pytest.raises(DiagnosesDataError):
        load_text("", "data/diagnoses.yml")
