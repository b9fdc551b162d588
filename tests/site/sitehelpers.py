"""Helpers shared by the site tests: raw YAML access and an HTML parser for built pages."""
from __future__ import annotations

import html.parser
import json
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "clients.yml"


def raw_data(path: Path = DATA) -> dict[str, Any]:
    """The YAML as plain JSON types (dates as ISO strings), read without the project's loader."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


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


def expected_rows(client: dict[str, Any], provider: dict[str, Any]) -> list[tuple[str, str]]:
    """What the YAML says a client's table must show for a provider: computed here independently
    of macros/helpcentre.py, straight from the raw YAML."""
    ports = provider["ports"]
    port = next((p for p in ports if p.get("recommended")), ports[0])
    labels = client.get("labels", {})
    values = {
        "host": provider["host"],
        "port": str(port["port"]),
        "security": labels.get("security", {}).get(port["security"]),
        "auth_required": labels.get("auth_required", {}).get(
            "required" if provider["authentication_required"] else "optional"),
        "auth_method": labels.get("auth_method", {}).get(provider["auth_method"]),
        "username": provider["username"],
        "password": provider["password"],
    }
    return [(f["label"], f["text"] if f["value"] == "fixed" else values[f["value"]]) for f in client["fields"]]


def build(project: Path, dest: Path, extra_env: dict[str, str] | None = None,
          quiet: bool = True) -> "subprocess.CompletedProcess[str]":
    """``mkdocs build --strict`` of *project* (its mkdocs.yml) into *dest*; the caller checks the result.
    (``-q`` hides mkdocs-macros' error report, which it logs as a warning: pass ``quiet=False``.)"""
    import os
    import subprocess
    import sys

    bindir = Path(sys.executable).parent
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
           "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}", **(extra_env or {})}
    return subprocess.run([str(bindir / "mkdocs"), "build", "--strict", *(["-q"] if quiet else []),
                           "-f", str(project / "mkdocs.yml"), "-d", str(dest)], cwd=project, env=env, capture_output=True, text=True, timeout=600)


def project_copy(tmp: Path, data_text: str | None = None) -> Path:
    """A copy of the project in *tmp*: every top-level entry symlinked except ``data/`` (copied, and
    ``clients.yml`` replaced by *data_text* when given)."""
    import shutil

    proj = tmp / "proj"
    proj.mkdir()
    for entry in ROOT.iterdir():
        if entry.name in (".git", "site", "data"):
            continue
        (proj / entry.name).symlink_to(entry)
    shutil.copytree(ROOT / "data", proj / "data")
    if data_text is not None:
        (proj / "data" / "clients.yml").write_text(data_text, encoding="utf-8")
    return proj


MINI_CONFIG = """\
site_name: mini
strict: true
theme: {name: material, font: false}
plugins:
  - macros:
      module_name: macros
      render_by_default: false
      on_error_fail: true
      on_undefined: strict
      j2_comment_start_string: "{##"
      j2_comment_end_string: "##}"
markdown_extensions: [attr_list, md_in_html, pymdownx.superfences, {pymdownx.tabbed: {alternate_style: true}}]
"""


def mini_project(tmp: Path, page: str, data_text: str | None = None) -> Path:
    """A one-page project using the real macros package and data (optionally replaced)."""
    proj = tmp / "mini"
    (proj / "docs" / "clients").mkdir(parents=True)
    (proj / "data").mkdir()
    (proj / "macros").symlink_to(ROOT / "macros")
    (proj / "examples").symlink_to(ROOT / "examples")
    (proj / "mkdocs.yml").write_text(MINI_CONFIG, encoding="utf-8")
    (proj / "data" / "clients.yml").write_text(data_text if data_text is not None else DATA.read_text(encoding="utf-8"),
                                               encoding="utf-8")
    (proj / "docs" / "index.md").write_text(page, encoding="utf-8")
    for cid in ("thunderbird",):
        (proj / "docs" / "clients" / f"{cid}.md").write_text(f"# {cid}\n", encoding="utf-8")
    return proj
