"""The "similar texts" layer (issue 17): how much a paste reads like the collected error texts of each
cause, from a linear model trained on the texts the rules were written from (``tools/train_similar.py``
writes ``data/diagnose-similar.json``; ``macros.diagnoses_schema`` compiles it into the rules).

It is the weakest evidence and mostly adds to the rules: ``rank`` orders causes by the rules' share
plus ``blend`` times this layer's probability; it changes the likeliest cause only where the rules'
rests on a bare reply code or ties with another, and answers alone (a guess) only where no rule
matched and it is sure enough (``ALONE``, ``ALONE_WORDS``).

Features (the same in ``diagnose-similar.mjs``): the words of the paste read with its ASCII letters
lower-cased (runs of ASCII letters and digits, Latin-1 to Latin Extended-B, Greek and Cyrillic
letters), each as ``w:word`` and as its character 3- and 4-grams with a space on each side
(``g: ma``); runs of kana, CJK ideographs and Hangul as single characters and pairs (``c:``). A
feature counts once. The arithmetic is IEEE double in both languages in the same order, and ``exp``
is computed here (not by the platform's library), so both give the same bits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: A word: ASCII letters and digits, or letters of Latin-1 .. Latin Extended-B, Greek, Cyrillic; or a
#: run of kana, CJK ideographs or Hangul (read character by character).
WORD = re.compile(
    r"[0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+", re.ASCII
)
GRAMS = (3, 4)
#: How many words' rows a model remembers (pastes repeat words; the memory stays bounded).
WORD_CACHE = 50_000
#: A cause no rule gave is listed when this layer gives it at least this probability.
SHOWN = 0.1
#: Where no rule recognised anything (not even a reply code), the layer answers alone from this
#: probability of its likeliest class on (a guess, shown as one); below it, and when that class is
#: "unknown", the answer stays "unknown". Measured on the texts old matchers answered "unknown" while
#: the texts were unseen (28; their models had never seen them): 8 of the 15 it answers are right
#: (tests/diagnose/README.md).
ALONE = 0.5
#: ... and only when the paste has at least this many words the layer knows (not "hello world").
ALONE_WORDS = 4


def word_features(word: str) -> list[str]:
    """The features of one word (a run that ``WORD`` matched)."""
    if "\u3040" <= word[0] <= "\ud7af":
        out = []
        for i, ch in enumerate(word):
            out.append("c:" + ch)
            if i + 1 < len(word):
                out.append("c:" + word[i : i + 2])
        return out
    padded = " " + word + " "
    out = ["w:" + word]
    for n in GRAMS:
        out.extend("g:" + padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


def features(low: str) -> set[str]:
    """Every feature of a paste (already normalised, capped and ASCII-lower-cased by ``diagnose``)."""
    return {f for word in {m.group(0) for m in WORD.finditer(low)} for f in word_features(word)}


def exp_neg(x: float) -> float:
    """e**x for x <= 0 from + - * / only (bit-identical in JavaScript): x / 256 by a Taylor series,
    then squared eight times."""
    if x < -60.0:
        return 0.0
    y = x / 256.0
    term, total = 1.0, 1.0
    for n in range(1, 13):
        term = term * y / n
        total += term
    for _ in range(8):
        total *= total
    return total


@dataclass(frozen=True)
class Similar:
    classes: tuple[str, ...]
    bias: tuple[float, ...]
    scale: float
    blend: float
    index: dict[str, int]  # feature -> its row
    idf: tuple[float, ...]
    weights: tuple[tuple[tuple[int, int], ...], ...]  # per row: (class index, weight / scale)
    known: dict[str, frozenset[int]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Similar:
        rows = data["features"]
        return cls(
            classes=tuple(data["classes"]),
            bias=tuple(float(b) for b in data["bias"]),
            scale=float(data["scale"]),
            blend=float(data["blend"]),
            index={row[0]: i for i, row in enumerate(rows)},
            idf=tuple(float(row[1]) for row in rows),
            weights=tuple(tuple(zip(row[2::2], row[3::2], strict=True)) for row in rows),
        )

    def word_rows(self, word: str) -> frozenset[int]:
        """The rows of one word's features (remembered: the same word gives the same rows)."""
        rows = self.known.get(word)
        if rows is None:
            if len(self.known) >= WORD_CACHE:
                self.known.clear()
            rows = self.known[word] = frozenset(self.index[f] for f in word_features(word) if f in self.index)
        return rows

    def known_words(self, low: str) -> int:
        """How many different words of the paste have a feature the model knows."""
        return sum(1 for w in {m.group(0) for m in WORD.finditer(low)} if self.word_rows(w))

    def probabilities(self, low: str) -> dict[str, float] | None:
        """Each cause's probability, or None when the paste has no feature the model knows."""
        rows = sorted(
            frozenset().union(*(self.word_rows(w) for w in {m.group(0) for m in WORD.finditer(low)}))
        )
        if not rows:
            return None
        norm = 0.0
        for r in rows:
            norm += self.idf[r] * self.idf[r]
        norm = math.sqrt(norm)
        acc = [0.0] * len(self.classes)
        for r in rows:
            for c, k in self.weights[r]:
                acc[c] += k * self.idf[r]
        z = [self.bias[c] + acc[c] * self.scale / norm for c in range(len(self.classes))]
        top = max(z)
        e = [exp_neg(v - top) for v in z]
        total = 0.0
        for v in e:
            total += v
        return {cause: e[c] / total for c, cause in enumerate(self.classes)}

    def telling_words(self, low: str, cause: str, limit: int = 3) -> list[str]:
        """The paste's words that speak most for *cause* (the evidence shown), strongest first."""
        c = self.classes.index(cause)
        scored: dict[str, float] = {}
        for m in WORD.finditer(low):
            word = m.group(0)
            if word in scored:
                continue
            total = 0.0
            for r in sorted(self.word_rows(word)):
                for ci, k in self.weights[r]:
                    if ci == c:
                        total += k * self.idf[r]
            if total > 0:
                scored[word] = total
        ranked = sorted(scored, key=lambda w: -scored[w])
        return ranked[:limit]


def rank(
    model: Similar,
    low: str,
    order: Sequence[str],
    share: dict[str, float],
    by_rules: list[str],
    keep_first: bool,
    good_reply: bool,
) -> tuple[list[str], bool]:
    """The causes, likeliest first, and whether this layer put the first there.

    Each cause scores the rules' *share* of it plus ``blend`` times the layer's probability (*share* is
    updated in place to the shown confidence). With no rule matched (*by_rules* empty) the layer says
    nothing unless its likeliest class is a cause with probability ``ALONE`` or more, the paste has
    ``ALONE_WORDS`` words it knows and no success reply (*good_reply*): then it answers alone, a guess.
    With *keep_first* the first cause stays the rules' first, or, where several tie for it, the one
    the layer prefers (the data file's *order* broke such ties before); no other cause then shows a
    higher confidence. A cause no rule gave is listed from probability ``SHOWN`` on."""
    probs = model.probabilities(low)
    if probs is None:
        return by_rules, False
    p = {c: probs.get(c, 0.0) for c in order if c != "unknown"}
    if not by_rules:
        best = max(model.classes, key=lambda c: probs[c])
        if best == "unknown" or probs[best] < ALONE or model.known_words(low) < ALONE_WORDS or good_reply:
            return [], False
        for c in p:
            share[c] = model.blend * p[c] / (1 + model.blend)
        return sorted((c for c in p if p[c] >= SHOWN), key=lambda c: (-share[c], order.index(c))), True
    tied = {c for c in by_rules if share[c] == share[by_rules[0]]}
    for c in p:
        share[c] = (share[c] + model.blend * p[c]) / (1 + model.blend)
    ranked = sorted(
        (c for c in p if share[c] > 0 and (c in by_rules or p[c] >= SHOWN)),
        key=lambda c: (-share[c], order.index(c)),
    )
    if keep_first:
        first = next(c for c in ranked if c in tied)
        ranked = [first, *(c for c in ranked if c != first)]
        for c in ranked[1:]:
            share[c] = min(share[c], share[first])
    return ranked, ranked[0] != by_rules[0]
