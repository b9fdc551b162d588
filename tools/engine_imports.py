"""Print the engine's import graph: every module of ``engine/smtpsim`` and the engine modules it
imports (``module -> imported, ...``), read from the source with :mod:`ast` (nothing is run).

Usage: ``python tools/engine_imports.py [ENGINE_DIR]`` (default: this checkout's engine/smtpsim).
``tests/engine/test_architecture.py`` checks the rules it shows: one folder per server, no import
from the core or a driver into a personality, none between personalities.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "engine" / "smtpsim"
PACKAGE = "smtpsim"


def module_name(path: Path, root: Path = ENGINE) -> str:
    """``smtpsim.personalities.exim.server`` for ``<root>/personalities/exim/server.py``."""
    parts = path.relative_to(root).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    """The engine modules an ``from ... import ...`` names (a name may be a submodule)."""
    if node.level:
        base = importer.split(".") if is_package else importer.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    if not (target == PACKAGE or target.startswith(PACKAGE + ".")):
        return []
    return [target, *(f"{target}.{a.name}" for a in node.names)]  # a name may be a submodule


def graph(root: Path = ENGINE) -> dict[str, set[str]]:
    """``module -> engine modules it imports`` for every ``.py`` under *root* (subfolders too)."""
    paths = {module_name(p, root): p for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts}
    out: dict[str, set[str]] = {}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                found.update(_resolve(name, path.name == "__init__.py", node))
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.split(".")[0] == PACKAGE)
        # ``from . import registry`` names the package only to reach the submodule: keep the latter
        packages = {m for m in found if any(o.startswith(m + ".") and o in paths for o in found)}
        out[name] = {m for m in found - packages if m in paths and m != name}
    return out


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else ENGINE
    if not root.is_dir():
        print(f"engine_imports: {root} is not a directory", file=sys.stderr)
        return 2
    for name, imports in sorted(graph(root).items()):
        short = ", ".join(sorted(m.removeprefix(PACKAGE + ".") for m in imports))
        print(f"{name.removeprefix(PACKAGE + '.') or PACKAGE} -> {short or '(nothing of the engine)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
