"""One folder per simulated server (``server.py``, ``replies.py``, ``address.py``, ...); the
registry (:mod:`smtpsim.registry`) names the module of each that declares its ``SPEC``."""
