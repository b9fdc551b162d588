"""Issue 17's measuring sets (heldout.yml, blind.yml, the spent blind sets) and the
corpus: well-formed, each text in one part, ids unique across the files. Structure only: the blind
texts are scored in aggregate by ``bench/bench_diagnose.py`` and never read one by one (README
"Parts")."""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path

import pytest

from macros.diagnoses_schema import LANGUAGES as SCHEMA_LANGUAGES
from support.diagnose_contract import CAUSES
from support.diagnose_corpus import CORPUS, HAS_503, SETS, load_corpus

KEYS = {"id", "text", "source", "program", "language", "kind", "cause", "why", "checked", "collector", "part"}
KINDS = {"program", "website-library", "device", "provider-ndr"}
#: A text's language: one of those the rules are written in (ISO 639-1; a typo fails).
LANGUAGES = set(SCHEMA_LANGUAGES)


@pytest.mark.parametrize(
    ("part", "path"),
    [
        ("held-out", SETS["held-out"][0]),
        ("blind", SETS["blind"][0]),
        *(("written-from", path) for path in SETS["written-from"] if path != CORPUS),  # the spent sets
    ],
)
def test_every_text_is_well_formed_and_in_its_part(part: str, path: Path) -> None:
    entries = load_corpus(path)
    count = len(entries)  # a count, not the list: a failing assertion must never print a blind text
    assert count >= 40
    for e in entries:
        assert set(e) == KEYS, e.get("id")
        assert e["part"] == part and e["cause"] in CAUSES, e["id"]
        assert e["kind"] in KINDS and e["language"] in LANGUAGES, e["id"]
        assert isinstance(e["text"], str) and e["text"].strip(), e["id"]
        assert e["source"].startswith(("http://", "https://")), e["id"]
        assert isinstance(e["checked"], datetime.date), e["id"]


def test_ids_are_unique_across_the_parts() -> None:
    ids = [e["id"] for paths in SETS.values() for path in paths for e in load_corpus(path)]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


MIX = {
    "texts": (120, lambda e: True),
    "non-English": (35, lambda e: e["language"] != "en"),
    "devices": (20, lambda e: e["kind"] == "device"),
    "websites and libraries": (35, lambda e: e["kind"] == "website-library"),
    "a 503 or 'RCPT first'": (15, lambda e: bool(HAS_503.search(e["text"]))),
}


@pytest.mark.parametrize("kind", list(MIX))
def test_the_blind_set_keeps_the_mix_issue_17_asks_for(kind: str) -> None:
    least, counts = MIX[kind]
    assert sum(counts(e) for e in load_corpus(SETS["blind"][0])) >= least
