"""Issue 21 #1: no recogniser backtracks badly, in either language. Every compiled expression is
timed (CPU time) on hostile texts — long runs of spaces, ``x``, ``(``, NBSP and its own words —
in Python (``macros.diagnose_regex.guard``, the build runs it on 4 KB) and in JavaScript under Node
(``time_core.mjs``); and the whole matcher, which reads at most ``CAP`` characters of a paste, is timed
on 100 KB and 1 MB pastes. Bounds are generous (the machine is shared); a quadratic expression on
16 KB of its own words takes seconds, far over them."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from macros.diagnose_layers import GUARD_BUDGET_MS, GUARD_SIZE
from macros.diagnose_regex import compile_pattern, guard, hostile_texts
from macros.diagnoses_schema import COMPILED_PATH, load_file
from smtpdiagnose.diagnose import CAP, diagnose

SIZE = 16384
BUDGET_MS = 150.0
PASTES = {
    "corpus-like": ("550-Please turn on SMTP Authentication in your mail client.\n", None),
    "spaces": (" ", None),
    "x": ("x", None),
    "(": ("(", None),
    "nbsp": ("\u00a0", None),
    "550- lines": ("550-x\n", None),
    "mail from + 250": ("mail from: 250 ", None),
    "sender + spaces": ("sender" + " " * 2000, None),
}
RUNNER = Path(__file__).with_name("time_core.mjs")


@pytest.fixture(scope="module")
def recognisers() -> list[tuple[str, str, str]]:
    return [(r.id, compile_pattern(r.match), r.example) for r in load_file(timed=False).recognisers]


@pytest.mark.slow
def test_every_recogniser_is_linear_in_python(recognisers: list[tuple[str, str, str]]) -> None:
    assert guard(recognisers, SIZE, BUDGET_MS) == []


def test_every_recogniser_passes_the_builds_guard(recognisers: list[tuple[str, str, str]]) -> None:
    """The edit loop's share (``make test-fast``): the texts the build times (4 KB, its budget); the
    test above times four times longer texts."""
    assert guard(recognisers, GUARD_SIZE, GUARD_BUDGET_MS) == []


def test_the_guard_catches_a_backtracking_expression() -> None:
    """The guard is not vacuous: the cubic wording of issue 21 fails it, its bounded form passes."""
    cubic = r"sender\s+.*\s+not\s+allowed"
    assert guard([("cubic", cubic, "sender x not allowed")], 400, 10.0)
    bounded = compile_pattern("sender .* not allowed")
    assert guard([("bounded", bounded, "sender x not allowed")], 400, 10.0) == []


def _cpu_ms(text: str) -> float:
    start = time.process_time()
    diagnose(text)
    return (time.process_time() - start) * 1000


@pytest.mark.parametrize("kind", list(PASTES))
def test_any_paste_is_read_in_bounded_time_in_python(kind: str) -> None:
    unit = PASTES[kind][0]
    small = (unit * (100_000 // len(unit) + 1))[:100_000]
    large = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    assert len(small) > CAP
    t_small, t_large = min(_cpu_ms(small) for _ in range(2)), min(_cpu_ms(large) for _ in range(2))
    assert t_small < 400, f"100 KB of {kind!r}: {t_small:.0f} ms"
    assert t_large < 1000, f"1 MB of {kind!r}: {t_large:.0f} ms"
    assert t_large < 4 * t_small + 50, f"{kind!r}: 1 MB {t_large:.0f} ms vs 100 KB {t_small:.0f} ms"


def test_every_recogniser_and_paste_is_fast_in_javascript(recognisers: list[tuple[str, str, str]]) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the JavaScript matcher cannot be timed (apt-get install nodejs)")
    seeds = {}
    for ident, compiled, example in recognisers:
        texts = hostile_texts(compiled, example, 64)
        seeds[ident] = {kind: text[:64] for kind, text in texts.items()}
    pastes = {kind: [unit, 1_000_000] for kind, (unit, _) in PASTES.items()}
    proc = subprocess.run(
        [node, str(RUNNER)],
        input=json.dumps({"rules": str(COMPILED_PATH), "size": SIZE, "seeds": seeds, "pastes": pastes}),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    slow = {(i, k): ms for i, kinds in out["times"].items() for k, ms in kinds.items() if ms > BUDGET_MS}
    assert slow == {}
    assert len(out["times"]) == len(recognisers)
    assert {k: ms for k, ms in out["pastes"].items() if ms > 1000} == {}
