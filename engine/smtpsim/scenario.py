"""Scenarios: the executable examples shared by pages, the CLI and the tests.

A scenario is a mapping (YAML on disk, JSON in the browser) with keys ``title``, optional
``description``, ``port`` and ``cause`` (the diagnose cause id the dialogue demonstrates, or
``none`` when the server accepts the message), ``server`` (see :mod:`smtpsim.config`), optional ``client``
(``ip``, ``tls``, ``port``: the client's own TCP port, which cPanel's refusal quotes) and ``steps``: one
client line each, or a list of lines written at once
(an RFC 2920 pipelined group).  :func:`scenario_from_dict` needs no PyYAML;
:func:`load_scenario` imports it lazily.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .config import ScenarioError, ServerConfig, client_address, server_config_from_dict
from .connection import Connection
from .personality import DEFAULT_CLIENT_PORT

TOP_KEYS = {"title", "description", "port", "cause", "server", "client", "steps"}
# Caps: a scenario is a page example, not a load generator (JSON from the browser included).
MAX_STEPS = 5000  # client lines in all steps together
MAX_LINE = 65536  # characters in one client line (over-long line tests need > 16384)
MAX_TEXT = 1_000_000  # characters in all steps together


@dataclass(frozen=True)
class Scenario:
    title: str
    server: ServerConfig
    steps: tuple[tuple[str, ...], ...]  # groups of lines; a 1-tuple is a plain step
    client_ip: str = "192.0.2.10"
    client_tls: bool = False
    port: int | None = None
    description: str = ""
    source: str = "<scenario>"
    cause: str | None = None
    client_port: int = DEFAULT_CLIENT_PORT


@dataclass(frozen=True)
class Step:
    """One client line and what the server said (``send`` None: the greeting)."""

    send: str | None
    reply: tuple[str, ...]
    reason: str | None
    code: int | None
    closed: bool = False


@dataclass
class Transcript:
    steps: list[Step] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``python -m smtpsim replay --json`` prints."""
        return {"steps": [{"send": s.send, "reply": list(s.reply)} for s in self.steps]}


def _line(source: str, key: str, v: Any) -> str:
    if not isinstance(v, str) or "\r" in v or "\n" in v:
        raise ScenarioError(source, key, f"expected one line of text, got {v!r}")
    if len(v) > MAX_LINE:
        raise ScenarioError(source, key, f"a line of {len(v)} characters (at most {MAX_LINE})")
    return v


def scenario_from_dict(d: Any, source: str = "<scenario>") -> Scenario:
    """Validate a scenario mapping (no PyYAML needed)."""
    if not isinstance(d, dict):
        raise ScenarioError(source, "(top)", "expected a mapping")
    for k in d:
        if k not in TOP_KEYS:
            raise ScenarioError(source, str(k), "unknown key")
    for k in ("title", "server", "steps"):
        if k not in d:
            raise ScenarioError(source, k, "missing")
    title = _line(source, "title", d["title"])
    desc = d.get("description", "")
    if not isinstance(desc, str):
        raise ScenarioError(source, "description", "expected text")
    port = d.get("port")
    if port is not None and (not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536):
        raise ScenarioError(source, "port", f"expected a TCP port number, got {port!r}")
    cause = d.get("cause")
    # which cause ids exist is the help centre's knowledge: macros/scenarios.py checks them
    if cause is not None and not isinstance(cause, str):
        raise ScenarioError(source, "cause", "expected a cause id")
    server = server_config_from_dict(d["server"], source)
    client = d.get("client", {})
    if not isinstance(client, dict):
        raise ScenarioError(source, "client", "expected a mapping")
    ip, tls, cport = "192.0.2.10", False, DEFAULT_CLIENT_PORT
    for k, v in client.items():
        if k == "ip":
            ip = client_address(v, source, "client.ip")
        elif k == "tls":
            if not isinstance(v, bool):
                raise ScenarioError(source, "client.tls", "expected true or false")
            tls = v
        elif k == "port":
            if not isinstance(v, int) or isinstance(v, bool) or not 0 < v < 65536:
                raise ScenarioError(source, "client.port", f"expected a TCP port number, got {v!r}")
            cport = v
        else:
            raise ScenarioError(source, f"client.{k}", "unknown key")
    steps = d["steps"]
    if not isinstance(steps, list) or not steps:
        raise ScenarioError(source, "steps", "expected a non-empty list")
    groups: list[tuple[str, ...]] = []
    count = chars = 0
    for i, s in enumerate(steps):
        key = f"steps[{i}]"
        if isinstance(s, list):
            if not s:
                raise ScenarioError(source, key, "an empty pipelined group")
            group = tuple(_line(source, f"{key}[{j}]", x) for j, x in enumerate(s))
        else:
            group = (_line(source, key, s),)
        count += len(group)
        chars += sum(len(x) for x in group)
        if count > MAX_STEPS or chars > MAX_TEXT:
            raise ScenarioError(
                source, key, f"too many steps (at most {MAX_STEPS} lines, {MAX_TEXT} characters)"
            )
        groups.append(group)
    return Scenario(title, server, tuple(groups), ip, tls, port, desc, source, cause, cport)


def load_scenario(path: str) -> Scenario:
    """Read a scenario YAML file; errors name the file, the line and the key."""
    from .scenario_file import line_of, read_yaml  # lazily: PyYAML is not part of the engine

    data, lines = read_yaml(path)
    try:
        return scenario_from_dict(data, source=path)
    except ScenarioError as e:
        raise e.at_line(e.line or line_of(e.key, lines)) from None


def run_scenario(
    sc: Scenario,
    date_provider: Callable[[], _dt.datetime] | None = None,
    queue_id_provider: Callable[[], str] | None = None,
) -> Transcript:
    """Play the scenario against a fresh :class:`Connection`."""
    conn = Connection(
        sc.server, sc.client_ip, sc.client_tls, date_provider, queue_id_provider, client_port=sc.client_port
    )
    hello = conn.start()
    t = Transcript([Step(None, hello.lines, hello.reason, hello.code, hello.close)])
    for group in sc.steps:
        data = b"".join(line.encode("utf-8") + b"\r\n" for line in group)
        exchanges = conn.receive_data(data)
        for i, line in enumerate(group):
            if i < len(exchanges):
                rs = exchanges[i].replies
                t.steps.append(
                    Step(
                        line,
                        exchanges[i].wire,
                        rs[-1].reason if rs else None,
                        rs[-1].code if rs else None,
                        any(r.close for r in rs),
                    )
                )
            else:
                t.steps.append(Step(line, (), None, None, False))
    return t
