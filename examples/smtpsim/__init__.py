"""smtpsim: a sans-I/O SMTP server engine with Exim 4.96 and Postfix 3.7 personalities.

The engine (everything but :func:`load_scenario`, the CLI and ``serve``) imports only the
standard library, so it runs unchanged in Pyodide.
"""

from .config import ScenarioError, ServerConfig, server_config_from_dict
from .connection import Connection
from .console import Console
from .events import Exchange, Reject, Reply
from .machine import TABLE, State
from .replies import REASONS
from .scenario import Scenario, Step, Transcript, load_scenario, run_scenario, scenario_from_dict

__version__ = "1.0.0"
__all__ = [
    "Connection",
    "Console",
    "Exchange",
    "REASONS",
    "Reject",
    "Reply",
    "Scenario",
    "ScenarioError",
    "ServerConfig",
    "State",
    "Step",
    "TABLE",
    "Transcript",
    "load_scenario",
    "run_scenario",
    "scenario_from_dict",
    "server_config_from_dict",
]
