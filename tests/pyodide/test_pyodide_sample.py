"""The Python sample of the sender pages, run in Pyodide (npm ``pyodide``) under Node through
``smtpsim.drivers.memsock`` with the site's smtpsim wheel, prints what the page says: the live console's
"Run" has the same result as CPython and as the real-socket run (tests/senders)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from hooks.pyodide_assets import PYODIDE_NPM, build_wheel_and_lock
from macros.clients_schema import load_file as load_clients
from macros.senders import render_sample
from macros.senders_schema import load_file

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
PROVIDER = load_clients(ROOT / "data" / "clients.yml").providers[0]
SAMPLE = next(x for s in load_file().senders for x in s.samples if x.run == "python")
CONFIG = {
    "software": "exim",
    "hostname": "mail.yourdomain.example",
    "local_domains": ["yourdomain.example"],
    "auth": "offered",
    "users": {"you@yourdomain.example": "your-password"},
}


@pytest.fixture(scope="module")
def lock() -> Path:
    return build_wheel_and_lock() / "pyodide-lock.json"


@pytest.mark.parametrize("sign_in", [True, False], ids=["signed-in", "without-sign-in"])
def test_page_sample_in_pyodide(lock: Path, tmp_path: Path, sign_in: bool) -> None:
    node = shutil.which("node")
    assert node, "node runs Pyodide"
    assert SAMPLE.prints is not None
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"code": render_sample(SAMPLE, PROVIDER, sign_in=sign_in), "config": CONFIG}))
    proc = subprocess.run(
        [node, str(HERE / "run_sample.mjs"), str(PYODIDE_NPM), str(lock), str(job)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "python 3.14" in proc.stderr
    expected = SAMPLE.prints.signed_in if sign_in else SAMPLE.prints.without_sign_in
    assert proc.stdout.splitlines() == expected
