"""Versioned publishing: ``make deploy`` (mike) twice in a throw-away git repository.

Checks versions.json, both versions served, the version selector listing both, the outdated banner
on the old version only, canonical links to ``latest``, every portal link in every version, and that
deploying 2.0 did not change a byte of 1.0 (its git tree id is unchanged).
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from support.publish import (
    RECORD_CSP_VIOLATIONS,
    check_contract,
    copy_project,
    export_branch,
    git,
    index_html,
    make_deploy,
    start_nginx,
)
from support.site_build import serve_directory

pytestmark = pytest.mark.slow
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')


@dataclass
class Deployed:
    repo: Path
    served: Path
    tree_1_0_before: str
    tree_1_0_after: str
    outputs: list[str]


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Deployed:
    base = tmp_path_factory.mktemp("mike")
    repo = copy_project(base / "repo")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "help centre 1.0")
    outputs = []
    first = make_deploy(repo, "1.0", "latest")
    outputs.append(first.stdout + first.stderr)
    assert first.returncode == 0, outputs[-1]
    before = git(repo, "rev-parse", "gh-pages:1.0").strip()

    index = repo / "docs" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8") + "\n\nRelease 2.0 of the help centre.\n", encoding="utf-8"
    )
    git(repo, "commit", "-q", "-am", "help centre 2.0")
    second = make_deploy(repo, "2.0", "latest")
    outputs.append(second.stdout + second.stderr)
    assert second.returncode == 0, outputs[-1]
    after = git(repo, "rev-parse", "gh-pages:1.0").strip()
    return Deployed(repo, export_branch(repo, "gh-pages", base / "served"), before, after, outputs)


def test_versions_json(deployed: Deployed) -> None:
    versions = json.loads((deployed.served / "versions.json").read_text(encoding="utf-8"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("2.0", ["latest"]), ("1.0", [])]


def test_deploying_2_0_left_1_0_byte_identical(deployed: Deployed) -> None:
    assert deployed.tree_1_0_before == deployed.tree_1_0_after


def test_main_branch_untouched_and_default_is_latest(deployed: Deployed) -> None:
    assert git(deployed.repo, "status", "--porcelain", "--untracked-files=no") == ""
    assert index_html((deployed.served / "index.html").read_text(encoding="utf-8")).refresh == "latest/"
    assert (deployed.served / "latest").resolve() == (deployed.served / "2.0").resolve()


def test_each_version_knows_its_version(deployed: Deployed) -> None:
    for version in ("1.0", "2.0"):
        export = json.loads((deployed.served / version / "api" / "clients.json").read_text(encoding="utf-8"))
        assert export["version"] == version
        page = (deployed.served / version / "index.html").read_text(encoding="utf-8")
        assert f'<meta name="help:version" content="{version}">' in page
    assert "Release 2.0" in (deployed.served / "2.0" / "index.html").read_text(encoding="utf-8")
    assert "Release 2.0" not in (deployed.served / "1.0" / "index.html").read_text(encoding="utf-8")


def test_canonical_links_point_at_latest(deployed: Deployed) -> None:
    for version in ("1.0", "2.0"):
        page = (
            deployed.served / version / "errors" / "503-valid-rcpt-command-must-precede-data" / "index.html"
        )
        assert CANONICAL.findall(page.read_text(encoding="utf-8")) == [
            "https://help.smarthost.example/latest/errors/503-valid-rcpt-command-must-precede-data/"
        ]


def test_llms_txt_links_point_at_latest(deployed: Deployed) -> None:
    """The site root holds no pages, so each version's /llms.txt links the canonical (latest) copies."""
    for version in ("1.0", "2.0"):
        text = (deployed.served / version / "llms.txt").read_text(encoding="utf-8")
        links = re.findall(r"^- \[[^\]]+\]\((https?://[^)]+)\)", text, flags=re.MULTILINE)
        assert links and all(link.startswith("https://help.smarthost.example/latest/") for link in links)
        assert "https://help.smarthost.example/latest/clients/thunderbird/index.md" in links


@pytest.mark.parametrize("version", ["1.0", "2.0", "latest"])
def test_portal_links_resolve_in_every_version(deployed: Deployed, version: str) -> None:
    assert check_contract(deployed.served / version) == []


@pytest.fixture(scope="module")
def served_url(deployed: Deployed) -> Iterator[str]:
    server, url = serve_directory(deployed.served)
    yield url
    server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "outdated"),
    [("/1.0/", True), ("/2.0/", False), ("/latest/", False), ("/1.0/clients/thunderbird/", True)],
)
def test_selector_and_outdated_banner(chromium: Browser, served_url: str, path: str, outdated: bool) -> None:
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(served_url + path, wait_until="load")
        page.wait_for_selector(".md-version__list", state="attached")
        listed = page.eval_on_selector_all(
            ".md-version__list .md-version__link", "els => els.map(e => e.firstChild.textContent.trim())"
        )
        assert listed == ["2.0", "1.0"], listed
        # Material stores its verdict in sessionStorage ("<base>.__outdated") before showing the banner.
        page.wait_for_function("() => Object.keys(sessionStorage).some(k => k.endsWith('.__outdated'))")
        banner = page.locator("[data-md-component=outdated]")
        if outdated:
            banner.wait_for(state="visible")
            assert "older release" in banner.inner_text()
            href = page.get_attribute("[data-md-component=outdated] a", "href")
            target = page.evaluate("h => new URL(h, location.href).pathname", href)
            assert target == path.replace("/1.0/", "/latest/")
        else:
            assert banner.is_hidden()
    finally:
        context.close()


@pytest.fixture(scope="module")
def nginx_versions(deployed: Deployed, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """deploy/nginx.conf serving the gh-pages checkout (every version, `latest` a symlink)."""
    proc, url = start_nginx(tmp_path_factory.mktemp("nginx-versions"), deployed.served)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.browser
@pytest.mark.nginx
def test_nginx_serves_all_versions_under_the_csp(chromium: Browser, nginx_versions: str) -> None:
    """Root redirect, `latest` symlink, selector and outdated banner (mike-only inline scripts) all run
    under the strict CSP with no violation."""
    with urllib.request.urlopen(nginx_versions + "/versions.json", timeout=30) as resp:
        assert resp.headers["Cache-Control"] == "no-cache"
    with urllib.request.urlopen(nginx_versions + "/latest/api/clients.json", timeout=30) as resp:
        assert json.loads(resp.read())["version"] == "2.0"
    context = chromium.new_context()
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(nginx_versions + "/", wait_until="load")
        page.wait_for_url(nginx_versions + "/latest/")
        page.wait_for_selector(".md-version__list", state="attached")
        assert page.evaluate("() => window.__csp") == []
        page.goto(nginx_versions + "/1.0/clients/thunderbird/", wait_until="load")
        page.locator("[data-md-component=outdated]").wait_for(state="visible")
        page.reload(wait_until="load")  # now the inline outdated script restores it from sessionStorage
        page.locator("[data-md-component=outdated]").wait_for(state="visible")
        assert page.evaluate("() => window.__csp") == []
        assert errors == []
    finally:
        context.close()
