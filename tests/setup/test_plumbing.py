"""Rules of the test plumbing that a new file could break without noticing: imports go through
pytest's `pythonpath` (pyproject.toml), and no comment silences a checker the project does not run."""

from __future__ import annotations

import json
import re
import subprocess
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


def project_js() -> list[Path]:
    """Every JavaScript file of the project, as Biome sees it: what git tracks or would track (so not
    node_modules/, site/ or the Pyodide copy a preview leaves in docs/)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.js", "*.mjs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed if (ROOT / name).is_file()]


def test_javascript_in_one_style() -> None:
    """ES modules with classes and arrow functions: no `function () {}` expression and no constructor
    function's prototype (Biome's useArrowFunction leaves functions that use `this` alone), and no
    comment silences Biome."""
    old_style = re.compile(r"\bfunction\s*\(|\.prototype\.\w+\s*=")
    suppress = re.compile("biome-" + "ignore|eslint-" + "disable")  # not written out: this file
    found = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in project_js()
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if old_style.search(line) or suppress.search(line)
    ]
    assert project_js(), "no JavaScript found"
    assert found == []


def test_biome_checks_every_js_file_with_no_rule_off() -> None:
    """`make lint` runs `biome ci`: biome.json covers every .js/.mjs file and turns no rule off."""
    config = json.loads((ROOT / "biome.json").read_text(encoding="utf-8"))
    assert sorted(config["files"]["includes"]) == ["**/*.js", "**/*.mjs"]
    assert config["vcs"]["useIgnoreFile"] is True  # node_modules/ and site/ through .gitignore
    levels = [
        v for group in config["linter"]["rules"].values() if isinstance(group, dict) for v in group.values()
    ]
    assert "off" not in levels
    assert "biome ci" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_mjs_only_for_what_node_imports() -> None:
    """`.mjs` in docs/ only for modules Node imports too (the tests run them under Node); a browser-only
    module is `.js`."""
    node_scripts = [p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.py")]
    node_scripts += [p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.mjs")]
    for module in (ROOT / "docs" / "assets").rglob("*.mjs"):
        assert any(module.name in text for text in node_scripts), f"{module.name}: no Node user; name it .js"
