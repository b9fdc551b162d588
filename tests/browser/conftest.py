"""Playwright (Python API) fixtures: one Debian Chromium per test session against the built site.

Every page opened through ``open_page`` records requests that would leave 127.0.0.1 (and aborts
them), console errors and uncaught page errors, so tests can assert a page is clean. With JavaScript
on, ``open_page`` returns once every widget on the page has mounted: help.js imports widget modules
only after the first frame, when the main thread is idle, so "load" alone does not mean they ran.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from support.browser import STEP_TIMEOUT, OpenPage, PageLog, watch

#: Every element that names widget modules (macros/widgets.py) has been mounted by them (help.js).
WIDGETS_MOUNTED = (
    "() => Array.from(document.querySelectorAll('[data-help-modules]'))"
    ".every((el) => el.hasAttribute('data-help-mounted'))"
)


@pytest.fixture(scope="session")
def built_site(served_site: tuple[Path, str]) -> Path:
    """Overrides the shared fixture for browser tests: this build's site_url is its loopback URL."""
    return served_site[0]


@pytest.fixture(scope="session")
def site_url(served_site: tuple[Path, str]) -> str:
    """Base URL (no trailing slash) of the browser tests' site."""
    return served_site[1]


@pytest.fixture(scope="session")
def browser(chromium_browser: Browser) -> Browser:
    """The session's one headless Chromium (tests/conftest.py)."""
    return chromium_browser


@pytest.fixture
def open_page(browser: Browser, site_url: str) -> Iterator[OpenPage]:
    """``open_page(path, **context_options) -> (page, log)``: a fresh context per call, closed after."""
    contexts = []

    def _open(path: str = "/", **options: Any) -> tuple[Page, PageLog]:
        context = browser.new_context(**options)
        context.set_default_timeout(STEP_TIMEOUT)
        contexts.append(context)
        page = context.new_page()
        log = PageLog()
        watch(context, page, log)
        page.goto(site_url + path, wait_until="load")
        if options.get("java_script_enabled", True):
            page.wait_for_function(WIDGETS_MOUNTED)
        return page, log

    yield _open
    for context in contexts:
        context.close()
