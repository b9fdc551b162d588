"""Start ``python -m smtpsim serve`` on an ephemeral loopback port and stop it (tests and bench)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCEN = ROOT / "examples" / "scenarios"


@dataclass
class Served:
    """A running ``smtpsim serve``: its process, port and everything it printed on stderr."""

    proc: subprocess.Popen[str]
    port: int
    lines: list[str] = field(default_factory=list)

    def stderr(self) -> str:
        return "".join(self.lines)

    def stop(self, timeout: float = 10) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(timeout=timeout)


def start_process(
    cmd: list[str], *, stdin: int = subprocess.DEVNULL, cwd: Path = ROOT, tmpdir: Path | None = None
) -> Served:
    """Start a server process; returns once its stderr named the loopback port it listens on.
    ``tmpdir``: its ``$TMPDIR`` (where a throw-away certificate goes)."""
    env = None if tmpdir is None else {**os.environ, "TMPDIR": str(tmpdir)}
    proc = subprocess.Popen(
        cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, stdin=stdin, text=True, cwd=cwd, env=env
    )
    assert proc.stderr is not None
    served = Served(proc, 0)
    found = threading.Event()

    def pump() -> None:  # keep reading stderr so the server never blocks on a full pipe
        assert proc.stderr is not None
        for line in proc.stderr:
            served.lines.append(line)
            if not found.is_set() and (m := re.search(r"\bon 127\.0\.0\.1:(\d+)", line)):
                served.port = int(m.group(1))
                found.set()
        found.set()

    threading.Thread(target=pump, daemon=True).start()
    if not found.wait(60) or not served.port:
        served.stop()
        raise RuntimeError(f"{' '.join(cmd)} did not start: {served.stderr()}")
    return served


def start_serve(*args: str, cwd: Path = ROOT, tmpdir: Path | None = None) -> Served:
    """Start ``python -m smtpsim serve`` on an ephemeral port (see start_process)."""
    cmd = [sys.executable, "-m", "smtpsim", "serve", "--port", "0", *args]
    return start_process(cmd, cwd=cwd, tmpdir=tmpdir)


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A throw-away self-signed certificate and key for localhost and 127.0.0.1 (openssl), one day."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    cmd = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
           "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
           "-keyout", str(key), "-out", str(cert)]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)
    return cert, key


def wait_for_output(served: Served, text: str, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in served.stderr():
            return True
        time.sleep(0.05)
    return False


class ServeFactory:
    """Starts servers for one test and stops all of them afterwards (``tmpdir``: their ``$TMPDIR``)."""

    def __init__(self, tmpdir: Path | None = None) -> None:
        self.started: list[Served] = []
        self.tmpdir = tmpdir

    def __call__(self, *args: str) -> Served:
        s = start_serve(*args, tmpdir=self.tmpdir)
        self.started.append(s)
        return s

    def stop_all(self) -> None:
        for s in self.started:
            s.stop()
