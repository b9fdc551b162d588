"""``python -m smtpsim``: the command line (:mod:`smtpsim.cli`)."""

from .cli import main

raise SystemExit(main())
