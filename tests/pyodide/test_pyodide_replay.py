"""Every example scenario replayed in Pyodide (npm ``pyodide``, Python 3.14) under Node gives exactly
the bytes CPython gives: the engine runs unchanged in the browser's Python. (Node ignores the lock's
sha256; the browser enforces it, see tests/browser/test_console.py::test_tampered_wheel_is_refused.)"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from hooks.pyodide_assets import PYODIDE_NPM, build_wheel_and_lock, scenario_entries

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent


def scenarios() -> dict[str, object]:
    files = sorted((ROOT / "examples" / "scenarios").glob("*.yml"))
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in files}


def replay_input(data: dict[str, object]) -> str:
    """The scenarios, and the console.json entries the browser's worker starts sessions from."""
    return json.dumps({"scenarios": data, "console": scenario_entries()})


def cpython_result(data: dict[str, object]) -> str:
    namespace: dict[str, object] = {"SCENARIOS_JSON": replay_input(data), "__name__": "replay"}
    exec(compile((HERE / "replay.py").read_text(encoding="utf-8"), "replay.py", "exec"), namespace)
    return str(namespace["RESULT"])


@pytest.fixture(scope="module")
def pyodide_replay(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, object], subprocess.CompletedProcess]:
    """Every scenario replayed once in Pyodide under Node, smtpsim loaded from the site's wheel."""
    node = shutil.which("node")
    assert node, "node is needed (Debian nodejs or nvm); it runs Pyodide"
    data = scenarios()
    assert len(data) >= 8, f"expected the example scenarios, found {sorted(data)}"
    built = build_wheel_and_lock()
    lock = json.loads((built / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert set(lock["packages"]) == {"smtpsim"} and lock["packages"]["smtpsim"]["sha256"]
    tmp_path = tmp_path_factory.mktemp("replay")
    (tmp_path / "scenarios.json").write_text(replay_input(data), encoding="utf-8")
    proc = subprocess.run(
        [
            node,
            str(HERE / "replay.mjs"),
            str(PYODIDE_NPM),
            str(built / "pyodide-lock.json"),
            str(tmp_path / "scenarios.json"),
            str(HERE / "replay.py"),
        ],
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return data, proc


def test_every_scenario_is_byte_identical_in_pyodide(
    pyodide_replay: tuple[dict, subprocess.CompletedProcess],
) -> None:
    data, proc = pyodide_replay
    assert b"python 3.14" in proc.stderr
    expected = cpython_result(data).encode("utf-8")
    if proc.stdout != expected:  # name the first scenario that differs before the byte comparison
        got, want = json.loads(proc.stdout), json.loads(expected)
        for sid in want:
            assert got.get(sid) == want[sid], f"scenario {sid} differs in Pyodide"
    assert proc.stdout == expected


def test_the_wheel_carries_byte_code_pyodide_uses(
    pyodide_replay: tuple[dict, subprocess.CompletedProcess],
) -> None:
    """Compiled by Pyodide's own Python at build (hooks/pyodide_bytecode.mjs): every module's .pyc has
    this interpreter's magic number, is checked-hash and matches its source, so no import compiles."""
    _, proc = pyodide_replay
    line = next(x for x in proc.stderr.decode().splitlines() if x.startswith("byte code usable for "))
    usable, total = line.split()[4].split("/")
    assert int(total) >= 10 and usable == total, line
