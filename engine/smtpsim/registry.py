"""The personality registry: every simulated server, by the name scenarios use.

``server.software`` in a scenario (and ``--software`` on the command line, the stepper's and the
console's "Server software" choice, the test parametrisations) is a key of :data:`REGISTRY`.
Everything outside the engine asks this module: :func:`names`, :func:`get`, ``REGISTRY[name]``.

Adding a personality (say Sendmail):

1. Record goldens from the real server (``tools/record_golden.py``) into
   ``tests/golden/sendmail/`` — the simulator speaks only for servers we recorded.
2. Make its folder ``smtpsim/personalities/sendmail/`` (``__init__.py`` with a docstring).
   Write its reply catalogue, ``replies.py`` there: one class (``SendmailReplies``) of
   :class:`~smtpsim.replies.T` constants, each named by its code (``S550_USER_UNKNOWN =
   t(550, ...)``), every text copied from a golden or from the server's source (cite it).
   Every entry must be used, and a reply is built only from an entry (``R.S550_X.render(...)``).
3. Write ``server.py`` beside it (helpers such as ``address.py`` too; import the core with
   ``from ...personality import ...``): a subclass of :class:`smtpsim.personality.Personality` with
   ``R`` (the catalogue), ``framing`` (line limit, how over-long lines are cut, whether a bare LF
   ends DATA, when a refused BDAT is answered), ``handle()`` (read a command line as the server
   does, then ``self.dispatch(state, verb, arg)``) and one ``on_<action>(verb, arg)`` handler per
   action of :data:`smtpsim.machine.TABLE`.  Handlers return a :class:`~smtpsim.events.Result`
   (``accept(verb, reply)``, or another outcome such as CHALLENGE) or raise :class:`~smtpsim.events.Reject`;
   they keep their own counters and the :class:`~smtpsim.personality.Session`, and never set a
   state: the connection applies :func:`smtpsim.machine.transition` to the outcome.
   At the end of the module declare ``SPEC = Spec(...)`` (:class:`smtpsim.personality.Spec`): name,
   labels, catalogue, supported settings and the texts ``serve`` sends outside any dialogue.
4. Add ``"sendmail.server"`` to :data:`MODULES` below.
5. Add scenarios ``examples/scenarios/sendmail-*.yml`` (the stepper's matrix files are
   ``<name>-<auth|no-auth>-<25|587|465>.yml``); tests, bench, pages and the console pick the
   personality up from here.
"""

from __future__ import annotations

import importlib

from .personality import ServeTexts, Spec

__all__ = ["MODULES", "REGISTRY", "ServeTexts", "Spec", "get", "names"]

#: Personality modules, in the order the pages offer them.
#: Each is ``<server folder>.<module>`` under :mod:`smtpsim.personalities` and declares ``SPEC``.
MODULES = ("exim.cpanel", "exim.server", "postfix.server", "sendmail.server", "opensmtpd.server")


def _load() -> dict[str, Spec]:
    registry: dict[str, Spec] = {}
    for module in MODULES:
        spec = importlib.import_module(f"{__package__}.personalities.{module}").SPEC
        if spec.name in registry:
            raise ValueError(f"personality {spec.name!r} is declared twice")
        registry[spec.name] = spec
    return registry


REGISTRY: dict[str, Spec] = _load()


def names() -> tuple[str, ...]:
    """Every personality name, in display order."""
    return tuple(REGISTRY)


def get(name: str) -> Spec:
    """The personality called ``name``; a KeyError names the known ones."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown personality {name!r} (known: {', '.join(REGISTRY)})") from None
