"""Score each spent blind collection with the matcher *and model* from before it was read (issue 17,
round 7): texts that no rule author and no model had seen when they were scored. A validation set for
choosing the matcher's settings (the similar-texts layer's weight, its guess) without the blind part;
``tests/diagnose/README.md``, round 7, has the figures that chose the weight 1.0.

    PYTHONPATH=.:tests:tools .venv/bin/python tools/fresh_scores.py                 # as each matcher was
    PYTHONPATH=.:tests:tools .venv/bin/python tools/fresh_scores.py --blend 0.2 1.0  # with other weights

Bad input is one line on stderr and exit 2.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cli_args import OneLineParser
from code_prior_texts import BEFORE_READ, old_matcher
from support.diagnose_corpus import SPENT_BLIND_2, SPENT_BLIND_3, Accuracy, load_corpus, measure

#: Each collection with the commit whose matcher and model had not seen it: blind set 2's spent half
#: (read in round 4, before any model) with round 5's ``4db982b``, the first with a model; blind set 2's
#: other texts (``SPENT_BLIND_3``, only trained on) with the same; then every collection read since.
FRESH: tuple[tuple[str, Path], ...] = (
    ("4db982b", SPENT_BLIND_3),
    *((commit, path) for commit, path in BEFORE_READ if path != SPENT_BLIND_2),
)


def scores(blends: Sequence[float | None], fresh: Sequence[tuple[str, Path]] = FRESH) -> dict[Any, Accuracy]:
    """Per weight (``None``: each model's own), the hits over every collection."""
    out = {b: Accuracy() for b in blends}
    with tempfile.TemporaryDirectory() as tmp:
        for commit, path in fresh:
            module, rules = old_matcher(commit, Path(tmp))
            entries = load_corpus(path)
            for blend in blends:
                used = rules
                if blend is not None and rules.similar is not None:
                    used = dataclasses.replace(rules, similar=dataclasses.replace(rules.similar, blend=blend))
                acc = measure(entries, functools.partial(module.diagnose, rules=used))
                total = out[blend]
                total.total, total.top1 = total.total + acc.total, total.top1 + acc.top1
                total.top3, total.unknown = total.top3 + acc.top3, total.unknown + acc.unknown
    return out


def line(label: str, acc: Accuracy) -> str:
    top1, top3 = 100 * acc.rate(acc.top1, acc.total), 100 * acc.rate(acc.top3, acc.total)
    return (
        f"{label:28s} {acc.total:4d} texts  top-1 {acc.top1:4d} ({top1:5.1f} %)"
        f"  top-3 {acc.top3:4d} ({top3:5.1f} %)  unknown {acc.unknown}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog="fresh_scores", description=__doc__.split("\n\n")[0])
    parser.add_argument("--blend", type=float, nargs="+", help="the similar-texts layer's weights to try")
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse has printed its one line
        return 2 if stop.code else 0
    if args.blend and any(not 0 <= b <= 100 for b in args.blend):
        print("fresh_scores: --blend takes weights from 0 to 100", file=sys.stderr)
        return 2
    blends: list[float | None] = list(args.blend) if args.blend else [None]
    for blend, acc in scores(blends).items():
        print(line("each model's own weight" if blend is None else f"weight {blend}", acc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
