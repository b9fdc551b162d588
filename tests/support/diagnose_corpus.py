"""The diagnose corpus (``corpus.yml``, real pasted error texts) and accuracy figures over it.

Shared by the accuracy tests (tests/diagnose/test_diagnose_accuracy.py) and ``bench/bench_diagnose.py``
(which prints the confusion matrix).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smtpdiagnose.diagnose import diagnose
from support.yaml_read import read_yaml

HERE = Path(__file__).resolve().parents[1] / "diagnose"
CORPUS = HERE / "corpus.yml"
#: The blind set of 2026-12-06, spent on 2026-12-07 (a new blind set replaced it): now written-from.
SPENT_BLIND = HERE / "spent-blind-2026-12-06.yml"
#: A seeded random half of blind set 2 (a third of its device texts), spent on 2026-12-07 (round 4).
SPENT_BLIND_2 = HERE / "spent-blind-2026-12-07.yml"
#: Blind set 2's other texts but its devices (collectors B3-B6), spent in round 5 to train the
#: similar-texts model (no rule was written from them then).
SPENT_BLIND_3 = HERE / "spent-blind-2026-12-07-r5.yml"
#: Blind set 3 (collectors B7-B12), spent in round 6: its misses were read and rules written from them.
SPENT_BLIND_4 = HERE / "spent-blind-2026-12-07-r6.yml"
#: Blind set 4 (collectors B13-B20), spent in round 7: its misses were read and rules written from them.
SPENT_BLIND_5 = HERE / "spent-blind-2026-12-07-r7.yml"
#: Blind set 5 (collectors B21-B27), spent in round 8: its misses were read and rules written from them.
SPENT_BLIND_6 = HERE / "spent-blind-2026-12-07-r8.yml"
#: A seeded random half of blind set 6 (collectors B28-B40), spent in round 9: rules from its misses.
SPENT_BLIND_7 = HERE / "spent-blind-2026-12-07-r9.yml"
#: Blind set 7's texts without a 503 / "RCPT first" wording (B41-B46), spent in round 10: rules from them.
SPENT_BLIND_8 = HERE / "spent-blind-2026-12-08-r10.yml"
#: Blind set 8's texts without a 503 / "RCPT first" wording (B47-B52), spent in round 11: rules from them.
SPENT_BLIND_9 = HERE / "spent-blind-2026-12-08-r11.yml"
#: Issue 17's parts, each in one or more files: the texts the rules were written from, and the texts
#: collected by sessions that never saw the rules (held-out: misses may be read; blind: only aggregate
#: scores, never a text).
SETS: dict[str, tuple[Path, ...]] = {
    "written-from": (
        CORPUS,
        SPENT_BLIND,
        SPENT_BLIND_2,
        SPENT_BLIND_3,
        SPENT_BLIND_4,
        SPENT_BLIND_5,
        SPENT_BLIND_6,
        SPENT_BLIND_7,
        SPENT_BLIND_8,
        SPENT_BLIND_9,
    ),
    "held-out": (HERE / "heldout.yml",),
    "blind": (HERE / "blind.yml",),
}
#: A refusal's reply code or enhanced status code: a text with one must never be answered "unknown". An
#: enhanced code is not part of a longer dotted number (an IPv4 address such as 5.60.96.10 is none), and
#: its subject is one of RFC 3463 §3's (0-7): a version number such as 4.94.2 is none (round 7). Like the
#: reply codes (4xx, 5xx), only the classes of a failure count: a success (2.0.0, as 250) refuses nothing
#: and supports no cause (round 10: a text whose only code was a 2.0.0 was counted as one).
HAS_CODE = re.compile(
    r"(^|[^0-9.])([45][0-5][0-9]([ -]|$)|[45]\.[0-7]\.[0-9]{1,3}(?![0-9]|\.[0-9]))", re.MULTILINE
)
#: A text "with a 503 or 'RCPT first'" (issue 17's words): any 503 reply, or a wording of the
#: same refusal without the code (Gmail's "RCPT first", Sendmail's "Need RCPT", Exim's "valid RCPT
#: command", Postfix's "no valid recipients" after every recipient was refused). Bench and blind mix.
HAS_503 = re.compile(
    r"(^|[^0-9.])503([ -]|$)|rcpt first|need rcpt|valid rcpt|no valid recipients",
    re.IGNORECASE | re.MULTILINE,
)
#: The narrower class: a 503 reply that speaks of the recipients (not, for example, "503 AUTH command
#: used when not advertised"); every such text in corpus.yml must be right (test_diagnose_accuracy.py).
HAS_503_RCPT = re.compile(r"(^|[^0-9])503[ -][^\n]{0,80}?(rcpt|recipient)", re.IGNORECASE)


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    return read_yaml(path) or []


def load_sets() -> dict[str, list[dict[str, Any]]]:
    """Every text of every part, by part (a text's own ``part`` key decides; default its file's)."""
    out: dict[str, list[dict[str, Any]]] = {part: [] for part in SETS}
    for part, paths in SETS.items():
        for path in paths:
            for entry in load_corpus(path) if path.exists() else []:
                out.setdefault(entry.get("part", part), []).append(entry)
    return out


@dataclass
class Accuracy:
    """Top-1 / top-3 hits overall and on the 503 texts, and which cause was taken for which."""

    total: int = 0
    top1: int = 0
    top3: int = 0
    total_503: int = 0
    top1_503: int = 0
    unknown: int = 0
    unknown_with_code: int = 0
    confusion: Counter = field(default_factory=Counter)  # (wanted, got) -> count
    misses: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (id, wanted, ranked ids)

    def rate(self, hits: int, of: int) -> float:
        return hits / of if of else 1.0


def measure(entries: list[dict[str, Any]], run: Callable[[str], Any] = diagnose) -> Accuracy:
    """*entries* scored by *run*: this matcher's ``diagnose``, or an earlier commit's
    (tools/fresh_scores.py)."""
    acc = Accuracy()
    for entry in entries:
        ranked = [c["id"] for c in run(entry["text"]).causes]
        want = entry["cause"]
        acc.total += 1
        if ranked[0] == "unknown":
            acc.unknown += 1
            acc.unknown_with_code += bool(HAS_CODE.search(entry["text"]))
        acc.confusion[(want, ranked[0])] += 1
        is_503 = bool(HAS_503.search(entry["text"]))
        acc.total_503 += is_503
        if ranked[0] == want:
            acc.top1 += 1
            acc.top1_503 += is_503
        else:
            acc.misses.append((entry["id"], want, ranked[:3]))
        acc.top3 += want in ranked[:3]
    return acc
