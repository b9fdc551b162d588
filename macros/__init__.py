"""mkdocs-macros module of the help centre: ``define_env`` only registers; rendering lives elsewhere."""
from __future__ import annotations

from . import dialogue

#: Modules with a ``register(env)`` function; add a feature module with one line here.
MODULES = [
    dialogue,
]


def define_env(env) -> None:  # noqa: ANN001 - mkdocs-macros passes its MacrosPlugin
    """Register variables, macros and filters (see the modules of this package)."""
    for module in MODULES:
        module.register(env)
