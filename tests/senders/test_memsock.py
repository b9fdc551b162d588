"""The Python sample of the sender pages run through ``smtpsim.drivers.memsock`` (the live console's way:
no socket, an in-memory connection to the engine) prints exactly what it prints over a real socket
against ``smtpsim serve`` (tests/senders/test_samples.py) and what the page says."""

from __future__ import annotations

import smtplib

import pytest

from macros.clients_schema import PortOption
from macros.clients_schema import load_file as load_clients
from macros.senders import render_sample
from macros.senders_schema import load_file
from smtpsim import ServerConfig
from smtpsim.drivers.memsock import MemorySocket, run_code, simulated_smtplib
from support.sample_servers import DOMAIN, PASSWORD, ROOT, USER

PROVIDER = load_clients(ROOT / "data" / "clients.yml").providers[0]
SAMPLE = next(x for s in load_file().senders for x in s.samples if x.run == "python")
CONFIG = ServerConfig(
    software="exim",
    hostname=f"mail.{DOMAIN}",
    local_domains=(DOMAIN,),
    auth="offered",
    users={USER: PASSWORD},
)


@pytest.mark.parametrize("option", PROVIDER.ports, ids=lambda o: f"{o.port}-{o.security.value}")
@pytest.mark.parametrize("sign_in", [True, False], ids=["signed-in", "without-sign-in"])
def test_page_sample_in_memory_prints_what_the_page_says(option: PortOption, sign_in: bool) -> None:
    assert SAMPLE.prints is not None
    code = render_sample(SAMPLE, PROVIDER, sign_in=sign_in, option=option)
    expected = SAMPLE.prints.signed_in if sign_in else SAMPLE.prints.without_sign_in
    assert run_code(code, CONFIG).splitlines() == expected


def test_smtplib_is_restored_and_no_socket_is_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a real socket was opened")

    monkeypatch.setattr(socket, "create_connection", no_network)
    before = smtplib.SMTP, smtplib.SMTP_SSL
    with simulated_smtplib(CONFIG), smtplib.SMTP("mail.yourdomain.example", 587) as smtp:
        assert smtp.ehlo("laptop.example")[0] == 250
        assert smtp.starttls()[0] == 220
        assert smtp.login(USER, PASSWORD)[0] == 235
    assert before == (smtplib.SMTP, smtplib.SMTP_SSL)


def test_the_503_dialogue_in_memory() -> None:
    """Without pipelining smtplib stops at the refused RCPT; sending DATA by hand shows Exim's 503."""
    with simulated_smtplib(CONFIG), smtplib.SMTP("mail.yourdomain.example", 25) as smtp:
        smtp.ehlo("laptop.example")
        assert smtp.mail(USER)[0] == 250
        assert smtp.rcpt("friend@other-provider.example") == (550, b"relay not permitted")
        code, text = smtp.docmd("DATA")
        assert code == 503 and text.endswith(b"Valid RCPT command must precede DATA")


def test_a_closed_session_reads_end_of_file() -> None:
    from smtpsim import Connection

    sock = MemorySocket(Connection(CONFIG))
    reader = sock.makefile("rb")
    assert reader.readline().startswith(b"220 ")
    sock.sendall(b"QUIT\r\n")
    assert reader.readline().startswith(b"221 ")
    assert reader.readline() == b""
    with pytest.raises(BrokenPipeError):
        sock.sendall(b"NOOP\r\n")
