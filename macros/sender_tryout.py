"""What a program shows when the server refuses it ("What you may see") and the "Try your settings"
form of the sender pages whose code cannot run in the browser (issue 18).

Both run the same dialogue: :func:`smtpsim.drivers.tryout.try_settings` over the simulated network
and server of the provider (``macros.senders.simulated_network``/``simulated_server``, from
``data/clients.yml``). The list runs it at build time for the common mistakes (:data:`MISTAKES`) and
words each outcome with the program's messages from ``data/senders.yml`` (``programs``); the form
runs it in the browser (Pyodide worker, ``assets/js/try-settings.js``) with what the reader typed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .clients_schema import Provider, Security
from .senders_schema import Program, Sender
from .widgets import register_widget

TRY_SETTINGS = register_widget("try-settings", scripts=["assets/js/try-settings.js"])


@dataclass(frozen=True)
class Mistake:
    """A common mistake, in customers' words, as a change to the working settings."""

    id: str
    words: str
    change: dict[str, Any]


def _port(provider: Provider, security: Security) -> int | None:
    return next((o.port for o in provider.ports if Security(o.security) is security), None)


def mistakes(provider: Provider, recipient: str) -> list[Mistake]:
    """The refusals customers meet most, for *provider*'s ports (a mistake its ports cannot make,
    e.g. without a STARTTLS port, is left out)."""
    ssl_port, starttls_port = _port(provider, Security.ssl_tls), _port(provider, Security.starttls)
    found = [
        Mistake(
            "no-sign-in", "You did not sign in (no user name and password)", {"user": "", "password": ""}
        ),
        Mistake("wrong-password", "The password is wrong", {"password": "not-the-password"}),
    ]
    if starttls_port:
        found.append(
            Mistake(
                "no-encryption",
                f"No encryption on port {starttls_port}",
                {"port": starttls_port, "security": "none"},
            )
        )
    wrong_security = (
        (starttls_port, "ssl-on-starttls-port", "SSL/TLS", "STARTTLS", "ssl_tls"),
        (ssl_port, "starttls-on-ssl-port", "STARTTLS or no encryption", "SSL/TLS", "starttls"),
    )
    for port, key, chosen, needed, security in wrong_security:
        if port:
            words = f"{chosen} chosen with port {port} (that port needs {needed})"
            found.append(Mistake(key, words, {"port": port, "security": security}))
    first, _, rest = provider.host.partition(".")
    found.append(
        Mistake(
            "wrong-host",
            "The server name is mistyped",
            {"host": f"{first[:1]}{first[2:3]}{first[1:2]}{first[3:]}.{rest}"},
        )
    )
    return found


def working_settings(
    provider: Provider, user: str, password: str, recipient: str, auto_starttls: bool = False
) -> dict[str, Any]:
    """The settings that work (the recommended port); *auto_starttls*: the programs start TLS on
    their own when the server offers it (smtpsim.drivers.tryout.try_settings)."""
    option = provider.recommended
    return {
        "auto_starttls": auto_starttls,
        "host": provider.host,
        "port": option.port,
        "security": Security(option.security).value,
        "user": user,
        "password": password,
        "recipient": recipient,
    }


def what_you_may_see(
    sender: Sender,
    provider: Provider,
    server: dict[str, Any],
    network: dict[str, Any],
    settings: dict[str, Any],
) -> list[dict[str, Any]]:
    """One row per mistake: its words and, per program, the text it shows (with its source)."""
    from smtpsim import server_config_from_dict
    from smtpsim.drivers.memsock import Network
    from smtpsim.drivers.tryout import fill, try_settings

    config = server_config_from_dict(server, "<what-you-may-see>")
    net = Network.from_dict(network)
    rows = []
    for mistake in mistakes(provider, settings["recipient"]):
        result = try_settings({**settings, **mistake.change}, config, net)
        shows = []
        for program in sender.programs:
            message = next((m for m in program.messages if m.outcome == result["outcome"]), None)
            if message:
                shows.append(
                    {"program": program.name, "text": fill(message.text, result), "message": message}
                )
        if shows and result["outcome"] != "sent":
            rows.append({"mistake": mistake, "outcome": result["outcome"], "shows": shows})
    return rows


def programs_json(programs: list[Program]) -> list[dict[str, Any]]:
    """The programs' messages for the form (the browser fills the same placeholders)."""
    return [
        {
            "name": p.name,
            "shows": p.shows,
            "messages": {
                m.outcome: {"text": m.text, "source": m.source, "checked": m.checked.isoformat()}
                for m in p.messages
            },
        }
        for p in programs
    ]


def tryout_job(
    sender: Sender, server: dict[str, Any], network: dict[str, Any], settings: dict[str, Any]
) -> str:
    """The form's data attribute: the simulated server and network, the prefilled settings and
    the programs' messages."""
    return json.dumps(
        {
            "server": server,
            "network": network,
            "settings": settings,
            "programs": programs_json(sender.programs),
        }
    )
