"""/diagnose/ in Chromium: the rules fetched on the reader's first intent, not with the page; paste,
Diagnose, the answer at once with no request and nothing stored but the program choice; the program
picker shared with the article's linked tabs; #text= links; the small forms
(test_diagnose_handover.py); "not recognised" with the support link; axe at 375 px."""

from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page

from support.browser import ARTICLE, OpenPage, run_axe

pytestmark = pytest.mark.browser

DIAGNOSE = "/diagnose/"
CPANEL = (
    "550-Please turn on SMTP Authentication in your mail client.\n"
    "550-laptop.example [192.0.2.10]:50123 is not permitted to relay through\n"
    "550 this server without authentication.\n"
)
BARE_503 = "503 valid RCPT command must precede DATA"
SECRET = "zz-pasted-text-marker-7731"
STORAGE = """() => {
  const dump = (s) =>
    Object.fromEntries(Array.from({length: s.length}, (_, i) => [s.key(i), s.getItem(s.key(i))]));
  return {local: dump(localStorage), session: dump(sessionStorage)};
}"""


#: What the first intent loads: the rules, the worker and the modules that answer (no text in any);
#: the worker imports the matcher too, which the page loaded with it (diagnose-keep.mjs reads its CAP).
LOADED_ON_INTENT = {
    "/api/diagnoses.json",
    "/assets/js/diagnose-worker.js",
    "/assets/js/diagnose-mask.mjs",
    "/assets/js/diagnose-answer.js",
}
MATCHER = "/assets/js/diagnose-core.mjs"
#: What the matcher imports: its "similar texts" layer (the model itself is in the rules).
MATCHER_IMPORTS = {"/assets/js/diagnose-similar.mjs"}
RULES_READY = "[data-diagnose][data-diagnose-rules=ready]"
#: Follow a link inside the site as a reader does (Material's instant navigation intercepts it).
FOLLOW_LINK = """(href) => { const a = document.createElement('a'); a.href = href; a.textContent = 'go';
  document.querySelector('article').append(a); a.click(); }"""


def ready(page: Page) -> None:
    page.wait_for_selector("[data-diagnose][data-diagnose-ready]", state="attached")


def paths(urls: list[str]) -> set[str]:
    return {urlsplit(u).path for u in urls}


def test_rules_are_fetched_on_the_first_intent_not_with_the_page(open_page: OpenPage) -> None:
    """Opening the page loads neither the rules nor the worker (issue 10's weight budget); a focus in the
    box loads exactly them, once, with no text in any request; the answer then uses them."""
    page, log = open_page(DIAGNOSE)
    ready(page)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # late, idle-time requests would count too
    assert paths(log.requests).isdisjoint(LOADED_ON_INTENT), log.requests
    assert page.workers == [] or all("diagnose" not in w.url for w in page.workers)
    before = len(log.requests)
    page.locator("#diagnose-text").focus()
    page.wait_for_selector(RULES_READY, state="attached")
    page.locator("#diagnose-text").press("End")  # a second intent loads nothing again
    # the warm-up's unseen answer (diagnose.js rehearse) is gone and showed nothing
    page.wait_for_selector("[data-diagnose][data-diagnose-warm]", state="attached")
    assert page.locator(".diagnose__rehearsal").count() == 0
    assert page.locator("[data-diagnose-answer]").is_hidden()
    page.wait_for_timeout(300)
    loaded = log.requests[before:]
    assert paths(loaded) >= {"/api/diagnoses.json", "/assets/js/diagnose-worker.js"}, loaded
    assert paths(loaded) <= LOADED_ON_INTENT | {MATCHER} | MATCHER_IMPORTS and all(
        "?" not in u for u in loaded
    ), loaded
    assert sum(u.endswith("/api/diagnoses.json") for u in loaded) == 1, loaded
    page.get_by_label("Paste the error message").fill(BARE_503)
    page.get_by_role("button", name="Diagnose").click()
    assert "Most likely:" in page.locator("[data-diagnose-answer] h2").inner_text()
    # Material's instant navigation away and back mounts the widget again: it reuses the warm worker
    page.evaluate("() => { window.helpTestSameDocument = true; }")
    for path in ("/tips/", DIAGNOSE):
        page.evaluate(FOLLOW_LINK, path)
        page.wait_for_function("(p) => location.pathname.endsWith(p)", arg=path)
    page.wait_for_selector(
        "[data-diagnose][data-diagnose-ready]:not([data-diagnose-rules])", state="attached"
    )
    page.get_by_label("Paste the error message").fill(BARE_503)
    page.get_by_role("button", name="Diagnose").click()
    assert "Most likely:" in page.locator("[data-diagnose-answer] h2").inner_text()
    assert sum(u.endswith("/api/diagnoses.json") for u in log.requests) == 1, log.requests
    assert page.evaluate("() => window.helpTestSameDocument === true")  # no page load: instant navigation
    log.assert_clean()


def test_rules_that_cannot_be_loaded_are_said_in_the_answer_area(open_page: OpenPage) -> None:
    page, _log = open_page(DIAGNOSE)
    ready(page)
    page.context.route("**/api/diagnoses.json", lambda route: route.abort())
    page.get_by_label("Paste the error message").fill(BARE_503)
    page.get_by_role("button", name="Diagnose").click()
    failed = page.locator("[data-diagnose-answer] .diagnose__failed")
    failed.wait_for()
    assert "could not load its list of error texts" in failed.inner_text()
    assert page.locator("[data-diagnose]").get_attribute("data-diagnose-rules") == "failed"


def test_paste_and_diagnose_paints_the_answer_without_a_request(open_page: OpenPage) -> None:
    page, log = open_page(DIAGNOSE)
    ready(page)
    page.wait_for_load_state("networkidle")
    storage_before = page.evaluate(STORAGE)
    page.get_by_label("Paste the error message").fill(CPANEL + SECRET)
    page.wait_for_selector(RULES_READY, state="attached")  # the focus of the fill loaded the rules
    requests_before = len(log.requests)
    page.get_by_role("button", name="Diagnose").click()
    answer = page.locator("[data-diagnose-answer]")
    answer.wait_for(state="visible")
    text = answer.inner_text()
    assert "Most likely: Your mail program does not sign in to the outgoing server" in text
    assert "at a recipient address (RCPT TO)" in text and "Exim on a cPanel server" in text
    assert "550-Please turn on SMTP Authentication in your mail client." in text
    page.wait_for_timeout(300)
    assert log.requests[requests_before:] == [], "the diagnosis sent a request"
    assert not any(SECRET in u for u in log.requests), "a request carried the text"
    storage_after = page.evaluate(STORAGE)
    assert SECRET not in json.dumps(storage_after), "the pasted text was stored"
    assert storage_after == storage_before, "nothing but a program choice may be stored"
    log.assert_clean()


def test_program_choice_is_remembered_and_shared_with_the_article_tabs(open_page: OpenPage) -> None:
    page, log = open_page(DIAGNOSE)
    ready(page)
    page.get_by_label("Your mail program").select_option(label="Thunderbird")
    page.get_by_label("Paste the error message").fill(CPANEL)
    page.get_by_role("button", name="Diagnose").click()
    answer = page.locator("[data-diagnose-answer]")
    answer.wait_for(state="visible")
    assert "What to change in Thunderbird" in answer.inner_text()
    assert "Authentication method: Normal password" in answer.inner_text()
    assert (
        answer.get_by_role("link", name="Step-by-step guide for Thunderbird")
        .get_attribute("href")
        .endswith("clients/thunderbird/#settings")
    )
    stored = json.dumps(page.evaluate(STORAGE))
    assert "Thunderbird" in stored and "Please turn on" not in stored
    page.reload(wait_until="load")
    ready(page)
    assert page.get_by_label("Your mail program").input_value() == "thunderbird"
    # Material's linked content tabs read the same memory: the article opens on Thunderbird's tab.
    page.goto(page.url.split(DIAGNOSE)[0] + ARTICLE, wait_until="load")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll("
        "'.tabbed-set input:checked + label, .tabbed-labels label')).length > 0"
    )
    checked = page.evaluate(
        "() => { const set = document.querySelector('#fix ~ .tabbed-set, .tabbed-set');"
        " const i = Array.from(set.querySelectorAll(':scope > input')).findIndex(x => x.checked);"
        " return set.querySelectorAll('.tabbed-labels > label')[i].innerText.trim(); }"
    )
    assert checked == "Thunderbird"
    log.assert_clean()


def test_text_fragment_fills_and_diagnoses_and_says_the_program_hid_the_reason(open_page: OpenPage) -> None:
    page, log = open_page(DIAGNOSE + "#text=" + quote(BARE_503))
    ready(page)
    answer = page.locator("[data-diagnose-answer]")
    answer.wait_for(state="visible")
    assert page.get_by_label("Paste the error message").input_value() == BARE_503
    text = answer.inner_text()
    assert "Your program hid the server's reason." in text
    assert "See the server's full reply in your program" in text
    page.get_by_label("Your mail program").select_option(label="Outlook classic for Windows")
    assert "See the server's full reply in Outlook classic for Windows" in answer.inner_text()
    assert "Enable troubleshooting logging" in answer.inner_text()
    log.assert_clean()


def test_unrecognised_text_offers_support_with_what_to_include(open_page: OpenPage, site_url: str) -> None:
    page, log = open_page(DIAGNOSE)
    ready(page)
    page.get_by_label("Paste the error message").fill("my printer shows a red light")
    page.get_by_role("button", name="Diagnose").click()
    answer = page.locator("[data-diagnose-answer]")
    answer.wait_for(state="visible")
    assert "We do not recognise this message" in answer.inner_text()
    support = answer.get_by_role("link", name="Contact SmartHost support")
    assert support.get_attribute("href") == "https://support.smarthost.example/"
    assert "the whole error text" in answer.inner_text()
    log.assert_clean()


@pytest.mark.parametrize("width", [375, 1280])
def test_answer_is_accessible_and_fits(open_page: OpenPage, width: int) -> None:
    page, log = open_page(DIAGNOSE + "#text=" + quote(BARE_503), viewport={"width": width, "height": 800})
    ready(page)
    page.locator("[data-diagnose-answer]").wait_for(state="visible")
    assert run_axe(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    log.assert_clean()
