"""Bad input to ``python -m smtpsim`` and to scenario files (issue 13, defects 7 and 8).

Every case: exit status 2 and exactly one line on stderr naming the file, line and key (or the
option) — never a traceback.  Scenario files: no CR/LF smuggled into a reply through the
configuration, no duplicate keys, no YAML aliases, bounded sizes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import smtpsim
from smtpsim.cli import check_bind
from smtpsim.scenario import MAX_STEPS

ROOT = Path(__file__).resolve().parents[2]
SCEN = ROOT / "examples" / "scenarios"
GOOD = "title: t\nserver:\n  software: exim\n  tls: none\nsteps:\n  - QUIT\n"


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smtpsim", *args],
        check=False,
        text=True,
        capture_output=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def one_line_error(p: subprocess.CompletedProcess[str]) -> str:
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert "Traceback" not in p.stderr
    lines = p.stderr.splitlines()
    assert len(lines) == 1, p.stderr
    return lines[0]


def write(tmp_path: Path, text: str | bytes, name: str = "s.yml") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return str(path)


BAD_FILES = {
    # name: (file text, expected "line: key: message" fragment)
    "yaml-syntax": ("title: t\nserver: {software: exim\nsteps: [QUIT]\n", ":3: (yaml): "),
    "not-utf8": (b'title: t\nserver: {software: exim}\nsteps: ["caf\xe9"]\n', ":3: (file): not UTF-8 text"),
    "duplicate-key": (
        "title: t\nserver:\n  software: exim\n  tls: none\n  tls: offered\nsteps: [QUIT]\n",
        ":5: tls: duplicate key (first at line 4)",
    ),
    "crlf-in-hostname": (
        'title: t\nserver:\n  software: exim\n  hostname: "mx.example\\r\\n250 injected"\nsteps: [QUIT]\n',
        ":4: server.hostname: control characters",
    ),
    "bad-hostname": (
        "title: t\nserver:\n  software: exim\n  hostname: mx example\nsteps: [QUIT]\n",
        ":4: server.hostname: 'mx example' is not a host name",
    ),
    "unknown-step-key": ("title: t\nserver: {software: exim}\nstep: [QUIT]\n", ":3: step: unknown key"),
    "alias": (
        "title: t\nserver: {software: exim}\nx: &a [NOOP, NOOP]\nsteps: [*a, QUIT]\n",
        ":4: (yaml): alias *a is not allowed",
    ),
    # issue 21 #4: these ended in a traceback
    "control-character": (
        "title: t\nserver: {software: exim}\nsteps: [QUIT\x01]\n",
        ":3: (file): control character U+0001",
    ),
    "nested-500-deep": (
        "title: t\nserver: {software: exim}\nsteps: " + "[" * 500 + "]" * 500 + "\n",
        ":3: (yaml): nested more than 32 levels deep",
    ),
    "5000-digit-integer": (
        "title: t\nserver: {software: exim}\nclient:\n  port: " + "9" * 5000 + "\nsteps: [QUIT]\n",
        ":4: (yaml): a number of 5000 characters is too long",
    ),
    "impossible-date": (
        "title: 2026-02-30\nserver: {software: exim}\nsteps: [QUIT]\n",
        ":1: (yaml): '2026-02-30': day is out of range for month",
    ),
    # issue 21 #6: an IPv6 zone is taken verbatim by ipaddress, CR/LF included
    "crlf-in-client-ip-zone": (
        'title: t\nserver: {software: exim}\nclient:\n  ip: "fe80::1%x\\r\\n250 injected"\nsteps: [QUIT]\n',
        ":4: client.ip: 'fe80::1%x\\r\\n250 injected' is not an IP address",
    ),
}


@pytest.mark.parametrize("command", ["replay", "serve", "shell"])
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_scenario_file_one_line_exit_2(tmp_path: Path, command: str, case: str) -> None:
    text, fragment = BAD_FILES[case]
    path = write(tmp_path, text)
    args = [command, "--scenario", path] if command == "shell" else [command, path]
    line = one_line_error(cli(*args))
    assert line.startswith(f"smtpsim {command}: {path}:"), line
    assert fragment in line, line


def test_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    """A 52 KB file of nested aliases expanded to 3 million steps (57 s, 750 MB)."""
    levels = ["a0: &a0 [NOOP, NOOP, NOOP, NOOP, NOOP, NOOP, NOOP, NOOP, NOOP, NOOP]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    path = write(tmp_path, "title: t\nserver: {software: exim}\n" + "\n".join(levels) + "\nsteps: [*a6]\n")
    t0 = time.monotonic()
    with pytest.raises(smtpsim.ScenarioError, match=r"s\.yml:4: \(yaml\): alias \*a0 is not allowed"):
        smtpsim.load_scenario(path)
    assert time.monotonic() - t0 < 2


def test_steps_are_capped_without_yaml(tmp_path: Path) -> None:
    """The cap holds for JSON from the browser too (scenario_from_dict)."""
    d = {"title": "t", "server": {"software": "exim"}, "steps": ["NOOP"] * (MAX_STEPS + 1)}
    with pytest.raises(smtpsim.ScenarioError, match=rf"x: steps\[{MAX_STEPS}\]: too many steps"):
        smtpsim.scenario_from_dict(d, source="x")
    d["steps"] = ["NOOP"] * MAX_STEPS
    assert len(smtpsim.scenario_from_dict(d, source="x").steps) == MAX_STEPS


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "#" * 300_000 + "\n")
    line = one_line_error(cli("replay", path))
    assert line == f"smtpsim replay: {path}: (file): larger than 256 KB"


def test_crlf_hostname_refused_in_the_browser_path_too() -> None:
    with pytest.raises(smtpsim.ScenarioError, match=r"server\.hostname: control characters"):
        smtpsim.server_config_from_dict({"software": "postfix", "hostname": "mx\r\n250 x"})


BAD_OPTIONS = {
    "user-without-colon": (["--user", "alice"], "argument --user: expected user:password, got 'alice'"),
    "port-too-big": (["--port", "99999"], "argument --port: 99999 is not a port number"),
    "port-not-a-number": (["--port", "smtp"], "argument --port: 'smtp' is not a port number"),
    "cert-without-key": (
        ["--tls-cert", "c.pem"],
        "--tls-key: missing (--tls-cert and --tls-key go together)",
    ),
    "missing-cert-file": (
        ["--tls-cert", "/nonexistent/c.pem", "--tls-key", "/nonexistent/k.pem"],
        "--tls-cert: cannot read /nonexistent/c.pem: No such file or directory",
    ),
    "non-loopback-host": (["--host", "0.0.0.0"], "--host: 0.0.0.0 (0.0.0.0) is not a loopback address"),
    "zero-idle-timeout": (["--idle-timeout", "0"], "argument --idle-timeout: 0 is not between"),
}


@pytest.mark.parametrize("case", sorted(BAD_OPTIONS))
def test_bad_serve_option_one_line_exit_2(case: str) -> None:
    args, fragment = BAD_OPTIONS[case]
    line = one_line_error(cli("serve", "--software", "exim", *args))
    assert line.startswith("smtpsim serve: "), line
    assert fragment in line, line


def test_cert_that_is_not_pem(tmp_path: Path) -> None:
    junk = write(tmp_path, "not a certificate\n", "c.pem")
    line = one_line_error(cli("serve", "--tls-cert", junk, "--tls-key", junk))
    assert "--tls-cert/--tls-key: " in line and "not a PEM certificate and its private key" in line


def test_shell_user_option_is_checked_too() -> None:
    line = one_line_error(cli("shell", "--user", "bob"))
    assert line == "smtpsim shell: argument --user: expected user:password, got 'bob'"


@pytest.mark.parametrize("ip", ["1.2.3.4]\r\n250 INJECTED", "fe80::1%eth0\r\n250 INJECTED", "", "::1%"])
def test_shell_client_ip_is_an_ip_address(ip: str) -> None:
    """Issue 21 #6: ``--client-ip`` with CR/LF appeared in the EHLO reply; checked as ``client.ip``."""
    line = one_line_error(cli("shell", "--client-ip", ip))
    assert line == f"smtpsim shell: argument --client-ip: {ip!r} is not an IP address"


def test_shell_takes_bytes_that_are_not_utf8() -> None:
    """Issue 21 #4: non-UTF-8 input ended the shell in a UnicodeEncodeError; the server now gets
    the bytes as a socket would carry them, under a strict UTF-8 locale too."""
    p = subprocess.run(
        [sys.executable, "-m", "smtpsim", "shell", "--software", "exim"],
        input=b"EHLO \xff\xfe\r\nEHLO caf\xc3\xa9\r\nQUIT\r\n",
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
        check=False,
    )
    assert p.returncode == 0 and p.stderr == b"", p.stderr
    assert p.stdout.splitlines()[1:] == [
        b"501 Syntactically invalid EHLO argument(s)",
        b"501 Syntactically invalid EHLO argument(s)",
        b"221 mail.example.net closing connection",
    ]


def test_replay_to_a_terminal_without_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, 'title: t\nserver: {software: exim}\nsteps: ["EHLO caf\u00e9", QUIT]\n')
    env = {**os.environ, "PYTHONIOENCODING": "ascii:strict"}
    text = subprocess.run(
        [sys.executable, "-m", "smtpsim", "replay", path],
        capture_output=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert b"C: EHLO caf?\n" in text.stdout and text.stderr == b""
    js = subprocess.run(
        [sys.executable, "-m", "smtpsim", "replay", "--json", path],
        capture_output=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert json.loads(js.stdout.decode("utf-8"))["steps"][1]["send"] == "EHLO caf\u00e9"


@pytest.mark.parametrize(
    ("locale", "args"),
    [
        ({"PYTHONIOENCODING": "utf-8:strict"}, ["diagnose"]),  # a UTF-8 locale that is not C.UTF-8
        ({"LC_ALL": "C", "LANG": "C"}, ["diagnose", "--json"]),  # C: Python's UTF-8 mode, surrogateescape
    ],
)
def test_diagnose_text_that_is_not_utf8(tmp_path: Path, locale: dict[str, str], args: list[str]) -> None:
    """Issue 21 #4: invalid UTF-8 in, from a file or standard input: a diagnosis, U+FFFD in place
    of the bad bytes, and output that is valid UTF-8 (JSON is UTF-8, RFC 8259 §8.1)."""
    ticket = b"550 5.7.1 \xff\xfe relay not permitted\n"
    path = write(tmp_path, ticket, "ticket.txt")
    env = {**os.environ, **locale}
    for extra, stdin in (([path], b""), (["-"], ticket)):
        p = subprocess.run(
            [sys.executable, "-m", "smtpsim", *args, *extra], input=stdin, capture_output=True, env=env,
            timeout=60, check=False,
        )  # fmt: skip
        assert p.returncode == 0 and p.stderr == b"", p.stderr
        out = p.stdout.decode("utf-8")  # strict: raises on invalid UTF-8
        assert "550 5.7.1 \ufffd\ufffd relay not permitted" in (
            json.loads(out)["reply"] if "--json" in args else out
        )


def test_public_bind_warns_that_nothing_is_delivered() -> None:
    assert check_bind("127.0.0.1", public=False) is None
    assert check_bind("localhost", public=False) is None
    warning = check_bind("0.0.0.0", public=True)
    assert warning and "beyond loopback" in warning and "never stores, relays or delivers mail" in warning


def test_every_shipped_scenario_still_loads() -> None:
    for path in sorted(SCEN.glob("*.yml")):
        smtpsim.load_scenario(str(path))
