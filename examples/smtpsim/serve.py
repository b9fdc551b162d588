"""``smtpsim serve``: a real SMTP server on loopback, driven by the same engine.

It never stores, relays or delivers mail (the engine keeps no message text).  Bounds: a
connection limit, an idle time-out, a maximum session length; Ctrl-C stops it cleanly.
STARTTLS is real only when a certificate is given; otherwise TLS is not offered.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import signal
import ssl
import sys
import time
from typing import TextIO

from .config import ServerConfig
from .connection import Connection
from .personalities import get as get_personality


class SMTPServer:
    """An asyncio SMTP listener; each connection gets its own :class:`Connection`."""

    def __init__(
        self,
        config: ServerConfig,
        host: str = "127.0.0.1",
        port: int = 2525,
        max_connections: int = 100,
        idle_timeout: float = 60.0,
        max_session: float = 600.0,
        ssl_context: ssl.SSLContext | None = None,
        log: TextIO | None = None,
    ) -> None:
        if ssl_context is None and config.tls != "none":
            config = dataclasses.replace(config, tls="none")  # cannot do a real handshake
        self.config, self.host, self.port = config, host, port
        self.max_connections, self.idle_timeout, self.max_session = (
            max_connections,
            idle_timeout,
            max_session,
        )
        self.ssl_context, self.log = ssl_context, log
        self.texts = get_personality(config.software).serve_texts  # the real server's 421s
        self.active = 0
        self.served = 0
        self._server: asyncio.base_events.Server | None = None

    def _say(self, msg: str) -> None:
        if self.log:
            print(msg, file=self.log, flush=True)

    async def start(self) -> int:
        self._server = await asyncio.start_server(
            self._client, self.host, self.port, limit=65536, backlog=1024
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def close(self) -> None:
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = self.config.hostname
        peer = writer.get_extra_info("peername") or ("0.0.0.0", 0)
        if self.active >= self.max_connections:
            writer.write(_wire((self.texts.too_many_connections.format(host=host),)))
            with contextlib.suppress(OSError):
                await writer.drain()
            writer.close()
            return
        self.active += 1
        self.served += 1
        try:
            await self._session(reader, writer, peer[0])
        except (OSError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            self.active -= 1
            writer.close()
            with contextlib.suppress(OSError, ssl.SSLError):
                await writer.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, ip: str) -> None:
        conn = Connection(self.config, client_ip=ip)
        writer.write(_wire(conn.start().lines))
        await writer.drain()
        deadline = time.monotonic() + self.max_session
        while not conn.closed:
            left = min(self.idle_timeout, deadline - time.monotonic())
            try:
                data = await asyncio.wait_for(reader.read(65536), timeout=max(left, 0.001))
            except TimeoutError:
                writer.write(_wire((self.texts.idle_timeout.format(host=self.config.hostname),)))
                await writer.drain()
                return
            if not data:
                return
            for ex in conn.receive_data(data):
                for reply in ex.replies:
                    writer.write(_wire(reply.lines))
                    if reply.reason == "tls-ready" and self.ssl_context is not None:
                        await writer.drain()
                        await writer.start_tls(self.ssl_context)
            await writer.drain()


def _wire(lines: tuple[str, ...]) -> bytes:
    return b"".join(ln.encode("latin-1", "replace") + b"\r\n" for ln in lines)


def make_ssl_context(cert: str, key: str) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


def run(server: SMTPServer, out: TextIO = sys.stdout) -> int:
    """Serve until Ctrl-C or SIGTERM; returns the exit status."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        port = await server.start()
        print(
            f"smtpsim: {server.config.software} on {server.host}:{port} "
            f"(never stores or delivers mail; Ctrl-C to stop)",
            file=out,
            flush=True,
        )
        await stop.wait()
        await server.close()
        print(f"smtpsim: stopped after {server.served} session(s)", file=out, flush=True)

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("smtpsim: stopped", file=out, flush=True)
    return 0
