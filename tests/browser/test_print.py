"""Printing (issue 18): the article and the guides on few A4 pages, only the chosen tab, no controls.

Chromium's own PDF output (``page.pdf``, A4, the print stylesheet in ``docs/assets/css/site.css``) is
counted with pypdf: the article at most 6 pages, every email program's guide at most 4. Under print
media the page shows one tab per tab set (the one a portal link chose, else the first), no form,
button or copy icon, the "For IT staff" block closed, and headings that keep to their text.
"""

from __future__ import annotations

import io

import pytest
import yaml
from playwright.sync_api import Page
from pypdf import PdfReader

from support.browser import ARTICLE, ROOT, OpenPage

CLIENTS = [
    c["id"] for c in yaml.safe_load((ROOT / "data" / "clients.yml").read_text(encoding="utf-8"))["clients"]
]
ARTICLE_MAX_PAGES = 6
GUIDE_MAX_PAGES = 4

#: Under print media: what is shown that print must not show, and the chosen fix tab.
PRINTED_JS = """() => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const sets = Array.from(document.querySelectorAll('article .tabbed-set'));
  return {
    blocksPerSet: sets.filter(shown).map((set) =>
      Array.from(set.querySelectorAll(':scope > .tabbed-content > .tabbed-block')).filter(shown).length),
    controls: Array.from(document.querySelectorAll(
      'article form, article button, article input, article select, article textarea, .md-code__nav'
    )).filter(shown).map((el) => el.outerHTML.slice(0, 80)),
    itStaff: Array.from(document.querySelectorAll('#it-staff + details > :not(summary)'))
      .filter(shown).length,
    fixTab: (() => {
      const set = document.querySelector('#fix ~ .tabbed-set');
      const blocks = set ? Array.from(set.querySelectorAll(':scope > .tabbed-content > .tabbed-block')) : [];
      const block = blocks.find(shown);
      const input = set && set.querySelectorAll(':scope > input')[blocks.indexOf(block)];
      return input ? input.id : null;
    })(),
    headingBreak: getComputedStyle(document.querySelector('article h2')).breakAfter,
  };
}"""


def pdf_pages(page: Page) -> int:
    return len(PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)


@pytest.mark.parametrize("query", ["", "?client=thunderbird"])
def test_article_prints_on_few_pages_with_only_the_chosen_tab(open_page: OpenPage, query: str) -> None:
    page, log = open_page(ARTICLE + query)
    if query:
        page.wait_for_function(
            "() => document.documentElement.getAttribute('data-help-client') === 'thunderbird'"
        )
    pages = pdf_pages(page)
    print(f"article{query}: {pages} A4 pages")
    assert pages <= ARTICLE_MAX_PAGES
    page.emulate_media(media="print")
    printed = page.evaluate(PRINTED_JS)
    assert printed["blocksPerSet"] and set(printed["blocksPerSet"]) == {1}, printed["blocksPerSet"]
    assert printed["fixTab"] == f"fix-{'thunderbird' if query else CLIENTS[0]}"
    assert printed["controls"] == []
    assert printed["itStaff"] == 0
    assert printed["headingBreak"] == "avoid"
    log.assert_clean()


def test_every_guide_prints_on_few_pages(open_page: OpenPage) -> None:
    counts = {}
    for client in CLIENTS:
        page, _ = open_page(f"/clients/{client}/")
        counts[client] = pdf_pages(page)
        page.emulate_media(media="print")
        printed = page.evaluate(PRINTED_JS)
        assert set(printed["blocksPerSet"]) <= {1}, (client, printed["blocksPerSet"])
        assert printed["controls"] == [], (client, printed["controls"])
    print(f"guides: {counts} A4 pages")
    assert max(counts.values()) <= GUIDE_MAX_PAGES, counts
