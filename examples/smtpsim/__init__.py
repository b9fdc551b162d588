"""smtpsim: a sans-I/O SMTP server engine with one personality per recorded real server
(:mod:`smtpsim.personalities` lists them: Exim 4.96 and Postfix 3.7 so far).

The engine (everything but :func:`load_scenario`, the CLI and ``serve``) imports only the
standard library, so it runs unchanged in Pyodide.
"""

from . import personalities
from .config import ScenarioError, ServerConfig, server_config_from_dict
from .connection import Connection
from .console import Console
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
    "personalities",
    "run_scenario",
    "scenario_from_dict",
    "server_config_from_dict",
]
