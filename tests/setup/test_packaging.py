"""The smtpsim engine is its own package (engine/pyproject.toml): the wheel holds the engine only,
its version comes from smtpsim.__version__, and the wheel's cache key (the URL of the served wheel
and the key of readers' saved interpreter snapshots) hashes only what goes into the wheel."""

from __future__ import annotations

import email.parser
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import smtpsim
from hooks import pyodide_assets

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "engine"


def tree_copy(dest: Path) -> Path:
    """The files the cache key could read, and the site's dependency files beside them."""
    for rel in (
        "engine/pyproject.toml",
        "engine/README.md",
        "hooks/pyodide_bytecode.mjs",
        "requirements/site.txt",
        "requirements/test.txt",
        "constraints.txt",
        "pyproject.toml",
    ):
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
    shutil.copytree(
        ENGINE / "smtpsim", dest / "engine" / "smtpsim", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(
        ROOT / "diagnose" / "smtpdiagnose",
        dest / "diagnose" / "smtpdiagnose",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return dest


def bump(path: Path, pattern: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, new, text, count=1, flags=re.MULTILINE)
    assert changed != text, f"{path}: {pattern!r} not found"
    path.write_text(changed, encoding="utf-8")


def test_site_dependencies_do_not_change_the_wheel_key(tmp_path: Path) -> None:
    tree = tree_copy(tmp_path)
    key = pyodide_assets.source_hash(tree)
    assert key == pyodide_assets.source_hash(ROOT)
    bump(tree / "requirements/test.txt", r"^pytest>=.*$", "pytest>=99,<100")
    bump(tree / "requirements/site.txt", r"^mkdocs>=.*$", "mkdocs>=9")
    bump(tree / "constraints.txt", r"^pytest==.*$", "pytest==99.0")
    bump(tree / "constraints.txt", r"^mkdocs==.*$", "mkdocs==9.9")
    bump(tree / "pyproject.toml", r"^line-length = .*$", "line-length = 99")
    assert pyodide_assets.source_hash(tree) == key


def test_a_diagnosis_wording_does_not_change_the_wheel_key(tmp_path: Path) -> None:
    """Issue 19: the diagnosis is not in the console's wheel, so editing a wording of
    data/diagnoses.yml (and recompiling the rules, as ``python -m macros.diagnoses_schema`` does) keeps
    the wheel's URL and every reader's saved console."""
    from macros import diagnoses_compile, diagnoses_schema

    tree = tree_copy(tmp_path)
    key = pyodide_assets.source_hash(tree)
    data = tree / "data" / "diagnoses.yml"
    data.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "data" / "diagnoses.yml", data)
    bump(data, r"^(\s+title: ).*$", r"\1A reworded title")
    compiled = tree / "diagnose" / "smtpdiagnose" / "diagnoses.json"
    before = compiled.read_text(encoding="utf-8")
    compiled.write_text(diagnoses_compile.compiled_text(diagnoses_schema.load_file(data)), encoding="utf-8")
    assert compiled.read_text(encoding="utf-8") != before  # the rules did change
    assert pyodide_assets.source_hash(tree) == key


@pytest.mark.parametrize(
    ("rel", "pattern", "new"),
    [
        ("engine/smtpsim/replies.py", r"^", "# changed\n"),
        ("engine/README.md", r"^# .*$", "# renamed"),
        ("engine/pyproject.toml", r"^description = .*$", 'description = "other"'),
        ("hooks/pyodide_bytecode.mjs", r"^", "// changed\n"),
    ],
)
def test_what_goes_into_the_wheel_changes_the_key(tmp_path: Path, rel: str, pattern: str, new: str) -> None:
    tree = tree_copy(tmp_path)
    key = pyodide_assets.source_hash(tree)
    bump(tree / rel, pattern, new)
    assert pyodide_assets.source_hash(tree) != key


@pytest.mark.slow  # builds a wheel (seconds)
def test_wheel_is_the_engine_only_and_every_file_is_hashed(tmp_path: Path) -> None:
    """Build the wheel as the hook does (before byte code): its files are the hashed sources, its
    metadata the engine's own (version from smtpsim.__version__, README, no site or test extras)."""
    wheel = pyodide_assets.build_plain_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        meta = email.parser.Parser().parsestr(
            z.read(f"smtpsim-{smtpsim.__version__}.dist-info/METADATA").decode()
        )
    hashed = {str(p.relative_to(ENGINE)) for p in pyodide_assets.wheel_inputs() if ENGINE in p.parents}
    package_files = {n for n in names if not n.startswith("smtpsim-")}
    assert package_files == {h for h in hashed if h.startswith("smtpsim/")}
    assert meta["Name"] == "smtpsim" and meta["Version"] == smtpsim.__version__
    assert meta.get_all("Requires-Dist") == ['pyyaml>=6; extra == "yaml"']
    assert meta.get_all("Provides-Extra") == ["yaml"]
    assert meta.get_payload().strip() == (ENGINE / "README.md").read_text(encoding="utf-8").strip()


def test_engine_readme_example_runs() -> None:
    """The Python example of engine/README.md runs and prints what it says."""
    text = (ENGINE / "README.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("220 mail.example.net ESMTP Exim 4.96")
    assert proc.stdout.splitlines()[-1].startswith("503 valid RCPT command must precede DATA -- ")
