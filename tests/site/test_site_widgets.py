"""How a widget ships its assets (macros/widgets.py + hooks/widget_assets.py): every page links the
site's one stylesheet and loads one module of ours (at low fetch priority); a widget's modules are
named only in its marker, on the pages that show it (help.js imports them); an unknown widget name
fails the build naming the page."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from macros import MODULES, widgets
from support.site_build import ROOT, mini_project, mkdocs_build

for _name in MODULES:  # importing the feature modules registers their widgets (as the build does)
    importlib.import_module(f"macros.{_name}")

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"(?! media="print")')
PRINT_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)" media="print"')
SCRIPT = re.compile(r"<script\b([^>]*)\bsrc=\"([^\"]+)\"([^>]*)>")
OWN = ("assets/css/", "assets/js/")
#: A page's own first scripts (front matter head_scripts): classic, before the site's module.
HEAD_SCRIPTS = {"diagnose/index.html": [("js/diagnose-link.js", False)]}


def own_assets(html: str) -> tuple[list[str], list[tuple[str, bool]]]:
    """The site's own stylesheets and scripts (path, is a module) a page loads, in document order."""
    sheets = [m for m in STYLESHEET.findall(html) if any(o in m for o in OWN)]
    scripts = [
        (m.group(2).split("assets/", 1)[1], 'type="module"' in m.group(1) + m.group(3))
        for m in SCRIPT.finditer(html)
        if any(o in m.group(2) for o in OWN)
    ]
    return sheets, scripts


def pages(site: Path) -> dict[str, str]:
    skip = ("assets/", "pyodide/", "search/")
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*.html"))
        if not p.relative_to(site).as_posix().startswith(skip)
    }


def test_every_page_has_one_stylesheet_and_one_site_module(built_site: Path) -> None:
    for name, html in pages(built_site).items():
        if 'http-equiv="refresh"' in html:  # redirect stubs of mkdocs-redirects
            continue
        sheets, scripts = own_assets(html)
        assert [s.rsplit("assets/", 1)[1] for s in sheets] == ["css/help.css"], name
        # the print rules load with media="print": they never hold up the first paint
        assert [s.rsplit("assets/", 1)[1] for s in PRINT_STYLESHEET.findall(html)] == ["css/print.css"], name
        assert scripts == [*HEAD_SCRIPTS.get(name, []), ("js/help.js", True)], f"{name}: {scripts}"
        tag = next(m.group(0) for m in SCRIPT.finditer(html) if m.group(2).endswith("js/help.js"))
        assert 'fetchpriority="low"' in tag, f"{name}: {tag}"


def test_diagnose_link_runs_before_the_theme_reads_the_address(built_site: Path) -> None:
    """/diagnose/'s diagnose-link.js (front matter head_scripts) is a classic script in the <head>,
    before the theme's first inline script (which reads the address): a long #text= link leaves the
    address before anything else runs."""
    html = (built_site / "diagnose" / "index.html").read_text(encoding="utf-8")
    head = html.split("</head>", 1)[0]
    link = head.find('js/diagnose-link.js"></script>')
    first_inline = re.search(r"<script>", head)
    assert link > 0, "diagnose-link.js is not in the <head>"
    assert first_inline is not None and link < first_inline.start()


def test_widget_modules_named_only_on_pages_with_the_widget(built_site: Path) -> None:
    found: dict[str, set[str]] = {}
    for name, html in pages(built_site).items():
        marked = set(re.findall(r'data-help-widget="([a-z0-9-]+)"', html))
        named = {p for group in re.findall(r'data-help-modules="([^"]*)"', html) for p in group.split()}
        expected = {s for w in marked for s in widgets.REGISTRY[w].scripts}
        assert named == expected, name
        for path in named:
            assert (built_site / path).is_file(), f"{name}: {path} is not published"
        for widget in marked:
            found.setdefault(widget, set()).add(name)
    article = "errors/503-valid-rcpt-command-must-precede-data/index.html"
    assert article in found["stepper"] and article in found["console"]
    assert "index.html" not in found.get("stepper", set())


def test_one_stylesheet_holds_every_registered_style_and_the_sources_are_not_published(
    built_site: Path,
) -> None:
    css = (built_site / widgets.SITE_STYLESHEET).read_text(encoding="utf-8")
    for widget in widgets.REGISTRY.values():
        for src in widget.styles:
            body = (ROOT / "docs" / src).read_text(encoding="utf-8").strip()
            assert body in css, src
            assert not (built_site / src).exists(), f"{src} published on its own"
    assert css.index("assets/css/site.css") < css.index("assets/css/dialogue.css")


@pytest.mark.slow  # a strict build
def test_unknown_widget_fails_the_build_naming_the_page(tmp_path: Path) -> None:
    page = '# Page\n\n<div data-help-widget="no-such-widget">x</div>\n'
    proj = mini_project(tmp_path, page)
    (proj / "hooks").symlink_to(ROOT / "hooks")
    (proj / "docs" / "assets").symlink_to(ROOT / "docs" / "assets")
    config = proj / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "hooks:\n  - hooks/widget_assets.py\n", encoding="utf-8"
    )
    proc = mkdocs_build(tmp_path / "out", proj / "mkdocs.yml", quiet=False)
    assert proc.returncode != 0
    assert "docs/index.md: unknown widget 'no-such-widget'" in proc.stdout + proc.stderr


def test_register_widget_checks_the_name_and_paths() -> None:
    with pytest.raises(ValueError, match="Bad Name"):
        widgets.register_widget("Bad Name")
    with pytest.raises(ValueError, match="bad-path"):
        widgets.register_widget("bad-path", scripts=['assets/js/x.js" onload="alert(1)'])
    assert "bad-path" not in widgets.REGISTRY
    assert widgets.marker("stepper") == 'data-help-widget="stepper" data-help-modules="assets/js/stepper.js"'
