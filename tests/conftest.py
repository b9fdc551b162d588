"""Shared fixtures: one strict build of the real site per test session (plus one built for its served
address), a loopback server for it, and one headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sitelib import CHROMIUM, CHROMIUM_ARGS, build_and_serve, mkdocs_build, serve_directory


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once with ``--strict``; a failed build fails every test that needs it."""
    dest = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(dest)
    if proc.returncode != 0:
        pytest.fail(f"strict build failed:\n{proc.stdout}\n{proc.stderr}")
    return dest


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Base URL (no trailing slash) of the built site served on loopback."""
    server, url = serve_directory(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The real site built for the loopback address it is served on (``HELP_SITE_URL``), so that
    Material's instant navigation really runs: ``(directory, base URL without trailing slash)``."""
    dest = tmp_path_factory.mktemp("served-site")
    server, url, proc = build_and_serve(dest)
    if proc.returncode != 0:
        server.shutdown()
        pytest.fail(f"strict build failed:\n{proc.stdout}\n{proc.stderr}")
    yield dest, url
    server.shutdown()


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    """One headless Chromium for the whole test session, shared by every suite: Playwright's sync API
    runs one event loop per thread, so two ``sync_playwright()`` at once in one process fail."""
    import shutil  # noqa: PLC0415

    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
