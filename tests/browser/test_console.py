"""The live SMTP console: lazy Pyodide in a Web Worker, typed commands, inert HTML, failures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route

from support.browser import ARTICLE, STEP_TIMEOUT, OpenPage, PageLog, run_axe, tamper, watch

pytestmark = pytest.mark.browser

START_TIMEOUT = 120_000  # loading Pyodide on a busy 2-core CI machine; not a speed assertion


class Console:
    """Drives one console on a page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.locator("[data-smtp-console]").first
        self.input = self.root.get_by_label("SMTP command")
        self.log = self.root.locator("[data-smtp-console-log]")

    def server_lines(self) -> list[str]:
        return [
            t.strip()
            for t in self.log.locator(".smtp-console__line--server > span:nth-child(2)").all_text_contents()
        ]

    def send(self, line: str) -> list[str]:
        """Type *line*, press Enter and return the server lines that answer it (may be none)."""
        before = self.log.locator(".smtp-console__line").count()
        self.input.fill(line)
        self.input.press("Enter")
        # the client echo is appended at once; wait until the worker's answer (or a note) follows it
        self.page.wait_for_function(
            "([root, n]) => document.querySelector(root).querySelectorAll('.smtp-console__line').length > n "
            "+ 1",
            arg=[f"#{self.root.get_attribute('id')}", before],
        )
        lines = self.log.locator(".smtp-console__line")
        return [
            lines.nth(i).locator("span").nth(1).text_content()
            for i in range(before + 1, lines.count())
            if "smtp-console__line--server" in (lines.nth(i).get_attribute("class") or "")
        ]


@pytest.fixture(scope="module")
def started(browser: Browser, site_url: str) -> Iterator[tuple[Page, PageLog, Console]]:
    """The article with the live console started once for this module (Pyodide loads once)."""
    context = browser.new_context()
    context.set_default_timeout(STEP_TIMEOUT)
    page = context.new_page()
    log = PageLog()
    watch(context, page, log)
    page.goto(site_url + ARTICLE, wait_until="networkidle")
    assert not [u for u in log.requests if "/pyodide/" in u or u.endswith(".whl")], (
        "no Pyodide byte before the user asks"
    )
    console = Console(page)
    page.get_by_role("button", name="Start live console").click()
    console.input.wait_for(state="visible", timeout=START_TIMEOUT)
    console.log.locator(".smtp-console__line--server").first.wait_for(timeout=START_TIMEOUT)
    yield page, log, console
    context.close()


def test_start_loads_self_hosted_pyodide_and_the_wheel_by_name(
    started: tuple[Page, PageLog, Console],
) -> None:
    page, log, console = started
    assert any("/pyodide/314.0.7/pyodide.asm.wasm" in u for u in log.requests)
    assert any(u.endswith(".whl") and "/pyodide/smtpsim/" in u for u in log.requests)
    assert any(u.endswith("/pyodide-lock.json") and "/pyodide/smtpsim/" in u for u in log.requests)
    assert console.server_lines()[0].startswith("220 ")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.labels && "
        "document.activeElement.labels[0].textContent === 'SMTP command'"
    )  # focus: next frame
    log.assert_clean()


def test_relay_attempt_then_data_gets_the_503_repeating_the_refusal(
    started: tuple[Page, PageLog, Console],
) -> None:
    """The article's server (cPanel's Exim by default): DATA's 503 quotes the RCPT refusal line by line."""
    page, log, console = started
    page.get_by_role("button", name="Reset session").click()
    console.log.locator(".smtp-console__line--server").first.wait_for()
    assert console.send("EHLO laptop.example")[-1].startswith("250 ")
    assert console.send("MAIL FROM:<alice@example.net>")[0].startswith("250")
    refusal = console.send("RCPT TO:<bob@elsewhere.example>")
    assert refusal[0].startswith("550")
    reply = console.send("DATA")
    assert reply[0] == "503-All RCPT commands were rejected with this error:"
    assert [ln[4:] for ln in reply[1:-1]] == [ln[4:] for ln in refusal], reply
    assert reply[-1].startswith("503 ") and reply[-1].endswith("RCPT command must precede DATA")
    captions = console.log.locator(".smtp-console__caption").all_text_contents()
    assert captions and all(c.strip() for c in captions)
    log.assert_clean()


def test_typed_html_is_inert(started: tuple[Page, PageLog, Console]) -> None:
    page, log, console = started
    payload = '<img src=x onerror="window.__smtpXss=1"><script>window.__smtpXss=2</script>'
    console.send(payload)
    assert console.log.locator("img, script").count() == 0
    assert console.log.locator(".smtp-console__line--client").last.inner_text().endswith(payload)
    assert page.evaluate("() => window.__smtpXss === undefined")
    assert not [u for u in log.requests if u.rstrip("/").endswith("/x")]
    log.assert_clean()


def test_history_with_arrow_keys(started: tuple[Page, PageLog, Console]) -> None:
    _page, _log, console = started
    console.send("NOOP")
    console.send("HELP")
    console.input.press("ArrowUp")
    assert console.input.input_value() == "HELP"
    console.input.press("ArrowUp")
    assert console.input.input_value() == "NOOP"
    console.input.press("ArrowDown")
    console.input.press("ArrowDown")
    assert console.input.input_value() == ""


def test_personality_postfix_answers_554(started: tuple[Page, PageLog, Console]) -> None:
    _page, log, console = started
    console.root.get_by_label("Server personality").select_option("postfix")
    console.log.locator(".smtp-console__line--server").first.wait_for()
    assert "Postfix" in console.log.locator(".smtp-console__line--note").first.inner_text()
    console.send("EHLO laptop.example")
    console.send("MAIL FROM:<alice@example.net>")
    assert console.send("RCPT TO:<bob@elsewhere.example>")[0].startswith("454 4.7.1")
    assert console.send("DATA") == ["554 5.5.1 Error: no valid recipients"]
    console.root.get_by_label("Server personality").select_option("exim")
    # the switch restarts the session: wait for Exim's greeting, or the next test's first command can
    # be answered by it (QUIT "answered" with 220 failed a fresh-clone run on a loaded machine)
    console.page.wait_for_function(
        "(root) => { const r = document.querySelector(root);"
        " const note = r.querySelector('.smtp-console__line--note');"
        " const server = r.querySelector('.smtp-console__line--server');"
        " return note && !note.textContent.includes('Postfix') && server"
        " && server.textContent.includes('220'); }",
        arg=f"#{console.root.get_attribute('id')}",
    )
    log.assert_clean()


def test_quit_closes_and_reset_starts_again(started: tuple[Page, PageLog, Console]) -> None:
    page, log, console = started
    assert console.send("QUIT")[0].startswith("221")
    assert console.input.is_disabled()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.textContent === 'Reset session'"
    )
    console.root.get_by_role("button", name="Reset session").click()
    console.log.locator(".smtp-console__line--server").first.wait_for()
    assert console.input.is_enabled()
    assert console.server_lines()[0].startswith("220 ")
    log.assert_clean()


def test_blocked_download_shows_a_clear_message(open_page: OpenPage) -> None:
    """Offline/blocked: a clear alert, and the static transcript is still all there."""
    page, log = open_page(ARTICLE)
    page.context.route("**/pyodide/**", lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="Start live console").click()
    alert = page.locator("[data-smtp-console] [role=alert]")
    alert.wait_for(state="visible", timeout=START_TIMEOUT)
    assert "could not start" in alert.inner_text()
    assert page.get_by_role("button", name="Try again").is_visible()
    assert page.locator("[data-smtp-dialogue] [data-smtp-step]").count() > 0
    assert page.get_by_role("button", name="Next step").first.is_enabled()
    assert log.external == [] and log.page_errors == []


def test_tampered_wheel_is_refused(open_page: OpenPage) -> None:
    """The site-local pyodide-lock.json pins the wheel's sha256: a modified wheel must not load."""
    page, _log = open_page(ARTICLE)

    def untouched(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.body())

    page.context.route("**/*.whl", tamper)
    page.get_by_role("button", name="Start live console").click()
    alert = page.locator("[data-smtp-console] [role=alert]")
    alert.wait_for(state="visible", timeout=START_TIMEOUT)
    assert "smtpsim did not load" in alert.inner_text()
    assert not page.get_by_label("SMTP command").is_visible()
    # control: the same interception with the bytes untouched loads fine ("Try again" retries)
    page.context.unroute("**/*.whl", tamper)
    page.context.route("**/*.whl", untouched)
    page.get_by_role("button", name="Try again").click()
    page.get_by_label("SMTP command").wait_for(state="visible", timeout=START_TIMEOUT)
    assert alert.is_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_interactive_widgets_pass_axe(started: tuple[Page, PageLog, Console], scheme: str) -> None:
    """After use (console running, stepper at its last step, a refusal highlighted), in both colour
    schemes, the stepper and the console have no serious or critical axe violation."""
    page, _log, console = started
    page.emulate_media(color_scheme=scheme)
    dialogue = page.locator("[data-smtp-dialogue]").first
    nxt = dialogue.get_by_role("button", name="Next step")
    while nxt.is_enabled():
        nxt.click()
    console.send("RCPT TO:<bob@elsewhere.example>")
    assert run_axe(page, include=["[data-smtp-dialogue]", "[data-smtp-console]"]) == []
    dialogue.get_by_role("button", name="Restart").click()


def test_settings_a_personality_lacks_are_explained(started: tuple[Page, PageLog, Console]) -> None:
    """Postfix's submission settings (tls: required) on Exim: a clear note, no dead session."""
    page, log, console = started
    console.root.get_by_label("Server settings").select_option("postfix-auth-587")
    console.root.get_by_label("Server personality").select_option("exim")
    note = console.log.locator(".smtp-console__line--note").last
    note.wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-smtp-console-log]').textContent.includes('cannot start')"
    )
    assert "tls" in note.inner_text() and "exim" in note.inner_text()
    assert console.input.is_disabled()
    console.root.get_by_label("Server settings").select_option("exim-no-auth")
    console.log.locator(".smtp-console__line--server").first.wait_for()
    assert console.input.is_enabled()
    log.assert_clean()


def test_instant_navigation_keeps_python_warm(started: tuple[Page, PageLog, Console], site_url: str) -> None:
    """Leave the article and come back through Material's instant navigation: the console mounts
    again on document$ and reuses the running worker (no second Pyodide download). Runs last."""
    page, log, _console = started
    wasm = [u for u in log.requests if u.endswith("pyodide.asm.wasm")]
    page.evaluate("() => { window.__sameDocument = true; }")
    page.locator("a[href$='tips/']").first.click()
    page.wait_for_url("**/tips/")
    page.go_back()
    page.wait_for_url(f"**{ARTICLE}")
    again = Console(page)
    page.get_by_role("button", name="Start live console").click()
    again.log.locator(".smtp-console__line--server").first.wait_for()
    assert again.send("EHLO laptop.example")[-1].startswith("250 ")
    assert [u for u in log.requests if u.endswith("pyodide.asm.wasm")] == wasm
    assert page.evaluate("() => window.__sameDocument === true"), "instant navigation, not a full reload"
    assert page.locator("[data-smtp-console]").count() == 1
    log.assert_clean()
