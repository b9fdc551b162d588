"""MkDocs hooks (mkdocs.yml ``hooks:``) for versioned publishing, without copying any partial.

``on_config``: ``extra.version`` (Material's mike integration: version selector + outdated banner)
is kept only when the build is a versioned one -- mike sets ``MIKE_DOCS_VERSION`` while it builds;
``HELP_VERSIONED=1`` forces it. A plain ``mkdocs build``/``serve`` has no ``../versions.json``, and
Material would fetch it (a 404 on every page) and show an empty selector.

``on_post_page``/``on_post_template``: fix one line of Material's output.

Material 9.8's ``partials/javascripts/outdated.html`` (included whenever ``extra.version`` and the
``outdated`` block are set) runs ``base=new URL("{{ base_url }}")``. MkDocs' ``base_url`` is relative
(``.``, ``../..``), and ``new URL()`` of a relative URL without a base throws
``TypeError: Failed to construct 'URL': Invalid URL`` on every page. Resolving it against
``location`` (what the bundle itself does with ``config.base``) gives the same sessionStorage key
the bundle writes, so a known-outdated version shows its banner before the bundle loads.

The pattern is exact: when Material fixes the script, nothing matches and this is a no-op
(tests/publish/test_publish_csp.py checks no page throws). CSP hashes are computed from the final
files (deploy/csp.py), so the changed script is hashed as served.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urljoin

from mkdocs.plugins import event_priority

_OUTDATED_BASE = re.compile(
    r'(<script>var el=document\.querySelector\("\[data-md-component=outdated\]"\),'
    r'base=new URL\("[^"\\]*")\)'
)


def fix_outdated_script(html: str) -> str:
    """``new URL("../..")`` -> ``new URL("../..",location)`` in Material's outdated-banner script."""
    return _OUTDATED_BASE.sub(r"\1,location)", html)


def versioned_build(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """True when this build is published as one version among several (mike)."""
    return bool(environ.get("MIKE_DOCS_VERSION")) or environ.get("HELP_VERSIONED", "") == "1"


def llms_base_url(site_url: str, canonical_version: str | None) -> str | None:
    """Where /llms.txt's page links point in a versioned build: the canonical version's copy
    (``<site_url>latest/``), as mike's canonical links do; the site root has no pages of its own."""
    if not site_url or not canonical_version:
        return None
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", canonical_version.strip("/") + "/")


@event_priority(100)  # before mkdocs-llmstxt's on_config reads its base_url
def on_config(config: Any) -> Any:
    if not versioned_build():
        config.extra.pop("version", None)  # config.extra is a dict-like LegacyConfig
        return config
    mike, llms = config.plugins.get("mike"), config.plugins.get("llmstxt")
    if mike is not None and llms is not None and llms.config.base_url is None:
        llms.config.base_url = llms_base_url(config.site_url or "", mike.config["canonical_version"])
    return config


def on_post_page(output: str, page: Any, config: Any) -> str:
    return fix_outdated_script(output)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    return fix_outdated_script(output_content)  # 404.html is a static template, not a page
