"""The calmer article (issue 11) in real Chromium: the fix tabs follow the quick fix, the background
sits in one collapsed "For IT staff" block whose anchors still open it, and the "test the fix"
stepper shows the own-address message accepted and the other-provider one refused."""

from __future__ import annotations

import pytest

from macros.dialogue import load_variant
from support.browser import ARTICLE, ROOT, OpenPage

pytestmark = pytest.mark.browser

IT_ANCHORS = ["pipelining", "exim-wording", "other-servers", "ports", "rfc"]


def test_fix_tabs_come_straight_after_the_quick_fix(open_page: OpenPage) -> None:
    page, log = open_page(ARTICLE)
    order = page.evaluate("() => [...document.querySelectorAll('article h2')].map(h => h.id)")
    assert order[:3] == ["quick-fix", "fix", "meaning"], order
    assert order[-1] == "it-staff", order
    details = page.locator("#it-staff ~ details")
    assert details.count() == 1
    assert details.get_attribute("open") is None, "collapsed by default"
    assert not page.locator("#pipelining").is_visible()
    log.assert_clean()


@pytest.mark.parametrize("anchor", IT_ANCHORS)
def test_a_link_to_a_staff_section_opens_the_block(open_page: OpenPage, anchor: str) -> None:
    """Portal and support links to #pipelining etc. land on a visible heading, not a closed box."""
    page, log = open_page(f"{ARTICLE}#{anchor}")
    heading = page.locator(f"#{anchor}")
    heading.wait_for(state="visible")
    assert page.locator("#it-staff ~ details").get_attribute("open") is not None
    log.assert_clean()


def test_in_page_link_to_a_staff_section_opens_the_block(open_page: OpenPage) -> None:
    page, log = open_page(ARTICLE)
    page.evaluate(
        "() => { const a = document.createElement('a'); a.href = '#other-servers'; a.id = 't-link';"
        " a.textContent = 'go'; document.querySelector('#quick-fix').after(a); }"
    )
    page.locator("#t-link").click()
    page.locator("#other-servers").wait_for(state="visible")
    log.assert_clean()


def test_search_finds_text_inside_the_closed_block(open_page: OpenPage) -> None:
    """The collapsed block is still in the search index (Material's client-side search)."""
    page, log = open_page(ARTICLE)
    index = page.evaluate(
        "async () => (await (await fetch(new URL('../../search/search_index.json', location))).json())"
    )
    hits = [d["location"] for d in index["docs"] if "defer_unauth_destination" in d["text"]]
    assert any(loc.endswith("#other-servers") for loc in hits), hits
    log.assert_clean()


def test_test_the_fix_stepper_accepts_own_address_refuses_outside(open_page: OpenPage) -> None:
    page, log = open_page(ARTICLE + "#test-the-fix")
    expected = load_variant(ROOT, "exim-no-auth-test-fix")
    dialogue = page.locator("#test-the-fix ~ [data-smtp-dialogue]").first
    variant = dialogue.locator("[data-smtp-variant]:not([hidden])")
    assert variant.get_attribute("data-variant-id") == "exim-no-auth-test-fix"
    nxt = dialogue.get_by_role("button", name="Next step")
    while nxt.is_enabled():
        nxt.click()
    steps = variant.locator("[data-smtp-step]")
    assert steps.count() == len(expected.steps)
    codes = [steps.nth(i).get_attribute("data-code") for i in range(steps.count())]
    # own address: RCPT 250, DATA 354, message 250; outside: RCPT 550, DATA 503
    assert codes[3:6] == ["250", "354", "250"] and codes[7:9] == ["550", "503"], codes
    assert "was not sent" in variant.locator("[data-smtp-outcome]").inner_text()
    assert dialogue.locator("[data-smtp-toggle]").count() == 0
    log.assert_clean()
