""" "Try your settings" on a sender page whose code cannot run in the browser (issue 18), in real
Chromium: Pyodide from our own origin runs the dialogue with what the reader typed against the
simulated SmartHost server and network, and the page shows what nodemailer says for that outcome
(its messages from data/senders.yml, filled with the server's reply). One page load."""

from __future__ import annotations

import pytest

from macros.senders_schema import load_file
from support.browser import OpenPage

pytestmark = pytest.mark.browser

START_TIMEOUT = 180_000  # ms: Pyodide's first start on a shared 2-core machine
NODEMAILER = next(p for s in load_file().senders if s.id == "nodejs" for p in s.programs)
MESSAGES = {m.outcome: m.text for m in NODEMAILER.messages}


def test_changing_the_settings_changes_what_nodemailer_says(open_page: OpenPage) -> None:
    page, log = open_page("/senders/nodejs/", viewport={"width": 375, "height": 812})
    widget = page.locator("[data-help-widget=try-settings]")
    button = widget.get_by_role("button", name="Try these settings")
    assert button.is_visible(), "revealed by the module (hidden without JavaScript)"
    assert not [u for u in log.requests if "pyodide" in u], "nothing of Pyodide before a click"
    messages = widget.locator("[data-try-messages]")

    def run(timeout: int = 60_000) -> str:
        messages.evaluate("(el) => { el.textContent = ''; }")
        button.click()
        page.wait_for_function(
            "(el) => el.textContent.trim().length > 0", arg=messages.element_handle(), timeout=timeout
        )
        return messages.text_content() or ""

    assert f"{NODEMAILER.name}: {MESSAGES['sent']}" in run(START_TIMEOUT)  # the prefilled settings work
    dialogue = widget.locator("[data-try-dialogue]").text_content() or ""
    assert "Program: AUTH PLAIN (your user name and password, encoded)" in dialogue
    assert "your-password" not in dialogue

    widget.get_by_label("Password").fill("not-the-password")
    assert "Not sent: Invalid login: 535 Incorrect authentication data" in run()

    widget.get_by_label("Port").fill("587")  # SSL/TLS stays chosen: 587 greets in plain text
    assert MESSAGES["tls_on_plain_port"] in run()
    assert "(no conversation:" in (widget.locator("[data-try-dialogue]").text_content() or "")

    widget.get_by_label("Encryption").select_option("starttls")
    widget.get_by_label("User name").fill("")
    assert "Not sent: Can't send mail - all recipients were rejected: 550 relay not permitted" in run()

    widget.get_by_label("Server (host)").fill("smtp.yourdomain.example")
    assert "Not sent: getaddrinfo ENOTFOUND smtp.yourdomain.example" in run()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide on a phone after the runs"
    assert log.external == [] and log.page_errors == [] and log.console_errors == []
