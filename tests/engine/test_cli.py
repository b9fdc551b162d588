"""``python -m smtpsim``: replay (text and --json), shell, and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import smtpsim

ROOT = Path(__file__).resolve().parents[2]
SCEN = ROOT / "examples" / "scenarios"


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smtpsim", *args], input=stdin, text=True, capture_output=True, timeout=60
    )


def test_replay_json_is_the_transcript() -> None:
    p = cli("replay", str(SCEN / "exim-no-auth.yml"), "--json")
    assert p.returncode == 0, p.stderr
    want = smtpsim.run_scenario(smtpsim.load_scenario(str(SCEN / "exim-no-auth.yml"))).to_json()
    assert json.loads(p.stdout) == want
    assert cli("replay", str(SCEN / "exim-no-auth.yml"), "--json").stdout == p.stdout


def test_replay_text() -> None:
    p = cli("replay", str(SCEN / "postfix-no-auth.yml"))
    lines = p.stdout.splitlines()
    assert lines[0] == "S: 220 mail.example.net ESMTP Postfix (Debian/GNU)"
    assert "C: DATA" in lines
    assert lines[lines.index("C: DATA") + 1] == "S: 554 5.5.1 Error: no valid recipients"


def test_replay_bad_scenario_exits_2_naming_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "oops.yml"
    bad.write_text("title: x\nserver: {software: exim}\nstep: [QUIT]\n")
    p = cli("replay", str(bad))
    assert p.returncode == 2
    assert "oops.yml:3: step: unknown key" in p.stderr


def test_shell_reads_lines_from_stdin() -> None:
    p = cli(
        "shell",
        "--software",
        "postfix",
        "--hostname",
        "mx.example",
        stdin="EHLO a.example\nMAIL FROM:<a@b.example>\nRCPT TO:<c@d.example>\nQUIT\n",
    )
    out = p.stdout.splitlines()
    assert out[0] == "220 mx.example ESMTP Postfix (Debian/GNU)"
    assert "454 4.7.1 <c@d.example>: Relay access denied" in out
    assert out[-1] == "221 2.0.0 Bye" and p.returncode == 0


def test_shell_takes_server_from_scenario() -> None:
    p = cli("shell", "--scenario", str(SCEN / "exim-no-auth.yml"), stdin="QUIT\n")
    assert p.stdout.splitlines()[-1] == "221 mail.example.net closing connection"
