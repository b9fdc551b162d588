"""The strict build fails on an inline script it does not know (issue 21 #2).

The production Content-Security-Policy allows inline scripts by hash, and ``deploy/csp.py`` hashes
only the ones Material, mike and mkdocs-redirects write (``KNOWN_INLINE_SCRIPTS``).  Any other
``<script>`` without ``src`` in the output -- a data value that reached the HTML unescaped, a page
that typed one -- or an inline event handler or ``javascript:`` URL is found here, after every
plugin has written its files (hooks run after the plugins), with the page it is on, so it fails the
build rather than the deploy.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError


def on_post_build(config: Any) -> None:
    csp = importlib.import_module("deploy.csp")  # the macros plugin put the project on the import path
    problems = csp.scan_site(Path(config["site_dir"])).problems()
    if problems:
        raise PluginError("inline code the CSP would not allow:\n  " + "\n  ".join(problems))
