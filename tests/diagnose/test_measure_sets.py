"""Issue 17's measuring sets (heldout.yml, blind.yml, the spent blind sets) and the
corpus: well-formed, each text in one part, ids unique across the files. Structure only: the blind
texts are scored in aggregate by ``bench/bench_diagnose.py`` and never read one by one (README
"Parts")."""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path

import pytest

from support.diagnose_contract import CAUSES
from support.diagnose_corpus import HAS_503, SETS, SPENT_BLIND, SPENT_BLIND_2, SPENT_BLIND_3, load_corpus

KEYS = {"id", "text", "source", "program", "language", "kind", "cause", "why", "checked", "collector", "part"}
KINDS = {"program", "website-library", "device", "provider-ndr"}
LANGUAGES = {"en", "de", "fr", "es", "pt", "it", "nl", "pl", "ru", "zh", "ja"}


@pytest.mark.parametrize(
    ("part", "path"),
    [
        ("held-out", SETS["held-out"][0]),
        ("blind", SETS["blind"][0]),
        ("written-from", SPENT_BLIND),
        ("written-from", SPENT_BLIND_2),
        ("written-from", SPENT_BLIND_3),
    ],
)
def test_every_text_is_well_formed_and_in_its_part(part: str, path: Path) -> None:
    entries = load_corpus(path)
    assert len(entries) >= 40
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


def test_the_blind_set_keeps_the_mix_issue_17_asks_for() -> None:
    blind = load_corpus(SETS["blind"][0])
    assert len(blind) >= 120
    assert sum(e["language"] != "en" for e in blind) >= 35
    assert sum(e["kind"] == "device" for e in blind) >= 20
    assert sum(e["kind"] == "website-library" for e in blind) >= 35
    assert sum(bool(HAS_503.search(e["text"])) for e in blind) >= 15
