"""How a wording of the diagnosis data becomes a regular expression both matchers run in linear time.

A wording in ``data/diagnose*.yml`` is written for people (a space matches any run of white space,
``.*`` a gap in the line). ``compile_pattern`` turns it into the expression that ``smtpsim.diagnose``
(Python ``re``) and ``diagnose-core.mjs`` (JavaScript ``RegExp``, flag ``m`` only) both run, the
same way, on the paste with its ASCII letters lower-cased:

- ASCII letters are lower-cased (the matchers lower-case the paste's ASCII letters, which keeps every
  offset; no ignore-case flag, so Python and JavaScript agree on every letter, issue 21 #8);
- a letter outside ASCII becomes a class of its lower- and upper-case forms (``ü`` -> ``[üÜ]``):
  "Für" and "FÜR" are matched alike in both languages; a Latin letter with a diacritic also matches
  its plain letter (``é`` -> ``[eÉé]``): "Echec de la connexion" is "Échec de la connexion" typed
  without accents (as people and some programs' messages write it);
- every repetition is bounded (``*`` -> ``{0,N}``, ``+`` -> ``{1,N}``; N = 40 for white space, 100
  for a word, 200 for anything else in a line), so a paste of 100,000 spaces or ``(`` cannot make one
  attempt run away (issue 21 #1: ``sender\\s+.*\\s+not`` was cubic);
- a space next to a gap (``sender .* not``) is folded into the gap: two variable repetitions side by
  side that can match the same characters are refused (``check_linear``), as is any look-ahead that
  repeats.

``guard`` times every compiled expression on hostile texts (long runs of spaces, ``x``, ``(``, NBSP
and the wording's own words) and names the ones over budget; the build runs it (Python) and
``tests/diagnose/test_recogniser_speed.py`` runs the same texts through JavaScript under Node.
"""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from collections.abc import Iterable

#: The flags both matchers use on the lower-cased paste (JavaScript: ``m``).
PY_FLAGS = re.MULTILINE | re.ASCII
#: Constructs that Python and JavaScript read differently (or one of them not at all).
NOT_PORTABLE = re.compile(r"\(\?(?![:=!])|\\[AZzGpPNhKQEx]|\{,|[*+?}]\+|\[\[:|\\[0-9]")
#: Escapes whose letter must keep its case (``\S`` is not ``\s``).
_ESCAPE_LETTERS = set("sSdDwWbBnrtfv")
BOUND_SPACE = 40
BOUND_WORD = 100
BOUND_LINE = 200


def _bound_for(atom: str) -> int:
    if atom in (r"\s", "[ \\t]"):
        return BOUND_SPACE
    if atom in (r"\S", r"\w", r"\d", "[a-z0-9.-]", "[a-z0-9-]"):
        return BOUND_WORD
    return BOUND_LINE


def _plain(ch: str) -> str:
    """The ASCII letter a Latin letter with a diacritic is written on (``é`` -> ``e``), else ''."""
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if base != ch.lower() and base.isascii() and base.isalpha() else ""


def _forms(ch: str) -> str:
    """The letters a non-ASCII letter matches: itself, its other case, its plain letter (one each)."""
    return "".join(sorted(f for f in {ch, ch.lower(), ch.upper(), _plain(ch)} if len(f) == 1))


def _case_class(ch: str) -> str:
    forms = _forms(ch)
    return forms if len(forms) == 1 else f"[{forms}]"


def _atoms(pattern: str) -> list[str]:
    """The pattern cut into atoms: escapes, classes, groups' brackets, single characters."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif ch == "[":
            j = i + 1
            if j < len(pattern) and pattern[j] == "^":
                j += 1
            if j < len(pattern) and pattern[j] == "]":
                j += 1
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            out.append(pattern[i : j + 1])
            i = j + 1
        elif ch == "{" and out:
            j = pattern.find("}", i)
            out.append(pattern[i : j + 1] if j > 0 else ch)
            i = j + 1 if j > 0 else i + 1
        else:
            out.append(ch)
            i += 1
    return out


def _is_quantifier(atom: str) -> bool:
    return atom in ("*", "+", "?") or (atom.startswith("{") and atom.endswith("}") and len(atom) > 2)


def _lower_class(cls: str) -> str:
    body, out, i = cls[1:-1], [], 0
    while i < len(body):
        if body[i] == "\\":
            esc = body[i : i + 2]
            out.append(esc if esc[1:] in _ESCAPE_LETTERS else esc.lower())
            i += 2
            continue
        ch = body[i]
        if ch.isascii():
            out.append(ch.lower())
        else:
            out.append(_forms(ch))
        i += 1
    return "[" + "".join(out) + "]"


def widen(pattern: str) -> list[str]:
    """Atoms of *pattern* with its spaces widened: ``' '`` -> ``\\s+``, ``' ?'``/``' *'`` -> ``\\s*``;
    a space beside a gap (``.*``, ``.+``, ``[^\\n]*``) is dropped (the gap already covers it)."""
    atoms = _atoms(pattern)
    out: list[str] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        nxt = atoms[i + 1] if i + 1 < len(atoms) else ""
        if atom == " ":
            gap_before = len(out) >= 2 and out[-1] in ("*", "+", "*?", "+?") and out[-2] in (".", r"[^\n]")
            gap_after = nxt in (".", r"[^\n]") and i + 2 < len(atoms) and _is_quantifier(atoms[i + 2])
            if nxt in ("?", "*", "+"):
                if not (gap_before or gap_after):
                    out += [r"\s", "*" if nxt != "+" else "+"]
                i += 2
                continue
            if nxt.startswith("{"):
                out.append(r"\s")
            elif not (gap_before or gap_after):
                out += [r"\s", "+"]
            i += 1
            continue
        if atom == "*?" or (atom in ("*", "+") and nxt == "?"):
            out.append(atom + "?" if atom in ("*", "+") else atom)
            i += 2 if atom in ("*", "+") else 1
            continue
        out.append(atom)
        i += 1
    return out


#: Each distinct wording is compiled once per process (the data is loaded many times by `make serve`
#: and the tests; Python's own cache of expressions holds 512, the data has thousands).
CACHED = 8192


@functools.lru_cache(maxsize=CACHED)
def compile_pattern(pattern: str) -> str:
    """The expression both matchers run for the wording *pattern* (see the module docstring)."""
    atoms = widen(pattern)
    out: list[str] = []
    for i, atom in enumerate(atoms):
        prev = out[-1] if out else ""
        if atom in ("*", "+", "*?", "+?") and prev:
            low = 0 if atom[0] == "*" else 1
            lazy = "?" if atom.endswith("?") else ""
            base = atoms[i - 1] if i else ""
            out.append(f"{{{low},{_bound_for(base)}}}{lazy}")
        elif atom.startswith("\\"):
            out.append(atom if atom[1:] in _ESCAPE_LETTERS else atom.lower())
        elif atom.startswith("["):
            out.append(_lower_class(atom))
        elif len(atom) == 1 and not atom.isascii() and atom.lower() != atom.upper():
            out.append(_case_class(atom))
        else:
            out.append(atom.lower() if atom.isascii() else atom)
    return "".join(out)


def check_linear(compiled: str) -> str | None:
    """Why *compiled* could backtrack badly (or None): an unbounded repetition, a repeating
    look-ahead, or two variable repetitions side by side that can match the same characters."""
    atoms = _atoms(compiled)
    look = 0
    last: tuple[int, str] | None = None  # (index, atom) of the last variable repetition
    for i, atom in enumerate(atoms):
        if atom in ("*", "+"):
            return "an unbounded repetition ('*' or '+')"
        if atom == "(" and atoms[i + 1 : i + 3] in (["?", "="], ["?", "!"]):
            look += 1
        elif atom == "(":
            look += 1 if look else 0
        elif atom == ")" and look:
            look -= 1
        if not _is_quantifier(atom) or i == 0:
            continue
        if look and atom != "?" and not atom.endswith(f",{BOUND_SPACE}}}"):
            return "a look-ahead that repeats more than a space"
        low, _, high = atom.strip("{}?").partition(",")
        variable = atom == "?" or (atom.startswith("{") and "," in atom and low != high)
        base = atoms[i - 1]
        if not variable or base == ")" or _is_quantifier(base):
            continue
        if last is not None and last[0] == i - 2 and _overlap(last[1], base):
            return f"two repetitions side by side that match the same characters ({last[1]}, {base})"
        last = (i, base)
    return None


def _overlap(a: str, b: str) -> bool:
    """Whether atoms *a* and *b* can match the same character (conservative: yes unless obvious)."""
    probes = [" ", "a", "0", "(", "\n", ".", "<", "é"]
    try:
        ra, rb = re.compile(a), re.compile(b)
    except re.error:
        return True
    return any(ra.fullmatch(p) and rb.fullmatch(p) for p in probes)


def hostile_texts(compiled: str, example: str, size: int) -> dict[str, str]:
    """The texts the guard times: long runs of spaces, ``x``, ``(``, NBSP, and the wording's own
    words repeated (what makes a gap between two of them try every split)."""
    words = re.findall(r"[^\W\d_]+|\d+|[^\w\s]", example.lower()) or ["x"]
    own = " ".join(words)
    return {
        "spaces": "a " + " " * size,
        "x": "x" * size,
        "(": "(" * size,
        "nbsp": "\u00a0" * size,
        "own words": (own + " ") * (size // (len(own) + 1) + 1),
        "first word, spaces": words[0] + " " * size,
        "words but the last": (" ".join(words[:-1] or words) + " ") * (size // (len(own) + 1) + 1),
        "own words, no spaces": "".join(words) * (size // max(1, len("".join(words))) + 1),
        "example minus its end": (example[:-1] + "\n") * (size // max(1, len(example)) + 1),
    }


#: (expression, example, size, budget) that ``guard`` timed and found fast, in this process.
_PASSED: set[tuple[str, str, int, float]] = set()


def guard(
    rules: Iterable[tuple[str, str, str]], size: int = 4096, budget_ms: float = 25.0
) -> list[tuple[str, str, float]]:
    """``(id, input kind, ms)`` for every compiled expression slower than *budget_ms* on a hostile
    text of *size* characters (``rules``: ``(id, compiled expression, example)``). An expression that
    passed once in this process is not timed again with the same example, size and budget (``make
    serve`` loads the data on every edit, the tests many times); one that failed always is."""
    slow = []
    for ident, compiled, example in rules:
        key = (compiled, example, size, budget_ms)
        if key in _PASSED:
            continue
        rx = re.compile(compiled, PY_FLAGS)
        for kind, text in hostile_texts(compiled, example, size).items():
            low = lower_ascii(normalise(text[: size + 200]))
            ms = _cpu_ms(rx, low)
            if ms > budget_ms:  # CPU time, best of two: the machine's other work does not count
                ms = min(ms, _cpu_ms(rx, low))
            if ms > budget_ms:
                slow.append((ident, kind, round(ms, 1)))
                break  # one hostile text is enough to refuse it (and a cubic one can take minutes)
        else:
            _PASSED.add(key)
    return slow


def _cpu_ms(rx: re.Pattern[str], text: str) -> float:
    start = time.process_time()
    rx.search(text)
    return (time.process_time() - start) * 1000


_UPPER = re.compile("[A-Z]+")
_LINE_ENDS = re.compile("\r\n|\r|\u2028|\u2029")
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]")


def normalise(text: str) -> str:
    """Line ends to LF, Unicode spaces to a space: what both matchers do to a paste first."""
    return _SPACES.sub(" ", _LINE_ENDS.sub("\n", text))


def lower_ascii(text: str) -> str:
    """ASCII letters lower-cased, nothing else changed (every offset stays): ``smtpsim.diagnose``
    and ``diagnose-core.mjs`` read the paste this way."""
    if text.isascii():
        return text.lower()
    return _UPPER.sub(lambda m: m.group(0).lower(), text)


@functools.lru_cache(maxsize=CACHED)
def wording_regex(pattern: str) -> re.Pattern[str]:
    """The wording *pattern* compiled as Python runs it (``compile_pattern``, ``PY_FLAGS``); re.error as
    ``re.compile`` raises it."""
    return re.compile(compile_pattern(pattern), PY_FLAGS)
