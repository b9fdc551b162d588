"""Diagnose a pasted error text: the likely causes, the server software, the refused step, the reply,
and the evidence for them (issue 17: layers of evidence).

The rules are ``diagnoses.json`` in this package, compiled from ``data/diagnoses.yml`` and its
sibling files (codes, languages, devices) by ``macros.diagnoses_schema``. ``docs/assets/js/
diagnose-core.mjs`` is the same algorithm in JavaScript; a test runs every text through both and
compares the results field by field. The algorithm:

1. Normalise line ends (CR LF, CR, U+2028/9 -> LF) and Unicode spaces (-> space). A paste longer than
   ``CAP`` characters (code points) is read as its first ``HEAD`` and last ``TAIL`` characters, each
   cut at a line break (``capped``). The recognisers run on a copy with ASCII letters lower-cased
   (offsets unchanged; compiled expressions carry both cases of other letters).
2. Evidence: every recogniser whose expression matches (first match; a server's wording strictly
   inside a program's wrapper text counts only where it matches again after it) is a hit; so is every
   enhanced status code (RFC 3463: class 4 or 5, the table keyed by class.subject.detail, else
   subject.detail, else subject) and every three-digit reply code (RFC 5321 §4.2) the tables give
   causes for, each code counted once. A reply code's row is the one for the step the text names
   (``stage`` hints), else the row for any step.
3. Hits marked ``symptom`` (the DATA refusal that only says every recipient was refused, and the
   bare 503) count only when no recogniser hit names a reason and no reply code on an earlier line
   refuses a step (the rules' ``not_refusals`` aside: 421, 500, 502, 504, RFC 5321 §4.2.3): that
   earlier refusal is what the 503 repeats. Causes listed in a counted hit's ``consequences`` score 0.
   A cause's score is the largest weight any counted hit gives it.
4. Causes with a score, highest first (ties: order of the data file); confidence =
   score / (sum of scores + 1), rounded half-up to two decimals. Then the "similar texts" layer
   (``smtpdiagnose.similar``, ``_blend``) adds ``blend`` times its probability to each confidence: it
   may reorder the causes of a bare reply code and add one of its own, and elsewhere only picks among
   causes tied for first place. Nothing counted: ``unknown``, unless that layer is sure enough
   (``ALONE``, ``ALONE_WORDS``, no success reply): then it answers alone, a guess.
5. Server: the largest sum of recogniser strengths per server; else ``other`` if the text holds an
   SMTP reply code, else ``unknown``. Program: the strongest matched program wording. Stage: the
   strongest step hint, else the strongest hit with a stage for the top cause, else any. Reply: the
   SMTP reply (all lines of a multi-line one) around the strongest evidence for the top cause.
6. ``evidence``: the counted hits, strongest for the top cause first (at most 8), each with its layer,
   the text it matched and what that means, after the "similar texts" evidence (the paste's words
   that speak most for the top cause) where that layer changed it; ``decided_by``: the layer of the
   first.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .rules import PY_FLAGS as _PY_FLAGS
from .rules import RULES_FILE, Diagnosis, Rule, Rules, default_rules, rules_from_json
from .similar import ALONE_WORDS, Similar, rank

__all__ = [
    "RULES_FILE",
    "Diagnosis",
    "Rule",
    "Rules",
    "cap",
    "default_rules",
    "diagnose",
    "lower_ascii",
    "normalise",
    "rules_from_json",
]
#: What both languages strip (Python's bare strip() also strips \x1c-\x1f and \x85; JS trim() does not).
_WS = " \t\n\r\f\v"
_LINE_ENDS = re.compile("\r\n|\r|\u2028|\u2029")
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]")
_UPPER = re.compile("[A-Z]+")
#: An SMTP reply code as it appears in pasted text (RFC 5321 §4.2: 4yz/5yz; y is 0-5).
REPLY_CODE = re.compile(r"(^|[^0-9.:])([45][0-5][0-9])([ -]|$)", _PY_FLAGS)
#: A success or go-ahead reply (2xx, 3xx): a paste with one and no refusal shows a server that refused
#: nothing, so the "similar texts" layer does not guess a cause for it.
GOOD_REPLY = re.compile(r"(^|[^0-9.:])([23][0-5][0-9])([ -]|$)", _PY_FLAGS)
#: A reply code as evidence: after anything but a letter, a digit or a full stop (a space, a quote,
#: a bracket, a colon, "#", a CJK character, the line start; the paste is read lower-cased), or after
#: a line end written as backslash-n or backslash-r (JSON and Python reprs print them so); before a
#: space, a hyphen, a comma, a full stop, a closing bracket or quote, the full-width closing bracket,
#: colon, comma, full stop or enumeration comma of Chinese and Japanese text (U+FF09, U+FF1A, U+FF0C,
#: U+3002, U+3001: Roundcube's zh_TW smtp*error messages put the code in full-width brackets), or
#: the line end.
CODE_EVIDENCE = re.compile(
    r"(^|[^0-9a-z.]|\\[rn])([45][0-5][0-9])(?=[ ,.)\]\"'\-\uff09\uff1a\uff0c\u3002\u3001]|$)", _PY_FLAGS
)
#: An enhanced status code (RFC 3463 §2): class.subject.detail, not part of a longer dotted number.
ENHANCED_CODE = re.compile(r"(^|[^0-9.])([245])\.([0-9]{1,3})\.([0-9]{1,3})(?![0-9]|\.[0-9])", _PY_FLAGS)
CAP, HEAD, TAIL = 16384, 4096, 12288
MAX_EVIDENCE, MAX_EVIDENCE_TEXT = 8, 200
#: The layers whose evidence alone lets the "similar texts" layer change the likeliest cause.
WEAK = ("reply-code",)
#: ... and evidence of any layer that weighs no more than this for that cause ("failed to send",
#: "could not connect", a code's prior): a hint, not a reason, where the paste says more than the
#: hints (``ALONE_WORDS`` words the layer knows outside every match); alone, the rules' first (the
#: article's likeliest cause) stays. Chosen on the fresh texts (each spent collection scored by the
#: matcher from before it was read, 477 texts, round 11): top-1 72.1 % without, 73.0 % at 1.0,
#: 73.6 % at 1.5, 73.4 % at 2.0, 73.2 % at 2.5; "says more" from 0 to 4 words changes none; top-3 the
#: same throughout.
HINT = 1.5


def normalise(text: str) -> str:
    return _SPACES.sub(" ", _LINE_ENDS.sub("\n", text))


def lower_ascii(text: str) -> str:
    """ASCII letters lower-cased, every other character (and so every offset) unchanged."""
    return text.lower() if text.isascii() else _UPPER.sub(lambda m: m.group(0).lower(), text)


def cap(text: str) -> tuple[str, bool]:
    """The part of a long paste that is read: the first HEAD and last TAIL characters, cut at line
    breaks (programs and logs put the final error at the end, the program's name at the start)."""
    if len(text) <= CAP:
        return text, False
    cut = text.rfind("\n", 0, HEAD)
    head = text[:cut] if cut > 0 else text[:HEAD]
    cut = text.find("\n", len(text) - TAIL)
    tail = text[cut + 1 :] if cut >= 0 else text[len(text) - TAIL :]
    return head + "\n" + tail, True


def round2(x: float) -> float:
    """Half-up to two decimals, exactly as ``Math.floor(x * 100 + 0.5) / 100`` in JavaScript."""
    return math.floor(x * 100 + 0.5) / 100


def _best(items: list[tuple[Rule, int, int]]) -> tuple[Rule, int, int] | None:
    """Strongest, earliest in the data file on ties (``items`` are in data-file order)."""
    best = None
    for item in items:
        if best is None or item[0].strength > best[0].strength:
            best = item
    return best


def _reply_around(text: str, pos: int) -> str:
    """The SMTP reply holding position *pos*: from its code to the end of its last line."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    line = text[start:end]
    code_at = None
    for m in REPLY_CODE.finditer(line):
        if m.start(2) <= pos - start:
            code_at = m
    if code_at is None:
        return line.strip(_WS)
    code = code_at.group(2)
    first = [line[code_at.start(2) :].rstrip(_WS)]
    # Earlier lines of the same multi-line reply ("550-...") when this one starts a line.
    earlier: list[str] = []
    if not line[: code_at.start(2)].strip(_WS):
        before = text[: max(start - 1, 0)].split("\n") if start > 0 else []
        while before and before[-1].lstrip(_WS).startswith(code + "-"):
            earlier.append(before.pop().strip(_WS))
    lines = earlier[::-1] + first
    # Later lines while the reply continues ("550-" ... "550 ").
    after = text[end + 1 :].split("\n") if end < len(text) else []
    last = lines[-1]
    for nxt in after:
        if not last.startswith(code + "-"):
            break
        stripped = nxt.strip(_WS)
        if not (stripped.startswith((code + "-", code + " ")) or stripped == code):
            break
        lines.append(stripped)
        last = stripped
    return "\n".join(lines)


def _code_hits(text: str, rules: Rules, stage: str | None) -> list[tuple[Rule, int, int]]:
    """Enhanced status codes, then reply codes, each distinct code once, that the tables map."""
    hits: list[tuple[Rule, int, int]] = []
    seen: set[str] = set()
    for m in ENHANCED_CODE.finditer(text):
        if m.group(2) == "2":
            continue
        key = f"{m.group(3)}.{m.group(4)}"
        rule = (
            rules.enhanced.get(f"{m.group(2)}.{key}")
            or rules.enhanced.get(key)
            or rules.enhanced.get(m.group(3))
        )
        if rule is not None and rule.causes and key not in seen:
            seen.add(key)
            hits.append((rule, m.start(2), m.end(4)))
    for m in CODE_EVIDENCE.finditer(text):
        code = m.group(2)
        rule = rules.reply.get(f"{code}@{stage}") or rules.reply.get(code) or rules.reply.get(code[0] + "xx")
        if rule is not None and rule.causes and code not in seen:
            seen.add(code)
            hits.append((rule, m.start(2), m.end(2)))
    return hits


def _evidence(
    text: str, counted: list[tuple[Rule, int, int]], top: str | None, order: tuple[str, ...]
) -> list[dict[str, Any]]:
    def weight(rule: Rule) -> float:
        return next((w for c, w in rule.causes if c == top), 0.0)

    ranked = sorted(enumerate(counted), key=lambda x: (-weight(x[1][0]), -x[1][0].strength, x[0]))
    out: list[dict[str, Any]] = []
    shown: set[tuple[int, int]] = set()  # a stretch of the paste is shown once, by its strongest reading
    for _, (rule, start, end) in ranked:
        if len(out) == MAX_EVIDENCE:
            break
        if (start, end) in shown:
            continue
        shown.add((start, end))
        causes = sorted(rule.causes, key=lambda cw: (-cw[1], order.index(cw[0])))
        out.append(
            {
                "layer": rule.layer,
                "text": text[start:end][:MAX_EVIDENCE_TEXT],
                "meaning": rule.meaning,
                "causes": [c for c, _ in causes],
                "server": rule.server,
            }
        )
    return out


def _word_hits(low: str, rules: Rules) -> list[tuple[Rule, int, int]]:
    """Every recogniser's first match. A wording that lies inside a program's wrapper text (the
    Exchange wording "client was not authenticated" inside .NET's "requires a secure connection or
    the client was not authenticated") is the wrapper's, not the server's: it counts only where it
    matches again after that wrapper."""
    found = []
    for rule in rules.rules:
        m = rule.regex.search(low) if rule.regex else None
        if m:
            found.append((rule, m.start(), m.end()))
    wraps = [(start, end) for rule, start, end in found if rule.layer == "wrapper"]
    hits: list[tuple[Rule, int, int]] = []
    for rule, start, end in found:
        inside = -1  # the end of the wrapper text this wording lies strictly inside
        if rule.layer == "wording" and rule.causes:
            ends = [we for ws, we in wraps if ws <= start and end <= we and end - start < we - ws]
            inside = max(ends, default=-1)
        if inside >= 0 and rule.regex:
            m = rule.regex.search(low, inside)
            if m is None:
                continue
            start, end = m.start(), m.end()
        hits.append((rule, start, end))
    return hits


def _keeps_first(low: str, model: Similar, counted: list[tuple[Rule, int, int]], top: str) -> bool:
    """Whether the rules' *top* stays first: its strongest evidence (what ``_evidence`` puts first)
    is more than a bare reply code (its layer not in ``WEAK``), and more than a hint (``HINT``) or
    a hint with nothing else around it."""
    lead: tuple[float, float, str] | None = None
    for rule, _, _ in counted:
        weight = next((w for c, w in rule.causes if c == top), 0.0)
        if lead is None or (weight, rule.strength) > lead[:2]:
            lead = (weight, rule.strength, rule.layer)
    if lead is None or lead[2] in WEAK:
        return False
    if lead[0] > HINT:
        return True
    rest = list(low)
    for _, start, end in counted:
        rest[start:end] = " " * (end - start)
    return model.known_words("".join(rest)) < ALONE_WORDS


def _blend(
    low: str, rules: Rules, share: dict[str, float], counted: list[tuple[Rule, int, int]]
) -> tuple[list[str], dict[str, Any] | None]:
    """The causes, likeliest first, and the "similar texts" evidence when that layer changed the first
    (``smtpdiagnose.similar.rank``; *share* is updated in place to the shown confidence). The rules'
    first cause stays first where its strongest evidence is more than a bare reply code or a hint
    (``_keeps_first``); a paste with a success reply and no rule gets no guess (``GOOD_REPLY``)."""
    by_rules = sorted(
        (c for c in rules.order if share[c] > 0), key=lambda c: (-share[c], rules.order.index(c))
    )
    model = rules.similar
    if model is None:
        return by_rules, None
    keep_first = bool(by_rules) and _keeps_first(low, model, counted, by_rules[0])
    good_reply = not by_rules and bool(GOOD_REPLY.search(low))
    ranked, moved = rank(model, low, rules.order, share, by_rules, keep_first, good_reply)
    return ranked, _like(model, low, ranked[0]) if moved else None


def _like(model: Similar, low: str, cause: str) -> dict[str, Any]:
    """The "similar texts" evidence for *cause*: the paste's words that speak most for it."""
    return {
        "layer": "similar-texts",
        "text": ", ".join(model.telling_words(low, cause))[:MAX_EVIDENCE_TEXT],
        "meaning": "these words read like the error texts collected for this cause",
        "causes": [cause],
        "server": None,
    }


def _explained(counted: list[tuple[Rule, int, int]]) -> set[str]:
    """The causes a counted hit's ``consequences`` rule out ("authentication failed": the program did
    sign in), except where a longer hit around it names that cause itself: the longer wording is
    the more specific one ("530 Authentication failed": it did not)."""
    out: set[str] = set()
    for rule, start, end in counted:
        for cause in rule.consequences:
            if not any(
                o_start <= start
                and end <= o_end
                and o_end - o_start > end - start
                and any(c == cause for c, _ in other.causes)
                for other, o_start, o_end in counted
            ):
                out.add(cause)
    return out


def diagnose(text: str, rules: Rules | None = None) -> Diagnosis:
    """Diagnose *text* (any pasted error: a reply, a dialog, an exception, a bounce, a log)."""
    rules = rules or default_rules()
    text, capped = cap(normalise(text))
    low = lower_ascii(text)
    hits = _word_hits(low, rules)
    hints = [h for h in hits if h[0].stage and not h[0].causes]
    hinted = _best(hints)
    code_hits = _code_hits(low, rules, hinted[0].stage if hinted else None)
    all_hits = hits + code_hits
    symptoms = [start for rule, start, _ in all_hits if rule.symptom]
    # The line where the first symptom (a 503, "no valid recipients") stands: a refusal before it is
    # what that symptom repeats.
    line = low.rfind("\n", 0, min(symptoms)) + 1 if symptoms else 0
    refused = any(
        r.layer == "reply-code" and r.id not in rules.not_refusals and end <= line for r, _, end in code_hits
    )
    reasons = refused or any(rule.causes and not rule.symptom for rule, _, _ in hits)
    counted = [h for h in all_hits if not (reasons and h[0].symptom)]
    explained = _explained(counted)
    scores = dict.fromkeys(rules.order, 0.0)
    for rule, _, _ in counted:
        for cause, weight in rule.causes:
            if cause not in explained:
                scores[cause] = max(scores[cause], weight)
    total = 0.0
    for cause in rules.order:
        total += scores[cause]
    share = {c: scores[c] / (total + 1) for c in rules.order}
    ranked, like = _blend(low, rules, share, counted)
    if ranked:
        causes = [{"id": c, "title": rules.titles[c], "confidence": round2(share[c])} for c in ranked]
    else:
        causes = [{"id": "unknown", "title": rules.titles["unknown"], "confidence": 0.0}]
    top = ranked[0] if ranked else None
    for_top = [h for h in counted if top and any(c == top for c, _ in h[0].causes)]

    server_score: dict[str, float] = {}
    for rule, _, _ in hits:
        if rule.server:
            server_score[rule.server] = server_score.get(rule.server, 0.0) + rule.strength
    if server_score:
        server = max(rules.servers, key=lambda s: (server_score.get(s, -1.0), -rules.servers.index(s)))
    else:
        server = "other" if REPLY_CODE.search(text) else "unknown"

    staged = (
        hinted
        or _best([h for h in for_top if h[0].stage and h[0].regex])
        or _best([h for h in counted if h[0].stage and h[0].regex])
    )
    stage = staged[0].stage if staged else "unknown"
    program_hit = _best([h for h in hits if h[0].program])
    program = program_hit[0].program if program_hit else None

    anchor = None
    for rule, pos, _ in for_top:
        weight = next(w for c, w in rule.causes if c == top)
        if anchor is None or weight > anchor[0]:
            anchor = (weight, pos)
    if anchor is not None:
        reply = _reply_around(text, anchor[1])
    else:
        first = REPLY_CODE.search(text)
        reply = _reply_around(text, first.start(2)) if first else None
    hidden = bool(for_top) and all(r.symptom for r, _, _ in for_top)
    evidence = _evidence(text, [h for h in counted if h[0].causes or h[0].regex], top, rules.order)
    if like is not None:
        evidence = [like, *evidence][:MAX_EVIDENCE]
    decided_by = evidence[0]["layer"] if top and evidence else None
    return Diagnosis(
        causes,
        server,
        stage,
        reply,
        program,
        hidden,
        [r.id for r, _, _ in hits],
        decided_by,
        evidence,
        capped,
    )
