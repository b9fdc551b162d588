"""The build itself: a bad data file or a page asking for an unknown id stops it with a clear message,
and one host changed in the YAML changes every page and the JSON export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.settings_tables import DATA
from support.site_build import mini_project, mkdocs_build, project_copy

pytestmark = pytest.mark.slow  # every test here runs a strict build

PAGE = (
    "---\nrender_macros: true\n---\n# Test {#top}\n\nIntro line.\n\n"
    '{{ settings_table("thunderbird", "gmail") }}\n'
)


def test_mini_project_builds(tmp_path: Path) -> None:
    """Control for the failure tests below: the same project with good input builds."""
    proc = mkdocs_build(tmp_path / "out", mini_project(tmp_path, PAGE) / "mkdocs.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "smtp.gmail.com" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "api" / "clients.json").is_file()


def test_bad_yaml_fails_the_build_with_file_line_and_key(tmp_path: Path) -> None:
    text = DATA.read_text(encoding="utf-8")
    bad = text.replace(
        "{port: 465, security: ssl_tls, recommended: true}",
        "{port: abc, security: ssl_tls, recommended: true}",
        1,
    )
    line = next(i for i, s in enumerate(bad.splitlines(), 1) if "port: abc" in s)
    proc = mkdocs_build(tmp_path / "out", mini_project(tmp_path, PAGE, bad) / "mkdocs.yml")
    assert proc.returncode != 0
    assert (
        f"data/clients.yml:{line}: providers[0].ports[0].port (id 'smarthost')" in proc.stdout + proc.stderr
    )


def test_page_asking_for_unknown_client_fails_naming_page_line_and_valid_ids(tmp_path: Path) -> None:
    page = PAGE.replace('settings_table("thunderbird"', 'settings_table("thunderbirdd"')
    proc = mkdocs_build(tmp_path / "out", mini_project(tmp_path, page) / "mkdocs.yml", quiet=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "docs/index.md:8: settings_table(): unknown client 'thunderbirdd'" in out
    assert "valid client ids: outlook-classic-windows, new-outlook-windows" in out


def test_changing_one_host_changes_every_page_and_the_export(tmp_path: Path) -> None:
    text = DATA.read_text(encoding="utf-8")
    changed = text.replace("host: smtp.gmail.com", "host: smtp.changed-gmail.example", 1)
    proc = mkdocs_build(tmp_path / "out", project_copy(tmp_path, changed) / "mkdocs.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = tmp_path / "out"
    pages = [p for p in out.rglob("*.html") if "smtp.changed-gmail.example" in p.read_text(encoding="utf-8")]
    assert {p.parent.name for p in pages} >= {
        "thunderbird",
        "ios-mail",
        "outlook-classic-windows",
        "settings",
    }
    assert not [p for p in out.rglob("*.html") if "smtp.gmail.com" in p.read_text(encoding="utf-8")]
    export = json.loads((out / "api" / "clients.json").read_text(encoding="utf-8"))
    gmail = next(p for p in export["providers"] if p["id"] == "gmail")
    assert gmail["host"] == "smtp.changed-gmail.example"
    rows = [
        r for s in export["settings"] if s["provider"] == "gmail" for r in s["rows"] if r["field"] == "host"
    ]
    assert rows and all(r["value"] == "smtp.changed-gmail.example" for r in rows)


def test_export_version_comes_from_help_version(tmp_path: Path) -> None:
    proc = mkdocs_build(
        tmp_path / "out", mini_project(tmp_path, PAGE) / "mkdocs.yml", {"HELP_VERSION": "9.9"}
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads((tmp_path / "out" / "api" / "clients.json").read_text())["version"] == "9.9"
