"""Example scenarios: they validate, run, tell the stories the pages promise; bad files fail clearly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import smtpsim
from smtpsim.personalities.exim.replies import EximReplies as E
from smtpsim.personalities.postfix.replies import PostfixReplies as P

ROOT = Path(__file__).resolve().parents[2]
SCEN = ROOT / "examples" / "scenarios"
FILES = sorted(SCEN.glob("*.yml"))
REQUIRED = [
    "exim-no-auth",
    "exim-auth",
    "exim-wrong-password",
    "exim-pipelined",
    "exim-submission-starttls",
    "postfix-no-auth",
    "postfix-auth",
    "exim-unknown-recipient",
    "exim-data-no-rcpt",
]


def run(name: str) -> smtpsim.Transcript:
    return smtpsim.run_scenario(smtpsim.load_scenario(str(SCEN / f"{name}.yml")))


def replies(t: smtpsim.Transcript) -> dict[str, tuple[str, ...]]:
    return {s.send: s.reply for s in t.steps if s.send is not None}


def test_required_and_matrix_scenarios_exist() -> None:
    names = {p.stem for p in FILES}
    matrix = {
        f"{sw}-{a}-{port}"
        for sw in smtpsim.registry.names()  # every registered personality has its matrix
        for a in ("auth", "no-auth")
        for port in (25, 587, 465)
    }
    assert set(REQUIRED) | matrix <= names


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario_runs_and_every_reply_has_a_reason(path: Path) -> None:
    t = smtpsim.run_scenario(smtpsim.load_scenario(str(path)))
    assert t.steps[0].send is None and t.steps[0].reason == "greeting"
    assert t.steps[-1].closed, "every example ends with QUIT"
    for s in t.steps:
        if s.reply:
            assert s.reason in smtpsim.REASONS and s.code == int(s.reply[-1][:3])


@pytest.mark.parametrize(
    "path", [p for p in FILES if "-auth" in p.stem and "no-auth" not in p.stem], ids=lambda p: p.stem
)
def test_matrix_auth_scenarios_queue_the_message(path: Path) -> None:
    t = smtpsim.run_scenario(smtpsim.load_scenario(str(path)))
    assert any(s.reason == "auth-ok" for s in t.steps)
    assert any(s.reason == "accepted" for s in t.steps)


@pytest.mark.parametrize("path", [p for p in FILES if "no-auth" in p.stem], ids=lambda p: p.stem)
def test_matrix_no_auth_scenarios_end_in_no_valid_recipients(path: Path) -> None:
    """DATA after every recipient was refused; where the server already refused the sender
    until the client signs in (OpenSMTPD's submission listener), DATA is out of sequence."""
    t = smtpsim.run_scenario(smtpsim.load_scenario(str(path)))
    data = [s for s in t.steps if s.send == "DATA"][-1]
    mail = [s for s in t.steps if (s.send or "").upper().startswith("MAIL FROM")][-1]
    if mail.reason == "auth-required":
        assert data.reason == "bad-sequence" and data.code == 503
    else:
        assert data.reason == "no-valid-recipients"


def test_the_503_story() -> None:
    r = replies(run("exim-no-auth"))
    assert r["RCPT TO:<bob@elsewhere.example>"] == E.S550_RELAY.render().lines
    assert r["DATA"] == (
        "503-All RCPT commands were rejected with this error:",
        "503-relay not permitted",
        "503 Valid RCPT command must precede DATA",
    )


def test_postfix_story() -> None:
    r = replies(run("postfix-no-auth"))
    assert r["RCPT TO:<bob@elsewhere.example>"] == P.S454_RELAY.render(addr="bob@elsewhere.example").lines
    assert r["DATA"] == P.S554_NO_VALID_RECIPIENTS.render().lines


def test_data_no_rcpt_and_unknown_recipient() -> None:
    assert replies(run("exim-data-no-rcpt"))["DATA"] == E.S503_VALID_RCPT_LC.render(cmd="DATA").lines
    r = replies(run("exim-unknown-recipient"))
    assert r["DATA"][1] == "503-Unrouteable address"


def test_to_json_shape() -> None:
    j = run("exim-pipelined").to_json()
    assert list(j) == ["steps"] and j["steps"][0]["send"] is None
    assert all(set(s) == {"send", "reply"} for s in j["steps"])
    assert json.loads(json.dumps(j)) == j


def test_deterministic() -> None:
    assert run("exim-auth").to_json() == run("exim-auth").to_json()


def test_injected_providers() -> None:
    import datetime as dt

    sc = smtpsim.load_scenario(str(SCEN / "exim-auth.yml"))
    t = smtpsim.run_scenario(
        sc,
        date_provider=lambda: dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        queue_id_provider=lambda: "1abcde-000001-zz",
    )
    assert t.steps[0].reply[0].endswith("Wed, 02 Jan 2030 03:04:05 +0000")
    assert "250 OK id=1abcde-000001-zz" in [r for s in t.steps for r in s.reply]


BASE = {"title": "t", "server": {"software": "exim"}, "steps": ["QUIT"]}


@pytest.mark.parametrize(
    ("patch", "key"),
    [
        ({"colour": "red"}, "colour"),
        ({"server": {"software": "exim", "tls": "maybe"}}, "server.tls"),
        ({"server": {"software": "qmail"}}, "server.software"),
        ({"server": {"software": "exim", "auth": "required"}}, "server.auth"),
        ({"server": {"software": "exim", "bogus": 1}}, "server.bogus"),
        ({"server": {"software": "exim", "relay_networks": ["not-a-net"]}}, "server.relay_networks"),
        ({"server": {"hostname": "x"}}, "server.software"),
        ({"client": {"ip": "300.1.1.1"}}, "client.ip"),
        ({"client": {"port": 0}}, "client.port"),
        ({"client": {"mac": "02:00:00:00:00:01"}}, "client.mac"),
        ({"steps": ["EHLO a", ["MAIL FROM:<a@b>", 5]]}, "steps[1][1]"),
        ({"steps": ["two\r\nlines"]}, "steps[0]"),
        ({"port": "25"}, "port"),
    ],
)
def test_validation_names_source_and_key(patch: dict, key: str) -> None:
    with pytest.raises(smtpsim.ScenarioError) as e:
        smtpsim.scenario_from_dict({**BASE, **patch}, source="x.yml")
    assert e.value.key == key and str(e.value).startswith(f"x.yml: {key}: ")


def test_load_scenario_error_names_file(tmp_path: Path) -> None:
    p = tmp_path / "bad.yml"
    p.write_text("title: t\nserver: {software: exim, tls: sometimes}\nsteps: [QUIT]\n")
    with pytest.raises(smtpsim.ScenarioError, match=r"bad\.yml:2: server\.tls: 'sometimes'"):
        smtpsim.load_scenario(str(p))


def test_engine_and_json_path_work_without_pyyaml() -> None:
    """The browser path: scenario_from_dict + run_scenario with PyYAML unimportable."""
    code = (
        "import sys, json; sys.modules['yaml'] = None; import smtpsim; "
        "d = json.loads(sys.stdin.read()); "
        "print(json.dumps(smtpsim.run_scenario(smtpsim.scenario_from_dict(d)).to_json()))"
    )
    import yaml

    data = yaml.safe_load((SCEN / "exim-no-auth.yml").read_text())
    out = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(data), text=True, capture_output=True, check=True
    ).stdout
    assert json.loads(out) == run("exim-no-auth").to_json()


def test_engine_imports_only_the_standard_library() -> None:
    code = (
        "import sys; before = set(sys.modules); import smtpsim; "
        "new = {m.split('.')[0] for m in set(sys.modules) - before}; "
        "std = set(sys.stdlib_module_names) | {'smtpsim', '_distutils_hack'}; "
        "print(sorted(new - std))"
    )
    out = subprocess.run([sys.executable, "-c", code], text=True, capture_output=True, check=True)
    assert out.stdout.strip() == "[]"


def test_console_api() -> None:
    con = smtpsim.Console({"software": "exim", "hostname": "mx.example"}, client_ip="192.0.2.7")
    assert con.start() == ["220 mx.example ESMTP Exim 4.96 Mon, 01 Jun 2026 09:30:00 +0000"]
    assert con.send("EHLO a.example")[0] == "250-mx.example Hello a.example [192.0.2.7]"
    con.send("MAIL FROM:<a@b.example>")
    assert con.send("RCPT TO:<c@d.example>") == ["550 relay not permitted"]
    assert con.last_reasons == ["relay-denied"]
    assert con.send("DATA")[-1] == "503 Valid RCPT command must precede DATA"
    assert con.send("QUIT") == ["221 mx.example closing connection"] and con.closed
    assert con.send("NOOP") == [] and con.last_reasons == []
