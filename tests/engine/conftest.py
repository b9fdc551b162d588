"""Fixture for the ``smtpsim serve`` tests: servers started for one test and stopped after it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from servelib import ServeFactory


@pytest.fixture
def serve() -> Iterator[ServeFactory]:
    f = ServeFactory()
    yield f
    f.stop_all()
