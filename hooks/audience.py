"""MkDocs hook: customers do not see the staff pages (issue 18).

The pages under ``extra.staff_pages`` (docs-relative prefixes, e.g. ``staff/``) are built and stay
reachable by their URL, but in a customer build (the default):

* they leave the navigation (the "For staff" section disappears; no previous/next link leads there),
* they leave the search index (``search: exclude: true``, Material's own front-matter switch),
* they carry ``<meta name="robots" content="noindex">``,
* and the header's repository link (``repo_url``) is not shown.

A staff build (``HELP_AUDIENCE=staff``) keeps all of it, so staff can browse and search their pages.
"""

from __future__ import annotations

import os
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

#: ``HELP_AUDIENCE``: ``customers`` (default) or ``staff``.
AUDIENCES = ("customers", "staff")


def audience() -> str:
    """The audience this build is for (``HELP_AUDIENCE``); an unknown value fails the build."""
    value = os.environ.get("HELP_AUDIENCE", "customers") or "customers"
    if value not in AUDIENCES:
        raise PluginError(f"HELP_AUDIENCE={value!r}: use one of {', '.join(AUDIENCES)}")
    return value


def staff_prefixes(config: Any) -> tuple[str, ...]:
    """The docs-relative prefixes of the staff pages (``extra.staff_pages``)."""
    prefixes = config.extra.get("staff_pages") or []
    if not isinstance(prefixes, list) or not all(isinstance(p, str) and p for p in prefixes):
        raise PluginError("extra.staff_pages: a list of docs-relative paths or folders, e.g. [staff/]")
    return tuple(prefixes)


def is_staff_page(src_uri: str, config: Any) -> bool:
    return src_uri.startswith(staff_prefixes(config))


def on_config(config: Any) -> Any:
    if audience() == "customers":
        config.repo_url = None
        config.repo_name = None
        config.edit_uri = None
    config.extra["help_audience"] = audience()
    return config


def _prune(items: list[Any], config: Any) -> list[Any]:
    """*items* without staff pages and without sections left empty."""
    kept = []
    for item in items:
        if isinstance(item, Section):
            item.children = _prune(item.children, config)
            if not item.children:
                continue
        elif isinstance(item, Page) and is_staff_page(item.file.src_uri, config):
            continue
        kept.append(item)
    return kept


def on_nav(nav: Navigation, config: Any, files: Any) -> Navigation:
    if audience() == "staff":
        return nav
    nav.items = _prune(nav.items, config)
    pages = [p for p in nav.pages if not is_staff_page(p.file.src_uri, config)]
    for prev, page, nxt in zip([None, *pages[:-1]], pages, [*pages[1:], None], strict=True):
        page.previous_page, page.next_page = prev, nxt
    nav.pages = pages
    for page in files.documentation_pages():
        if is_staff_page(page.src_uri, config) and page.page is not None:
            page.page.parent = None
    return nav


def on_page_markdown(markdown: str, page: Page, config: Any, files: Any) -> str:
    if audience() == "customers" and is_staff_page(page.file.src_uri, config):
        search = page.meta.get("search")
        page.meta["search"] = {**(search if isinstance(search, dict) else {}), "exclude": True}
        page.meta["robots"] = "noindex"
    return markdown
