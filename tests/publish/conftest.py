"""Fixtures of the publishing tests: a headless Debian Chromium (Playwright, never downloaded)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def chromium(chromium_browser: Browser) -> Browser:
    """The session's one headless Chromium (tests/conftest.py)."""
    return chromium_browser
