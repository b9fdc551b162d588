"""Fixtures of the publishing tests: a headless Debian Chromium (Playwright, never downloaded)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def chromium(chromium_browser: object) -> object:
    """The session's one headless Chromium (tests/conftest.py)."""
    return chromium_browser
