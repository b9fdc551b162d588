"""MkDocs hook (mkdocs.yml ``hooks:``): fix one line of Material's output without copying a partial.

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

import re
from typing import Any

_OUTDATED_BASE = re.compile(r'(<script>var el=document\.querySelector\("\[data-md-component=outdated\]"\),'
                            r'base=new URL\("[^"\\]*")\)')


def fix_outdated_script(html: str) -> str:
    """``new URL("../..")`` -> ``new URL("../..",location)`` in Material's outdated-banner script."""
    return _OUTDATED_BASE.sub(r"\1,location)", html)


def on_post_page(output: str, page: Any, config: Any) -> str:
    return fix_outdated_script(output)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    return fix_outdated_script(output_content)   # 404.html is a static template, not a page
