"""Helpers for running the pages' code samples against ``smtpsim serve`` on loopback.

A throw-away certificate for ``localhost`` (openssl), an Exim-personality server with real STARTTLS,
and a TLS front for implicit TLS (port 465 style: TLS from the first byte, RFC 8314 §3) that passes
the bytes to a second server. The samples verify the certificate as they would in real use: Python
through SSL_CERT_FILE, Node through NODE_EXTRA_CA_CERTS, PHP through openssl.cafile.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path

from support.smtpsim_serve import Served, make_certificate, start_serve

ROOT = Path(__file__).resolve().parents[2]

USER, PASSWORD, DOMAIN = "you@yourdomain.example", "your-password", "yourdomain.example"


@dataclass(frozen=True)
class Servers:
    cert: Path
    starttls_port: int  # STARTTLS offered (RFC 3207), AUTH after it
    implicit_port: int  # TLS from the first byte, then plain SMTP to a second server


def _start_serve(*args: str, tmpdir: Path) -> Served:
    """An Exim-personality server that knows the samples' mailbox and password."""
    return start_serve(
        "--software", "exim", "--hostname", f"mail.{DOMAIN}", "--local-domain", DOMAIN,
        "--user", f"{USER}:{PASSWORD}", *args, tmpdir=tmpdir,
    )  # fmt: skip


class TLSFront:
    """An implicit-TLS listener on loopback that relays to *upstream* (a thread with its own loop)."""

    def __init__(self, cert: Path, key: Path, upstream: int) -> None:
        self.ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ctx.load_cert_chain(cert, key)
        self.upstream = upstream
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.port = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.ready.wait(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", 0, ssl=self.ctx)
        )
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()
        server.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, ssl.SSLError, ConnectionError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            with contextlib.suppress(OSError, ssl.SSLError, RuntimeError):
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def start_servers(tmp: Path, scratch: Path) -> tuple[Servers, list[Served], TLSFront]:
    """A STARTTLS server and an implicit-TLS front for a second one, with a fresh certificate;
    ``scratch``: the servers' ``$TMPDIR``."""
    cert, key = make_certificate(tmp)
    starttls = _start_serve("--tls-cert", str(cert), "--tls-key", str(key), tmpdir=scratch)
    plain = _start_serve(tmpdir=scratch)
    front = TLSFront(cert, key, plain.port)
    return Servers(cert, starttls.port, front.port), [starttls, plain], front
