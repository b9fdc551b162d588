"""Estimate the reply-code priors (the ``reply`` rows of ``data/diagnose-codes.yml``) from the
written-from texts (issue 17), print the table, measure the estimate inside written-from and on
held-out, and (``--write``) put the weights into the data file.

For every written-from text (``tests/diagnose/corpus.yml`` + ``spent-blind-2026-12-06.yml``) the
script finds the reply row the matcher uses for each reply code that counted as its evidence (the
row of the step the text names, else the code's row, else ``4xx``/``5xx``, as
``smtpdiagnose.diagnose`` does) and counts the cause its source established. The texts counted are
the ones a code decides: now (every piece of evidence is a reply code or the 503 prior), or before
rules were written from them (the spent blind set with ee290ce's matcher, round 3's training texts
with a745652's: the texts whose words were not recognised); ``--all`` counts every text with the row.
Per row, the cause shares are shrunk towards the hand-set weights (``K`` pseudo-texts spread as the
hand-set weights are), then scaled so the row's largest weight stays the hand-set one (a reply code
weighs as much against the other layers as before). A cause the hand-set row does not name enters
only with at least ``MIN_SHARE`` of the first's share; a cause a code's definition does not allow
(``allowed``: RFC 5321 §4.2.2-4.2.3 and §4.3.2, RFC 4954 §6, RFC 3207 §4) never enters a row.
``--select`` keeps only the rows whose estimate wins leave-one-out with the reply-code layer alone.

Measured (``--measure``): a seeded split inside written-from (estimate on one half, score the other,
both ways, ``SEEDS``), leave-one-out, and held-out with the rows estimated from all of written-from;
each beside the hand-set rows on the same texts, for the whole matcher and for the reply-code layer
alone (what decides a text whose words are not recognised). The blind set is never read.

Usage: ``PYTHONPATH=.:tests python tools/estimate_code_priors.py [--measure] [--write] [--all]
[--select] [--k K]``.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cli_args import OneLineParser  # tools/
from code_prior_texts import Text, compiled, counts, load_texts, row_key  # tools/
from smtpdiagnose import diagnose as dg
from smtpdiagnose.rules import _code_rule

ROOT = Path(__file__).resolve().parent.parent
CODES_FILE = ROOT / "data" / "diagnose-codes.yml"
TODAY = "2026-12-07"
K = 4.0  # pseudo-texts of the hand-set weights in each row
MIN_SHARE = 0.25  # a cause below this share of the row's first cause is left out
MAX_CAUSES = 4
SEEDS = tuple(range(1, 11))

#: What each code may mean (RFC 5321 §4.2.2-4.2.3: x0z syntax, x3z sign-in (RFC 4954 §6, RFC 3207 §4),
#: x5z mail system; 4yz temporary). A cause outside a code's set never enters its row; the hand-set
#: causes (read against the same RFCs when written) are always allowed.
TEMPORARY = {"temporary", "rate-limit", "blocklist-or-policy", "sender-verify"}
PERMANENT_REFUSAL = {
    "no-auth",
    "unknown-recipient",
    "blocklist-or-policy",
    "sender-verify",
    "sender-not-allowed",
    "bad-recipient-syntax",
    "rate-limit",
}
BY_CODE: dict[str, set[str]] = {
    "421": {"temporary", "rate-limit", "blocklist-or-policy"},
    "450": TEMPORARY | {"unknown-recipient"},
    "451": TEMPORARY,
    "452": {"rate-limit", "temporary"},
    "454": {"temporary", "tls-required", "auth-method-blocked", "rate-limit"},
    "500": {"client-bug", "bad-helo"},
    "501": {"client-bug", "bad-helo", "bad-recipient-syntax", "sender-not-allowed", "sender-verify"},
    "502": {"client-bug", "auth-method-blocked"},
    "503": {"no-auth", "client-bug", "bad-credentials", "unknown-recipient"},
    "504": {"client-bug", "auth-method-blocked", "bad-helo"},
    "530": {"no-auth", "tls-required", "auth-method-blocked"},
    "534": {"auth-method-blocked", "bad-credentials"},
    "535": {"bad-credentials", "auth-method-blocked"},
    "538": {"tls-required"},
    "550": PERMANENT_REFUSAL,
    "551": {"unknown-recipient", "no-auth"},
    "552": {"rate-limit", "blocklist-or-policy", "temporary"},
    "553": PERMANENT_REFUSAL - {"rate-limit"},
    "554": PERMANENT_REFUSAL | {"bad-helo"},
    "555": {"bad-recipient-syntax", "client-bug"},
    "4xx": TEMPORARY,
    "5xx": PERMANENT_REFUSAL,
}
#: What a refusal at each step can be about (RFC 5321 §4.3.2's replies per command).
BY_STAGE: dict[str, set[str]] = {
    "connect": {"blocklist-or-policy", "rate-limit", "temporary"},
    "ehlo": {"bad-helo", "blocklist-or-policy"},
    "auth": {"bad-credentials", "auth-method-blocked", "tls-required", "no-auth", "client-bug", "temporary"},
    "mail": {
        "no-auth",
        "sender-verify",
        "sender-not-allowed",
        "bad-recipient-syntax",
        "client-bug",
        "temporary",
    },
    "rcpt": PERMANENT_REFUSAL | {"temporary", "client-bug"},
    "data": {"no-auth", "blocklist-or-policy", "sender-not-allowed", "rate-limit", "client-bug", "temporary"},
    "message": {"blocklist-or-policy", "sender-not-allowed", "rate-limit", "temporary"},
}


def allowed(code: str, stage: str | None, hand: dict[str, float]) -> set[str]:
    causes = set(BY_CODE.get(code, BY_CODE[code[0] + "xx"]))
    if stage in BY_STAGE:
        causes &= BY_STAGE[stage]
    return causes | set(hand)


def estimate(row: dict[str, Any], n: Counter, k: float = K) -> dict[str, float]:
    """Shrunk shares scaled to the hand-set row's largest weight; causes the code forbids left out."""
    hand = {c: float(w) for c, w in row["causes"]}
    top = max(hand.values())
    ok = allowed(row["code"], row.get("stage"), hand)
    hand_total = sum(hand.values())
    total = sum(v for c, v in n.items() if c in ok)
    share = {c: (n.get(c, 0) + k * hand.get(c, 0.0) / hand_total) / (total + k) for c in ok}
    first = max(share.values())
    kept = sorted((c for c in ok if c in hand or share[c] >= MIN_SHARE * first), key=lambda c: (-share[c], c))
    return {c: round(top * share[c] / first * 20) / 20 for c in kept[:MAX_CAUSES]}


def estimated_rows(
    data: dict[str, Any], table: dict[str, Counter], k: float = K
) -> dict[str, dict[str, float]]:
    return {
        row_key(r): estimate(r, table[row_key(r)], k)
        for r in data["reply"]
        if r["causes"] and row_key(r) in table
    }


def with_rows(rules: dg.Rules, data: dict[str, Any], rows: dict[str, dict[str, float]]) -> dg.Rules:
    reply = dict(rules.reply)
    for r in data["reply"]:
        key = row_key(r)
        if key in rows:
            reply[key] = _code_rule(
                r["code"], {**r, "causes": list(rows[key].items())}, r.get("layer", "reply-code")
            )
    return replace(rules, reply=reply)


@dataclass
class Score:
    n: int = 0
    top1: int = 0
    top3: int = 0
    coded: int = 0  # texts with a reply row
    coded_top1: int = 0
    coded_top3: int = 0

    def add(self, t: Text, ranked: list[str]) -> None:
        self.n += 1
        self.top1 += ranked[0] == t.cause
        self.top3 += t.cause in ranked[:3]
        if t.code_only or t.fresh_keys:
            self.coded += 1
            self.coded_top1 += ranked[0] == t.cause
            self.coded_top3 += t.cause in ranked[:3]

    def __str__(self) -> str:
        return (
            f"top-1 {self.top1}/{self.n} ({self.top1 / max(self.n, 1):.1%}), top-3 {self.top3}/{self.n}"
            f" ({self.top3 / max(self.n, 1):.1%}); decided by a code (now or before its rules):"
            f" top-1 {self.coded_top1}/{self.coded}, top-3 {self.coded_top3}/{self.coded}"
        )


def score(texts: list[Text], rules: dg.Rules, into: Score | None = None) -> Score:
    s = into or Score()
    for t in texts:
        s.add(t, [c["id"] for c in dg.diagnose(t.text, rules).causes])
    return s


def layer_alone(
    texts: list[Text], rows: dict[str, dict[str, float]], order: tuple[str, ...], into: Score | None = None
) -> Score:
    """The reply-code layer on its own (what decides a text whose words are not recognised): each
    cause's score is its largest weight in the text's rows, as in ``diagnose``."""
    s = into or Score()
    for t in texts:
        keys = t.keys if t.code_only or not t.fresh_keys else t.fresh_keys
        if not keys:
            continue
        scores: dict[str, float] = {}
        for key in keys:
            for c, w in rows[key].items():
                scores[c] = max(scores.get(c, 0.0), w)
        s.add(t, sorted(scores, key=lambda c: (-scores[c], order.index(c))) or ["unknown"])
    return s


def selected_rows(
    data: dict[str, Any], texts: list[Text], use_all: bool, k: float
) -> dict[str, dict[str, float]]:
    """The estimated rows that beat the hand-set ones out of sample: leave-one-out over *texts* with
    the reply-code layer alone, a row kept when its texts' top-1 and top-3 are no worse and one is
    better (near ties, whose order flips from sample to sample, keep the hand-set order)."""
    hand = {row_key(r): {c: float(w) for c, w in r["causes"]} for r in data["reply"]}
    order = tuple(c["id"] for c in data["causes"])
    full = counts(texts, use_all)
    gain: dict[str, list[int]] = {}
    for t in texts:
        own = counts([t], use_all)
        if not own:
            continue
        minus = {key: full[key] - own.get(key, Counter()) for key in own}
        loo = {**hand, **estimated_rows(data, minus, k)}
        a, b = layer_alone([t], hand, order), layer_alone([t], loo, order)
        for key in own:
            g = gain.setdefault(key, [0, 0])
            g[0] += b.top1 - a.top1
            g[1] += b.top3 - a.top3
    keep = {key for key, (g1, g3) in gain.items() if g1 >= 0 and g3 >= 0 and g1 + g3 > 0}
    return {key: w for key, w in estimated_rows(data, full, k).items() if key in keep}


def rows_for(
    data: dict[str, Any], texts: list[Text], use_all: bool, k: float, select: bool
) -> dict[str, dict[str, float]]:
    return (
        selected_rows(data, texts, use_all, k) if select else estimated_rows(data, counts(texts, use_all), k)
    )


def measure(
    data: dict[str, Any], rules: dg.Rules, wf: list[Text], ho: list[Text], opts: argparse.Namespace
) -> None:
    """Hand-set against estimated rows: the whole matcher and the reply-code layer alone, on a seeded
    split inside written-from, leave-one-out, and held-out (estimated from all written-from)."""
    hand_rows = {row_key(r): {c: float(w) for c, w in r["causes"]} for r in data["reply"]}
    order = tuple(c["id"] for c in data["causes"])
    hand_ranked = {t.id: [c["id"] for c in dg.diagnose(t.text, rules).causes] for t in wf}
    hand, est, alone_hand, alone_est = Score(), Score(), Score(), Score()
    for seed in SEEDS:
        shuffled = wf[:]
        random.Random(seed).shuffle(shuffled)
        halves = (shuffled[: len(shuffled) // 2], shuffled[len(shuffled) // 2 :])
        for a, b in (halves, halves[::-1]):
            rows = rows_for(data, a, opts.all, opts.k, opts.select)
            for t in b:
                hand.add(t, hand_ranked[t.id])
            score(b, with_rows(rules, data, rows), est)
            layer_alone(b, hand_rows, order, alone_hand)
            layer_alone(b, {**hand_rows, **rows}, order, alone_est)
    print(f"split inside written-from ({len(SEEDS)} seeds x 2 halves: each text scored {len(SEEDS)} times)")
    print(f"  whole matcher, hand-set:  {hand}\n  whole matcher, estimated: {est}")
    print(
        f"  reply-code layer alone, hand-set:  {alone_hand}\n  reply-code layer alone, estimated: {alone_est}"
    )
    loo_hand, loo = Score(), Score()
    for t in wf:
        own = counts([t], opts.all)
        rest = [u for u in wf if u is not t]
        rows = rows_for(data, rest, opts.all, opts.k, opts.select) if own else {}
        layer_alone([t], hand_rows, order, loo_hand)
        layer_alone([t], {**hand_rows, **rows}, order, loo)
    print("leave-one-out over written-from, reply-code layer alone:")
    print(f"  hand-set:  {loo_hand}\n  estimated: {loo}")
    rows = rows_for(data, wf, opts.all, opts.k, opts.select)
    print(f"held-out ({len(ho)}), estimated from all written-from:")
    print(f"  whole matcher, hand-set:  {score(ho, rules)}")
    print(f"  whole matcher, estimated: {score(ho, with_rows(rules, data, rows))}")
    print(f"  reply-code layer alone, hand-set:  {layer_alone(ho, hand_rows, order)}")
    print(f"  reply-code layer alone, estimated: {layer_alone(ho, {**hand_rows, **rows}, order)}")


def print_table(data: dict[str, Any], table: dict[str, Counter], k: float, chosen: set[str]) -> None:
    """Per row: the texts counted (N), the causes seen, the hand-set and the estimated weights."""
    rows = estimated_rows(data, table, k)
    for r in data["reply"]:
        key = row_key(r)
        if key not in table:
            continue
        print(f"{key:<14} N={sum(table[key].values()):<3} seen: ", end="")
        print(", ".join(f"{c} {n}" for c, n in table[key].most_common()))
        print(f"{'':<14} hand: " + ", ".join(f"{c} {w:g}" for c, w in r["causes"]))
        mark = "est." if key in chosen else "est. (not kept)"
        print(f"{'':<14} {mark}: " + ", ".join(f"{c} {w:g}" for c, w in rows[key].items()))


_ROW_LINE = re.compile(
    r'^  - \{code: "?(?P<code>[0-9x]{3})"?, (stage: (?P<stage>[a-z]+), )?(layer: [a-z-]+, )?'
    r"causes: \{(?P<causes>[^}]*)\}"
)


def write(rows: dict[str, dict[str, float]], table: dict[str, Counter]) -> int:
    """Rewrite the ``causes`` of each kept row whose estimate differs; a comment cites the estimate."""
    lines = CODES_FILE.read_text(encoding="utf-8").split("\n")
    changed = 0
    for i, line in enumerate(lines):
        m = _ROW_LINE.match(line)
        if not m:
            continue
        key = m["code"] + (f"@{m['stage']}" if m["stage"] else "")
        hand = (
            {c.strip(): float(w) for c, w in (p.split(":") for p in m["causes"].split(","))}
            if m["causes"]
            else {}
        )
        if key not in rows or rows[key] == hand:
            continue
        causes = ", ".join(f"{c}: {w:g}" for c, w in rows[key].items())
        body = line[: m.start("causes")] + causes + line[m.end("causes") :]
        body = re.sub(r"  # estimated from .*$", "", body)
        n = sum(table[key].values())
        lines[i] = f"{body}  # estimated from {n} written-from texts, tools/estimate_code_priors.py, {TODAY}"
        changed += 1
    CODES_FILE.write_text("\n".join(lines), encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog="estimate_code_priors", description=__doc__.split("\n\n")[0])
    parser.add_argument("--measure", action="store_true", help="split, leave-one-out and held-out figures")
    parser.add_argument("--write", action="store_true", help="write the estimated weights into the data file")
    parser.add_argument(
        "--all", action="store_true", help="count every text with the row, not only code-only"
    )
    parser.add_argument("--select", action="store_true", help="keep only rows that win leave-one-out")
    parser.add_argument("--k", type=float, default=K, help="pseudo-texts of the hand-set weights per row")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    if args.k < 0:
        sys.stderr.write("estimate_code_priors: --k must not be negative\n")
        return 2
    data = compiled()
    rules = dg.rules_from_json(data)
    wf = load_texts("written-from", rules)
    table = counts(wf, args.all)
    chosen = rows_for(data, wf, args.all, args.k, args.select)
    print_table(data, table, args.k, set(chosen))
    if args.measure:
        measure(data, rules, wf, load_texts("held-out", rules), args)
    if args.write:
        print(f"wrote {write(chosen, table)} rows of {CODES_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
