"""The engine's layout (issue 19): one folder per server under ``smtpsim/personalities/``, the core
at the top, the drivers beside it, and no import running back up: a personality imports the core
and its own folder only; the core and the drivers never import a personality (the registry finds
one by name, lazily); importing the engine loads no personality.  Read from the source with
``tools/engine_imports.py`` (every subfolder: ``rglob``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import smtpsim
from engine_imports import graph
from smtpsim.registry import MODULES

ENGINE = Path(smtpsim.__file__).parent
GRAPH = graph(ENGINE)
#: what a personality may use of the engine besides its own folder
CORE_FOR_PERSONALITIES = {"smtpsim.events", "smtpsim.machine", "smtpsim.personality", "smtpsim.replies"}
#: the entry points that put the engine together (the package's names, the command line)
ENTRY_POINTS = {"smtpsim", "smtpsim.cli", "smtpsim.__main__"}


def folder(module: str) -> str | None:
    """``exim`` for ``smtpsim.personalities.exim.server``; None outside the personalities."""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "personalities" else None


def test_the_graph_reads_every_subfolder() -> None:
    assert {"smtpsim.personalities.exim.cpanel", "smtpsim.drivers.serve", "smtpsim.connection"} <= set(GRAPH)
    assert "smtpsim.personalities.postfix.replies" in GRAPH["smtpsim.personalities.postfix.server"]


def test_one_folder_per_server_each_registered() -> None:
    folders = {p.name for p in (ENGINE / "personalities").iterdir() if (p / "__init__.py").is_file()}
    registered = {module.split(".")[0] for module in MODULES.values()}
    assert folders == registered
    assert not [p.name for p in (ENGINE / "personalities").glob("*.py") if p.name != "__init__.py"]


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if folder(m)))
def test_a_personality_imports_the_core_and_its_own_folder_only(module: str) -> None:
    own = f"smtpsim.personalities.{folder(module)}"
    stray = {m for m in GRAPH[module] if not (m.startswith(own + ".") or m in CORE_FOR_PERSONALITIES)}
    assert not stray, f"{module} imports {sorted(stray)}"


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if not folder(m) and m != "smtpsim.personalities"))
def test_nothing_outside_the_personalities_imports_one(module: str) -> None:
    up = {m for m in GRAPH[module] if m.startswith("smtpsim.personalities")}
    assert not up, f"{module} imports {sorted(up)} (ask smtpsim.registry by name)"


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if not folder(m) and m.count(".") == 1))
def test_the_core_imports_no_driver(module: str) -> None:
    if module in ENTRY_POINTS:
        return
    drivers = {m for m in GRAPH[module] if m.startswith("smtpsim.drivers")}
    assert not drivers, f"{module} imports {sorted(drivers)}"


def test_importing_the_engine_loads_no_personality() -> None:
    """Lazy registry: every module imported, still no server's code; a Postfix connection then
    loads Postfix's folder only."""
    code = (
        "import importlib, sys\n"
        "for m in " + repr(sorted(m for m in GRAPH if not folder(m) and m != "smtpsim.__main__")) + ":\n"
        "    importlib.import_module(m)\n"
        "print(sorted({m.split('.')[2] for m in sys.modules if m.startswith('smtpsim.personalities.')}))\n"
        "from smtpsim import Connection, server_config_from_dict\n"
        "Connection(server_config_from_dict({'software': 'postfix', 'hostname': 'mx.example'}))\n"
        "print(sorted({m.split('.')[2] for m in sys.modules if m.startswith('smtpsim.personalities.')}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.splitlines() == ["[]", "['postfix']"], out.stdout
