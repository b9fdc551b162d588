#!/usr/bin/env python3
"""Record golden SMTP transcripts from a real mail server (Exim, Postfix, Sendmail, OpenSMTPD) on loopback.

A raw-socket client (no smtplib: it must control pipelining and see every reply line).
It binds to 127.0.0.2 so that the Debian defaults, which trust 127.0.0.1 for relaying,
treat it as an outsider.  Cases live in ``tools/golden/<server>.py``; the mail-server setup
is in ``tools/mta-lab/`` and ``tests/golden/README.md``.

Reply attribution follows RFC 5321 §4.2.1: a reply ends at the line whose 4th octet is a
space.  Pipelined batches (RFC 2920 §3.1) are written in one ``sendall`` and their
replies are read back in order, one per line, except message lines after a 354 (RFC 5321
§4.1.1.4) which get none until ".".  STARTTLS (RFC 3207) wraps the socket with TLS
(no certificate check) and the dialogue continues.  Every read has a time-out.

Usage (see tests/golden/README.md)::

    tools/record_golden.py --software exim --config default
    tools/record_golden.py --software postfix --config 2527 --case auth-plain-ok
    tools/record_golden.py --software exim-cpanel --config cpanel-587
    tools/record_golden.py --list

Servers that smtpsim simulates are written to tests/golden/<software>/; the others (see
``SIMULATED`` in golden/__init__.py: the engine's registry) to tools/mta-lab/recordings/<software>/.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import json
import socket
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

from golden import ALL_CASES, CONFIGS, SIMULATED  # tools/ is on sys.path: the script's own directory

ROOT = Path(__file__).resolve().parent.parent
CLIENT_IP = "127.0.0.2"
REPLY_TIMEOUT = 20.0  # seconds per expected reply (Postfix sleeps 1 s per error past its soft limit)
SEND_TIMEOUT = 120.0  # seconds for one write (over-size messages are > 50 MB)
CLOSE_POLL = 0.3  # seconds to wait, after a write group, for the server to close
ENC = "latin-1"  # one char = one octet both ways, so odd bytes survive the JSON round trip


class Conn:
    """A buffered SMTP client connection that may be upgraded to TLS."""

    def __init__(
        self, host: str, port: int, implicit_tls: bool = False, tls: dict[str, str] | None = None
    ) -> None:
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw.bind((CLIENT_IP, 0))
        raw.settimeout(REPLY_TIMEOUT)
        raw.connect((host, port))
        self.sock: socket.socket = raw
        self.buf = bytearray()
        self.eof = False
        self.tls_version: str | None = None
        self.tls_options = tls or {}
        if implicit_tls:
            self.start_tls()

    def start_tls(self) -> None:
        """Wrap the socket in TLS without verifying the (self-signed) certificate."""
        if self.buf:
            raise RuntimeError(f"plaintext left in buffer before TLS: {bytes(self.buf)!r}")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        if "ciphers" in self.tls_options:  # OpenSMTPD lab workaround: anonymous TLS 1.2 suites only
            ctx.set_ciphers(self.tls_options["ciphers"])
        if "max_version" in self.tls_options:
            ctx.maximum_version = getattr(ssl.TLSVersion, self.tls_options["max_version"])
        self.sock = ctx.wrap_socket(self.sock)
        self.tls_version = self.sock.version()

    def send(self, data: bytes) -> bool:
        """Write data; False if the server has already gone."""
        self.sock.settimeout(SEND_TIMEOUT)  # a 50 MB message takes longer than a read poll
        try:
            self.sock.sendall(data)
            return True
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.eof = True
            return False

    def _fill(self, timeout: float) -> bool:
        """Read more octets into the buffer; False on time-out."""
        self.sock.settimeout(timeout)
        try:
            chunk = self.sock.recv(65536)
        except TimeoutError:
            return False
        except (ConnectionResetError, ssl.SSLError, OSError):
            chunk = b""
        if not chunk:
            self.eof = True
        self.buf += chunk
        return True

    def read_reply(self, timeout: float = REPLY_TIMEOUT) -> tuple[list[str], bool]:
        """Read one complete reply.  Returns (lines, timed_out); self.eof tells if closed."""
        lines: list[str] = []
        while True:
            nl = self.buf.find(b"\n")
            if nl >= 0:
                raw = bytes(self.buf[: nl + 1])
                del self.buf[: nl + 1]
                line = raw.rstrip(b"\n")
                if line.endswith(b"\r"):
                    line = line[:-1]
                else:
                    line += b"<LF-only>"  # never seen; flag it rather than hide it
                text = line.decode(ENC)
                lines.append(text)
                if len(text) < 4 or text[3] == " ":
                    return lines, False
                continue
            if self.eof:
                if self.buf:
                    lines.append(bytes(self.buf).decode(ENC) + "<no-CRLF>")
                    self.buf.clear()
                return lines, False
            if not self._fill(timeout):
                return lines, True

    def poll_closed(self, timeout: float = CLOSE_POLL) -> bool:
        """After a reply, wait briefly to see whether the server closed the connection."""
        if not self.eof and not self.buf:
            self._fill(timeout)
        return self.eof and not self.buf

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


def expand(item: Any) -> tuple[dict[str, Any], bytes]:
    """Turn one case line into (golden step skeleton, octets to write)."""
    if isinstance(item, str):
        return {"send": item}, item.encode(ENC) + b"\r\n"
    step: dict[str, Any] = {}
    if "send_repeat" in item:
        rep = item["send_repeat"]
        text = rep.get("prefix", "") + rep["char"] * rep["count"] + rep.get("suffix", "")
        step["send"] = f"{rep.get('prefix', '')}<{rep['count']}x{rep['char']}>{rep.get('suffix', '')}"
        step["send_repeat"] = rep
    else:
        text = item["send"]
        step["send"] = text
    data = text.encode(ENC) + b"\r\n"
    if "chunk" in item:  # BDAT (RFC 3030 §2): the chunk octets follow the command line at once
        step["chunk"] = item["chunk"]
        data += item["chunk"].encode(ENC)
    elif "chunk_repeat" in item:  # a huge chunk, stored as prefix + char * count + suffix
        rep = item["chunk_repeat"]
        step["chunk_repeat"] = rep
        data += (rep.get("prefix", "") + rep["char"] * rep["count"] + rep.get("suffix", "")).encode(ENC)
    return step, data


def run_case(case: dict[str, Any], host: str, cfg: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """Play one case against the server (config ``cfg``); the golden steps and the client's port."""
    implicit = case.get("implicit_tls", cfg.get("implicit_tls", False))
    conn = Conn(host, cfg["port"], implicit_tls=implicit, tls=cfg.get("client_tls"))
    client_port = conn.sock.getsockname()[1]
    steps: list[dict[str, Any]] = []
    banner, to = conn.read_reply()
    first: dict[str, Any] = {"send": None, "reply": banner}
    if to:
        first["timeout"] = True
    steps.append(first)
    in_data = False
    accepted = 0  # recipients accepted in this transaction: PRDR answers each (draft-hall-prdr)
    closed = conn.poll_closed() if case.get("steps") else False
    if closed:
        first["closed"] = True
    for group in case["steps"]:
        if closed:
            break
        items = group if isinstance(group, list) else [group]
        expanded = [expand(i) for i in items]
        ok = conn.send(b"".join(data for _, data in expanded))
        for step, _ in expanded:
            if len(items) > 1:
                step["batch"] = len(items)
            steps.append(step)
            if closed or (not ok and not conn.buf):
                step["reply"] = []
                if not closed and step is expanded[0][0]:
                    # the write itself failed, although no close was seen after the previous
                    # reply: the server hung up on THIS line (OpenSMTPD's "Line too long" with
                    # the rest of a huge line unread: the reset loses its reply)
                    step["closed"] = closed = True
                    continue
                step["after_close"] = True
                continue
            if in_data and step["send"] != ".":
                step["reply"] = []
                continue
            reply, to = conn.read_reply()
            step["reply"] = reply
            if not reply and conn.eof:
                if step is expanded[0][0]:  # no close was seen after the previous write: the
                    step["closed"] = closed = True  # server hung up on THIS line, saying nothing
                    continue
                step["after_close"] = closed = True  # within a batch: it hung up after the
                prev = [s for s in steps[:-1] if s.get("reply")]  # previous reply
                if prev:
                    prev[-1]["closed"] = True
                continue
            if to:
                step["timeout"] = True
                print(f"  ! no reply within {REPLY_TIMEOUT}s to {step['send']!r}", file=sys.stderr)
            in_data = bool(reply) and reply[-1].startswith("354")
            verb = step["send"][:4].upper()
            if verb == "MAIL" or (reply and reply[-1][:1] == "2" and verb in ("HELO", "EHLO", "RSET")):
                accepted = 0
            elif verb == "RCPT" and reply and reply[-1][:1] == "2":
                accepted += 1
            if reply and reply[-1].startswith("353"):
                # PRDR (draft-hall-prdr): one reply per accepted recipient, then the message's
                prdr: list[str] = []
                for _ in range(accepted + 1):
                    more, to = conn.read_reply()
                    prdr += more
                    if to:
                        step["timeout"] = True
                step["unsolicited"] = prdr
                accepted = 0
            if step["send"].upper() == "STARTTLS" and reply and reply[-1].startswith("220"):
                conn.start_tls()
                step["tls"] = conn.tls_version
            if conn.eof and not conn.buf:
                step["closed"] = closed = True
        if not closed and conn.poll_closed(2.0 if group is case["steps"][-1] else CLOSE_POLL):
            # the server hung up after the last reply of this write group
            last = next(s for s in reversed(steps) if s.get("reply"))
            last["closed"] = closed = True
        if conn.buf and not closed:  # more reply lines although nothing more was sent
            extra, _ = conn.read_reply(1.0)
            steps[-1]["unsolicited"] = extra
            if conn.poll_closed(1.0):
                steps[-1]["closed"] = closed = True
    conn.close()
    return steps, client_port


def server_version(software: str) -> str:
    """Describe the installed server, e.g. 'Exim 4.96 (exim4-daemon-light 4.96-15+deb12u11)'."""

    def q(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "?"

    if software in ("exim", "exim-cpanel"):
        ver = q(["dpkg-query", "-W", "-f=${Version}", "exim4-daemon-light"])
        return f"Exim {ver.split('-')[0]} (exim4-daemon-light {ver})"
    if software == "sendmail":
        ver = q(["dpkg-query", "-W", "-f=${Version}", "sendmail-bin"])
        return f"Sendmail {ver.split('-')[0]} (sendmail-bin {ver})"
    if software == "opensmtpd":
        ver = q(["dpkg-query", "-W", "-f=${Version}", "opensmtpd"])
        return f"OpenSMTPD {ver.split('-')[0]} (opensmtpd {ver})"
    ver = q(["dpkg-query", "-W", "-f=${Version}", "postfix"])
    return f"Postfix {q(['postconf', '-h', 'mail_version'])} (postfix {ver})"


def record(case: dict[str, Any], host: str, out_dir: Path, version: str) -> Path:
    """Record one case and write <out_dir>/<software>/<case>.json."""
    cfg = CONFIGS[(case["software"], case["config"])]
    steps, client_port = run_case(case, host, cfg)
    golden: dict[str, Any] = {
        "case": case["name"],
        "description": case["description"],
        "recorded": {
            "server": version,
            "config": case["config"],
            "port": cfg["port"],
            "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d"),
            **({"implicit_tls": True} if cfg.get("implicit_tls") else {}),
        },
        "server": cfg["server"],
        # the port only where replies quote it (cPanel's relay refusal: $sender_host_port)
        "client": {"ip": CLIENT_IP, **({"port": client_port} if cfg.get("client_port") else {})},
        "steps": steps,
    }
    notes = [n for n in (cfg.get("notes"), case.get("notes")) if n]
    if notes:
        golden["notes"] = " ".join(notes)
    path = out_dir / case["software"] / f"{case['name']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(golden) + "\n", encoding="utf-8")
    return path


def dumps(golden: dict[str, Any]) -> str:
    """JSON with one step per line: readable diffs, exact strings (ASCII-escaped)."""
    head = {k: v for k, v in golden.items() if k != "steps"}
    body = ",\n".join("  " + json.dumps(s) for s in golden["steps"])
    text = json.dumps(head, indent=1)
    return text[:-2] + ',\n "steps": [\n' + body + "\n ]\n}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--software", choices=sorted({sw for sw, _ in CONFIGS}))
    ap.add_argument("--config", help="config name (see --list); the server must run it now")
    ap.add_argument("--case", action="append", help="record only these cases (repeatable)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--out", type=Path, help="default: tests/golden or tools/mta-lab/recordings")
    ap.add_argument("--list", action="store_true", help="list cases and the config each needs")
    args = ap.parse_args(argv)
    if args.list:
        for c in ALL_CASES:
            print(f"{c['software']:8} {c['config']:14} {c['name']}")
        return 0
    if not args.software:
        ap.error("--software is required")
    todo = [
        c
        for c in ALL_CASES
        if c["software"] == args.software
        and (args.config is None or c["config"] == args.config)
        and (not args.case or c["name"] in args.case)
    ]
    if not todo:
        ap.error("no case matches")
    version = server_version(args.software)
    out = args.out or (
        ROOT / "tests" / "golden" if args.software in SIMULATED else ROOT / "tools" / "mta-lab" / "recordings"
    )
    for case in todo:
        path = record(case, args.host, out, version)
        print(f"recorded {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
