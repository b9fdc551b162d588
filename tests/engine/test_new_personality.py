"""Issue 19's proof that a new server is its folder and one registry line: copy a personality's
folder under a new name into a scratch engine tree, add its line to ``registry.MODULES``, and run
every registry-parametrised test on it (engine state table and catalogue, attacks, fuzz, serve,
console) against that tree, with no other file edited.

The copies are Postfix's folder (the plainest server) and OpenSMTPD's (its own message-line hook,
AUTH only inside TLS) as ``personalities/<server>_copy/`` with the ``SPEC`` named ``<server>-copy``
(inside the new folder: a name is the personality's own). What it needs besides
code, by design, are data files: its goldens (the simulator speaks only for recorded servers) and
its scenarios (the stepper's matrix, ``test_scenarios.py``); those are not part of this proof.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import smtpsim
from support.smtpsim_session import ONLY

pytestmark = pytest.mark.slow  # a pytest run of its own (about a minute)

ENGINE = Path(smtpsim.__file__).parent
ROOT = Path(__file__).resolve().parents[2]
#: the registry-parametrised test files, each of which must run on the new personality
FILES = ("test_state_table.py", "test_attacks.py", "test_fuzz.py", "test_serve.py", "test_console.py")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")


def add_personality(scratch: Path, source: str, new: str, folder: str) -> None:
    """What a maintainer does: copy the folder, name the copy, add one registry line."""
    personalities = scratch / "personalities"
    shutil.copytree(personalities / source, personalities / folder, ignore=SKIP)
    server = personalities / folder / "server.py"
    text = server.read_text(encoding="utf-8")
    assert text.count(f'name="{source}",') == 1
    server.write_text(text.replace(f'name="{source}",', f'name="{new}",'), encoding="utf-8")
    registry = scratch / "registry.py"
    text = registry.read_text(encoding="utf-8")
    last = '    "opensmtpd": "opensmtpd.server",\n'
    assert text.count(last) == 1
    registry.write_text(text.replace(last, last + f'    "{new}": "{folder}.server",\n'), encoding="utf-8")


def touched(before: Path, after: Path) -> dict[str, str]:
    """Every file of *after* that is new or differs from *before*: ``path -> "new" | "changed"``."""
    out = {}
    for path in sorted(after.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = path.relative_to(after).as_posix()
            old = before / rel
            if not old.is_file():
                out[rel] = "new"
            elif old.read_bytes() != path.read_bytes():
                out[rel] = "changed"
    return out


@pytest.mark.parametrize("source", ["postfix", "opensmtpd"])
def test_a_copied_personality_gets_every_registry_test(tmp_path: Path, source: str) -> None:
    new, folder = f"{source}-copy", f"{source}_copy"
    scratch = tmp_path / "engine" / "smtpsim"
    shutil.copytree(ENGINE, scratch, ignore=SKIP)
    add_personality(scratch, source, new, folder)

    files = touched(ENGINE, scratch)
    new_folder = {p.relative_to(ENGINE).as_posix() for p in (ENGINE / "personalities" / source).glob("*.py")}
    assert files == {
        "registry.py": "changed",
        **{f.replace(f"/{source}/", f"/{folder}/"): "new" for f in new_folder},
    }
    added = [
        ln
        for ln in difflib.ndiff(
            (ENGINE / "registry.py").read_text(encoding="utf-8").splitlines(),
            (scratch / "registry.py").read_text(encoding="utf-8").splitlines(),
        )
        if ln[:1] in "+-"
    ]
    assert added == [f'+     "{new}": "{folder}.server",']
    print("touched:", ", ".join(f"{k} ({v})" for k, v in files.items()))

    env = {**os.environ, "PYTHONPATH": str(scratch.parent), ONLY: new, "PYTHONDONTWRITEBYTECODE": "1"}
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import smtpsim, smtpsim.registry as r; print(smtpsim.__file__); print(r.get('{new}').name)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert where.stdout.split() == [str(scratch / "__init__.py"), new]

    report = tmp_path / "report.xml"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            "-k",
            f"{new} or test_fuzz",
            *(str(ROOT / "tests" / "engine" / f) for f in FILES),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    cases = ET.parse(report).getroot().iter("testcase")
    ran: dict[str, int] = {}
    for case in cases:
        if case.find("skipped") is None:
            module = case.get("classname", "").rsplit(".", 1)[-1] + ".py"
            ran[module] = ran.get(module, 0) + 1
    assert set(ran) == set(FILES) and all(ran.values()), ran
    print("ran on", new, ran)
