"""Helpers shared by the site tests: raw YAML access and an HTML parser for built pages."""

from __future__ import annotations

import html.parser
import json
from pathlib import Path
from typing import Any

from support.yaml_read import read_yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "clients.yml"


def raw_data(path: Path = DATA) -> dict[str, Any]:
    """The YAML as plain JSON types (dates as ISO strings), read without the project's loader."""
    return json.loads(json.dumps(read_yaml(path), default=str))


class SettingsTables(html.parser.HTMLParser):
    """Collect every ``div.settings-table`` of a page: {(client, provider): [(label, value), ...]}."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._key: tuple[str, str] | None = None
        self._depth = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if self._key is None and tag == "div" and "settings-table" in (a.get("class") or "").split():
            self._key = (a["data-client"] or "", a["data-provider"] or "")
            self.tables[self._key] = []
            self._depth = 1
            return
        if self._key is None:
            return
        if tag == "div":
            self._depth += 1
        elif tag == "tr":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if self._key is None:
            return
        if tag == "div":
            self._depth -= 1
            if self._depth == 0:
                self._key = None
        elif tag == "td" and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row:
            self.tables[self._key].append((self._row[1], self._row[2]))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def settings_tables(page: Path) -> dict[tuple[str, str], list[tuple[str, str]]]:
    parser = SettingsTables()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tables


def resolved(provider: dict[str, Any], text: str) -> str:
    """A provider text with its tokens filled in from its host, computed here independently of
    macros/clients_schema.py: ``{domain}`` is the host without its first label."""
    domain = provider["host"].split(".", 1)[1]
    return text.replace("{domain}", domain).replace("{example_address}", f"you@{domain}")


def expected_rows(
    client: dict[str, Any], provider: dict[str, Any], fields: list[dict[str, Any]] | None = None
) -> list[tuple[str, str]]:
    """What the YAML says a client's table must show for a provider: computed here independently
    of macros/clients.py, straight from the raw YAML (*fields*: another dialog's fields)."""
    ports = provider["ports"]
    port = next((p for p in ports if p.get("recommended")), ports[0])
    labels = client.get("labels", {})
    values = {
        "host": provider["host"],
        "port": str(port["port"]),
        "security": labels.get("security", {}).get(port["security"]),
        "auth_required": labels.get("auth_required", {}).get(
            "required" if provider["authentication_required"] else "optional"
        ),
        "auth_method": labels.get("auth_method", {}).get(provider["auth_method"]),
        "username": resolved(provider, provider["username"]),
        "password": labels.get("password", {}).get(
            provider["auth_method"], resolved(provider, provider["password"])
        ),
    }
    return [
        (f["label"], f["text"] if f["value"] == "fixed" else values[f["value"]])
        for f in (client["fields"] if fields is None else fields)
    ]


def expected_table_rows(client: dict[str, Any], provider: dict[str, Any]) -> list[tuple[str, str]]:
    """Every row a client's settings block shows for a provider: its main dialog, then its other
    dialog (``other_dialog``) when it has one."""
    rows = expected_rows(client, provider)
    if "other_dialog" in client:
        rows += expected_rows(client, provider, client["other_dialog"]["fields"])
    return rows


def resolved_provider(provider: dict[str, Any]) -> dict[str, Any]:
    """The raw provider with every text's tokens filled in (what the export and pages show)."""

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            return resolved(provider, value)
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return value

    return {k: v if k == "host" else fill(v) for k, v in provider.items()}
