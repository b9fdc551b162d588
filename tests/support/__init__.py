"""The test helpers, in one package: ``from support.<module> import …`` (``tests/`` is on pytest's
``pythonpath``, and ``make bench`` puts the same roots on ``PYTHONPATH``, so bench/ imports them too).

- ``site_build``: Chromium's launch settings, THE strict ``mkdocs build`` (real or derived project),
  a loopback static server; tells a test not marked slow that it may not build.
- ``settings_tables``: raw ``data/clients.yml`` and the settings tables of built pages.
- ``bad_yaml``: what the bad-YAML corpora share (mutation, reported line).
- ``browser``: Playwright page logs (no request leaves loopback) and axe-core.
- ``publish``: the portal link-contract checker, derived builds, mike repositories, nginx with CSP.
- ``smtpsim_serve``: ``python -m smtpsim serve`` on an ephemeral loopback port.
- ``smtpsim_session``: a fresh simulated session (``connect``, ``talk``), reply well-formedness, and
  the personalities the registry-parametrised tests run on (``registered``).
- ``goldens``: replaying a golden transcript (recorded from a real server) through the engine.
- ``sample_servers``: the servers (STARTTLS, implicit TLS front) the pages' code samples run against.
- ``interop``: real mail programs against ``smtpsim serve``.
- ``diagnose_contract``, ``diagnose_corpus``: issue 10's JSON contract ids; the pasted-errors corpus.
"""
