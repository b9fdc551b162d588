"""The live console's Python side (``smtpsim.drivers.console.Sessions``, as the browser's worker
drives it, JSON in and out) for every personality of the registry."""

from __future__ import annotations

import json

import pytest

from smtpsim.drivers.console import Sessions
from support.smtpsim_session import assert_well_formed, registered, server


@pytest.mark.parametrize("software", registered())
def test_every_server_talks_in_the_console(software: str) -> None:
    sessions = Sessions()
    settings = {"server": server(software), "client_ip": "192.0.2.10", "client_tls": False}
    hello = json.loads(sessions.start("s1", json.dumps(settings)))
    assert hello["lines"][0].startswith("220 ") and not hello["closed"]
    ehlo = json.loads(sessions.send("s1", "EHLO laptop.example"))
    assert_well_formed(tuple(ehlo["lines"]))
    assert ehlo["lines"][0][:3] == "250" and len(ehlo["reasons"]) == 1
    bye = json.loads(sessions.send("s1", "QUIT"))
    assert bye["lines"][-1][:3] == "221" and bye["closed"]
    sessions.end("s1")
