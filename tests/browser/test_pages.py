"""Every built page in Chromium: nothing leaves 127.0.0.1, no console error, axe-core finds no serious
or critical violation (at desktop width and at 375 px), and the page works at 375 px (no horizontal
scroll, controls on screen)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.browser import ARTICLE, OpenPage, run_axe

pytestmark = pytest.mark.browser


def site_pages(site: Path) -> list[str]:
    """URL paths of every HTML page of the built site (Pyodide and assets have none)."""
    paths = []
    for index in sorted(site.rglob("*.html")):
        rel = index.relative_to(site).as_posix()
        if rel.startswith(("assets/", "pyodide/", "search/")):
            continue
        paths.append("/" + rel.removesuffix("index.html"))
    return paths


def test_site_has_the_pages_we_check(built_site: Path) -> None:
    pages = site_pages(built_site)
    assert ARTICLE in pages and "/" in pages and len(pages) >= 3, pages


@pytest.fixture(scope="module")
def pages(built_site: Path) -> list[str]:
    return site_pages(built_site)


def test_every_page_is_clean_accessible_and_fits_375px(open_page: OpenPage, pages: list[str]) -> None:
    """One browser context per page; failures are collected so one run names every bad page."""
    problems: dict[str, object] = {}
    for path in pages:
        page, log = open_page(path)
        page.wait_for_load_state("networkidle")
        violations = run_axe(page)
        page.set_viewport_size({"width": 375, "height": 740})
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        # the phone layout (stacked tables, nav drawer) once the resize's CSS transitions have ended
        page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
        violations += [dict(v, viewport="375px") for v in run_axe(page)]
        found = {
            k: v
            for k, v in {
                "external": log.external,
                "console": log.console_errors,
                "errors": log.page_errors,
                "axe": violations,
                "horizontal scroll at 375px": max(overflow, 0),
            }.items()
            if v
        }
        if found:
            problems[path] = found
        page.context.close()
    assert problems == {}, problems


def test_article_controls_usable_at_375px(open_page: OpenPage) -> None:
    """On a phone-sized screen every stepper and console control is on screen and works by touch."""
    page, log = open_page(ARTICLE, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    dialogue = page.locator("[data-smtp-dialogue]").first
    controls = [
        dialogue.get_by_role("button", name=n) for n in ("Previous step", "Next step", "Play", "Restart")
    ]
    controls += [
        dialogue.get_by_label("My outgoing server requires authentication"),
        page.get_by_role("button", name="Start live console"),
    ]
    for control in controls:
        control.scroll_into_view_if_needed()
        box = control.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, (control, box)
        assert control.is_visible()
    dialogue.get_by_role("button", name="Next step").tap()
    assert dialogue.locator("[data-smtp-status]").text_content().startswith("Step 2 of")
    log.assert_clean()
