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
   ends DATA, when a refused BDAT is answered, the message-line buffer), ``message_line()`` only
   where the server has a quirk in the message (the one hook: a bare LF refused, a line over its
   buffer, a "." pipelined with the next command), ``handle()`` (read a command line as the server
   does, then ``self.dispatch(state, verb, arg)``) and one ``on_<action>(verb, arg)`` handler per
   action of :data:`smtpsim.machine.TABLE`.  Handlers return a :class:`~smtpsim.events.Result`
   (``accept(verb, reply)``, or another outcome such as CHALLENGE) or raise :class:`~smtpsim.events.Reject`;
   they keep their own counters and the :class:`~smtpsim.personality.Session`, and never set a
   state: the connection applies :func:`smtpsim.machine.transition` to the outcome.
   At the end of the module declare ``SPEC = Spec(...)`` (:class:`smtpsim.personality.Spec`): name,
   labels, catalogue, supported settings, the texts ``serve`` sends outside any dialogue, its
   message size limit and its date and queue-id forms (``volatile``, for the golden replay).
4. Add ``"sendmail": "sendmail.server"`` to :data:`MODULES` below: the one line outside the folder.
5. Add scenarios ``examples/scenarios/sendmail-*.yml`` (the stepper's matrix files are
   ``<name>-<auth|no-auth>-<25|587|465>.yml``) and its recording cases ``tools/golden/sendmail.py``;
   tests (state table, attacks, fuzz, serve, console: ``tests/engine/test_new_personality.py``
   proves a copied folder plus this one line gets them all), bench, pages and the console pick the
   personality up from here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from .personality import ServeTexts, Spec

__all__ = ["MODULES", "REGISTRY", "ServeTexts", "Spec", "get", "names"]

#: Every personality: its name (``server.software``) and the module under
#: :mod:`smtpsim.personalities` (``<server folder>.<module>``) that declares its ``SPEC``, in the
#: order the pages offer them. A module is imported when its personality is first asked for.
MODULES: dict[str, str] = {
    "exim-cpanel": "exim.cpanel",
    "exim": "exim.server",
    "postfix": "postfix.server",
    "sendmail": "sendmail.server",
    "opensmtpd": "opensmtpd.server",
}


class _Registry(Mapping[str, Spec]):
    """``name -> Spec``, importing a personality's module on first use (so importing the engine,
    or running one personality, loads no other server's code)."""

    def __init__(self, modules: Mapping[str, str]) -> None:
        self._modules = modules
        self._specs: dict[str, Spec] = {}

    def __getitem__(self, name: str) -> Spec:
        spec = self._specs.get(name)
        if spec is None:
            module = importlib.import_module(f"{__package__}.personalities.{self._modules[name]}")
            spec = module.SPEC
            if spec.name != name:
                raise ValueError(f"{module.__name__} declares {spec.name!r}, registered as {name!r}")
            self._specs[name] = spec
        return spec

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


REGISTRY: Mapping[str, Spec] = _Registry(MODULES)


def names() -> tuple[str, ...]:
    """Every personality name, in display order (no personality is imported)."""
    return tuple(MODULES)


def get(name: str) -> Spec:
    """The personality called ``name``; a KeyError names the known ones."""
    if name not in MODULES:
        raise KeyError(f"unknown personality {name!r} (known: {', '.join(MODULES)})")
    return REGISTRY[name]
