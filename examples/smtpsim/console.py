"""A line-at-a-time session for the browser's live console (and ``smtpsim shell``)."""

from __future__ import annotations

from typing import Any

from .config import ServerConfig, server_config_from_dict
from .connection import Connection
from .personality import DEFAULT_CLIENT_PORT


class Console:
    """``Console(server_mapping).start()`` then ``send(line)`` for each typed line."""

    def __init__(
        self,
        server: dict[str, Any],
        client_ip: str = "192.0.2.10",
        client_tls: bool = False,
        client_port: int = DEFAULT_CLIENT_PORT,
    ) -> None:
        self.conn = Connection(
            server_config_from_dict(server, "<console>"), client_ip, client_tls, client_port=client_port
        )
        self.last_reasons: list[str] = []

    @classmethod
    def from_config(
        cls, config: ServerConfig, client_ip: str = "192.0.2.10", client_tls: bool = False
    ) -> Console:
        """A console for an already validated configuration (``smtpsim shell --scenario``)."""
        con = cls.__new__(cls)
        con.conn = Connection(config, client_ip, client_tls)
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
        data = line.rstrip("\r\n").encode("utf-8") + b"\r\n"  # what a modern client sends
        replies = [r for ex in self.conn.receive_data(data) for r in ex.replies]
        self.last_reasons = [r.reason for r in replies]
        return [ln for r in replies for ln in r.lines]
