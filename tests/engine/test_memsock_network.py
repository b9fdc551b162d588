"""smtpsim.drivers.memsock's network (issue 18): the in-memory connection fails where the real one
would, with the exception CPython raises on Linux (measured against ``smtpsim serve`` with real TLS
on loopback, CPython 3.13.0), and smtpsim.drivers.tryout words each outcome of the reader's settings."""

from __future__ import annotations

import smtplib
import socket
import ssl

import pytest

from smtpsim import ServerConfig
from smtpsim.drivers.memsock import WRONG_VERSION, Network, run_code, simulated_smtplib
from smtpsim.drivers.tryout import OUTCOMES, fill, try_settings

USER, PASSWORD = "you@yourdomain.example", "your-password"
CONFIG = ServerConfig(
    hostname="mail.yourdomain.example",
    local_domains=("yourdomain.example",),
    auth="tls-only",
    users={USER: PASSWORD},
)
NET = Network("mail.yourdomain.example", {465: "ssl_tls", 587: "starttls"}, True, frozenset({25}))


def connect(cls_name: str, host: str, port: int, timeout: float | None = 30) -> None:
    with simulated_smtplib(CONFIG, network=NET):
        cls = getattr(smtplib, cls_name)
        with cls(host, port, timeout=timeout) as smtp:
            smtp.noop()


def test_the_right_pairs_connect() -> None:
    connect("SMTP_SSL", "mail.yourdomain.example", 465)
    connect("SMTP", "MAIL.yourdomain.example.", 587)
    connect("SMTP", "mail.my-company.com", 587)  # the placeholder's domain is the reader's own


@pytest.mark.parametrize("host", ["smtp.yourdomain.example", "yourdomain.example", "mial.yourdomain.example"])
def test_a_wrong_name_is_not_found(host: str) -> None:
    with pytest.raises(socket.gaierror) as err:
        connect("SMTP", host, 587)
    assert str(err.value) == "[Errno -2] Name or service not known"


def test_a_closed_port_refuses_and_a_blocked_one_times_out() -> None:
    with pytest.raises(ConnectionRefusedError) as err:
        connect("SMTP", "mail.yourdomain.example", 2525)
    assert str(err.value) == "[Errno 111] Connection refused"
    with pytest.raises(TimeoutError) as timeout:
        connect("SMTP", "mail.yourdomain.example", 25)
    assert str(timeout.value) == "timed out"
    with pytest.raises(TimeoutError) as no_timeout:
        connect("SMTP", "mail.yourdomain.example", 25, timeout=None)
    assert str(no_timeout.value) == "[Errno 110] Connection timed out"


def test_the_wrong_security_for_the_port() -> None:
    with pytest.raises(ssl.SSLError) as err:
        connect("SMTP_SSL", "mail.yourdomain.example", 587)
    assert str(err.value) == WRONG_VERSION
    with pytest.raises(smtplib.SMTPServerDisconnected) as silent:
        connect("SMTP", "mail.yourdomain.example", 465)
    assert str(silent.value) == "Connection unexpectedly closed: timed out"


def test_the_sample_shows_the_exception_without_the_simulators_frames() -> None:
    out = run_code(
        'import smtplib\nsmtplib.SMTP("mial.yourdomain.example", 587, timeout=30)\n', CONFIG, network=NET
    )
    assert out.startswith("Traceback (most recent call last):\n")
    assert out.endswith("socket.gaierror: [Errno -2] Name or service not known\n")
    assert "memsock" not in out


def test_without_a_network_every_host_answers() -> None:
    out = run_code('import smtplib\nprint(smtplib.SMTP("anything.invalid", 1).noop()[0])\n', CONFIG)
    assert out == "250\n"


BASE = {
    "host": "mail.yourdomain.example",
    "port": 465,
    "security": "ssl_tls",
    "user": USER,
    "password": PASSWORD,
    "recipient": "friend@other-provider.example",
}


@pytest.mark.parametrize(
    ("change", "outcome", "reply"),
    [
        ({}, "sent", "250 OK id="),
        ({"port": 587, "security": "starttls"}, "sent", "250 OK id="),
        ({"user": ""}, "recipient_refused", "550 relay not permitted"),
        ({"password": "wrong"}, "auth_failed", "535 Incorrect authentication data"),
        ({"port": 587, "security": "none"}, "auth_not_offered", ""),
        ({"port": 587, "security": "none", "auto_starttls": True}, "sent", "250 OK id="),
        ({"port": 587}, "tls_on_plain_port", ""),
        ({"security": "starttls"}, "no_greeting", ""),
        ({"port": 25, "security": "starttls"}, "port_blocked", ""),
        ({"port": 2525}, "port_closed", ""),
        ({"host": "smtp.yourdomain.example"}, "wrong_host", ""),
    ],
)
def test_try_settings_outcomes(change: dict[str, object], outcome: str, reply: str) -> None:
    result = try_settings({**BASE, **change}, CONFIG, NET)
    assert result["outcome"] == outcome and outcome in OUTCOMES
    assert result["reply"].startswith(reply)
    assert all(PASSWORD not in row["line"] for row in result["dialogue"])


def test_the_dialogue_hides_the_sign_in_and_fill_words_the_reply() -> None:
    result = try_settings({**BASE, "password": "wrong"}, CONFIG, NET)
    client = [row["line"] for row in result["dialogue"] if row["who"] == "C"]
    assert client[0].lower().startswith("ehlo") and client[-1] == "QUIT"
    assert "AUTH PLAIN (your user name and password, encoded)" in client
    assert fill("Invalid login: {reply}", result) == "Invalid login: 535 Incorrect authentication data"
    assert fill("({code}, b'{text}') {other}", result) == "(535, b'Incorrect authentication data') {other}"
    with pytest.raises(ValueError, match="security"):
        try_settings({**BASE, "security": "tls"}, CONFIG, NET)
