"""Real mail programs against ``smtpsim serve`` (issue 13): each program's exit status and what it
shows its user, for the no-AUTH, AUTH, STARTTLS-587 and implicit-TLS-465 scenarios of every
personality; the committed ``data/client-behaviour.json`` must be what this run observes."""

from __future__ import annotations

import json

import pytest

from smtpsim import registry
from smtpsim.scenario import load_scenario, run_scenario
from support.interop import CLIENTS, SCENARIOS, Observation, as_json, available, observe_all
from support.smtpsim_serve import ROOT, SCEN

COMMITTED = ROOT / "data" / "client-behaviour.json"
REGENERATE = "regenerate it with `make client-behaviour` and review the diff"


@pytest.fixture(scope="module")
def observed() -> list[Observation]:
    missing = [c for c in CLIENTS if not available(c)]
    if missing:
        pytest.fail(f"not installed: {', '.join(missing)} (deps/debian-test.txt, package.json)")
    return observe_all()


def by_key(observations: list[Observation]) -> dict[tuple[str, str, str], Observation]:
    return {(o.personality, o.scenario, o.client): o for o in observations}


def test_committed_table_is_what_the_programs_do(observed: list[Observation]) -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    fresh = json.loads(json.dumps(as_json(observed)))
    assert committed["programs"] == fresh["programs"], f"program versions changed: {REGENERATE}"
    old = {(o["personality"], o["scenario"], o["client"]): o for o in committed["observations"]}
    new = {(o["personality"], o["scenario"], o["client"]): o for o in fresh["observations"]}
    assert sorted(old) == sorted(new), (
        f"the matrix changed (personalities, scenarios, programs): {REGENERATE}"
    )
    for key in sorted(new):
        assert old[key] == new[key], f"{key}: {REGENERATE}"


def test_every_personality_scenario_and_program_ran(observed: list[Observation]) -> None:
    keys = set(by_key(observed))
    assert keys == {(p, s, c) for p in registry.names() for s in SCENARIOS for c in CLIENTS}


@pytest.mark.parametrize("scenario", ["starttls-587", "implicit-tls-465"])
def test_signed_in_programs_send_over_tls(observed: list[Observation], scenario: str) -> None:
    failed = [(o.personality, o.client, o.exit_status, o.shows) for o in observed
              if o.scenario == scenario and o.exit_status != 0]  # fmt: skip
    assert failed == []


def _auth_mode(personality: str) -> str:
    """``server.auth`` of the personality's port-25 AUTH scenario (the file ``serve`` was given)."""
    return load_scenario(str(SCEN / f"{personality}-auth-25.yml")).server.auth


def _rcpt_refusal(personality: str) -> list[str]:
    """The text of each line of the RCPT refusal in the personality's no-AUTH scenario (without the
    code): mutt, like Outlook, shows only the last line of a multi-line refusal."""
    scenario = load_scenario(str(SCEN / f"{personality}-no-auth-25.yml"))
    steps = run_scenario(scenario).steps
    (rcpt,) = [st for st in steps if st.send and st.send.upper().startswith("RCPT") and st.code != 250]
    # the loopback client is 127.0.0.1, where the scenario's client has its own address (Sendmail
    # quotes it: "IP name lookup failed [192.0.2.10]")
    return [line[4:].replace(f"[{scenario.client_ip}]", "[127.0.0.1]") for line in rcpt.reply]


def test_auth_without_tls_msmtp_refuses_to_send_the_password(observed: list[Observation]) -> None:
    """Port 25 with AUTH offered in plain text: every program signs in and sends, except msmtp,
    which will not use PLAIN/LOGIN over an unencrypted connection."""
    plain = [o for o in observed if o.scenario == "auth-25" and _auth_mode(o.personality) == "offered"]
    assert plain
    for o in plain:
        if o.client == "msmtp":
            assert o.exit_status != 0 and "msmtp: cannot use a secure authentication method" in o.shows
        else:
            assert o.exit_status == 0, o


def test_auth_offered_only_inside_tls_nobody_signs_in_without_it(observed: list[Observation]) -> None:
    """A server that offers AUTH only after STARTTLS (cPanel's Exim): a program set to sign in but
    not to encrypt cannot sign in, and nothing is sent."""
    tls_only = [o for o in observed if o.scenario == "auth-25" and _auth_mode(o.personality) == "tls-only"]
    assert tls_only
    for o in tls_only:
        assert o.exit_status != 0, o


def test_without_auth_every_program_fails_and_none_shows_the_503(observed: list[Observation]) -> None:
    """The refused recipient is what users see: programs that pipeline DATA get the DATA refusal
    (Exim's 503, Postfix's 554) on the wire but report the RCPT refusal; the others stop there."""
    for o in (o for o in observed if o.scenario == "no-auth-25"):
        assert o.exit_status != 0, o
        assert not any(line.lstrip("<* ").startswith(("503", "554")) for line in o.shows), o
        refusal = _rcpt_refusal(o.personality)
        assert any(text in line or "RCPT failed" in line for line in o.shows for text in refusal), o
        if o.sent_data_after_refusal:
            assert o.data_reply and o.data_reply[:3] in ("503", "554"), o
