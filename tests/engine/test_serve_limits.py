"""``smtpsim serve`` keeps its promises (issue 13): every limit holds whatever the client does,
a stop reaches connected clients, TLS is real (STARTTLS and implicit), the clock is live.

Each test is the regression test of one defect found with real clients; the limits are set
small so that a broken bound shows as a hang well past the assertion's margin.
"""

from __future__ import annotations

import datetime as _dt
import re
import signal
import smtplib
import socket
import ssl
import threading
import time

import pytest

import smtpsim
from smtpsim.personalities.exim.replies import EximReplies
from support.smtpsim_serve import SCEN, ServeFactory, wait_for_output

#: These tests wait out the server's real time limits (idle timeout, session limit, slow clients): about
#: 19 s of waiting in all, a third of `make test-fast`'s minute, so they run in `make test` only.
pytestmark = pytest.mark.slow

MSG = "From: alice@example.net\r\nTo: postmaster@example.net\r\nSubject: hi\r\n\r\nHello.\r\n"


def greeting_when_free(port: int, deadline: float) -> tuple[bytes, float]:
    """Connect again and again until the server greets with 220 (the slot is free)."""
    t0 = time.monotonic()
    last = b""
    while time.monotonic() < deadline:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            last = s.recv(1024)
        if last.startswith(b"220"):
            return last, time.monotonic() - t0
        time.sleep(0.2)
    return last, time.monotonic() - t0


def flood_without_reading(port: int, stop: threading.Event, sent: threading.Event) -> None:
    """Send 80,000 EHLOs (Postfix answers each with 8 lines: 12 MB, more than any socket buffer
    holds) and never read a reply; keep the connection open until the server drops it."""
    chunk = b"EHLO flood.example\r\n" * 2000
    with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        n = 0
        while not stop.is_set():
            try:
                if n < 40:
                    s.sendall(chunk)
                    n += 1
                else:
                    sent.set()
                    s.send(b"")  # raises once the server has dropped us
                    stop.wait(0.2)
            except TimeoutError:
                sent.set()  # the server stopped reading: still not reading
            except OSError:
                break  # the server dropped us: what the test waits for
    sent.set()


@pytest.mark.parametrize(
    ("limits", "bound"),
    [
        (("--idle-timeout", "1", "--max-session", "60"), 1),
        (("--idle-timeout", "60", "--max-session", "2"), 2),
    ],
    ids=["idle-timeout", "max-session"],
)
def test_a_client_that_never_reads_loses_its_slot(
    serve: ServeFactory, limits: tuple[str, ...], bound: float
) -> None:
    """Defect 1: writer.drain() had no time-out; the slot stayed taken for ever."""
    srv = serve("--software", "postfix", "--hostname", "mx.example", "--max-connections", "1", *limits)
    stop, sent = threading.Event(), threading.Event()
    t = threading.Thread(target=flood_without_reading, args=(srv.port, stop, sent), daemon=True)
    t.start()
    time.sleep(0.3)
    with socket.create_connection(("127.0.0.1", srv.port), timeout=30) as s:  # the slot is taken
        assert s.recv(1024) == b"421 4.7.0 mx.example Error: too many connections\r\n"
    assert sent.wait(60)
    greeting, waited = greeting_when_free(srv.port, time.monotonic() + bound + 30)
    stop.set()
    t.join(10)
    assert greeting.startswith(b"220 mx.example ESMTP Postfix"), greeting
    assert waited < bound + 10, f"slot freed {waited:.1f} s after the flood (limit {bound} s)"


def test_max_session_ends_a_chatty_session(serve: ServeFactory) -> None:
    """A client that keeps talking (never idle) is still cut at --max-session."""
    srv = serve("--software", "exim", "--hostname", "mx.example", "--max-session", "1.5")
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
        f = s.makefile("rb")
        f.readline()
        s.sendall(b"EHLO a.example\r\n")
        last = b""
        while time.monotonic() - t0 < 15:
            line = f.readline()
            if not line:
                break
            last = line
            if line.startswith(b"250 "):
                time.sleep(0.2)
                s.sendall(b"RSET\r\n")
    assert last == b"421 mx.example: SMTP command timeout - closing connection\r\n"
    assert time.monotonic() - t0 < 8


@pytest.mark.parametrize(
    ("software", "before", "expected"),
    [
        ("exim", b"EHLO a.example\r\n", b"421 mx.example: Service not available - closing connection\r\n"),
        (
            "exim",
            b"EHLO a.example\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<postmaster@example.net>\r\nDATA\r\n",
            b"421 mx.example Service not available - SIGTERM or SIGINT received - closing connection.\r\n",
        ),
        ("postfix", b"EHLO a.example\r\n", b""),  # smtpd has no SIGTERM handler: it just goes
    ],
    ids=["exim-command", "exim-data", "postfix"],
)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stop_tells_connected_clients_then_exits_0(
    serve: ServeFactory, software: str, before: bytes, expected: bytes, sig: signal.Signals
) -> None:
    """Defect 3: Ctrl-C and SIGTERM did nothing while a client was connected."""
    srv = serve("--software", software, "--hostname", "mx.example", "--tls", "none")
    lazy = socket.create_connection(("127.0.0.1", srv.port), timeout=5)  # connected, never reads
    lazy.sendall(b"EHLO lazy.example\r\n")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
        f = s.makefile("rb")
        f.readline()
        for command in before.splitlines(keepends=True):  # one at a time: Exim checks sync
            s.sendall(command)
            while (line := f.readline())[3:4] != b" ":
                assert line, "closed early"
        time.sleep(0.2)
        t0 = time.monotonic()
        srv.proc.send_signal(sig)
        rest = f.read()
        assert srv.proc.wait(timeout=10) == 0
    lazy.close()
    assert rest == expected
    assert time.monotonic() - t0 < 5
    assert wait_for_output(srv, "stopped after 2 session(s) (2 open at the stop)")


def test_starttls_without_handshake_is_held_to_the_idle_timeout(serve: ServeFactory) -> None:
    """Defect 4: after "220 TLS go ahead" a silent client held the connection for ever."""
    srv = serve(str(SCEN / "exim-submission-starttls.yml"), "--idle-timeout", "1", "--max-session", "60")
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", srv.port), timeout=20) as s:
        f = s.makefile("rb")
        f.readline()
        s.sendall(b"EHLO a.example\r\n")
        while (line := f.readline())[3:4] != b" ":
            assert line, "closed early"
        s.sendall(b"STARTTLS\r\n")
        line = f.readline()
        assert line == b"220 TLS go ahead\r\n"
        assert f.read() == b""  # no handshake: dropped without a word (nothing plain after 220)
    assert time.monotonic() - t0 < 6


def test_implicit_tls_handshake_is_held_to_the_session_limit(serve: ServeFactory) -> None:
    """Defect 4, port 465: the handshake counts against --max-session too."""
    srv = serve(str(SCEN / "postfix-no-auth-465.yml"), "--idle-timeout", "60", "--max-session", "1")
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", srv.port), timeout=20) as s:
        assert s.recv(1024) == b""  # silent client: no greeting in plain text, then dropped
    assert time.monotonic() - t0 < 6


def _no_verify() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    return ctx


def test_tls_required_scenario_is_served_as_written(serve: ServeFactory) -> None:
    """Defect 6: without --tls-cert a ``tls: required`` scenario silently became another one."""
    srv = serve(str(SCEN / "postfix-no-auth-587.yml"))
    assert wait_for_output(srv, "throw-away self-signed certificate for mail.example.net")
    with smtplib.SMTP("127.0.0.1", srv.port, timeout=10) as s:
        s.ehlo("laptop.example")
        assert s.has_extn("starttls")
        assert s.mail("alice@example.net") == (530, b"5.7.0 Must issue a STARTTLS command first")
        assert s.starttls(context=_no_verify())[0] == 220
        s.ehlo("laptop.example")
        assert s.mail("alice@example.net")[0] == 250
        code, text = s.rcpt("bob@elsewhere.example")
    replayed = smtpsim.run_scenario(smtpsim.load_scenario(str(SCEN / "postfix-no-auth-587.yml")))
    want = next(st.reply for st in replayed.steps if st.send == "RCPT TO:<bob@elsewhere.example>")
    assert [f"{code} {text.decode()}"] == list(want)  # what replay shows for the same file
    assert code == 554


@pytest.mark.parametrize("name", ["exim-auth-465", "postfix-auth-465"])
def test_port_465_scenarios_speak_implicit_tls(serve: ServeFactory, name: str) -> None:
    """Defect 6: *-465.yml could not be served; every client failed the handshake."""
    srv = serve(str(SCEN / f"{name}.yml"))
    assert wait_for_output(srv, "with implicit TLS")
    with smtplib.SMTP_SSL("127.0.0.1", srv.port, timeout=10, context=_no_verify()) as s:
        s.ehlo("laptop.example")
        assert not s.has_extn("starttls")
        assert s.login("alice@example.net", "s3cret")[0] == 235
        assert s.sendmail("alice@example.net", ["bob@elsewhere.example"], MSG) == {}


def queue_ids(port: int, sessions: int, accepted: bytes) -> list[bytes]:
    """One message in each of *sessions* sessions; the queue id each 250 names (group 1 of *accepted*)."""
    ids = []
    for _ in range(sessions):
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
            s.ehlo("laptop.example")
            s.mail("alice@example.net")
            s.rcpt("postmaster@example.net")
            code, text = s.data(MSG)
            assert code == 250
            m = re.fullmatch(accepted, text)
            assert m, text
            ids.append(m.group(1))
    return ids


def test_live_clock_and_fresh_queue_ids(serve: ServeFactory) -> None:
    """Defect 9: every session showed the same date and the same first queue id."""
    srv = serve("--software", "exim", "--tls", "none")
    ids = queue_ids(srv.port, 3, rb"OK id=(\w{6}-\w{6}-\w{2})")
    assert len(set(ids)) == 3, ids
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
        banner = s.recv(1024).decode()
    m = re.fullmatch(r"220 mail\.example\.net ESMTP Exim 4\.96 (.+)\r\n", banner)
    assert m, banner
    banner_date = _dt.datetime.strptime(m.group(1), "%a, %d %b %Y %H:%M:%S %z")
    assert abs((banner_date - _dt.datetime.now(_dt.UTC)).total_seconds()) < 60
    assert EximReplies.S220_GREETING.texts[0].startswith("{host} ESMTP Exim 4.96")


def test_first_queue_ids_differ_across_postfix_sessions(serve: ServeFactory) -> None:
    srv = serve("--software", "postfix", "--tls", "none")
    ids = queue_ids(srv.port, 2, rb"2\.0\.0 Ok: queued as ([0-9A-F]{10,12})")
    assert ids[0] != ids[1]
