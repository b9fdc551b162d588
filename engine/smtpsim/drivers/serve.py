"""``smtpsim serve``: a real SMTP server on loopback, driven by the same engine.

It never stores, relays or delivers mail (the engine keeps no message text).  Every session is
held to the limits, whatever the client does (RFC 5321 §4.5.3.2 time-outs):

* ``idle_timeout`` bounds every wait: each read, each write to a client that does not read
  (a full socket buffer), and each TLS handshake;
* ``max_session`` bounds the whole session, handshakes included;
* ``max_connections`` bounds concurrent sessions (handshakes in progress count).

STARTTLS and implicit TLS (port 465) are real handshakes.  Unlike ``replay`` (fixed date and ids
so pages stay deterministic), the greeting shows the real clock and every message gets a fresh
queue id in the real server's format.  On SIGINT, SIGTERM, SIGHUP or SIGQUIT every connected
client is told what the real server says when it is stopped, then the process exits 0 (a second
signal drops the clients at once).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as _dt
import itertools
import os
import signal
import ssl
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TextIO, TypeVar

from ..config import ServerConfig
from ..connection import Connection
from ..machine import State
from ..registry import get as get_personality

T = TypeVar("T")

_FLUSH_GRACE = 1.0  # seconds a last 421 may take to leave before the connection is dropped


def serve_text(software: str, key: str, host: str, ip: str = "") -> bytes | None:
    """A serve-time line of the personality's registry entry (``None``: the server says nothing);
    ``{host}`` is the server's name, ``{ip}`` the client's address."""
    texts = get_personality(software).serve_texts
    text = getattr(texts, key)
    if text is None and key.startswith("data_"):
        text = getattr(texts, key[5:])
    return None if text is None else (text.format(host=host, ip=ip) + "\r\n").encode("latin-1", "replace")


class LiveIds:
    """Fresh queue ids from the real clock, one "process id" per session (as each real
    Exim session is its own process); ids never repeat within one server."""

    def __init__(self, software: str, clock: Callable[[], float] = time.time) -> None:
        self.software, self.clock = software, clock
        self._format = get_personality(software).factory.live_queue_id
        self._pids = itertools.count(os.getpid() * 7 % 60000 + 1000)
        self._inode = itertools.count(int.from_bytes(os.urandom(3), "big") | 0x100000)
        self._seen: set[str] = set()

    def for_session(self) -> Callable[[], str]:
        pid = next(self._pids)

        def new_id() -> str:
            while True:
                t = self.clock()
                sec, usec = int(t), int(t % 1 * 1_000_000)
                qid = self._format(sec, usec, pid, self._inode.__next__)
                if qid not in self._seen:
                    if len(self._seen) > 100_000:
                        self._seen.clear()
                    self._seen.add(qid)
                    return qid
                time.sleep(0.0005)

        return new_id


@dataclass(eq=False)
class _Session:
    conn: Connection
    writer: asyncio.StreamWriter
    in_handshake: bool = False
    done: asyncio.Event = field(default_factory=asyncio.Event)


class SessionTimeout(Exception):
    """The idle time-out or the session limit ran out (``data``: in the DATA phase)."""


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
        implicit_tls: bool = False,
        live: bool = True,
    ) -> None:
        if ssl_context is None and (implicit_tls or config.tls != "none"):
            raise ValueError("TLS is offered or implicit: an ssl_context is needed")
        self.config, self.host, self.port = config, host, port
        self.max_connections, self.idle_timeout, self.max_session = (
            max_connections,
            idle_timeout,
            max_session,
        )
        self.ssl_context, self.log, self.implicit_tls = ssl_context, log, implicit_tls
        self.ids = LiveIds(config.software) if live else None
        self.live = live
        self.active = 0
        self.served = 0
        self.refused = 0  # connections turned away at the connection limit
        self.sessions: set[_Session] = set()
        self._server: asyncio.base_events.Server | None = None
        self._stopping = False

    async def start(self) -> int:
        self._server = await asyncio.start_server(
            self._client, self.host, self.port, limit=65536, backlog=1024
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def close(self) -> None:
        """Stop listening and end every session as the real server does when stopped."""
        self._stopping = True
        if self._server:
            self._server.close()
        host = self.config.hostname
        for s in list(self.sessions):
            in_data = s.conn.state is State.DATA
            key = "data_shutdown" if in_data else "shutdown"
            text = serve_text(self.config.software, key, host, s.conn.client_ip)
            if text is not None and not s.in_handshake and not s.writer.is_closing():
                s.writer.write(text)
            s.writer.close()  # flushes what is buffered, then closes
        waits = [asyncio.ensure_future(s.done.wait()) for s in list(self.sessions)]
        if waits:
            _, pending = await asyncio.wait(waits, timeout=_FLUSH_GRACE)
            for w in pending:
                w.cancel()
        self.abort_all()  # a client that does not read: drop it

    def abort_all(self) -> None:
        """Drop every connected client without a word."""
        for s in list(self.sessions):
            s.writer.transport.abort()

    # ------------------------------------------------------------------ sessions
    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._stopping:
            writer.transport.abort()
            return
        if self.active >= self.max_connections:
            self.refused += 1
            writer.write(
                serve_text(self.config.software, "too_many_connections", self.config.hostname) or b""
            )
            await _flush_and_close(writer)
            return
        self.active += 1
        self.served += 1
        peer = writer.get_extra_info("peername") or ("0.0.0.0", 0)
        session = _Session(self._connection(peer[0]), writer)
        self.sessions.add(session)
        try:
            async with asyncio.timeout(self.max_session):
                await self._session(reader, session)
        except (SessionTimeout, TimeoutError):
            if not session.in_handshake and not writer.is_closing():
                in_data = session.conn.state is State.DATA
                key = "data_idle_timeout" if in_data else "idle_timeout"
                text = serve_text(self.config.software, key, self.config.hostname, session.conn.client_ip)
                writer.write(text or b"")
            await _flush_and_close(writer)
        except (OSError, asyncio.IncompleteReadError, ssl.SSLError):
            writer.transport.abort()
        finally:
            self.active -= 1
            self.sessions.discard(session)
            session.done.set()
            if not writer.is_closing():
                writer.close()
            with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
                await asyncio.wait_for(writer.wait_closed(), _FLUSH_GRACE)
            writer.transport.abort()

    def _connection(self, ip: str) -> Connection:
        if not self.live:
            return Connection(self.config, ip, self.implicit_tls)
        assert self.ids is not None
        return Connection(
            self.config,
            ip,
            self.implicit_tls,
            date_provider=lambda: _dt.datetime.now().astimezone(),
            queue_id_provider=self.ids.for_session(),
        )

    async def _bounded(self, aw: Awaitable[T], what: str = "wait") -> T:
        """Await ``aw`` for at most the idle time-out."""
        try:
            return await asyncio.wait_for(aw, timeout=self.idle_timeout)
        except TimeoutError:
            raise SessionTimeout(what) from None

    async def _handshake(self, reader: asyncio.StreamReader, s: _Session) -> None:
        """A TLS handshake under the same limits as any other wait."""
        assert self.ssl_context is not None
        # Plain text that arrived before the handshake is not trusted (RFC 3207 §5): drop it before
        # the handshake, not after (a client may send EHLO in the same instant the handshake ends;
        # nodemailer does, and clearing afterwards lost that EHLO and hung the session).
        buf = getattr(reader, "_buffer", None)
        if buf:
            buf.clear()
        s.in_handshake = True
        await self._bounded(s.writer.start_tls(self.ssl_context), "handshake")
        s.in_handshake = False

    async def _session(self, reader: asyncio.StreamReader, s: _Session) -> None:
        conn, writer = s.conn, s.writer
        if self.implicit_tls:
            await self._handshake(reader, s)
        writer.write(_wire(conn.start().lines))
        await self._bounded(writer.drain(), "write")
        while not conn.closed:
            data = await self._bounded(reader.read(65536), "read")
            if not data:
                return
            for ex in conn.receive_data(data):
                for reply in ex.replies:
                    writer.write(_wire(reply.lines))
                    if reply.reason == "tls-ready":
                        await self._bounded(writer.drain(), "write")
                        await self._handshake(reader, s)
                # a client that pipelines without reading fills the buffer: bounded here
                await self._bounded(writer.drain(), "write")
            await asyncio.sleep(0)  # a flood of commands must not starve the other sessions


async def _flush_and_close(writer: asyncio.StreamWriter) -> None:
    """Let a last reply leave (briefly), then drop the connection."""
    with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
        await asyncio.wait_for(writer.drain(), _FLUSH_GRACE)
    writer.close()
    with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
        await asyncio.wait_for(writer.wait_closed(), _FLUSH_GRACE)
    writer.transport.abort()


def _wire(lines: tuple[str, ...]) -> bytes:
    return b"".join(ln.encode("latin-1", "replace") + b"\r\n" for ln in lines)


STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)


def run(server: SMTPServer, out: TextIO = sys.stdout, notes: tuple[str, ...] = ()) -> int:
    """Serve until SIGINT (Ctrl-C), SIGTERM, SIGHUP or SIGQUIT; returns the exit status (0)."""

    async def main() -> None:
        stop = asyncio.Event()

        def on_signal() -> None:
            if stop.is_set():  # a second signal: no more waiting for slow clients
                server.abort_all()
            stop.set()

        loop = asyncio.get_running_loop()
        for sig in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, on_signal)
        port = await server.start()
        tls = " with implicit TLS" if server.implicit_tls else ""
        print(
            f"smtpsim: {server.config.software} on {server.host}:{port}{tls} "
            f"(never stores or delivers mail; Ctrl-C to stop)",
            file=out,
            flush=True,
        )
        for note in notes:
            print(f"smtpsim: {note}", file=out, flush=True)
        await stop.wait()
        live = len(server.sessions)
        await server.close()
        print(
            f"smtpsim: stopped after {server.served} session(s) ({live} open at the stop)",
            file=out,
            flush=True,
        )

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("smtpsim: stopped", file=out, flush=True)
    return 0
