"""The site's Python dependencies: every package named in requirements/*.txt is locked to one version
in constraints.txt, and the venv has exactly that version (so CI, a laptop and this machine agree)."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENT_FILES = sorted((ROOT / "requirements").glob("*.txt"))


def normalise(name: str) -> str:
    """PEP 503 name normalisation."""
    return re.sub(r"[-_.]+", "-", name).lower()


def names(path: Path) -> list[str]:
    """Package names of a requirements file (comments, options and `-r` lines skipped)."""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line)
            assert match, f"{path.name}: cannot read {raw!r}"
            out.append(normalise(match.group(0)))
    return out


def pins() -> dict[str, str]:
    text = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    return {normalise(n): v for n, v in re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", text, re.MULTILINE)}


def test_the_set_up_reads_the_requirement_files() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert {"site.txt", "test.txt"} <= {p.name for p in REQUIREMENT_FILES}
    assert all(f"requirements/{p.name}" in makefile for p in REQUIREMENT_FILES), "a file make never installs"


@pytest.mark.parametrize("path", REQUIREMENT_FILES, ids=lambda p: p.name)
def test_every_requirement_is_pinned_and_installed_at_its_pin(path: Path) -> None:
    locked = pins()
    for name in names(path):
        assert name in locked, f"{path.name}: {name} has no exact version in constraints.txt"
        assert importlib.metadata.version(name) == locked[name], f"{name}: venv differs from constraints.txt"
