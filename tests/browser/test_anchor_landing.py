"""In-page anchors land right (issue 18): a link to ``/errors/503-…/#causes`` (from another page, the
support portal, or Material's instant navigation) shows its heading just below the sticky header, and
it stays there once the page's widgets have mounted (they used to shrink the page above it by about
2,850 px on a phone, carrying the heading out of view). Every heading anchor of the article and of a
guide, on a desktop (1280x800) and a phone (375x812) screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from support.browser import ARTICLE, OpenPage

pytestmark = pytest.mark.browser

GUIDE = "/clients/thunderbird/"
SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
#: The largest gap between the header's bottom edge and the heading's top: site.css's scroll margin
#: (5.8rem, which also clears Material's "Back to top" button) less the header's height, and a little.
MAX_GAP_PX = 90

SETTLED = """async () => {
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  for (let i = 0; i < 3; i++) await frame();
  await new Promise((r) => setTimeout(r, 250));
  for (let i = 0; i < 2; i++) await frame();
}"""

WHERE = """(id) => {
  const target = document.getElementById(id);
  const box = target.getBoundingClientRect();
  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  const root = document.documentElement;
  return {top: box.top, bottom: box.bottom, header, height: innerHeight,
          atEnd: innerHeight + scrollY >= root.scrollHeight - 1, visible: target.checkVisibility()};
}"""


def heading_ids(page: Page) -> list[str]:
    """The ids of the page's headings (the anchors other pages and the portal link to)."""
    return page.evaluate("() => [...document.querySelectorAll('article :is(h2, h3, h4)[id]')].map(h => h.id)")


def assert_landed(page: Page, anchor: str, where: str) -> None:
    page.evaluate(SETTLED)
    at = page.evaluate(WHERE, anchor)
    assert at["visible"], f"{where}: #{anchor} is not visible"
    gap = at["top"] - at["header"]
    if at["atEnd"] and gap > MAX_GAP_PX:  # the page cannot scroll further: visible is all it can be
        assert at["bottom"] <= at["height"], f"{where}: #{anchor} below the screen at the page's end {at}"
    else:
        assert 0 <= gap <= MAX_GAP_PX, f"{where}: #{anchor} is {gap:.0f} px below the header's edge {at}"


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("path", [ARTICLE, GUIDE])
def test_every_heading_anchor_lands_below_the_header(
    open_page: OpenPage, site_url: str, path: str, screen: str
) -> None:
    """Each anchor opened as a link from elsewhere (a fresh load of the page with its #fragment)."""
    page, log = open_page(path, viewport=SCREENS[screen])
    anchors = heading_ids(page)
    assert "causes" in anchors or path == GUIDE, anchors
    assert len(anchors) >= 6, anchors
    for anchor in anchors:
        page.goto("about:blank")
        page.goto(f"{site_url}{path}#{anchor}", wait_until="load")
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-help-modules]')]"
            ".every((el) => el.hasAttribute('data-help-mounted'))"
        )
        assert_landed(page, anchor, f"{screen} {path}")
    log.assert_clean()


def test_causes_lands_after_instant_navigation(open_page: OpenPage, site_url: str) -> None:
    """From a guide, a link to the article's #causes goes through Material's instant navigation (no
    reload): the heading lands below the header and stays there once the article's widgets mount."""
    for screen, viewport in SCREENS.items():
        page, log = open_page(GUIDE, viewport=viewport)
        page.evaluate("() => { window.__noReload = true; }")
        page.evaluate(
            """href => { const a = document.createElement('a'); a.href = href; a.id = 'anchor-test-link';
                         a.textContent = 'causes'; document.querySelector('article').prepend(a); }""",
            f"{site_url}{ARTICLE}#causes",
        )
        page.click("#anchor-test-link")
        page.wait_for_url(re.compile(r"#causes$"))
        page.locator("[data-help-widget=stepper][data-help-mounted]").first.wait_for(state="attached")
        assert page.evaluate("() => window.__noReload === true"), "instant navigation not used"
        assert_landed(page, "causes", f"{screen} instant navigation")
        log.assert_clean()


def test_a_stepper_whose_module_fails_shows_its_whole_transcript(open_page: OpenPage, site_url: str) -> None:
    """Before it mounts, a stepper shows its first step only (dialogue.css, so that mounting moves
    nothing); if stepper.js cannot load, help.js marks it data-help-failed and every step shows."""
    page, _log = open_page("/", viewport=SCREENS["desktop"])
    page.route("**/assets/js/stepper.js", lambda route: route.abort())
    page.goto(site_url + ARTICLE, wait_until="load")
    dialogue = page.locator("[data-help-widget=stepper]").first
    page.wait_for_function("() => document.querySelector('[data-help-widget=stepper][data-help-failed]')")
    steps = dialogue.locator(".smtp-variant:not([hidden]) [data-smtp-step]")
    assert steps.count() > 3
    assert steps.nth(steps.count() - 1).is_visible(), "the last step is hidden although nothing mounted"
    assert not dialogue.get_by_role("button", name="Next step").is_visible()
