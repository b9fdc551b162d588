#!/usr/bin/env python3
"""``smtpsim serve`` under load, side by side with aiosmtpd: 200 concurrent smtplib sessions.

Each session: connect, EHLO, MAIL, RCPT (a local recipient, accepted), DATA with a short
message, QUIT.  Both servers run in their own process on 127.0.0.1 and never deliver
anything.  Prints completed sessions and p50/p99/max session latency.
"""

from __future__ import annotations

import re
import smtplib
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = 200
MSG = "From: alice@example.net\r\nTo: postmaster@example.net\r\nSubject: load\r\n\r\nHello.\r\n"
AIOSMTPD = r"""
import asyncio, sys
from aiosmtpd.controller import Controller
class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"
c = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print(f"on 127.0.0.1:{c.port}", file=sys.stderr, flush=True)
try:
    sys.stdin.read()
finally:
    c.stop()
"""


def start(cmd: list[str]) -> tuple[subprocess.Popen[str], int]:
    p = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=ROOT
    )
    assert p.stderr is not None
    m = None
    for _ in range(20):  # skip any warnings printed first
        line = p.stderr.readline()
        if not line or (m := re.search(r"on 127\.0\.0\.1:(\d+)", line)):
            break
    if not m:
        p.kill()
        raise SystemExit(f"server did not start: {' '.join(cmd)}")
    return p, int(m.group(1))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def session(port: int) -> float:
    t0 = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as s:
        s.ehlo("laptop.example")
        refused = s.sendmail("alice@example.net", ["postmaster@example.net"], MSG)
        assert refused == {}
    return time.perf_counter() - t0


def load(port: int) -> tuple[int, list[float], float]:
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        futures = [pool.submit(session, port) for _ in range(SESSIONS)]
    lat, failed = [], 0
    for f in futures:
        try:
            lat.append(f.result())
        except Exception:
            failed += 1
    return SESSIONS - failed, sorted(lat), time.perf_counter() - t0


def pct(xs: list[float], p: float) -> float:
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))] if xs else float("nan")


def main() -> int:
    servers = {
        "smtpsim serve (exim)": [
            sys.executable,
            "-m",
            "smtpsim",
            "serve",
            "--port",
            "0",
            "--software",
            "exim",
            "--max-connections",
            "1000",
        ],
        "smtpsim serve (postfix)": [
            sys.executable,
            "-m",
            "smtpsim",
            "serve",
            "--port",
            "0",
            "--software",
            "postfix",
            "--max-connections",
            "1000",
        ],
        "aiosmtpd": [sys.executable, "-c", AIOSMTPD, str(free_port())],
    }
    print(f"{SESSIONS} concurrent smtplib sessions (EHLO, MAIL, RCPT, DATA, QUIT) on loopback")
    print(f"{'server':<26}{'completed':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'total s':>9}")
    ok = True
    for name, cmd in servers.items():
        proc, port = start(cmd)
        try:
            session(port)  # warm-up
            done, lat, total = load(port)
        finally:
            proc.kill()
            proc.wait(timeout=10)
        ok = ok and done == SESSIONS
        print(
            f"{name:<26}{done:>7}/{SESSIONS}{pct(lat, 50) * 1e3:>9.1f}{pct(lat, 99) * 1e3:>9.1f}"
            f"{(lat[-1] if lat else float('nan')) * 1e3:>9.1f}{total:>9.2f}"
        )
        if lat:
            assert statistics.median(lat) > 0
    print("all sessions completed" if ok else "SOME SESSIONS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
