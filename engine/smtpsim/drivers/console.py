"""A line-at-a-time session for the browser's live console (and ``smtpsim shell``), and the sessions
table the console's Web Worker runs in Pyodide (``Sessions``)."""

from __future__ import annotations

import json
from typing import Any

from ..config import ServerConfig, client_address, server_config_from_dict
from ..connection import Connection
from ..personality import DEFAULT_CLIENT_PORT


class Console:
    """``Console(server_mapping).start()`` then ``send(line)`` for each typed line."""

    def __init__(
        self,
        server: dict[str, Any],
        client_ip: str = "192.0.2.10",
        client_tls: bool = False,
        client_port: int = DEFAULT_CLIENT_PORT,
    ) -> None:
        config = server_config_from_dict(server, "<console>")
        ip = client_address(client_ip, "<console>", "client_ip")
        self.conn = Connection(config, ip, client_tls, client_port=client_port)
        self.last_reasons: list[str] = []

    @classmethod
    def from_config(
        cls, config: ServerConfig, client_ip: str = "192.0.2.10", client_tls: bool = False
    ) -> Console:
        """A console for an already validated configuration (``smtpsim shell --scenario``)."""
        con = cls.__new__(cls)
        con.conn = Connection(config, client_address(client_ip, "<console>", "client_ip"), client_tls)
        con.last_reasons = []
        return con

    @property
    def closed(self) -> bool:
        return self.conn.closed

    def start(self) -> list[str]:
        reply = self.conn.start()
        self.last_reasons = [reply.reason]
        return list(reply.lines)

    def send(self, line: str) -> list[str]:
        """Reply wire lines for one client line (``[]`` for message lines or after close)."""
        if self.conn.closed:
            self.last_reasons = []
            return []
        data = _client_bytes(line.rstrip("\r\n")) + b"\r\n"
        replies = [r for ex in self.conn.receive_data(data) for r in ex.replies]
        self.last_reasons = [r.reason for r in replies]
        return [ln for r in replies for ln in r.lines]


def _client_bytes(line: str) -> bytes:
    """UTF-8, as a modern client sends; bytes that were not UTF-8 (read with ``surrogateescape``)
    go back as they came, and any other lone surrogate (from JavaScript) becomes ``?``."""
    try:
        return line.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return line.encode("utf-8", "replace")


class Sessions:
    """The browser's live console, as its Web Worker (``docs/assets/js/smtp-worker.js``) drives it:
    sessions by id, arguments and results as JSON text (no Python objects cross into JavaScript).

    Each call returns ``{"lines": [...], "reasons": [...], "closed": bool}``: the server's reply lines,
    the engine's reason code of each reply (the page words them from ``console.json``) and whether
    the server closed the connection. Errors (e.g. settings a personality lacks) raise
    ``ScenarioError`` with the key at fault.
    """

    def __init__(self) -> None:
        self._sessions: dict[str, Console] = {}

    @staticmethod
    def _result(console: Console, lines: list[str]) -> str:
        return json.dumps({"lines": lines, "reasons": list(console.last_reasons), "closed": console.closed})

    def start(self, sid: str, settings_json: str) -> str:
        """Open session *sid*: ``settings_json`` is a console entry of ``console.json``
        (``{"server": {...}, "client_ip": "...", "client_tls": false}``); returns the greeting."""
        settings = json.loads(settings_json)
        console = Console(
            settings["server"],
            client_ip=settings.get("client_ip", "192.0.2.10"),
            client_tls=bool(settings.get("client_tls", False)),
        )
        self._sessions[sid] = console
        return self._result(console, console.start())

    def send(self, sid: str, line: str) -> str:
        """One typed line of session *sid*; returns the replies it caused (none for message text)."""
        console = self._sessions[sid]
        return self._result(console, console.send(line))

    def end(self, sid: str) -> None:
        self._sessions.pop(sid, None)

    def run(self, code: str, server_json: str, network_json: str = "null") -> str:
        """A page's Python sample, its ``smtplib`` talking in memory to a simulator with the settings
        ``server_json``, reachable as ``network_json`` says (``smtpsim.drivers.memsock``; ``null``:
        any host and port); returns what it printed."""
        from .memsock import Network, run_code  # only the sample pages need it

        network = json.loads(network_json)
        config = server_config_from_dict(json.loads(server_json), "<sample>")
        return run_code(code, config, network=Network.from_dict(network) if network else None)

    def try_settings(self, settings_json: str, server_json: str, network_json: str) -> str:
        """ "Try your settings" (``smtpsim.drivers.tryout``): the reader's settings through one
        submission dialogue; returns the outcome, the server's last reply and the dialogue as JSON."""
        from .memsock import Network
        from .tryout import try_settings

        config = server_config_from_dict(json.loads(server_json), "<try>")
        network = Network.from_dict(json.loads(network_json))
        return json.dumps(try_settings(json.loads(settings_json), config, network))
