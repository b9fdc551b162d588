"""mkdocs-macros module of the help centre: ``define_env`` only registers; rendering lives elsewhere."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

from markupsafe import Markup, escape

#: Submodules with a ``register(env)`` function (and optionally ``on_post_build(env)``), in the order
#: they register; add a feature module with one line here. Imported lazily, so
#: ``python -m macros.clients_schema`` stays clean.
MODULES = ["clients", "dialogue", "senders", "diagnoses", "export", "review_pages"]

_loaded_once = False


def _modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in MODULES]


def _reload_for_serve() -> None:
    """``mkdocs serve`` rebuilds in the same process: forget every submodule of this package, so the
    next import reads the edited files, helpers included, in their own import order (the first build
    imports fresh; this only runs on rebuilds)."""
    global _loaded_once
    if _loaded_once:
        for name in [n for n in sys.modules if n.startswith(f"{__name__}.")]:
            del sys.modules[name]
    _loaded_once = True


def escape_in_pages(value: object) -> object:
    """``finalize`` of the pages' Jinja: a text a page prints (``{{ p.username }}``) is HTML-escaped
    unless it is ``Markup`` (a macro's own rendering, a validated MarkdownText); issue 21 #2."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return escape(value)
    return value


def define_env(env) -> None:
    """Register variables, macros and filters (see the modules of this package); data a page
    prints is escaped (:func:`escape_in_pages`)."""
    _reload_for_serve()
    for module in _modules():
        module.register(env)


def on_pre_page_macros(env) -> None:
    """Before each page: its ``{{ ... }}`` go through :func:`escape_in_pages` (the pages' Jinja
    environment exists only once ``define_env`` has run)."""
    env.env.finalize = escape_in_pages


def on_post_build(env) -> None:
    """Run each module's post-build step (e.g. the JSON export)."""
    for module in _modules():
        hook = getattr(module, "on_post_build", None)
        if hook is not None:
            hook(env)
