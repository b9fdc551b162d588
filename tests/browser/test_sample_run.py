"""The Python sample's "Run this code in your browser" (issue 11) in real Chromium: Pyodide from our
own origin runs the page's code with smtplib talking to the simulator in memory, and prints what the
page says it prints (the same output tests/senders gets over a real socket)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Locator

from macros.senders_schema import load_file
from support.browser import OpenPage

pytestmark = pytest.mark.browser

START_TIMEOUT = 180_000  # ms: Pyodide's first start on a shared 2-core machine
SAMPLE = next(x for s in load_file().senders for x in s.samples if x.run == "python")


def test_run_buttons_print_what_the_page_says(open_page: OpenPage) -> None:
    """On a phone (375 px): the output wraps inside its box, the page does not widen (issue 18)."""
    page, log = open_page("/senders/python/", viewport={"width": 375, "height": 812})
    widget = page.locator("[data-help-widget=sample-run]")
    run = widget.get_by_role("button", name="Run this code in your browser")
    assert run.is_visible(), "revealed by the module (hidden without JavaScript)"
    assert not [u for u in log.requests if "pyodide" in u], "nothing of Pyodide before a click"
    assert SAMPLE.prints is not None
    output = widget.locator("[data-sample-output]")
    for name, expected in (
        ("Run this code in your browser", SAMPLE.prints.signed_in),
        ("Run it without the sign-in", SAMPLE.prints.without_sign_in),
    ):
        output.evaluate("(el) => { el.textContent = ''; }")
        widget.get_by_role("button", name=name).click()
        page.wait_for_function(
            "(el) => el.textContent.trim().length > 0", arg=output.element_handle(), timeout=START_TIMEOUT
        )
        assert output.text_content().splitlines() == expected, name
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, f"{name}: the page is {width}px wide after the run"
    # The reader's own version: the same code with a wrong password gets smtplib's real refusal.
    editor = widget.locator("[data-sample-editor]")
    code = editor.input_value()
    assert code == shown_code(widget)
    assert 'PASSWORD = "' in code
    editor.fill(re.sub(r'PASSWORD = "[^"]*"', 'PASSWORD = "not-the-password"', code))
    output.evaluate("(el) => { el.textContent = ''; }")
    widget.get_by_role("button", name="Run my version").click()
    page.wait_for_function("(el) => el.textContent.trim().length > 0", arg=output.element_handle())
    assert output.text_content().startswith("Not sent: SMTPAuthenticationError: (535"), output.text_content()
    # A port the server does not listen on: the connection is refused, as Python says it (issue 18).
    editor.fill(re.sub(r"PORT = \d+", "PORT = 2525", code))
    output.evaluate("(el) => { el.textContent = ''; }")
    widget.get_by_role("button", name="Run my version").click()
    page.wait_for_function("(el) => el.textContent.trim().length > 0", arg=output.element_handle())
    assert output.text_content().endswith("ConnectionRefusedError: [Errno 111] Connection refused\n")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide with the editor"
    assert log.external == [] and log.page_errors == [] and log.console_errors == []


def shown_code(widget: Locator) -> str:
    """The sample's code as the page shows it (the Run button's job)."""
    return json.loads(widget.get_attribute("data-sample-run") or "{}")["code"]["signed_in"]


def test_without_javascript_the_code_and_its_output_are_still_there(open_page: OpenPage) -> None:
    page, _ = open_page("/senders/python/", java_script_enabled=False)
    assert not page.get_by_role("button", name="Run this code in your browser").is_visible()
    assert SAMPLE.prints is not None
    assert SAMPLE.prints.without_sign_in[0] in page.content().replace("&#39;", "'")
