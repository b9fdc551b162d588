"""Train the diagnosis's "similar texts" layer (``smtpdiagnose.similar``) and write
``data/diagnose-similar.json`` (``make train-similar``; ``tests/diagnose/test_similar.py`` checks the
file is what this gives on today's texts).

It learns only from the texts the rules were written from (``tests/support/diagnose_corpus.py``,
part ``written-from``) and from the rules' own examples (``example`` of each wording in
``data/diagnose*.yml`` whose strongest cause clearly leads, by ``CLEAR``: labelled with that cause):
never from the held-out or blind parts, which measure it. The model is a
multinomial logistic regression (softmax) over the features of ``smtpdiagnose.similar``, each weighted
by its inverse document frequency and the vector scaled to length 1, trained by stochastic gradient
descent with L2 weight decay, once for each of ``SEEDS`` (the order of the texts,
``random.Random(seed)``), and the weights averaged. One order alone moved a fifth of the texts in or
out of a cause's top three when 15 training texts were added (round 10, model alone on the held-out
and blind texts: 93 of 269); the average of five moves about half as many (53), with the same
cross-validated accuracy. Then only the ``KEEP`` features with the largest weights are kept, the
model is trained again on them, and the weights are rounded to ``SCALE``.

The arithmetic is numpy's, element by element (sums in a fixed order, ``exp`` from + - * / as in
``smtpdiagnose.similar.exp_neg``, no BLAS), so the same texts give the same file on any machine with
the locked numpy.

    make train-similar                       # write data/diagnose-similar.json, compile the rules
    PYTHONPATH=.:tests:tools .venv/bin/python tools/train_similar.py --check   # 1: out of date
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np

from macros.diagnoses_schema import load_file
from smtpdiagnose.diagnose import cap, lower_ascii, normalise
from smtpdiagnose.similar import features
from support.diagnose_corpus import SETS, load_sets

ROOT = Path(__file__).resolve().parents[1]

OUT = ROOT / "data" / "diagnose-similar.json"
#: One training per seed (the order of the texts), the weights averaged.
SEEDS = (20261207, 20261208, 20261209, 20261210, 20261211)
EPOCHS, RATE, DECAY = 20, 2.0, 1e-4
MIN_DF, KEEP, SCALE = 2, 3000, 0.1
#: A wording's example trains the model when its strongest cause has at least CLEAR times the weight
#: of the next (a tie or near-tie says the wording alone does not decide).
CLEAR = 1.25
#: How the rules use it (smtpdiagnose.similar): score = the rules' share + BLEND x probability.
BLEND = 1.0


def training_entries() -> list[dict[str, Any]]:
    """The written-from texts, then the wordings' clear examples (id ``example:<recogniser>``)."""
    entries = list(load_sets()["written-from"])
    for rec in load_file(timed=False).recognisers:
        weights = sorted(rec.causes.values(), reverse=True)
        if not weights or rec.symptom or not rec.example:
            continue
        if len(weights) == 1 or weights[0] >= CLEAR * weights[1]:
            top = max(rec.causes, key=lambda c: rec.causes[c])
            entries.append({"id": f"example:{rec.id}", "cause": top, "text": rec.example})
    return entries


def read(text: str) -> set[str]:
    """A text's features, read exactly as ``diagnose`` reads a paste."""
    return features(lower_ascii(cap(normalise(text))[0]))


def fingerprint(entries: list[dict[str, Any]]) -> str:
    h = hashlib.sha256()
    for e in sorted(entries, key=lambda e: e["id"]):
        h.update(json.dumps([e["id"], e["cause"], e["text"]], ensure_ascii=False).encode())
    return h.hexdigest()


Vector = tuple[np.ndarray, np.ndarray]  # a text's feature rows, and their values


def vectors(docs: list[set[str]], idf: dict[str, float], index: dict[str, int]) -> list[Vector]:
    """Each text's known features as (rows, idf), by row, scaled to length 1 (as similar.probabilities)."""
    out = []
    for feats in docs:
        rows = sorted((index[f], idf[f]) for f in feats if f in index)
        norm = math.sqrt(sum(v * v for _, v in rows)) or 1.0
        out.append((np.array([r for r, _ in rows], dtype=np.int64), np.array([v / norm for _, v in rows])))
    return out


def exp_neg_all(x: np.ndarray) -> np.ndarray:
    """``exp_neg`` of each element (the same + - * / in the same order: the same bits)."""
    y = x / 256.0
    term, total = np.ones_like(x), np.ones_like(x)
    for n in range(1, 13):
        term = term * y / n
        total = total + term
    for _ in range(8):
        total = total * total
    return np.where(x < -60.0, 0.0, total)


def sgd(
    xs: list[Vector], ys: list[int], width: int, classes: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regression by SGD, the texts in ``random.Random(seed)``'s order, the learning rate
    falling as 1/(1 + epoch). Weight decay touches only the rows a text has (lazy, as it always was)."""
    weights = np.zeros((width, classes))
    bias = np.zeros(classes)
    order = list(range(len(xs)))
    rng = random.Random(seed)
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = RATE / (1 + epoch)
        keep = 1 - rate * DECAY
        for i in order:
            rows, v = xs[i]
            w = weights[rows]
            # Row after row (an accumulation, never a pairwise or vector reduction): the same sums on any CPU.
            z = bias + np.cumsum(v[:, None] * w, axis=0)[-1] if len(rows) else bias
            e = exp_neg_all(z - z.max())
            g = e / math.fsum(e.tolist())
            g[ys[i]] -= 1.0
            bias = bias - rate * g
            weights[rows] = w * keep - rate * (v[:, None] * g[None, :])
    return weights, bias


def averaged(xs: list[Vector], ys: list[int], width: int, classes: int) -> tuple[np.ndarray, np.ndarray]:
    """The mean of ``sgd``'s weights over ``SEEDS``."""
    runs = [sgd(xs, ys, width, classes, seed) for seed in SEEDS]
    return sum(w for w, _ in runs) / len(runs), sum(b for _, b in runs) / len(runs)


def train(entries: list[dict[str, Any]]) -> dict[str, Any]:
    classes = sorted({e["cause"] for e in entries})
    docs = [read(e["text"]) for e in entries]
    ys = [classes.index(e["cause"]) for e in entries]
    df: dict[str, int] = {}
    for feats in docs:
        for f in feats:
            df[f] = df.get(f, 0) + 1
    n = len(docs)
    idf = {f: round(math.log((1 + n) / (1 + k)) + 1, 3) for f, k in df.items() if k >= MIN_DF}
    names = sorted(idf)
    weights, _ = averaged(
        vectors(docs, idf, {f: i for i, f in enumerate(names)}), ys, len(names), len(classes)
    )
    largest = np.abs(weights).max(axis=1).tolist()
    strongest = sorted(range(len(names)), key=lambda i: (-largest[i], names[i]))
    names = sorted(names[i] for i in strongest[:KEEP])
    weights, bias = averaged(
        vectors(docs, idf, {f: i for i, f in enumerate(names)}), ys, len(names), len(classes)
    )
    rows = []
    for f, ws in zip(names, weights.tolist(), strict=True):
        row: list[Any] = [f, idf[f]]
        for c, w in enumerate(ws):
            k = round(w / SCALE)
            if k:
                row += [c, k]
        if len(row) > 2:
            rows.append(row)
    return {
        "about": "Generated by tools/train_similar.py from the written-from texts; do not edit.",
        "trained_from": [str(p.relative_to(ROOT)) for p in SETS["written-from"]]
        + ["data/diagnose*.yml: each wording's example"],
        "texts": n,
        "fingerprint": fingerprint(entries),
        "classes": classes,
        "bias": [round(b, 4) for b in bias.tolist()],
        "scale": SCALE,
        "blend": BLEND,
        "features": rows,
    }


def text_of(model: dict[str, Any]) -> str:
    head = {k: v for k, v in model.items() if k != "features"}
    body = ",\n".join(json.dumps(row, ensure_ascii=False) for row in model["features"])
    return json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "features": [\n' + body + "\n ]\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    text = text_of(train(training_entries()))
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.relative_to(ROOT)}: {'up to date' if same else 'out of date: run make train-similar'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(json.loads(text)['features'])} features")
    return 0


if __name__ == "__main__":
    sys.exit(main())
