"""``smtpsim serve`` with real clients: smtplib and (from Debian) swaks, over loopback."""

from __future__ import annotations

import re
import signal
import smtplib
import socket
import ssl
import subprocess
from pathlib import Path

import pytest

from support.smtpsim_serve import SCEN, ServeFactory, make_certificate, start_serve, wait_for_output
from support.smtpsim_session import registered

MSG = "From: alice@example.net\r\nTo: bob@elsewhere.example\r\nSubject: hi\r\n\r\nHello.\r\n"


def test_smtplib_sees_the_503(serve: ServeFactory) -> None:
    port = serve(str(SCEN / "exim-no-auth.yml")).port
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
        s.ehlo("laptop.example")
        with pytest.raises(smtplib.SMTPRecipientsRefused) as e:
            s.sendmail("alice@example.net", ["bob@elsewhere.example"], MSG)
        assert e.value.recipients == {"bob@elsewhere.example": (550, b"relay not permitted")}
        assert s.mail("alice@example.net")[0] == 250
        assert s.rcpt("bob@elsewhere.example") == (550, b"relay not permitted")
        assert s.docmd("DATA") == (
            503,
            (
                b"All RCPT commands were rejected with this error:\n"
                b"relay not permitted\nValid RCPT command must precede DATA"
            ),
        )


def test_smtplib_login_then_send(serve: ServeFactory) -> None:
    port = serve(str(SCEN / "postfix-auth.yml")).port
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
        s.ehlo("laptop.example")
        assert s.login("alice@example.net", "s3cret")[0] == 235
        assert s.sendmail("alice@example.net", ["bob@elsewhere.example"], MSG) == {}


def test_smtplib_wrong_password(serve: ServeFactory) -> None:
    port = serve("--software", "exim", "--user", "alice@example.net:s3cret").port
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
        s.ehlo("laptop.example")
        with pytest.raises(smtplib.SMTPAuthenticationError) as e:
            s.login("alice@example.net", "nope")
        assert e.value.smtp_code == 535


def swaks(port: int, *options: str) -> subprocess.CompletedProcess[str]:
    """Debian's swaks sending alice's message to bob through the server on *port*."""
    cmd = ["swaks", "--server", f"127.0.0.1:{port}", "--helo", "laptop.example", "--timeout", "10",
           "--from", "alice@example.net", "--to", "bob@elsewhere.example", *options]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def test_swaks_pipelined_relay_attempt(serve: ServeFactory) -> None:
    out = swaks(serve(str(SCEN / "exim-no-auth.yml")).port, "--pipeline").stdout
    assert "550 relay not permitted" in out
    assert "503 Valid RCPT command must precede DATA" in out


def test_swaks_authenticated_send(serve: ServeFactory) -> None:
    port = serve(str(SCEN / "exim-auth.yml")).port
    p = swaks(port, "--auth", "PLAIN", "--auth-user", "alice@example.net", "--auth-password", "s3cret")
    assert "235 Authentication succeeded" in p.stdout
    assert re.search(r"250 OK id=\w{6}-\w{6}-\w{2}", p.stdout), p.stdout
    assert p.returncode == 0


def test_connection_limit(serve: ServeFactory) -> None:
    port = serve("--software", "postfix", "--hostname", "mx.example", "--max-connections", "1").port
    first = socket.create_connection(("127.0.0.1", port), timeout=10)
    assert first.recv(1024).startswith(b"220 mx.example")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as second:
        assert second.makefile("rb").read() == b"421 4.7.0 mx.example Error: too many connections\r\n"
    first.close()


def test_idle_timeout(serve: ServeFactory) -> None:
    port = serve("--software", "exim", "--hostname", "mx.example", "--idle-timeout", "0.3").port
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        data = s.makefile("rb").read()  # until the server hangs up
    assert data.splitlines()[-1] == b"421 mx.example: SMTP command timeout - closing connection"


def test_sendmail_idle_timeout_names_the_client(serve: ServeFactory) -> None:
    """Sendmail ends an idle session as a lost channel, naming the client (srvrsmtp.c)."""
    served = serve("--software", "sendmail", "--hostname", "mx.example", "--idle-timeout", "0.3")
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as s:
        data = s.makefile("rb").read()
    assert data.splitlines()[0].startswith(b"220 mx.example ESMTP Sendmail 8.17.1.9/")
    assert data.splitlines()[-1] == b"421 4.4.1 mx.example Lost input channel from [127.0.0.1]"


def test_ctrl_c_stops_cleanly(serve: ServeFactory) -> None:
    served = serve("--software", "exim")
    with smtplib.SMTP("127.0.0.1", served.port, timeout=10) as s:
        assert s.noop()[0] == 250
    served.proc.send_signal(signal.SIGINT)
    assert served.proc.wait(timeout=10) == 0
    assert wait_for_output(served, "stopped")


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"])
def test_every_stop_signal_says_421_and_removes_the_throwaway_key(tmp_path: Path, signame: str) -> None:
    """Issue 21 #5: the throw-away certificate's private key is never left behind (deleted once
    loaded, its directory removed at stop), and SIGHUP/SIGQUIT stop ``serve`` as SIGTERM does."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    served = start_serve("--software", "exim", "--hostname", "mx.example", tmpdir=scratch)
    try:
        assert wait_for_output(served, "throw-away self-signed certificate")
        (made,) = scratch.iterdir()
        assert made.name.startswith("smtpsim-tls-")
        assert sorted(p.name for p in made.iterdir()) == ["cert.pem"]  # no key.pem on disk
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as s:
            f = s.makefile("rb")
            assert f.readline().startswith(b"220 mx.example ESMTP Exim")
            served.proc.send_signal(getattr(signal, signame))
            assert f.read() == b"421 mx.example: Service not available - closing connection\r\n"
        assert served.proc.wait(timeout=10) == 0
    finally:
        served.stop()
    assert list(scratch.iterdir()) == []


def test_real_starttls_with_a_certificate(serve: ServeFactory, tmp_path: Path) -> None:
    cert, key = make_certificate(tmp_path)
    port = serve(
        str(SCEN / "exim-submission-starttls.yml"), "--tls-cert", str(cert), "--tls-key", str(key)
    ).port
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
        s.ehlo("laptop.example")
        assert not s.has_extn("auth") and s.has_extn("starttls")
        assert s.starttls(context=ctx)[0] == 220
        s.ehlo("laptop.example")
        assert s.has_extn("auth") and not s.has_extn("starttls")
        assert s.login("alice@example.net", "s3cret")[0] == 235


@pytest.mark.parametrize("software", registered())
def test_every_server_is_served(serve: ServeFactory, software: str) -> None:
    """``serve --software X`` for every personality of the registry: a real client gets its
    greeting, its EHLO answer and its goodbye over a socket."""
    port = serve("--software", software, "--hostname", "mx.example", "--tls", "none").port
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
        code, banner = s.ehlo("laptop.example")
        assert code == 250 and banner
        assert s.noop()[0] == 250
        assert s.docmd("QUIT")[0] == 221
