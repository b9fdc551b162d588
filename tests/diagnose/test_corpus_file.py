"""The diagnose corpus file itself: well-formed entries and the coverage issue 10 asks for.

These tests check the data, not the matcher (the matcher's accuracy on the corpus is tested where
the matcher lives). Rules for entries: README.md in this folder.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from support.diagnose_contract import CAUSES, SERVERS, STAGES
from support.yaml_read import read_yaml

CORPUS = Path(__file__).with_name("corpus.yml")

REQUIRED = ("id", "text", "source", "program", "cause", "why", "checked")
OPTIONAL = ("server", "stage", "audited", "part", "language", "kind", "collector")
PARTS = ("written-from", "held-out")

MIN_ENTRIES = 80
MIN_503_TEXTS = 15
MIN_PROGRAMS = 10

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REPLY_503_RE = re.compile(r"(?<![0-9])503(?![0-9])")


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    data = read_yaml(CORPUS)
    assert isinstance(data, list), f"{CORPUS.name} must be a YAML list of entries"
    assert all(isinstance(e, dict) for e in data), "every entry must be a mapping"
    return data


def test_every_entry_has_exactly_the_known_keys(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        missing = [k for k in REQUIRED if k not in e]
        unknown = sorted(set(e) - set(REQUIRED) - set(OPTIONAL))
        assert not missing and not unknown, f"{e.get('id')}: missing {missing}, unknown keys {unknown}"


def test_every_entry_says_which_part_it_is_in(entries: list[dict[str, Any]]) -> None:
    """Issue 17: ``written-from`` = the rules were written from it (all of this file: README "Parts")."""
    assert [e["id"] for e in entries if e.get("part") not in PARTS] == []


def test_ids_are_unique_kebab_case(entries: list[dict[str, Any]]) -> None:
    ids = [e["id"] for e in entries]
    bad = [i for i in ids if not isinstance(i, str) or not ID_RE.match(i)]
    assert not bad, f"ids not kebab-case: {bad}"
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"


def test_values_come_from_the_contract(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        assert e["cause"] in CAUSES, f"{e['id']}: cause {e['cause']!r}"
        if "server" in e:
            assert e["server"] in SERVERS, f"{e['id']}: server {e['server']!r}"
        if "stage" in e:
            assert e["stage"] in STAGES, f"{e['id']}: stage {e['stage']!r}"


def test_every_entry_has_text_a_web_source_and_a_reason(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        assert isinstance(e["text"], str) and e["text"].strip(), f"{e['id']}: empty text"
        assert re.match(r"^https?://\S+$", e["source"]), f"{e['id']}: source {e['source']!r}"
        assert isinstance(e["program"], str) and e["program"].strip(), f"{e['id']}: empty program"
        assert isinstance(e["why"], str) and len(e["why"].strip()) >= 10, f"{e['id']}: no why"
        checked = e["checked"]
        if isinstance(checked, str):
            checked = datetime.date.fromisoformat(checked)
        assert isinstance(checked, datetime.date), f"{e['id']}: checked {e['checked']!r}"
        if "audited" in e:  # a second reader re-opened the source (README: "Audit")
            audited = e["audited"]
            if isinstance(audited, str):
                audited = datetime.date.fromisoformat(audited)
            assert isinstance(audited, datetime.date), f"{e['id']}: audited {e['audited']!r}"
            assert audited >= checked, f"{e['id']}: audited {audited} before checked {checked}"


def test_no_text_is_repeated_under_another_id(entries: list[dict[str, Any]]) -> None:
    """The same text from the same source twice would count one report twice."""
    seen: dict[tuple[str, str], str] = {}
    for e in entries:
        key = (e["text"].strip(), e["source"])
        assert key not in seen, f"{e['id']} repeats {seen[key]}"
        seen[key] = e["id"]


def test_one_text_never_carries_two_causes(entries: list[dict[str, Any]]) -> None:
    """No matcher can give two answers for one text: identical texts must agree on the cause."""
    causes: dict[str, set[str]] = {}
    for e in entries:
        causes.setdefault(e["text"].strip(), set()).add(e["cause"])
    clashes = {t: c for t, c in causes.items() if len(c) > 1}
    assert not clashes, f"same text, different causes: {clashes}"


def test_coverage_asked_for_by_issue_10(entries: list[dict[str, Any]]) -> None:
    assert len(entries) >= MIN_ENTRIES, f"{len(entries)} entries, want >= {MIN_ENTRIES}"
    missing = CAUSES - {e["cause"] for e in entries}
    assert not missing, f"causes without a real text: {sorted(missing)}"
    with_503 = [e["id"] for e in entries if REPLY_503_RE.search(e["text"])]
    assert len(with_503) >= MIN_503_TEXTS, f"{len(with_503)} texts with a 503, want >= {MIN_503_TEXTS}"
    programs = {e["program"] for e in entries if not e["program"].lower().startswith("unknown")}
    assert len(programs) >= MIN_PROGRAMS, f"{len(programs)} programs, want >= {MIN_PROGRAMS}"


@pytest.mark.parametrize(
    ("server", "wording"),
    [
        ("exim-cpanel", "Please turn on SMTP Authentication"),
        ("gmail", "RCPT first"),
        ("microsoft365", "5.7.57"),
        ("microsoft365", "5.7.139"),
        ("postfix", "Relay access denied"),
        ("postfix", "no valid recipients"),
        ("exim", "503-All RCPT commands were rejected with this error:"),
    ],
)
def test_the_wordings_issue_10_names_are_present(
    entries: list[dict[str, Any]], server: str, wording: str
) -> None:
    assert any(wording in e["text"] for e in entries), f"no real text with {wording!r} ({server})"
