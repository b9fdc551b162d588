"""Settings tables at 375 px (issue 11): every settings table and provider summary, in every tab, fits
the screen with no horizontal scrolling, and each value to set is fully on screen in one piece."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.browser import ARTICLE, OpenPage

pytestmark = pytest.mark.browser

#: Every tab's content shown at once (CSSOM styles are not governed by the CSP), then, per table: how
#: far it or its scroll wrapper overflows, and any value cell that does not fit the viewport.
MEASURE = """() => {
  document.querySelectorAll(".tabbed-block").forEach((b) => { b.style.display = "block"; });
  const out = [];
  document.querySelectorAll(".settings-table, .provider-summary").forEach((box, i) => {
    const table = box.querySelector("table");
    const wrap = box.querySelector(".md-typeset__scrollwrap") || table;
    const rect = table.getBoundingClientRect();
    const cells = [...box.querySelectorAll(".setting")].filter((c) => {
      const r = c.getBoundingClientRect();
      return r.left < 0 || r.right > window.innerWidth || c.scrollWidth > c.clientWidth + 1;
    }).map((c) => c.textContent);
    out.push({ table: `${box.className} #${i} ${box.dataset.client || ""}/${box.dataset.provider || ""}`,
               scroll: wrap.scrollWidth - wrap.clientWidth, right: rect.right - window.innerWidth, cells });
  });
  return out;
}"""


def table_pages(site: Path) -> list[str]:
    pages = []
    for html in sorted(site.rglob("index.html")):
        text = html.read_text(encoding="utf-8")
        if 'class="settings-table"' in text or 'class="provider-summary"' in text:
            pages.append("/" + html.parent.relative_to(site).as_posix().removesuffix(".") + "/")
    return [p.replace("//", "/") for p in pages]


def test_settings_tables_fit_375px_without_scrolling(open_page: OpenPage, built_site: Path) -> None:
    pages = table_pages(built_site)
    assert ARTICLE in pages and "/clients/thunderbird/" in pages and "/settings/" in pages, pages
    problems = {}
    for path in pages:
        page, _ = open_page(path, viewport={"width": 375, "height": 740})
        found = page.evaluate(MEASURE)
        assert found, f"{path}: no tables measured"
        bad = [t for t in found if t["scroll"] > 0 or t["right"] > 0.5 or t["cells"]]
        if bad:
            problems[path] = bad
        page.context.close()
    assert problems == {}, problems


def test_desktop_tables_keep_their_columns(open_page: OpenPage) -> None:
    """The stacked layout is for narrow screens only: at 1280 px the header row is shown."""
    page, _ = open_page("/clients/thunderbird/", viewport={"width": 1280, "height": 900})
    header = page.locator(".settings-table thead").first
    box = header.bounding_box()
    assert header.is_visible() and box is not None and box["height"] > 10
