#!/usr/bin/env python3
"""Observe what Thunderbird shows its user when the server refuses the recipient (issue 11).

Runs the real Thunderbird (Debian's ``thunderbird`` package) headless under Xvfb with a throw-away
profile whose only outgoing server is ``smtpsim serve`` on loopback, set up like a customer's
broken account: no authentication and no encryption, or (``--password-without-encryption``)
"Normal password" without encryption. For each scenario it opens a message to an
outside address (``thunderbird -compose``), presses Ctrl+Return in the compose window with
``xdotool`` as a user would, waits for the error window and reads its exact text from the
window's own document (Thunderbird's Marionette remote protocol, chrome context: the
``commonDialog`` ``#infoBody``); ``import`` (ImageMagick) saves a screenshot next to it.
Thunderbird's own SMTP log (``mailnews.smtp.loglevel``) shows what it sent: whether DATA followed
the refused RCPT, so whether the 503 could ever reach the user.

Nothing can be delivered: the only server is the loopback simulator. The Debian packages are not in
the project's set-up lists (the tool is run by hand, not in CI)::

    apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends \\
        thunderbird xvfb xdotool imagemagick
    make observe-thunderbird                      # print the observations (JSON)
    make observe-thunderbird ARGS=--check         # compare with data/clients.yml (exit 1 on change)
    make observe-thunderbird ARGS="--scenario exim-no-auth --shots /tmp/tb"
    make observe-thunderbird ARGS="--scenario exim-cpanel-no-auth --password-without-encryption"

``--check`` re-runs every observation ``data/clients.yml`` credits to this tool and compares the
dialog text word for word.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from support.smtpsim_serve import (  # tests/ is on PYTHONPATH (make observe-thunderbird)
    ROOT,
    SCEN,
    start_serve,
)

TOOL = "tools/observe_thunderbird.py"
DEFAULT_SCENARIOS = ("exim-cpanel-no-auth", "postfix-no-auth")
FROM, TO = "alice@example.net", "bob@elsewhere.example"
SUBJECT, BODY = "Lunch on Friday?", "Hi Bob."
HELO = "laptop.example"  # what the scenarios' own EHLO says
NEEDED = {"thunderbird": "thunderbird", "Xvfb": "xvfb", "xdotool": "xdotool", "import": "imagemagick"}
WAIT = 120  # seconds for start-up, the compose window and the error window (shared 2-core machine)

#: The profile: one POP account that is never checked (its server is the discard port), Local
#: Folders, and the outgoing server under test. authMethod 1 = "No authentication", try_ssl 0 =
#: "Connection security: None" (mailnews/base/public/MailNewsTypes2.idl, nsMsgSocketType).
PREFS = {
    "mail.accountmanager.accounts": "account1,account2",
    "mail.accountmanager.defaultaccount": "account1",
    "mail.accountmanager.localfoldersserver": "server2",
    "mail.account.account1.identities": "id1",
    "mail.account.account1.server": "server1",
    "mail.account.account2.server": "server2",
    "mail.identity.id1.fullName": "Alice",
    "mail.identity.id1.useremail": FROM,
    "mail.identity.id1.smtpServer": "smtp1",
    "mail.identity.id1.valid": True,
    "mail.identity.id1.fcc": False,
    "mail.server.server1.type": "pop3",
    "mail.server.server1.hostname": "127.0.0.1",
    "mail.server.server1.port": 9,
    "mail.server.server1.userName": FROM,
    "mail.server.server1.name": FROM,
    "mail.server.server1.login_at_startup": False,
    "mail.server.server1.check_new_mail": False,
    "mail.server.server2.type": "none",
    "mail.server.server2.hostname": "Local Folders",
    "mail.server.server2.name": "Local Folders",
    "mail.server.server2.userName": "nobody",
    "mail.smtpservers": "smtp1",
    "mail.smtp.defaultserver": "smtp1",
    "mail.smtpserver.smtp1.type": "smtp",
    "mail.smtpserver.smtp1.hostname": "127.0.0.1",
    "mail.smtpserver.smtp1.hello_argument": HELO,
    # quiet start: no default-client question, no start page, no send confirmation, no telemetry
    "mail.shell.checkDefaultClient": False,
    "mail.warn_on_send_accel_key": False,
    "mail.provider.suppress_dialog_on_startup": True,
    "mailnews.start_page.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "app.update.enabled": False,
    "mail.rights.override": True,
    # Thunderbird's SMTP log ("C: ..." / "S: ...") on stdout; Marionette on an ephemeral port
    "mailnews.smtp.loglevel": "All",
    "devtools.console.stdout.chrome": True,
    "marionette.port": 0,
}

#: How the outgoing server is set, in Thunderbird's own words (the guide's labels), and the prefs
#: behind it: authMethod 1 = "No authentication", 3 = "Normal password"; try_ssl 0 = "None"
#: (mailnews/base/public/MailNewsTypes2.idl: nsMsgAuthMethod, nsMsgSocketType).
SETTINGS = {
    "Authentication method: No authentication; Connection security: None": {
        "mail.smtpserver.smtp1.authMethod": 1,
        "mail.smtpserver.smtp1.try_ssl": 0,
    },
    "Authentication method: Normal password; Connection security: None": {
        "mail.smtpserver.smtp1.authMethod": 3,
        "mail.smtpserver.smtp1.try_ssl": 0,
        "mail.smtpserver.smtp1.username": FROM,
    },
}
NO_AUTH = next(iter(SETTINGS))

#: Read in the chrome context: every open common dialog (title and text) of the application.
READ_DIALOGS = """
const found = [];
for (const win of Services.wm.getEnumerator(null)) {
  const body = win.document.getElementById("infoBody");
  if (win.document.documentURI.includes("commonDialog") && body) {
    found.push({title: win.document.title, text: body.textContent});
  }
}
return found;
"""


def missing_programs() -> list[str]:
    return sorted({pkg for prog, pkg in NEEDED.items() if shutil.which(prog) is None})


def thunderbird_version() -> str:
    out = subprocess.run(
        ["thunderbird", "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    m = re.search(r"Thunderbird (\S+)", out.stdout + out.stderr)
    return m.group(1) if m else "?"


def write_profile(profile: Path, smtp_port: int, settings: str = NO_AUTH) -> None:
    prefs = {**PREFS, **SETTINGS[settings], "mail.smtpserver.smtp1.port": smtp_port}
    lines = [f"user_pref({json.dumps(k)}, {json.dumps(v)});" for k, v in prefs.items()]
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "user.js").write_text("\n".join(lines) + "\n", encoding="utf-8")


@contextlib.contextmanager
def xvfb() -> Iterator[str]:
    """A private X display (Xvfb picks a free number and writes it to the pipe)."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)


class Marionette:
    """The smallest Marionette client: length-prefixed JSON commands ``[0, id, name, params]``."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self.next_id = 0
        self._read()  # the server's hello

    def _read(self) -> Any:
        size = b""
        while not size.endswith(b":"):
            size += self.sock.recv(1)
        data = b""
        while len(data) < int(size[:-1]):
            data += self.sock.recv(int(size[:-1]) - len(data))
        return json.loads(data)

    def call(self, name: str, params: dict[str, Any] | None = None) -> Any:
        self.next_id += 1
        body = json.dumps([0, self.next_id, name, params or {}]).encode()
        self.sock.sendall(str(len(body)).encode() + b":" + body)
        _, _, error, result = self._read()
        if error:
            raise RuntimeError(f"marionette {name}: {error}")
        return result

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.call("Marionette:Quit", {"flags": ["eForceQuit"]})
        self.sock.close()


def _wait(what: str, probe, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := probe():
            return found
        time.sleep(0.5)
    raise TimeoutError(f"timed out waiting for {what}")


def _window(display: str, pattern: str) -> str | None:
    out = subprocess.run(
        ["xdotool", "search", "--name", pattern],
        capture_output=True,
        text=True,
        env={**os.environ, "DISPLAY": display},
        check=False,
    )
    return out.stdout.split()[0] if out.stdout.split() else None


def wire(log: str) -> dict[str, Any]:
    """What Thunderbird's SMTP log says it sent and received."""
    sent = re.findall(r'mailnews\.smtp: "C: ([^"]*)"', log)
    replies = [r.replace("\\r\\n", "\n").strip() for r in re.findall(r'mailnews\.smtp: "S: ([^"]*)"', log)]
    return {
        "commands": sent,
        "connections": sum(1 for c in sent if c.startswith(("EHLO", "HELO"))),
        "sent_data": "DATA" in sent,
        "replies": replies,
    }


def observe(scenario: str, shots: Path | None, settings: str = NO_AUTH) -> dict[str, Any]:
    """Send one message through Thunderbird, set up as *settings* says, against *scenario*; returns
    what its user saw."""
    path = SCEN / f"{scenario}.yml"
    personality = yaml.safe_load(path.read_text(encoding="utf-8"))["server"]["software"]
    served = start_serve(str(path))
    tmp = Path(tempfile.mkdtemp(prefix="observe-thunderbird-"))
    profile = tmp / "profile"
    write_profile(profile, served.port, settings)
    log = tmp / "thunderbird.log"
    try:
        with xvfb() as display, log.open("w") as out:
            env = {**os.environ, "DISPLAY": display, "HOME": str(tmp), "MOZ_CRASHREPORTER_DISABLE": "1"}
            compose = f"to='{TO}',subject='{SUBJECT}',body='{BODY}'"
            tb = subprocess.Popen(
                [
                    "thunderbird",
                    "--no-remote",
                    "--marionette",
                    "-remote-allow-system-access",
                    "--profile",
                    str(profile),
                    "-compose",
                    compose,
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
            try:
                port_file = profile / "MarionetteActivePort"
                port = int(_wait("Marionette", lambda: port_file.exists() and port_file.read_text().strip()))
                window = _wait("the compose window", lambda: _window(display, f"^Write: {SUBJECT}"))
                time.sleep(3)  # the editor takes the focus a moment after the window appears
                xdo = ["xdotool", "windowfocus", "--sync", window, "key", "--clearmodifiers", "ctrl+Return"]
                subprocess.run(xdo, env=env, check=True, timeout=60)
                _wait("the error window", lambda: _window(display, "Send Message Error"))
                client = Marionette(port)
                try:
                    client.call("WebDriver:NewSession", {"capabilities": {}})
                    client.call("Marionette:SetContext", {"value": "chrome"})
                    dialogs = client.call("WebDriver:ExecuteScript", {"script": READ_DIALOGS, "args": []})[
                        "value"
                    ]
                    if shots:
                        shots.mkdir(parents=True, exist_ok=True)
                        shot = shots / f"thunderbird-{scenario}-{list(SETTINGS).index(settings)}.png"
                        subprocess.run(
                            ["import", "-window", "root", str(shot)], env=env, check=True, timeout=60
                        )
                finally:
                    client.close()
            finally:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    tb.wait(30)
                if tb.poll() is None:
                    tb.terminate()
                    tb.wait(30)
    finally:
        served.stop()
    facts = wire(log.read_text(encoding="utf-8", errors="replace"))
    shutil.rmtree(tmp, ignore_errors=True)
    if len(dialogs) != 1:
        raise RuntimeError(f"expected one error window, found {dialogs!r}")
    text = dialogs[0]["text"]
    return {
        "program": "Thunderbird",
        "version": thunderbird_version(),
        "personality": personality,
        "scenario": scenario,
        "settings": settings,
        "date": dt.date.today().isoformat(),
        "tool": TOOL,
        "title": dialogs[0]["title"],
        "text": text,
        "shows_503": bool(re.search(r"\b503\b", text)),
        **facts,
    }


def recorded() -> list[dict[str, Any]]:
    """The observations ``data/clients.yml`` credits to this tool."""
    data = yaml.safe_load((ROOT / "data" / "clients.yml").read_text(encoding="utf-8"))
    return [
        seen
        for client in data["clients"]
        for seen in client.get("what_you_see", [])
        if (seen.get("observed") or {}).get("tool") == TOOL
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", action="append", help="scenario name (examples/scenarios/NAME.yml)")
    parser.add_argument("--shots", type=Path, help="save a screenshot of each error window here")
    parser.add_argument(
        "--password-without-encryption",
        action="store_true",
        help="'Normal password' with 'Connection security: None' (default: no authentication)",
    )
    parser.add_argument("--check", action="store_true", help="compare with data/clients.yml")
    args = parser.parse_args(argv)
    if missing := missing_programs():
        sys.stderr.write(
            f"{TOOL}: missing {', '.join(missing)}; install with: apt-get -o DPkg::Lock::Timeout=900 "
            f"install -y --no-install-recommends {' '.join(missing)}\n"
        )
        return 2
    if args.check:
        expected = recorded()
        failures = 0
        for seen in expected:
            got = observe(seen["observed"]["scenario"], args.shots, seen["observed"]["settings"])
            same = got["text"] == seen["text"].rstrip("\n") and got["title"] == seen.get("title")
            failures += not same
            status = "same" if same else f"CHANGED: now {got['title']!r}: {got['text']!r}"
            print(
                f"{seen['observed']['scenario']}, {seen['observed']['settings']} ({got['version']}): {status}"
            )
        return 1 if failures else 0
    settings = list(SETTINGS)[1] if args.password_without_encryption else NO_AUTH
    results = [observe(s, args.shots, settings) for s in args.scenario or DEFAULT_SCENARIOS]
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
