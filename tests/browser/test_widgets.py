"""Widget modules (macros/widgets.py) load only on the pages that show the widget, only once the page is
parsed (help.js imports them after the first frame: they never compete with the first paint), and
still mount when a reader reaches such a page by Material's instant navigation (no reload)."""

from __future__ import annotations

import pytest

from support.browser import ARTICLE, OpenPage

pytestmark = pytest.mark.browser


def test_stepper_and_console_mount_after_instant_navigation(open_page: OpenPage, site_url: str) -> None:
    page, log = open_page("/")
    assert not [u for u in log.requests if u.endswith(("stepper.js", "console.js"))], (
        "widget code on the home page"
    )
    page.evaluate("() => { window.__noReload = true; }")
    page.evaluate(
        """href => { const a = document.createElement('a'); a.href = href; a.id = 'widget-test-link';
                     a.textContent = 'go'; document.querySelector('article').appendChild(a); }""",
        site_url + ARTICLE,
    )
    page.click("#widget-test-link")
    dialogue = page.locator("[data-help-widget=stepper][data-help-mounted]").first
    dialogue.wait_for()
    assert page.evaluate("() => window.__noReload === true"), "page reloaded: instant navigation not used"
    dialogue.get_by_role("button", name="Next step").click()
    assert dialogue.locator("[data-smtp-status]").text_content().startswith("Step 2 of")
    page.locator("[data-help-widget=console][data-help-mounted]").get_by_role(
        "button", name="Start live console"
    ).wait_for()
    assert [u for u in log.requests if u.endswith("/assets/js/stepper.js")], "stepper.js was not requested"
    log.assert_clean()


def test_widget_modules_are_requested_after_the_page_is_parsed(open_page: OpenPage) -> None:
    """A <script> tag would be fetched while the HTML is still parsed; help.js asks for a widget's
    module only after the document is interactive and a frame was drawn."""
    page, log = open_page(ARTICLE)
    page.locator("[data-help-widget=stepper][data-help-mounted]").first.wait_for()
    timing = page.evaluate(
        """() => {
          const nav = performance.getEntriesByType('navigation')[0];
          const names = ['help.js', 'stepper.js', 'console.js', 'diagnose-entry.js'];
          const starts = {};
          for (const r of performance.getEntriesByType('resource')) {
            const name = r.name.split('/').pop();
            if (names.includes(name)) { starts[name] = r.startTime; }
          }
          return {interactive: nav.domInteractive, starts};
        }"""
    )
    starts = timing["starts"]
    assert set(starts) == {"help.js", "stepper.js", "console.js", "diagnose-entry.js"}, starts
    for name in ("stepper.js", "console.js", "diagnose-entry.js"):
        assert starts[name] >= timing["interactive"], (name, timing)
    log.assert_clean()
