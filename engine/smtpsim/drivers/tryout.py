""" "Try your settings" on the pages of programs that cannot run in the browser (PHP, .NET, Node.js,
WordPress): one submission dialogue with the reader's host, port, security, user name, password and
recipient, run through :mod:`smtpsim.drivers.memsock` (the same simulated server and network as the
Python sample), recorded line by line, and the outcome that the page words as each program would.

The dialogue is RFC 6409 submission: connect (implicit TLS per RFC 8314 §3 for ``ssl_tls``), EHLO,
STARTTLS for ``starttls`` (RFC 3207), AUTH when a user name is given (RFC 4954), MAIL, RCPT, DATA
(RFC 5321 §3.3). The outcome is one of :data:`OUTCOMES`, with the server's last reply.

>>> from smtpsim import ServerConfig
>>> cfg = ServerConfig(hostname="mail.example.net", local_domains=("example.net",), auth="tls-only",
...                    users={"you@example.net": "pw"})
>>> net = Network("mail.example.net", {465: "ssl_tls", 587: "starttls"})
>>> r = try_settings({"host": "mail.example.net", "port": 587, "security": "starttls",
...                   "user": "you@example.net", "password": "nope", "recipient": "a@b.example"}, cfg, net)
>>> r["outcome"], r["code"], r["reply"]
('auth_failed', 535, '535 Incorrect authentication data')
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from typing import Any

from ..config import ServerConfig
from .memsock import Network, simulated_classes

#: Every outcome, in the order a dialogue meets them.
OUTCOMES = (
    "wrong_host",  # the name does not resolve
    "port_closed",  # nothing listens: connection refused
    "port_blocked",  # dropped on the way: connection timed out
    "tls_on_plain_port",  # SSL/TLS from the start, but the port greets in plain text
    "no_greeting",  # plain connection to an SSL/TLS port: no greeting until the timeout
    "starttls_not_offered",
    "auth_not_offered",  # a user name is given, the server offers no AUTH (e.g. before encryption)
    "auth_failed",
    "sender_refused",
    "recipient_refused",
    "data_refused",
    "sent",
)
SECURITIES = ("ssl_tls", "starttls", "none")
CLIENT_NAME = "your-computer.example"
#: A documentation address (RFC 5737) for the server, where a program prints the address it dialled.
SERVER_ADDRESS = "192.0.2.25"


def _masked(transcript: list[tuple[str, str]]) -> list[dict[str, str]]:
    """The dialogue for the page: the sign-in's encoded user name and password are not shown."""
    rows = []
    last_server = ""
    for who, line in transcript:
        if who == "C" and line.upper().startswith("AUTH "):
            parts = line.split(" ")
            line = " ".join(
                parts[:2] + (["(your user name and password, encoded)"] if len(parts) > 2 else [])
            )
        elif who == "C" and last_server.startswith("334"):
            line = "(your user name or password, encoded)"
        if who == "S":
            last_server = line
        rows.append({"who": who, "line": line})
    return rows


def _reply(code: int, text: bytes | str) -> str:
    body = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return "\n".join(f"{code} {line}" for line in body.splitlines() or [""])


def _dialogue(settings: dict[str, Any], smtp_cls: type, ssl_cls: type) -> tuple[str, int, str]:
    host, port, security = str(settings["host"]).strip(), int(settings["port"]), settings["security"]
    user, password = str(settings.get("user", "")), str(settings.get("password", ""))
    recipient = str(settings["recipient"]).strip()
    try:
        smtp = (ssl_cls if security == "ssl_tls" else smtp_cls)(host, port, CLIENT_NAME, timeout=30)
    except socket.gaierror:
        return "wrong_host", 0, ""
    except ConnectionRefusedError:
        return "port_closed", 0, ""
    except ssl.SSLError:
        return "tls_on_plain_port", 0, ""
    except smtplib.SMTPServerDisconnected:
        return "no_greeting", 0, ""
    except TimeoutError:
        return "port_blocked", 0, ""
    with smtp:
        smtp.ehlo()
        opportunistic = security == "none" and settings.get("auto_starttls") and smtp.has_extn("starttls")
        if security == "starttls" or opportunistic:
            if not smtp.has_extn("starttls"):
                return "starttls_not_offered", 0, ""
            code, text = smtp.starttls()
            smtp.ehlo()
        if user:
            if not smtp.has_extn("auth"):
                return "auth_not_offered", 0, ""
            try:
                code, text = smtp.login(user, password)
            except smtplib.SMTPAuthenticationError as exc:
                return "auth_failed", exc.smtp_code, _reply(exc.smtp_code, exc.smtp_error)
        code, text = smtp.mail(user or "you@" + host.split(".", 1)[-1])
        if code != 250:
            return "sender_refused", code, _reply(code, text)
        code, text = smtp.rcpt(recipient)
        if code not in (250, 251):
            return "recipient_refused", code, _reply(code, text)
        try:
            code, text = smtp.data(b"Subject: Test\r\n\r\nIf this arrives, sending works.\r\n")
        except smtplib.SMTPDataError as exc:
            code, text = exc.smtp_code, exc.smtp_error
        if code != 250:
            return "data_refused", code, _reply(code, text)
        return "sent", code, _reply(code, text)


def try_settings(settings: dict[str, Any], config: ServerConfig, network: Network) -> dict[str, Any]:
    """Run the dialogue for *settings* (``host``, ``port``, ``security``: one of
    :data:`SECURITIES`, ``user``, ``password``, ``recipient``; ``auto_starttls``: with ``none``,
    start TLS anyway when the server offers it, as PHPMailer, Symfony Mailer and nodemailer do by
    default); returns ``{"outcome", "code",
    "reply", "dialogue": [{"who": "C"|"S", "line"}], "host", "port", "user", "recipient",
    "address"}``."""
    if settings.get("security") not in SECURITIES:
        raise ValueError(f"security must be one of {', '.join(SECURITIES)}")
    transcript: list[tuple[str, str]] = []
    smtp_cls, ssl_cls = simulated_classes(config, network=network, transcript=transcript)
    outcome, code, reply = _dialogue(settings, smtp_cls, ssl_cls)
    return {
        "outcome": outcome,
        "code": code,
        "reply": reply,
        "dialogue": _masked(transcript),
        "host": str(settings["host"]).strip(),
        "port": int(settings["port"]),
        "user": str(settings.get("user", "")),
        "recipient": str(settings["recipient"]).strip(),
        "address": SERVER_ADDRESS,
    }


def fill(template: str, result: dict[str, Any]) -> str:
    """A program's message *template* with ``{host}``, ``{port}``, ``{user}``, ``{recipient}``,
    ``{address}``, ``{code}``, ``{reply}`` (the server's reply line(s)) and ``{text}`` (the reply
    without its code) of *result*; other braces stay as they are."""
    reply = str(result.get("reply", ""))
    values = {
        "host": result.get("host", ""),
        "port": result.get("port", ""),
        "user": result.get("user", ""),
        "recipient": result.get("recipient", ""),
        "address": result.get("address", ""),
        "code": result.get("code", ""),
        "reply": reply,
        "text": " ".join(line[4:] for line in reply.splitlines()),
    }
    return re.sub(
        r"\{(host|port|user|recipient|address|code|reply|text)\}", lambda m: str(values[m.group(1)]), template
    )
