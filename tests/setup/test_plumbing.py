"""Rules of the test plumbing that a new file could break without noticing: imports go through
pytest's `pythonpath` (pyproject.toml), and no comment silences a checker the project does not run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON_DIRS = ("tests", "bench", "tools", "macros", "hooks", "deploy", "engine/smtpsim")


def python_lines(folders: tuple[str, ...]) -> list[tuple[str, int, str]]:
    return [
        (str(p.relative_to(ROOT)), i, line)
        for folder in folders
        for p in sorted((ROOT / folder).rglob("*.py"))
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
    ]


def test_no_sys_path_edits() -> None:
    """Tests, bench/ and tools/ import through pytest's `pythonpath` (and `make bench`), never by
    editing sys.path. (MkDocs hooks may: mkdocs does not put the project on sys.path for them.)"""
    edits = re.compile(r"sys\.path\.(insert|append)\(|sys\.path\s*\+?=")
    offenders = [f"{f}:{i}" for f, i, line in python_lines(("tests", "bench", "tools")) if edits.search(line)]
    assert offenders == []


def test_no_type_ignore_comments() -> None:
    """No type checker is configured, so a type-ignore comment silences nothing: type the code instead
    (ruff's own `noqa` comments are checked by RUF100)."""
    marker = "type: " + "ignore"  # not written out, so this file does not match itself
    offenders = [f"{f}:{i}" for f, i, line in python_lines(PYTHON_DIRS) if marker in line]
    assert offenders == []
