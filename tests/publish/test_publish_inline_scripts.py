"""deploy/csp.py hashes only the inline scripts it knows; anything else fails it and the build
(issue 21 #2: it hashed every inline ``<script>``, so one injected from a data file was allowed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jinja2
import material
import mike
import mkdocs_redirects.plugin
import pytest
from mkdocs.exceptions import PluginError

from deploy import csp
from hooks import inline_scripts
from support.publish import ROOT

MATERIAL = Path(material.__file__).parent / "templates"
MIKE = Path(mike.__file__).parent / "templates"


def _inline_scripts(html: str) -> list[str]:
    return csp.scan_html(html).scripts


def _render(path: Path, **names: object) -> str:
    """A tool's template with sample values (``{{ x }}`` expressions; Material's comments dropped)."""
    env = jinja2.Environment(undefined=jinja2.ChainableUndefined)
    return env.from_string(path.read_text(encoding="utf-8")).render(**names)


def test_every_script_the_tools_write_is_known() -> None:
    """Read from the installed Material, mike and mkdocs-redirects: an upgrade that changes one of
    their inline scripts fails here (and in the build), not silently in production."""
    written: dict[str, list[str]] = {}
    for name in ("base", "palette", "content", "announce"):
        page = _render(
            MATERIAL / "partials" / "javascripts" / f"{name}.html",
            base_url="../..",
            features=["content.tabs.link"],
        )
        written[f"material {name}"] = _inline_scripts(page)
    outdated = _render(MATERIAL / "partials" / "javascripts" / "outdated.html", base_url="../..")
    written["material outdated (as hooks/versioning.py serves it)"] = _inline_scripts(
        outdated.replace('new URL("../..")', 'new URL("../..",location)')
    )
    written["material redirect"] = _inline_scripts(
        _render(MATERIAL / "redirect.html", page={"meta": {"location": "../new/#a"}}, config={})
    )
    written["mike index"] = _inline_scripts(_render(MIKE / "index.html", version="latest/"))
    written["mike redirect"] = _inline_scripts(_render(MIKE / "redirect.html", href="../1.0/errors/"))
    written["mkdocs-redirects"] = _inline_scripts(mkdocs_redirects.plugin.HTML_TEMPLATE.format(url="../a/b/"))
    assert sum(len(s) for s in written.values()) == 10
    for tool, scripts in written.items():
        for code in scripts:
            assert csp.known_script(code), (tool, code)


HOSTILE = [
    "alert(document.domain)",
    # a known script with its URL swapped for code: the URL part cannot end the string
    'var anchor=window.location.hash.substr(1);location.href="x"+alert(1)+"y"+(anchor?"#"+anchor:"")',
    '\n    window.location.replace("a\\");alert(1);//");\n  ',
    '__md_scope=new URL(".",location)',  # a prefix of a known one
]


@pytest.mark.parametrize("code", HOSTILE)
def test_anything_else_fails_the_tool_and_the_build(tmp_path: Path, code: str) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        f'<p>x</p><script>{code}</script><script type="application/json">{{}}</script>', encoding="utf-8"
    )
    proc = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "csp.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1 and proc.stdout == ""  # no snippet that would allow it
    assert proc.stderr.startswith("csp: unknown inline script in a/index.html"), proc.stderr
    with pytest.raises(PluginError, match=r"unknown inline script in a/index\.html"):
        inline_scripts.on_post_build({"site_dir": str(tmp_path)})


def test_the_built_site_passes_the_build_check(engine_site: Path) -> None:
    scan = csp.scan_site(engine_site)
    assert scan.problems() == [] and scan.script_hashes
