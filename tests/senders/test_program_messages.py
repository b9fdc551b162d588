"""The programs' messages of data/senders.yml (what "What you may see" and "Try your settings" show,
issue 18) are what the real libraries print: the page's PHPMailer, Symfony Mailer and nodemailer
samples run against ``smtpsim serve`` on loopback with each mistake, and their output equals the
message for the outcome the in-memory dialogue (smtpsim.drivers.tryout) gives for the same mistake,
filled with the real run's host, port and address."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any

import pytest
from test_samples import _missing, run

from macros.clients_schema import PortOption, Security
from macros.clients_schema import load_file as load_clients
from macros.sender_tryout import working_settings
from macros.senders import RECIPIENT, render_sample, simulated_network, simulated_server
from macros.senders_schema import load_file
from smtpsim import server_config_from_dict
from smtpsim.drivers.memsock import Network
from smtpsim.drivers.tryout import fill, try_settings
from support.sample_servers import PASSWORD, ROOT, USER, Servers

pytestmark = pytest.mark.slow  # runs PHP and Node a dozen times

PROVIDER = load_clients(ROOT / "data" / "clients.yml").providers[0]
PROGRAMS = {p.id: p for s in load_file().senders for p in s.programs}
SAMPLES = {x.id: x for s in load_file().senders for x in s.samples}
#: mistake -> (what the in-memory dialogue changes, what the real run changes)
MISTAKES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "no-sign-in": ({"user": "", "password": ""}, {"sign_in": False}),
    "wrong-password": ({"password": "not-the-password"}, {"password": "not-the-password"}),
    "ssl-on-starttls-port": ({"port": 587, "security": "ssl_tls"}, {"security": "ssl_tls"}),
    "port-closed": ({"port": 2525}, {"port": "closed"}),
    "wrong-host": ({"host": "mial.yourdomain.example"}, {"host": "mial.yourdomain.invalid"}),
}


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def simulated(change: dict[str, Any]) -> dict[str, Any]:
    settings = working_settings(PROVIDER, USER, PASSWORD, RECIPIENT)
    config = server_config_from_dict(simulated_server(PROVIDER), "<test>")
    return try_settings({**settings, **change}, config, Network.from_dict(simulated_network(PROVIDER)))


def normal(line: str) -> str:
    """OpenSSL's error queue prefix (a thread id) differs on every run."""
    return re.sub(r"^Not sent: [0-9A-F]{8,}:error:", "Not sent: <id>:error:", line)


@pytest.mark.parametrize("program_id", ["phpmailer", "symfony-mailer", "nodemailer"])
@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_the_message_is_what_the_library_prints(
    program_id: str, mistake: str, servers: Servers, tmp_path: Path
) -> None:
    sample = SAMPLES[program_id]
    reason = _missing(sample)
    if reason:
        pytest.skip(reason)
    in_memory, real = MISTAKES[mistake]
    result = simulated(in_memory)
    message = next((m for m in PROGRAMS[program_id].messages if m.outcome == result["outcome"]), None)
    assert message is not None, f"{program_id} has no message for {result['outcome']}"
    host = real.get("host", "localhost")
    port = closed_port() if real.get("port") == "closed" else servers.starttls_port
    security = Security(real.get("security", "starttls"))
    code = render_sample(
        sample,
        PROVIDER,
        host=host,
        port=port,
        sign_in=real.get("sign_in", True),
        option=PortOption(port=1, security=security),
    )
    if "password" in real:
        code = code.replace(PASSWORD, real["password"])
    printed = run(sample, code, tmp_path, servers.cert)
    expected = fill(message.text, {**result, "host": host, "port": port, "address": "127.0.0.1"})
    assert [normal(x) for x in printed] == [normal(x) for x in expected.splitlines()], (
        mistake,
        result["outcome"],
    )


@pytest.mark.parametrize(
    ("change", "sample_change"),
    [
        ({"user": "", "password": ""}, {"sign_in": False}),
        ({"password": "not-the-password"}, {"password": "not-the-password"}),
        ({"port": 587, "security": "none"}, {"port": 587, "security": "none"}),
        ({"port": 587, "security": "ssl_tls"}, {"port": 587, "security": "ssl_tls"}),
        ({"port": 465, "security": "starttls"}, {"port": 465, "security": "starttls"}),
        ({"port": 2525}, {"port": 2525}),
        ({"port": 25, "security": "starttls"}, {"port": 25, "security": "starttls"}),
        ({"host": "mial.yourdomain.example"}, {"host": "mial.yourdomain.example"}),
    ],
    ids=lambda x: ",".join(f"{k}={v}" for k, v in x.items()),
)
def test_the_python_messages_are_what_the_sample_prints(
    change: dict[str, Any], sample_change: dict[str, Any]
) -> None:
    """The Python page's sample, run through memsock with SmartHost's network (what its Run button
    does), prints the smtplib message of the outcome (a traceback's last line when it stops)."""
    from smtpsim.drivers.memsock import run_code

    result = simulated(change)
    message = next(m for m in PROGRAMS["smtplib"].messages if m.outcome == result["outcome"])
    security = Security(sample_change.get("security", PROVIDER.recommended.security))
    code = render_sample(
        SAMPLES["smtplib"],
        PROVIDER,
        host=sample_change.get("host"),
        port=sample_change.get("port"),
        sign_in=sample_change.get("sign_in", True),
        option=PortOption(port=PROVIDER.recommended.port, security=security),
    )
    code = code.replace(f'"{PASSWORD}"', f'"{sample_change.get("password", PASSWORD)}"')
    config = server_config_from_dict(simulated_server(PROVIDER), "<test>")
    printed = run_code(code, config, network=Network.from_dict(simulated_network(PROVIDER)))
    assert printed.splitlines()[-1] == fill(message.text, result)
