"""The help centre's own ES modules as the browser fetches them, for the benches' weights: a module
and what it imports or re-exports statically (``from "./x"``), directly or not."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

STATIC_IMPORT = re.compile(r'^(?:import|export)[^;]*?from "\./([^"]+)";', re.MULTILINE)


def module_closure(js: Path, entry: str, skip: Collection[str] = ()) -> dict[str, bytes]:
    """*entry* and the site modules it pulls in (file name -> bytes), but those in *skip*."""
    found: dict[str, bytes] = {}
    todo = [entry]
    while todo:
        name = todo.pop()
        if name in found or name in skip:
            continue
        found[name] = (js / name).read_bytes()
        todo += STATIC_IMPORT.findall(found[name].decode())
    return found


def every_page_modules(js: Path) -> dict[str, bytes]:
    """What every page loads: help.js and its parts."""
    return module_closure(js, "help.js")
