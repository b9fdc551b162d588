"""mkdocs-macros module of the help centre: ``define_env`` only registers; rendering lives elsewhere."""
from __future__ import annotations


def define_env(env) -> None:  # noqa: ANN001 - mkdocs-macros passes its MacrosPlugin
    """Register variables, macros and filters (see the modules of this package)."""
