"""deploy/csp.py (CSP hash sources of inline scripts) and deploy/versioning.py, as units and on the
built site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from deploy import csp
from hooks import versioning
from support.publish import ROOT


def test_hash_source_matches_the_csp_spec_example() -> None:
    # CSP Level 3, section 2.3.1 (hash-source) example.
    assert (
        csp.hash_source("alert('Hello, world.');") == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    )


def test_scan_keeps_exact_text_and_skips_data_blocks_and_external_scripts() -> None:
    page = csp.scan_html(
        '<script>a&amp;&lt;b</script><script type="application/json">{"x":1}</script>'
        '<script src="x.js"></script><script type="module">m()</script>'
        '<style>p{}</style><p style="color:red">'
    )
    assert page.scripts == ["a&amp;&lt;b", "m()"]  # script text is raw: no character references decoded
    assert page.styles == ["p{}"] and page.style_attributes == 1


def test_inline_handlers_fail_the_tool(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<button onclick="go()">x</button><a href="javascript:go()">y</a>')
    proc = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "csp.py"), str(tmp_path)], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "onclick" in proc.stderr and "javascript:" in proc.stderr


def test_feedback_endpoint_origin_goes_into_connect_src(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<meta name="help:feedback-endpoint" content="https://portal.example:8443/fb">'
        "<script>var target=document.getElementById(location.hash.slice(1));target&&target.name&&"
        '(target.checked=target.name.startsWith("__tabbed_"))</script>'
    )
    out = csp.render_nginx(csp.scan_site(tmp_path), "t")
    assert 'map $host $help_csp_connect_extra {\n    default "https://portal.example:8443";' in out
    assert len(csp.scan_site(tmp_path).script_hashes) == 1 and "'sha256-" in out


def test_built_site_needs_few_hashes_and_no_inline_styles(engine_site: Path) -> None:
    """Measured on the real site: a handful of hashes, no handlers, no style attributes or <style>
    (so style-src needs no 'unsafe-inline')."""
    scan = csp.scan_site(engine_site)
    print(
        f"\n{scan.pages} pages: {len(scan.script_hashes)} inline-script hashes, "
        f"{len(scan.style_hashes)} <style>, {scan.style_attributes} style attributes"
    )
    assert scan.handlers == {}
    assert scan.style_hashes == set() and scan.style_attributes == 0
    assert 0 < len(scan.script_hashes) <= 40


def test_outdated_script_fix() -> None:
    before = (
        '<script>var el=document.querySelector("[data-md-component=outdated]"),base=new URL("../.."),'
        'outdated=__md_get("__outdated",sessionStorage,base);</script>'
    )
    after = versioning.fix_outdated_script(before)
    assert 'base=new URL("../..",location),' in after
    assert versioning.fix_outdated_script(after) == after  # idempotent; no-op once Material fixes it


def test_version_selector_only_in_versioned_builds(built_site: Path) -> None:
    assert not versioning.versioned_build({})
    assert versioning.versioned_build({"MIKE_DOCS_VERSION": "1.0"})
    assert versioning.versioned_build({"HELP_VERSIONED": "1"})
    page = (built_site / "index.html").read_text(encoding="utf-8")
    assert '"version": null' in page and 'data-md-component="outdated"' not in page
