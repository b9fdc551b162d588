"""End-to-end proof for issue 21 #2: data files with a script, a comment opener and Jinja in every
text field that takes text build strictly (hooks/inline_scripts.py finds no unknown inline script),
and Chromium behind nginx with the production CSP (deploy/nginx.conf + deploy/csp.py) shows the
payload as text on every data page: no dialog opens, no CSP violation, no page error."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.exceptions import PluginError
from playwright.sync_api import Browser

from support import data_fuzz as fz
from support.publish import RECORD_CSP_VIOLATIONS, start_nginx
from support.site_build import linked_project, mkdocs_build

PAGES = [
    "",
    "settings/",
    "senders/",
    "senders/php/",
    "senders/printers/",
    "clients/thunderbird/",
    "clients/outlook-classic-windows/",
    "errors/503-valid-rcpt-command-must-precede-data/",
    "diagnose/",
]


def _accepted_text(name: str, project: Path) -> str:
    """The data file with the markup appended to every text field the schema takes it in."""
    data = yaml.safe_load((fz.ROOT / "data" / f"{name}.yml").read_text(encoding="utf-8"))
    paths = [p for p in fz.leaves(data) if p[-1] != "match" and isinstance(_at(data, p), str)]
    for _ in range(6):
        text = fz.mutated_text(data, paths, fz.MARKUP)
        (project / "data" / f"{name}.yml").write_text(text, encoding="utf-8")
        try:
            fz.register(project)
            return text
        except PluginError as exc:  # the build's message: drop the refused fields' lines and retry
            refused = {
                int(m.group(1)) for m in re.finditer(r"^  data/\w+\.yml:(\d+): ", str(exc), re.MULTILINE)
            }
            from macros.yamlfile import line_of, parse_yaml

            parsed = parse_yaml(text, "x")
            paths = [p for p in paths if line_of(parsed, p) not in refused]
    raise AssertionError(f"{name}: no accepted set of fields")


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("hostile")
    project = linked_project(tmp / "project", copied=("data",))
    scratch = fz.scratch_project(tmp / "scratch")
    for name in fz.DATA_FILES:
        _accepted_text(name, scratch)
        (project / "data" / f"{name}.yml").write_text(
            (scratch / "data" / f"{name}.yml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    build = mkdocs_build(tmp / "site", project / "mkdocs.yml")
    assert build.returncode == 0, build.stderr[-3000:]
    proc, url = start_nginx(tmp / "nginx", tmp / "site")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.nginx
@pytest.mark.slow
def test_hostile_data_runs_nothing_under_the_production_csp(chromium: Browser, hostile_site: str) -> None:
    context = chromium.new_context()
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    shown = 0
    try:
        for path in PAGES:
            page.goto(f"{hostile_site}/{path}", wait_until="load")
            page.wait_for_timeout(300)
            assert page.evaluate("() => window.__csp") == [], path
            body = page.inner_text("body")
            shown += body.count("<script>alert(document.domain)</script>")
            assert "{{ 7*7 }}" in body or "alert(document.domain)" not in body, path
    finally:
        context.close()
    assert dialogs == [] and errors == []
    assert shown > 20  # the payload is on the pages, as text
