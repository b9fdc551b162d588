"""The example scenarios (``examples/scenarios/*.yml``) and the Pyodide files of the live console: the
one catalogue the dialogue macros (``macros/dialogue.py``) and the Pyodide assets hook
(``hooks/pyodide_assets.py``, ``console.json``) share.

Each file is read and validated by ``smtpsim`` once (again only when it changes, for ``mkdocs
serve``); errors name the file and the key (``smtpsim.ScenarioError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "examples" / "scenarios"
#: What a browser needs to start Pyodide (the .js/.d.ts/console files of the npm package are not).
PYODIDE_CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: The ports of the stepper's matrix files ``<software>-<auth|no-auth>-<port>``.
MATRIX_PORTS = ("25", "587", "465")
DEFAULT_CLIENT_IP = "192.0.2.10"


@dataclass(frozen=True)
class ScenarioFile:
    """One scenario file: the mapping as written and the engine's validated ``Scenario``."""

    id: str
    path: Path
    raw: dict[str, Any]
    scenario: Any  # smtpsim.Scenario

    @property
    def title(self) -> str:
        return str(self.raw.get("title", self.id))

    @property
    def software(self) -> str:
        return str(self.raw["server"]["software"])

    @property
    def port(self) -> str:
        """The port the story is told on: the file's ``port``, else its matrix cell's, else 25."""
        return str(self.raw.get("port") or matrix_port(self.id) or "25")

    def console_entry(self, hostname: str | None = None) -> dict[str, Any]:
        """What the browser's live console needs: ``{id, title, server, client_ip, client_tls}``;
        *hostname* (SmartHost's host, :func:`server_name`) replaces the file's server name."""
        client = self.raw.get("client") or {}
        server = dict(self.raw["server"])
        if hostname:
            server["hostname"] = hostname
        return {
            "id": self.id,
            "title": self.title,
            "server": server,
            "client_ip": str(client.get("ip", DEFAULT_CLIENT_IP)),
            "client_tls": bool(client.get("tls", False)),
        }


def matrix_port(scenario_id: str) -> str | None:
    """The port of a matrix file ``<software>-<auth|no-auth>-<port>`` (software: a name of the
    engine's personality registry, ``smtpsim.registry``)."""
    from smtpsim import registry

    software = "|".join(re.escape(name) for name in registry.names())
    cell = re.match(rf"^({software})-(auth|no-auth)-({'|'.join(MATRIX_PORTS)})$", scenario_id)
    return cell.group(3) if cell else None


_cache: dict[Path, tuple[tuple[int, int], ScenarioFile]] = {}


def _read(path: Path) -> ScenarioFile:
    import smtpsim

    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    hit = _cache.get(path)
    if hit and hit[0] == key:
        return hit[1]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise smtpsim.ScenarioError(str(path), "(yaml)", str(exc).replace("\n", " ")) from None
    entry = ScenarioFile(path.stem, path, raw, smtpsim.scenario_from_dict(raw, source=str(path)))
    check_cause(entry.scenario.cause, str(path))
    _cache[path] = (key, entry)
    return entry


def check_cause(cause: str | None, source: str) -> None:
    """A scenario's ``cause`` must be a cause id of the diagnosis (``data/diagnoses.yml``) or ``none``:
    the engine only checks that it is text; which ids exist is the help centre's knowledge."""
    if cause is None:
        return
    import smtpsim
    from smtpdiagnose.diagnose import default_rules

    known = (*default_rules().order, "none")
    if cause not in known:
        raise smtpsim.ScenarioError(source, "cause", f"{cause!r} is not a cause id ({', '.join(known)})")


class Catalogue:
    """The scenario files of one directory, by id."""

    def __init__(self, directory: Path = SCENARIO_DIR) -> None:
        self.directory = directory

    def ids(self) -> list[str]:
        return sorted(p.stem for p in self.directory.glob("*.yml"))

    def has(self, scenario_id: str) -> bool:
        return bool(_ID.match(scenario_id)) and (self.directory / f"{scenario_id}.yml").is_file()

    def get(self, scenario_id: str) -> ScenarioFile:
        """The scenario *scenario_id*, or an error naming the known ids."""
        if not _ID.match(scenario_id):
            raise ValueError(f"invalid scenario id {scenario_id!r} (expected e.g. 'exim-no-auth')")
        path = self.directory / f"{scenario_id}.yml"
        if not path.is_file():
            raise ValueError(
                f"no scenario {scenario_id!r} ({path}); known: {', '.join(self.ids()) or 'none'}"
            )
        return _read(path)

    def all(self) -> list[ScenarioFile]:
        return [self.get(i) for i in self.ids()]

    def console_entries(self, hostname: str | None = None) -> list[dict[str, Any]]:
        return [s.console_entry(hostname) for s in self.all()]


@lru_cache(maxsize=8)
def _smarthost_host(path: Path, mtime_ns: int) -> str | None:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return next(
        (
            str(p["host"])
            for p in data.get("providers") or []
            if isinstance(p, dict) and p.get("id") == "smarthost"
        ),
        None,
    )


def server_name(project_dir: Path = ROOT) -> str | None:
    """SmartHost's outgoing server (``providers[smarthost].host`` of ``data/clients.yml``, the one
    source): the name the stepper's and the live console's server greets with (RFC 5321 §4.3.1: the
    220 greeting names the server). ``None`` for a project without that file (the tests' one-page
    projects keep the scenario's own name)."""
    path = project_dir / "data" / "clients.yml"
    if not path.is_file():
        return None
    return _smarthost_host(path, path.stat().st_mtime_ns)


def with_server_name(scenario: Any, hostname: str | None) -> Any:
    """The engine scenario *scenario* served under *hostname* (unchanged when it is ``None``)."""
    if not hostname:
        return scenario
    return replace(scenario, server=replace(scenario.server, hostname=hostname))


def catalogue(project_dir: Path = ROOT) -> Catalogue:
    return Catalogue(project_dir / "examples" / "scenarios")


def pyodide_download_bytes(npm: Path) -> int:
    """Bytes a console start downloads for Pyodide itself, from the npm package *npm* (0 before npm
    has run)."""
    return sum((npm / n).stat().st_size for n in PYODIDE_CORE_FILES if (npm / n).is_file())
