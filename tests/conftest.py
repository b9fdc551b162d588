"""Shared fixtures: one strict build of the real site per test session (plus one built for its served
address), a loopback server for it, and one headless Chromium; and the markers every test gets from
where it lives and what it uses (pyproject.toml lists them), so a new test is marked without a
decorator and ``make test-fast`` (``-m "not slow"``) leaves out everything slow."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from support import site_build
from support.site_build import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ENGINES,
    build_and_serve,
    mkdocs_build,
    serve_directory,
)

if TYPE_CHECKING:  # Playwright itself is imported only when a test needs the browser
    from playwright.sync_api import Browser

TESTS = Path(__file__).resolve().parent
#: A test under one of these directories gets the marker.
DIRECTORY_MARKERS = {TESTS / "browser": "browser", TESTS / "pyodide": "pyodide", TESTS / "interop": "interop"}
#: A test using one of these fixtures (directly or through another fixture) gets the marker.
FIXTURE_MARKERS = {
    "chromium_browser": "browser",
    "nginx": "nginx",
    "built_site": "slow",
    "properdocs_site": "slow",
    "engine_site": "slow",
    "served_site": "slow",
    "site_url": "slow",
}
#: Markers that make a test slow too.
SLOW_MARKERS = {"browser", "nginx", "pyodide", "interop"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Add the markers of the tables above (explicit markers stay)."""
    for item in items:
        path = Path(str(item.path))
        names = {name for folder, name in DIRECTORY_MARKERS.items() if folder in path.parents}
        names |= {name for fixture, name in FIXTURE_MARKERS.items() if fixture in item.fixturenames}
        names |= {m.name for m in item.iter_markers()} & SLOW_MARKERS
        if names & SLOW_MARKERS:
            names.add("slow")
        for name in sorted(names):
            if item.get_closest_marker(name) is None:
                item.add_marker(name)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before the test's fixtures: tell support.site_build the markers, so a strict build in a test not
    marked slow, or nginx in one not marked nginx, fails (``site_build.require_marker``)."""
    site_build.CURRENT_MARKERS = {m.name for m in item.iter_markers()}


def pytest_runtest_teardown() -> None:
    site_build.CURRENT_MARKERS = None


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once with ``--strict``; a failed build fails every test that needs it."""
    dest = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(dest)
    if proc.returncode != 0:
        pytest.fail(f"strict build failed:\n{proc.stdout}\n{proc.stderr}")
    return dest


@pytest.fixture(scope="session")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built once more, with ProperDocs (the drop-in fork of MkDocs 1.x we would move
    to if MkDocs 1.6 stops working; docs/staff/toolchain.md)."""
    dest = tmp_path_factory.mktemp("site-properdocs")
    proc = mkdocs_build(dest, engine="properdocs")
    if proc.returncode != 0:
        pytest.fail(f"strict ProperDocs build failed:\n{proc.stdout}\n{proc.stderr}")
    return dest


@pytest.fixture(scope="session", params=ENGINES)
def engine_site(request: pytest.FixtureRequest) -> Path:
    """The built site of each engine (``built_site`` for MkDocs, ``properdocs_site``): the built-site
    checks that take it run on both outputs."""
    return request.getfixturevalue("built_site" if request.param == "mkdocs" else "properdocs_site")


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
def chromium_browser() -> Iterator[Browser]:
    """One headless Chromium for the whole test session, shared by every suite: Playwright's sync API
    runs one event loop per thread, so two ``sync_playwright()`` at once in one process fail."""
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (deps/debian-test.txt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
