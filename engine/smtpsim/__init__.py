"""smtpsim: a sans-I/O SMTP server engine with one personality per recorded real server
(:mod:`smtpsim.registry` lists them: Exim 4.96 plain and as cPanel sets it up, Postfix 3.7,
Sendmail 8.17 and OpenSMTPD 6.8; one folder each under :mod:`smtpsim.personalities`).

The engine (everything but :func:`load_scenario`, the CLI and ``serve``) imports only the
standard library, so it runs unchanged in Pyodide.
"""

from . import registry
from .config import ScenarioError, ServerConfig, server_config_from_dict
from .connection import Connection
from .drivers.console import Console
from .events import Exchange, Reject, Reply
from .machine import TABLE, State
from .replies import REASONS
from .scenario import Scenario, Step, Transcript, load_scenario, run_scenario, scenario_from_dict

__version__ = "1.0.0"
__all__ = [
    "REASONS",
    "TABLE",
    "Connection",
    "Console",
    "Exchange",
    "Reject",
    "Reply",
    "Scenario",
    "ScenarioError",
    "ServerConfig",
    "State",
    "Step",
    "Transcript",
    "load_scenario",
    "registry",
    "run_scenario",
    "scenario_from_dict",
    "server_config_from_dict",
]
