"""Fixture for the ``smtpsim serve`` tests: servers started for one test and stopped after it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.smtpsim_serve import ServeFactory


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[ServeFactory]:
    """Servers with a scratch ``$TMPDIR`` of their own, which they must leave empty when stopped
    (issue 21 #5: a throw-away certificate's directory is removed at stop)."""
    scratch = tmp_path / "serve-tmp"
    scratch.mkdir()
    f = ServeFactory(scratch)
    yield f
    f.stop_all()
    assert sorted(p.name for p in scratch.iterdir()) == [], "serve left files in its $TMPDIR"
