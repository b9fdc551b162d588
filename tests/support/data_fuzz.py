"""Hostile values in every field of the data files, through the real loaders and macros (issue 21).

:func:`fields` lists one path per field of a data file (the first item of each list stands for
all); :func:`mutated_text` writes the file again with one field replaced by a payload;
:class:`Project` loads a scratch project through the macros' own ``register(env)`` (as
mkdocs-macros does) and renders every macro about the item that holds the field.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

from macros import clients, diagnoses, senders

ROOT = Path(__file__).resolve().parents[2]
DATA_FILES = ("clients", "senders", "diagnoses")
Path_ = tuple[str | int, ...]

SCRIPT = "<script>alert(document.domain)</script>"
#: One text with every markup payload: a script, a comment that swallows what follows, Jinja.
MARKUP = f"{SCRIPT}<!--<script>{{{{ 7*7 }}}}{{% raw %}}"
#: Payloads every field must refuse (with file:line: key: message).
REFUSED: dict[str, str] = {
    "javascript-link": "see [the fix](javascript:alert(1)) or [this](JaVa&#x09;Script&colon;alert(2))",
    "control-characters": "a\x00b\x07c\x1b[31md",
    "huge": "x" * 10_000,  # over safe_text.MAX_TEXT_CHARS
}


def fields(data: Any) -> list[Path_]:
    """One path per scalar field (dict keys by name, list items by their first index)."""
    seen: dict[tuple[str | int, ...], Path_] = {}

    def walk(node: Any, path: Path_, shape: tuple[str | int, ...]) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k), (*shape, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*path, i), (*shape, "*"))
        else:
            seen.setdefault(shape, path)

    walk(data, (), ())
    return list(seen.values())


class _Unquoted(str):
    """Written without quotes (so YAML reads ``2026-02-30`` as a date)."""


_DumperBase: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_DumperBase):
    pass


_Dumper.add_representer(_Unquoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp", str(v)))


def leaves(data: Any) -> list[Path_]:
    """Every scalar of the file (every item of every list)."""
    out: list[Path_] = []

    def walk(node: Any, path: Path_) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*path, i))
        else:
            out.append(path)

    walk(data, ())
    return out


def mutated_text(data: Any, paths: list[Path_], payload: str, unquoted: bool = False) -> str:
    """The data file with the fields at *paths* replaced by *payload* (strings get it appended, so
    texts stay distinct; ``unquoted``: written bare, so YAML reads ``2026-02-30`` as a date)."""
    copied = copy.deepcopy(data)
    for path in paths:
        node = copied
        for part in path[:-1]:
            node = node[part]
        old = node[path[-1]]
        value = payload if unquoted or not isinstance(old, str) else f"{old} {payload}"
        node[path[-1]] = _Unquoted(value) if unquoted else value
    return yaml.dump(copied, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 20)


def replaced_text(data: Any, values: dict[Path_, Any]) -> str:
    """The data file with each path's value replaced."""
    copied = copy.deepcopy(data)
    for path, value in values.items():
        node = copied
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return yaml.dump(copied, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 20)


@dataclass
class FakeEnv:
    """What ``register(env)`` uses of mkdocs-macros' env."""

    project_dir: str
    variables: dict[str, Any] = field(default_factory=dict)
    macros: dict[str, Callable[..., Any]] = field(default_factory=dict)
    conf: dict[str, Any] = field(
        default_factory=lambda: {
            "extra": {"support_portal": "https://portal.example/help"},
            "site_dir": "/nonexistent",
        }
    )
    page: Any = field(default_factory=lambda: SimpleNamespace(file=SimpleNamespace(src_uri="clients/x.md")))

    def macro(self, func: Callable[..., Any], name: str) -> None:
        self.macros[name] = func


def scratch_project(directory: Path) -> Path:
    """A project directory with copies of the data files and the scenarios (read by the macros)."""
    (directory / "data").mkdir(parents=True, exist_ok=True)
    for name in (*DATA_FILES, "client-behaviour"):
        suffix = ".json" if name == "client-behaviour" else ".yml"
        shutil.copy(ROOT / "data" / f"{name}{suffix}", directory / "data" / f"{name}{suffix}")
    if not (directory / "examples").exists():
        (directory / "examples").symlink_to(ROOT / "examples")
    return directory


def register(project: Path) -> FakeEnv:
    """Load the data through the macros' own registration (raises PluginError on bad data)."""
    env = FakeEnv(str(project))
    for module in (clients, senders, diagnoses):
        module.register(env)
    return env


def rendered(env: FakeEnv) -> Iterator[str]:
    """The output of every data macro, for every provider, client and sender."""
    m = env.macros
    hc = env.variables["helpcentre"]
    pids = [p.id for p in hc.data.providers]
    yield from (m["provider_summary"](), m["fix_tabs"]())
    for pid in pids:
        yield from (m["provider_notes"](pid), m["provider_refusals"](pid), m["provider_name"](pid))
    for c in hc.data.clients:
        for name in (
            "settings_tabs",
            "client_steps",
            "still_failing",
            "what_you_see",
            "menu_path",
            "client_name",
        ):
            yield m[name](c.id)
        yield m["client_link"](c.id)
    for sid in env.variables["senders"]:
        for name in (
            "sender_settings",
            "sender_samples",
            "sender_steps",
            "sender_still_failing",
            "sender_notes",
        ):
            yield m[name](sid)
        yield m["sender_makers"](sid)
    yield from (
        m["diagnose_widget"](),
        m["diagnose_causes"](),
        m["error_text_table"](),
        m["other_servers_table"](),
    )
