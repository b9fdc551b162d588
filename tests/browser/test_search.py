"""Site search reads what people paste (issue 18), in Chromium against the built site.

The table (``search_queries.yml``: real error lines, program names, maker names) is typed into
Material's search box one query after the other on ONE page; each must give its expected first page,
and error lines must put "Diagnose this error" first. Then: lunr's operator characters no longer
empty the result, the pasted text is shown as text (never parsed as HTML), and following "Diagnose
this error" hands the text to /diagnose/ without putting it into the URL.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from playwright.sync_api import Page

from support.browser import OpenPage, PageLog

TABLE = yaml.safe_load((Path(__file__).with_name("search_queries.yml")).read_text(encoding="utf-8"))[
    "queries"
]
DIAGNOSE = "/diagnose/"

#: Type *q* into the search box as a reader does (Material reads the value on keyup) and return the
#: result list once the worker answered: [[path, title], ...] of the first link of each result.
RESULTS_JS = """async (q) => {
  const input = document.querySelector('.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  const meta = document.querySelector('.md-search-result__meta');
  list.innerHTML = '';
  meta.textContent = '';
  input.value = q;
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
  const t0 = performance.now();
  while (!list.children.length && meta.textContent === '' && performance.now() - t0 < 10000) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return Array.from(list.querySelectorAll(':scope > li > a:first-child'))
    .map((a) => [new URL(a.href).pathname + new URL(a.href).hash, a.querySelector('h1, h2').textContent]);
}"""


def open_search(open_page: OpenPage) -> tuple[Page, PageLog, list[str]]:
    page, log = open_page("/")
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.click(".md-search__input")
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta').textContent.includes('Type to start')"
    )
    return page, log, warnings


def first_page(results: list[list[str]]) -> tuple[bool, str]:
    """Whether "Diagnose this error" came first, and the first real page's path."""
    diagnose = bool(results) and results[0][1].startswith("Diagnose this error")
    rest = results[1:] if diagnose else results
    return diagnose, urlsplit(rest[0][0]).path if rest else ""


def test_search_table_gives_the_expected_first_page(open_page: OpenPage) -> None:
    page, log, _ = open_search(open_page)
    wrong = []
    for row in TABLE:
        diagnose, first = first_page(page.evaluate(RESULTS_JS, row["q"]))
        if diagnose != row["diagnose"] or first != row["first"]:
            wrong.append(
                f"{row['q']!r}: diagnose={diagnose} first={first!r}, want {row['diagnose']} {row['first']!r}"
            )
    score = len(TABLE) - len(wrong)
    print(f"search table: {score}/{len(TABLE)} queries give the expected first page")
    assert len(TABLE) >= 30
    assert wrong == [], f"{score}/{len(TABLE)} right; wrong:\n" + "\n".join(wrong)
    log.assert_clean()


@pytest.mark.parametrize(
    "query", ["-ERR authentication failed", "AUTH=PLAIN", "title: Undeliverable", "x^y relay~2 +OK"]
)
def test_lunr_operators_no_longer_empty_the_result(open_page: OpenPage, query: str) -> None:
    page, _, warnings = open_search(open_page)
    assert page.evaluate(RESULTS_JS, query), f"{query!r} found nothing"
    assert not [w for w in warnings if "Invalid query" in w], warnings


def test_pasted_text_is_shown_as_text(open_page: OpenPage) -> None:
    page, _, _ = open_search(open_page)
    results = page.evaluate(RESULTS_JS, '550 <img src="x">relay <b>denied</b>')
    assert results[0][1].startswith("Diagnose this error")
    assert "<b>denied</b>" in results[0][1]
    assert page.locator(".md-search-result__list img, .md-search-result__list b").count() == 0


def test_diagnose_entry_hands_the_text_over_without_the_url(open_page: OpenPage) -> None:
    page, _, _ = open_search(open_page)
    text = "550 5.7.1 Relaying denied. Proper authentication required."
    page.evaluate(RESULTS_JS, text)
    page.keyboard.press("Enter")  # Material opens the result with the highest score
    page.wait_for_url(lambda url: urlsplit(url).path == DIAGNOSE)
    parts = urlsplit(unquote(page.url))
    shown = parts.path + parts.query + parts.fragment  # not the host: a random port can hold "550"
    assert "Relaying" not in shown and "550" not in shown, page.url
    # The diagnosis page takes the text once (takeDiagnoseHandover), answers it, and the storage is empty.
    # (instant navigation: the address changes before the new page's content is in)
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-diagnose-answer]'); return a && !a.hidden; }"
    )
    assert page.locator("[data-diagnose-answer]").text_content().strip()
    assert page.evaluate("() => sessionStorage.getItem('help:diagnose')") is None
