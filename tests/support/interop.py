"""Real mail programs against ``smtpsim serve``: what each one does and shows its user.

For every personality of the registry and four scenarios (no AUTH on port 25, AUTH on port 25,
STARTTLS + AUTH on 587, implicit TLS + AUTH on 465) each program sends one message from
alice@example.net to bob@elsewhere.example.  Recorded: the exit status, the message the program
shows its user (its last error line, or its success line), and — where the session is plain
text, through a recording loopback relay — whether it sent DATA after the refused RCPT and
whether the server's 503 reached it.

Nothing can be delivered: every program is pointed only at the loopback server, with its
configuration in a temporary directory (HOME included, so no dead.letter or history lands in
the real one).  ``tests/interop/generate.py`` writes the observations to
``data/client-behaviour.json``; ``test_interop.py`` checks the committed file against a fresh run.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import asdict, dataclass

from smtpsim import registry
from smtpsim.drivers.tls import throwaway_certificate
from support.smtpsim_serve import ROOT, SCEN, start_serve

USER, PASSWORD = "alice@example.net", "s3cret"
FROM, TO = "alice@example.net", "bob@elsewhere.example"
MESSAGE = f"From: Alice <{FROM}>\r\nTo: Bob <{TO}>\r\nSubject: Lunch on Friday?\r\n\r\nHi Bob.\r\n"
#: scenario kind -> (file suffix, authenticates, TLS: None / "starttls" / "implicit")
SCENARIOS = {
    "no-auth-25": ("no-auth-25", False, None),
    "auth-25": ("auth-25", True, None),
    "starttls-587": ("auth-587", True, "starttls"),
    "implicit-tls-465": ("auth-465", True, "implicit"),
}
CLIENTS = ("msmtp", "s-nail", "mutt", "swaks", "curl", "smtplib", "nodemailer")
NODE_SCRIPT = ROOT / "tests" / "interop" / "send_nodemailer.mjs"
TIMEOUT = 60


@dataclass
class Observation:
    personality: str
    scenario: str
    client: str
    exit_status: int
    shows: list[str]  # what the program shows its user (its error lines; swaks: <** and *** lines)
    sent_data_after_refusal: bool | None  # None: TLS session (not visible) or nothing refused
    data_reply: str | None  # the server's reply to that DATA (its last line)


def available(client: str) -> bool:
    if client == "smtplib":
        return True
    if client == "nodemailer":
        return shutil.which("node") is not None and (ROOT / "node_modules" / "nodemailer").is_dir()
    return shutil.which(client) is not None


def versions() -> dict[str, str]:
    """The version of each program, as it reports it."""

    def first(cmd: list[str], pattern: str) -> str:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False)
        m = re.search(pattern, out.stdout + out.stderr)
        return m.group(1) if m else "?"

    return {
        "msmtp": first(["msmtp", "--version"], r"msmtp version (\S+)"),
        "s-nail": first(["s-nail", "-V"], r"v(\d[\w.]*)"),
        "mutt": first(["mutt", "-v"], r"Mutt (\S+)"),
        "swaks": first(["swaks", "--version"], r"version (\S+)"),
        "curl": first(["curl", "--version"], r"curl (\S+)"),
        "smtplib": f"Python {sys.version.split()[0]}",
        "nodemailer": first(["node", "-p", "require('nodemailer/package.json').version"], r"(\S+)"),
    }


class Recorder:
    """A loopback relay in front of the server that keeps what the client sent and what the
    server answered (plain-text sessions only: after STARTTLS it is ciphertext)."""

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.client, self.server = bytearray(), bytearray()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _pipe(self, src: socket.socket, dst: socket.socket, keep: bytearray) -> None:
        try:
            while data := src.recv(65536):
                keep += data
                dst.sendall(data)
        except OSError:
            pass
        finally:  # pass the half-close on: the other side may still answer (a pipelined DATA)
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)

    def _run(self) -> None:
        self.sock.settimeout(TIMEOUT)
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        up = socket.create_connection(("127.0.0.1", self.upstream), timeout=TIMEOUT)
        t = threading.Thread(target=self._pipe, args=(up, conn, self.server), daemon=True)
        t.start()
        self._pipe(conn, up, self.client)
        t.join(TIMEOUT)
        conn.close()
        up.close()

    def close(self) -> None:
        self.sock.close()
        self.thread.join(TIMEOUT)


def _normalise(text: str, tmp: str) -> str:
    text = text.replace(tmp, "<tmp>")
    text = re.sub(r"id=\w{6}-\w{6}-\w{2}", "id=<queue-id>", text)
    text = re.sub(r"queued as [0-9A-F]{10,12}", "queued as <queue-id>", text)
    text = re.sub(r"2\.0\.0 [0-9a-f]{8} Message accepted", "2.0.0 <queue-id> Message accepted", text)
    text = re.sub(r"\b[0-9A-Za-x]{8}\d{6} Message acc", "<queue-id> Message acc", text)  # Sendmail
    text = re.sub(r"127\.0\.0\.1(\]?):\d+", r"127.0.0.1\1:<port>", text)  # cPanel quotes [ip]:port
    text = re.sub(r"port \d+", "port <port>", text)
    return text.strip()


def _shown(text: str, keep: str | None) -> list[str]:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if keep:
        lines = [ln for ln in lines if re.search(keep, ln)]
    return lines[-6:]


def run_client(
    client: str, port: int, auth: bool, tls: str | None, cert: str, tmp: str
) -> tuple[int, list[str]]:
    """Run one program; returns (exit status, the lines it shows its user)."""
    env = {**os.environ, "HOME": tmp, "LC_ALL": "C.UTF-8", "NODE_PATH": str(ROOT / "node_modules")}
    body = os.path.join(tmp, "message.txt")
    with open(body, "w") as f:
        f.write(MESSAGE)
    host = "127.0.0.1"
    if client == "msmtp":
        conf = os.path.join(tmp, "msmtprc")
        lines = [
            "account default",
            f"host {host}",
            f"port {port}",
            f"from {FROM}",
            "domain laptop.example",
            f"tls {'on' if tls else 'off'}",
            f"tls_starttls {'on' if tls == 'starttls' else 'off'}",
            f"tls_trust_file {cert}",
            f"auth {'on' if auth else 'off'}",
        ]
        if auth:
            lines += [f"user {USER}", f"password {PASSWORD}"]
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        os.chmod(conf, 0o600)
        cmd = ["msmtp", "-C", conf, TO]
        keep = None
    elif client == "s-nail":
        scheme = "smtps" if tls == "implicit" else "smtp"
        cred = f"{USER.replace('@', '%40')}:{PASSWORD}@" if auth else ""
        cmd = [
            "s-nail", "-n", "-Sv15-compat", "-Ssendwait", "-Snosave", "-Sexpandaddr",
            f"-Smta={scheme}://{cred}localhost:{port}",  # s-nail 14.9 matches names, not IP SANs
            f"-Stls-ca-file={cert}",
            "-Shostname=laptop.example", f"-Ssmtp-auth={'plain' if auth else 'none'}",
            f"-r{FROM}", "-sLunch on Friday?",
        ]  # fmt: skip
        if tls == "starttls":
            cmd.append("-Ssmtp-use-starttls")
        cmd.append(TO)
        keep = None
    elif client == "mutt":
        scheme = "smtps" if tls == "implicit" else "smtp"
        user = f"{USER}@" if auth else ""
        rc = os.path.join(tmp, "muttrc")
        with open(rc, "w") as f:
            f.write(
                f'set smtp_url="{scheme}://{user}{host}:{port}/"\n'
                f'set smtp_pass="{PASSWORD}"\nset from="{FROM}"\nset hostname="laptop.example"\n'
                f"set ssl_starttls={'yes' if tls == 'starttls' else 'no'}\nset ssl_force_tls=no\n"
                f'set ssl_ca_certificates_file="{cert}"\nset certificate_file="{cert}"\n'
                'set record=""\nset postponed=""\nset folder="~/Mail"\nset spoolfile=""\n'
            )
        cmd = ["mutt", "-n", "-F", rc, "-s", "Lunch on Friday?", TO]
        keep = None
    elif client == "swaks":
        cmd = ["swaks", "--server", f"{host}:{port}", "--from", FROM, "--to", TO, "--helo",
               "laptop.example", "--timeout", "30", "--data", MESSAGE.replace("\r\n", "\n")]  # fmt: skip
        if auth:
            cmd += ["--auth", "PLAIN", "--auth-user", USER, "--auth-password", PASSWORD]
        if tls == "starttls":
            cmd += ["--tls"]
        elif tls == "implicit":
            cmd += ["--tls-on-connect"]
        keep = r"^<\*\*|^\*\*\*|^<-  250 (OK id|2\.0\.0 Ok: queued|2\.0\.0 \w+ Message accepted)"
    elif client == "curl":
        scheme = "smtps" if tls == "implicit" else "smtp"
        cmd = ["curl", "-sS", "--url", f"{scheme}://{host}:{port}", "--mail-from", FROM, "--mail-rcpt", TO,
               "--upload-file", body, "--cacert", cert, "--connect-timeout", "30", "-m", "60"]  # fmt: skip
        if tls == "starttls":
            cmd.append("--ssl-reqd")
        if auth:
            cmd += ["--user", f"{USER}:{PASSWORD}"]
        keep = None
    elif client == "smtplib":
        cmd = [sys.executable, "-c", _SMTPLIB, host, str(port), tls or "", cert, "1" if auth else ""]
        keep = None
    elif client == "nodemailer":
        cmd = ["node", str(NODE_SCRIPT), host, str(port), tls or "", cert, "1" if auth else ""]
        keep = None
    else:
        raise ValueError(client)
    with open(body) as stdin:
        p = subprocess.run(
            cmd, stdin=stdin, capture_output=True, text=True, timeout=TIMEOUT, env=env, cwd=tmp, check=False
        )
    out = p.stdout + p.stderr if client == "swaks" else p.stderr
    shown = _shown(out, keep) or ["(nothing: the program exits quietly)"]
    return p.returncode, [_normalise(ln, tmp) for ln in shown]


_SMTPLIB = r"""
import smtplib, ssl, sys
host, port, tls, cert, auth = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
ctx = ssl.create_default_context(cafile=cert)
msg = sys.stdin.read()
try:
    cls = smtplib.SMTP_SSL if tls == "implicit" else smtplib.SMTP
    kw = {"context": ctx} if tls == "implicit" else {}
    with cls(host, port, local_hostname="laptop.example", timeout=30, **kw) as s:
        if tls == "starttls":
            s.starttls(context=ctx)
        if auth:
            s.login("alice@example.net", "s3cret")
        s.sendmail("alice@example.net", ["bob@elsewhere.example"], msg)
    print("sent", file=sys.stderr)
except Exception as e:
    print(f"{type(e).__name__}: {e}", file=sys.stderr)
    sys.exit(1)
"""


def _dialogue_facts(rec: Recorder) -> tuple[bool | None, str | None]:
    """(sent DATA after a refused RCPT, the reply to that DATA) from a plain-text session."""
    sent = [ln.strip() for ln in bytes(rec.client).decode("latin-1").split("\r\n") if ln.strip()]
    said = bytes(rec.server).decode("latin-1").split("\r\n")
    finals = [ln for ln in said if re.match(r"\d\d\d( |$)", ln)]  # last line of each reply
    if any(ln.upper() == "STARTTLS" for ln in sent) or not any(re.match(r"[45]", f) for f in finals[1:]):
        return None, None
    if "DATA" not in (ln.upper() for ln in sent):
        return False, None
    index = [ln.upper() for ln in sent].index("DATA")
    return True, finals[index + 1] if index + 1 < len(finals) else None


def observe(personality: str, kind: str, cert: str, key: str) -> list[Observation]:
    suffix, auth, tls = SCENARIOS[kind]
    srv = start_serve(str(SCEN / f"{personality}-{suffix}.yml"), "--tls-cert", cert, "--tls-key", key)
    out = []
    try:
        for client in CLIENTS:
            if not available(client):
                continue
            with tempfile.TemporaryDirectory(prefix=f"interop-{client}-") as tmp:
                rec = Recorder(srv.port) if tls is None else None
                status, shown = run_client(client, rec.port if rec else srv.port, auth, tls, cert, tmp)
                facts: tuple[bool | None, str | None] = (None, None)
                if rec:
                    rec.close()
                    facts = _dialogue_facts(rec)
            out.append(Observation(personality, kind, client, status, shown, *facts))
    finally:
        srv.stop()
    return out


def observe_all() -> list[Observation]:
    """Every personality x scenario x installed program."""
    with tempfile.TemporaryDirectory(prefix="interop-tls-") as d:
        cert, key = throwaway_certificate("mail.example.net", d)
        return [o for p in registry.names() for kind in SCENARIOS for o in observe(p, kind, cert, key)]


def as_json(observations: list[Observation]) -> dict[str, object]:
    return {
        "about": (
            "What real mail programs show their user against `smtpsim serve` (generated by "
            "tests/interop/generate.py; checked by tests/interop/test_interop.py). `shows` is the "
            "program's own last line (queue ids, ports and temporary paths replaced); "
            "`sent_data_after_refusal`/`data_reply`: seen on the wire in plain-text sessions with "
            "a refused recipient, else null."
        ),
        "message": {"from": FROM, "to": TO},
        "programs": versions(),
        "observations": [asdict(o) for o in observations],
    }
