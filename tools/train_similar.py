"""Train the diagnosis's "similar texts" layer (``smtpdiagnose.similar``) and write
``data/diagnose-similar.json`` (``make train-similar``; ``tests/diagnose/test_similar.py`` checks the
file is what this gives on today's texts).

It learns only from the texts the rules were written from (``tests/support/diagnose_corpus.py``,
part ``written-from``) and from the rules' own examples (``example`` of each wording in
``data/diagnose*.yml`` whose strongest cause clearly leads, by ``CLEAR``: labelled with that cause):
never from the held-out or blind parts, which measure it. The model is a
multinomial logistic regression (softmax) over the features of ``smtpdiagnose.similar``, each weighted
by its inverse document frequency and the vector scaled to length 1, trained by stochastic gradient
descent in a fixed order (``random.Random(SEED)``) with L2 weight decay. Plain Python floats only, so
the same texts give the same file on any machine. Then only the ``KEEP`` features with the largest
weights are kept, the model is trained again on them, and the weights are rounded to ``SCALE``.

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

from macros.diagnoses_schema import load_file
from smtpdiagnose.diagnose import cap, lower_ascii, normalise
from smtpdiagnose.similar import exp_neg, features
from support.diagnose_corpus import SETS, load_sets

ROOT = Path(__file__).resolve().parents[1]

OUT = ROOT / "data" / "diagnose-similar.json"
SEED, EPOCHS, RATE, DECAY = 20261207, 20, 2.0, 1e-4
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


Vector = list[tuple[int, float]]


def vectors(docs: list[set[str]], idf: dict[str, float], index: dict[str, int]) -> list[Vector]:
    """Each text's known features as (row, idf), by row, scaled to length 1 (as similar.probabilities)."""
    out = []
    for feats in docs:
        rows = sorted((index[f], idf[f]) for f in feats if f in index)
        norm = math.sqrt(sum(v * v for _, v in rows)) or 1.0
        out.append([(r, v / norm) for r, v in rows])
    return out


def sgd(xs: list[Vector], ys: list[int], width: int, classes: int) -> tuple[list[list[float]], list[float]]:
    """Softmax regression by SGD, the learning rate falling as 1/(1 + epoch)."""
    weights = [[0.0] * classes for _ in range(width)]
    bias = [0.0] * classes
    order = list(range(len(xs)))
    rng = random.Random(SEED)
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = RATE / (1 + epoch)
        for i in order:
            x, y = xs[i], ys[i]
            z = bias[:]
            for r, v in x:
                z = [a + w * v for a, w in zip(z, weights[r], strict=True)]
            top = max(z)
            e = [exp_neg(a - top) for a in z]
            s = sum(e)
            g = [p / s for p in e]
            g[y] -= 1.0
            bias = [b - rate * d for b, d in zip(bias, g, strict=True)]
            keep = 1 - rate * DECAY
            for r, v in x:
                weights[r] = [w * keep - rate * d * v for w, d in zip(weights[r], g, strict=True)]
    return weights, bias


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
    weights, _ = sgd(vectors(docs, idf, {f: i for i, f in enumerate(names)}), ys, len(names), len(classes))
    strongest = sorted(range(len(names)), key=lambda i: (-max(abs(w) for w in weights[i]), names[i]))
    names = sorted(names[i] for i in strongest[:KEEP])
    weights, bias = sgd(vectors(docs, idf, {f: i for i, f in enumerate(names)}), ys, len(names), len(classes))
    rows = []
    for f, ws in zip(names, weights, strict=True):
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
        "bias": [round(b, 4) for b in bias],
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
