"""The site builds the same with ProperDocs as with MkDocs 1.6 (issue 20): same files, same bytes
but for the generator tag. The built-site checks themselves (pages, export, links, CSP, third-party
resources) take the ``engine_site`` fixture and run on both outputs."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _normalised(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return GENERATOR.sub(b"", data)


def test_properdocs_output_equals_mkdocs_output(built_site: Path, properdocs_site: Path) -> None:
    mk = sorted(p.relative_to(built_site) for p in built_site.rglob("*") if p.is_file())
    pd = sorted(p.relative_to(properdocs_site) for p in properdocs_site.rglob("*") if p.is_file())
    assert mk == pd, sorted(set(mk) ^ set(pd))
    differing = [str(r) for r in mk if _normalised(built_site / r) != _normalised(properdocs_site / r)]
    assert differing == []
    page = (properdocs_site / "index.html").read_text(encoding="utf-8")
    assert 'content="mkdocs-ProperDocs' in page  # it really was ProperDocs that built it
