"""Session fixture: the loopback servers the code samples run against (support.sample_servers)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.sample_servers import Servers, start_servers


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    scratch = tmp_path_factory.mktemp("serve-tmp")
    found, served, front = start_servers(tmp_path_factory.mktemp("tls"), scratch)
    try:
        yield found
    finally:
        front.close()
        for s in served:
            s.stop()
    assert list(scratch.iterdir()) == [], "serve left files in its $TMPDIR (issue 21 #5)"
