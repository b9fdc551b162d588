"""The dialogue stepper on the article, in real Chromium: the 503 story step by step, the toggles."""

from __future__ import annotations

import pytest
import yaml
from playwright.sync_api import Locator, Page

import smtpsim
from macros.clients import DATA_FILE
from macros.clients_schema import load_file
from macros.dialogue import PORTS, load_variant, smarthost_scenario
from support.browser import ARTICLE, ROOT, OpenPage, PageLog

pytestmark = pytest.mark.browser


class _Loader(yaml.SafeLoader):
    """mkdocs.yml with its tags (``!ENV``, ``!!python/...``) read as nothing: only ``extra`` matters."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_EXTRA = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["extra"]
# the article's default dialogue: SmartHost's own server (extra.smarthost_server) on the
# submission port data/clients.yml recommends, client not signed in
DEFAULT = smarthost_scenario(_EXTRA, load_file(ROOT / DATA_FILE, DATA_FILE).providers)
SOFTWARE, DEFAULT_PORT = DEFAULT.split("-no-auth-")


def _wire(locator: Locator) -> list[str]:
    return list(locator.locator(".smtp-wire").all_text_contents())


def _visible_variant(dialogue: Locator) -> Locator:
    return dialogue.locator("[data-smtp-variant]:not([hidden])")


def _to_end(dialogue: Locator) -> None:
    nxt = dialogue.get_by_role("button", name="Next step")
    while nxt.is_enabled():
        nxt.click()


@pytest.fixture
def article(open_page: OpenPage) -> tuple[Page, PageLog, Locator]:
    page, log = open_page(ARTICLE)
    dialogue = page.locator("[data-smtp-dialogue]").first
    dialogue.get_by_role("button", name="Next step").wait_for()
    return page, log, dialogue


def test_503_story_step_by_step(article: tuple[Page, PageLog, Locator]) -> None:
    """Every step shows exactly the engine's lines and the plain-words caption of its reason."""
    _page, log, dialogue = article
    expected = load_variant(ROOT, DEFAULT)
    variant = _visible_variant(dialogue)
    assert variant.get_attribute("data-variant-id") == DEFAULT
    steps = variant.locator("[data-smtp-step]")
    assert steps.count() == len(expected.steps)
    for i, step in enumerate(expected.steps):
        if i:
            dialogue.get_by_role("button", name="Next step").click()
        assert (
            dialogue.locator("[data-smtp-status]").text_content() == f"Step {i + 1} of {len(expected.steps)}"
        )
        shown = variant.locator("[data-smtp-step]:not([hidden])")
        assert shown.count() == i + 1, "exactly the steps so far are visible"
        current = variant.locator("[data-smtp-step].is-current")
        assert current.get_attribute("aria-current") == "step"
        assert _wire(current.locator(".smtp-line--client")) == step.client
        assert _wire(current.locator(".smtp-line--server")) == step.server
        caption = current.locator(".smtp-caption")
        if step.reason in smtpsim.REASONS:
            assert caption.text_content() == smtpsim.REASONS[step.reason]
        assert ("smtp-step--refused" in (current.get_attribute("class") or "")) == step.refused
        outcome = variant.locator("[data-smtp-outcome]")
        assert outcome.is_visible() == (i == len(expected.steps) - 1)
    assert dialogue.get_by_role("button", name="Next step").is_disabled()
    # The story itself: RCPT refused, then Exim's 503 repeating the refusal line by line, both highlighted.
    refused = variant.locator(".smtp-step--refused")
    texts = [_wire(refused.nth(i).locator(".smtp-line--server")) for i in range(refused.count())]
    rcpt = [t for t in texts if t and t[0].startswith("550")]
    data = [t for t in texts if t and t[-1].startswith("503 ")]
    assert rcpt and data, texts
    assert data[0][0] == "503-All RCPT commands were rejected with this error:"
    assert [ln[4:] for ln in data[0][1:-1]] == [ln[4:] for ln in rcpt[0]], "the refusal, repeated"
    assert data[0][-1].endswith("RCPT command must precede DATA")
    assert variant.locator(".smtp-step--refused .smtp-badge").count() == refused.count()
    outcome = variant.locator("[data-smtp-outcome]")
    assert "was not sent" in outcome.inner_text()
    links = outcome.locator("a")
    assert links.count() >= 1
    dialogue.get_by_role("button", name="Previous step").click()
    assert (
        dialogue.locator("[data-smtp-status]").text_content()
        == f"Step {len(expected.steps) - 1} of {len(expected.steps)}"
    )
    dialogue.get_by_role("button", name="Restart").click()
    assert variant.locator("[data-smtp-step]:not([hidden])").count() == 1
    assert dialogue.get_by_role("button", name="Previous step").is_disabled()
    log.assert_clean()


def test_keyboard_and_play(article: tuple[Page, PageLog, Locator]) -> None:
    """Arrow keys step; Play runs to the end on its own."""
    page, log, dialogue = article
    variant = _visible_variant(dialogue)
    dialogue.get_by_role("button", name="Next step").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert variant.locator("[data-smtp-step]:not([hidden])").count() == 3
    page.keyboard.press("ArrowLeft")
    assert variant.locator("[data-smtp-step]:not([hidden])").count() == 2
    dialogue.get_by_role("button", name="Play").focus()
    page.keyboard.press("Space")
    assert dialogue.get_by_role("button", name="Pause", exact=True).is_visible(), "says Pause while playing"
    variant.locator("[data-smtp-outcome]").wait_for(state="visible", timeout=30_000)
    dialogue.get_by_role("button", name="Play", exact=True).wait_for()
    log.assert_clean()


def test_keyboard_focus_stays_in_the_stepper(article: tuple[Page, PageLog, Locator]) -> None:
    """Enter on "Next step" to the last step (which disables it) and Enter on "Previous step" back to
    the first: focus moves to another button of the stepper, never to <body>."""
    page, log, dialogue = article
    steps = _visible_variant(dialogue).locator("[data-smtp-step]").count()
    dialogue.get_by_role("button", name="Next step").focus()
    for _ in range(steps - 1):
        page.keyboard.press("Enter")
    assert dialogue.get_by_role("button", name="Next step").is_disabled()
    focused = page.evaluate("() => [document.activeElement.tagName, document.activeElement.textContent]")
    assert dialogue.evaluate("(root) => root.contains(document.activeElement)"), focused
    assert focused[0] == "BUTTON", focused
    dialogue.get_by_role("button", name="Previous step").focus()
    for _ in range(steps - 1):
        page.keyboard.press("Enter")
    assert dialogue.get_by_role("button", name="Previous step").is_disabled()
    assert dialogue.evaluate("(root) => root.contains(document.activeElement)")
    page.keyboard.press("Tab")  # still a working tab order from there
    assert page.evaluate("() => document.activeElement !== document.body")
    assert log.page_errors == []


def test_toggle_authentication_gets_the_message_accepted(article: tuple[Page, PageLog, Locator]) -> None:
    _page, log, dialogue = article
    dialogue.get_by_label("My outgoing server requires authentication").check()
    variant = _visible_variant(dialogue)
    assert variant.count() == 1 and variant.get_attribute("data-auth") == "on"
    assert variant.get_attribute("data-software") == SOFTWARE
    _to_end(dialogue)
    steps = variant.locator("[data-smtp-step]")
    clients = [_wire(steps.nth(i).locator(".smtp-line--client")) for i in range(steps.count())]
    assert any(c and c[0].upper().startswith("AUTH ") for c in clients), "the client signs in"
    replies = [_wire(steps.nth(i).locator(".smtp-line--server")) for i in range(steps.count())]
    after_dot = [r for c, r in zip(clients, replies, strict=True) if c and c[-1] == "."]
    assert after_dot and after_dot[0][-1].startswith("250 "), replies
    assert not any(r and r[-1].startswith("503") for r in replies)
    assert variant.locator(".smtp-outcome--accepted").is_visible()
    dialogue.get_by_label("My outgoing server requires authentication").uncheck()
    assert _visible_variant(dialogue).get_attribute("data-variant-id") == DEFAULT
    log.assert_clean()


def test_postfix_shows_454_and_554_not_503(article: tuple[Page, PageLog, Locator]) -> None:
    _page, log, dialogue = article
    dialogue.get_by_role("radio", name="25", exact=False).first.check()  # Debian's relay deferral: port 25
    dialogue.get_by_role("radio", name="Postfix").check()
    variant = _visible_variant(dialogue)
    assert variant.get_attribute("data-software") == "postfix" and variant.get_attribute("data-port") == "25"
    _to_end(dialogue)
    replies = variant.locator(".smtp-line--server .smtp-wire").all_text_contents()
    assert any(r.startswith("554 5.5.1") for r in replies), replies
    assert any(r.startswith("454 4.7.1") for r in replies), replies
    assert not any(r.startswith("503") for r in replies)
    log.assert_clean()


@pytest.mark.parametrize("port", [p for p in PORTS if p != DEFAULT_PORT])
def test_port_toggle_switches_to_that_scenario(article: tuple[Page, PageLog, Locator], port: str) -> None:
    _page, log, dialogue = article
    dialogue.get_by_role("radio", name=port, exact=False).first.check()
    variant = _visible_variant(dialogue)
    assert variant.get_attribute("data-port") == port
    assert variant.get_attribute("data-variant-id") == f"{SOFTWARE}-no-auth-{port}"
    expected = load_variant(ROOT, f"{SOFTWARE}-no-auth-{port}")
    _to_end(dialogue)
    assert variant.locator(".smtp-line--server .smtp-wire").all_text_contents() == [
        line for step in expected.steps for line in step.server
    ]
    log.assert_clean()


def test_readable_without_javascript(open_page: OpenPage) -> None:
    """No JavaScript: the whole transcript and the outcome are there; no dead buttons are shown."""
    page, _log = open_page(ARTICLE, java_script_enabled=False)
    dialogue = page.locator("[data-smtp-dialogue]").first
    variant = dialogue.locator("[data-smtp-variant]").first
    expected = load_variant(ROOT, DEFAULT)
    assert variant.locator("[data-smtp-step]:visible").count() == len(expected.steps)
    assert variant.locator("[data-smtp-outcome]").is_visible()
    assert dialogue.locator("[data-smtp-variant]:visible").count() == 1
    assert not dialogue.get_by_role("button", name="Next step").is_visible()
    assert not page.get_by_role("button", name="Start live console").is_visible()


def test_instant_navigation_mounts_once(open_page: OpenPage) -> None:
    """Reached through Material's instant navigation, the stepper mounts (once) on document$."""
    page, log = open_page("/")
    page.evaluate("() => { window.__sameDocument = true; }")
    page.locator(f"a[href$='{ARTICLE.strip('/').split('/')[-1]}/']").first.click()
    page.wait_for_url(f"**{ARTICLE}")
    dialogue = page.locator("[data-smtp-dialogue]").first
    dialogue.get_by_role("button", name="Next step").click()
    assert dialogue.locator("[data-smtp-status]").text_content().startswith("Step 2 of")
    assert page.evaluate("() => window.__sameDocument === true"), "instant navigation, not a full reload"
    log.assert_clean()
