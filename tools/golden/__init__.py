"""Golden-transcript cases: which lines to send to which real server configuration.

Each case is a dict: name, software (a server name), config (a key of CONFIGS), description,
steps and optional notes.  A step is a client line (str), a list of lines written in ONE
write (a pipelined batch, RFC 2920), or a dict for special lines:
``{"send_repeat": {"prefix": "NOOP ", "char": "A", "count": 1100, "suffix": ""}}`` (huge line),
``{"send": "BDAT 5 LAST", "chunk": "hi\\r\\n\\r\\n"}`` (RFC 3030 chunk written right after the line).
The recorder stops sending once the server has closed the connection, so "repeat until
disconnect" cases simply list more lines than any limit.

One module per server, named after it (``exim-cpanel``: ``exim_cpanel.py``), holds its ``CONFIGS``
and ``CASES``; ``common``, ``family`` (the dialogue families every server gets) and ``malformed``
are shared.  A server with a personality in smtpsim (its registry) is SIMULATED: its recordings
live in tests/golden/<software>/ and every one must replay; others' recordings wait in
tools/mta-lab/recordings/<software>/ ("not yet simulated"), outside the replay test.
"""

from __future__ import annotations

import importlib
from typing import Any

from smtpsim.registry import names

#: Servers whose cases are recorded, in recording order (a module of this package each).
SERVERS = ("exim", "postfix", "exim-cpanel", "sendmail", "opensmtpd")


def server_module(software: str) -> Any:
    """The module of *software*'s cases: ``golden.exim_cpanel`` for ``exim-cpanel``."""
    return importlib.import_module(f"{__name__}.{software.replace('-', '_')}")


CONFIGS: dict[tuple[str, str], dict[str, Any]] = {
    key: config for sw in SERVERS for key, config in server_module(sw).CONFIGS.items()
}
ALL_CASES: list[dict[str, Any]] = [case for sw in SERVERS for case in server_module(sw).CASES]
SIMULATED: tuple[str, ...] = names()  # the engine's registry
CASES: list[dict[str, Any]] = [c for c in ALL_CASES if c["software"] in SIMULATED]
PENDING_CASES: list[dict[str, Any]] = [c for c in ALL_CASES if c["software"] not in SIMULATED]
