"""The build's own work runs as a plain step after any builder (issue 20): ``python -m hooks.steps``
writes into an empty directory exactly the files the MkDocs events wrote into the real build (the
exports, Pyodide with the wheel and console.json, help.css)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support.settings_tables import ROOT


def test_steps_after_any_builder_write_what_the_events_wrote(built_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "hooks.steps", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert {Path("api/clients.json"), Path("api/diagnoses.json"), Path("assets/css/help.css")} <= set(written)
    assert any(p.suffix == ".whl" for p in written) and any(p.name == "pyodide.asm.wasm" for p in written)
    for rel in written:
        assert (out / rel).read_bytes() == (built_site / rel).read_bytes(), rel


def test_steps_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "hooks.steps", str(tmp_path / "missing")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
