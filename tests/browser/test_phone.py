"""Phones, 375 x 812 in Chromium (issue 18): the copy button leaves the code's text free, and after a
jump to a section Material's "Back to top" button does not cover the section's heading. (The Python
sample's output after a real run is checked at 375 px in test_sample_run.py, which starts Pyodide.)"""

from __future__ import annotations

import pytest

from support.browser import ARTICLE, OpenPage

PHONE = {"viewport": {"width": 375, "height": 812}, "has_touch": True, "is_mobile": True}

#: For every code block with Material's copy button: how far the button reaches below the top of the
#: code's text (> 0: it covers the first line).
COVERED_JS = """() => Array.from(document.querySelectorAll('pre > .md-code__nav')).filter((nav) =>
  nav.getClientRects().length).map((nav) => {
    const code = nav.parentElement.querySelector(':scope > code');
    const textTop = code.getBoundingClientRect().top + parseFloat(getComputedStyle(code).paddingTop);
    return nav.getBoundingClientRect().bottom - textTop;
  })"""


@pytest.mark.parametrize("path", ["/senders/python/", ARTICLE, "/senders/nodejs/"])
def test_copy_button_does_not_cover_code(open_page: OpenPage, path: str) -> None:
    page, _ = open_page(path, **PHONE)
    overlaps = page.evaluate(COVERED_JS)
    assert overlaps, f"{path}: no code block with a copy button"
    assert max(overlaps) <= 0, f"{path}: the copy button covers the first line by {max(overlaps):.0f}px"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize("target", ["fix", "quick-fix"])
def test_back_to_top_does_not_cover_a_jump_target(open_page: OpenPage, target: str) -> None:
    """A link further down the page to a section above (as "go back to your program's tab" links do),
    then a little reading upwards, which makes Material show its "Back to top" button."""
    page, log = open_page(ARTICLE, **PHONE)
    page.evaluate(
        """id => { const a = document.createElement('a'); a.href = '#' + id; a.id = 'jump-up';
                   a.textContent = 'up'; document.querySelector('article').appendChild(a); }""",
        target,
    )
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(300)
    page.click("#jump-up")
    page.wait_for_timeout(400)
    page.evaluate("() => window.scrollBy(0, -4)")
    page.wait_for_function("() => !document.querySelector('.md-top').hidden")
    page.wait_for_timeout(300)
    top = page.evaluate("() => document.querySelector('.md-top').getBoundingClientRect().bottom")
    heading = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", target)
    header = page.evaluate("() => document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert heading >= header, "the heading is under the sticky header"
    assert heading >= top, f"'Back to top' (bottom {top:.0f}px) covers #{target} (top {heading:.0f}px)"
    assert log.page_errors == []
