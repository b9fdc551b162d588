"""Build-time check of the support portal's link contract (``data/portal-links.yml``): every email
program of ``data/clients.yml`` must have its three links there, so adding a program by the staff
guide cannot silently leave the portal without a way to reach it. A missing link fails the build
with the program's file, line and key, and the entry to add."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .yamlfile import DataFileError, Problem, label, line_of, parse_yaml

CLIENTS = "data/clients.yml"
CONTRACT = "data/portal-links.yml"
ARTICLE_URL = "/errors/503-valid-rcpt-command-must-precede-data/"


class PortalContractError(DataFileError):
    """A program of ``data/clients.yml`` has no link in ``data/portal-links.yml``."""

    what = "the portal link contract"


def required_links(client_id: str) -> dict[str, str]:
    """The links the portal needs for one program: the article's tab (fragment and ``?client=``)
    and the program's guide (the URL each must have)."""
    return {
        f"fix-{client_id}": f"{ARTICLE_URL}#fix-{client_id}",
        f"portal-{client_id}": f"{ARTICLE_URL}?client={client_id}",
        f"guide-{client_id}": f"/clients/{client_id}/",
    }


def problems(project_dir: Path) -> list[Problem]:
    """Every missing or wrong link, located at the program's ``id`` in ``data/clients.yml``; none
    when the project has no contract file (the tests' one-page projects)."""
    contract = project_dir / CONTRACT
    if not contract.is_file():
        return []
    links: dict[str, Any] = {
        str(item.get("id")): item.get("url")
        for item in (yaml.safe_load(contract.read_text(encoding="utf-8")) or {}).get("links") or []
        if isinstance(item, dict)
    }
    data = parse_yaml((project_dir / CLIENTS).read_text(encoding="utf-8"), CLIENTS)
    found = []
    for i, client in enumerate(data.get("clients") or []):
        loc = ("clients", i, "id")
        for link_id, url in required_links(str(client.get("id"))).items():
            if links.get(link_id) != url:
                have = "is missing" if link_id not in links else f"has url {links[link_id]!r}"
                found.append(
                    Problem(
                        CLIENTS,
                        line_of(data, loc),
                        label(data, loc),
                        f'link {link_id!r} {have} in {CONTRACT}; add: - {{id: {link_id}, url: "{url}"}}',
                    )
                )
    return found


def check(project_dir: Path) -> None:
    """Raise :class:`PortalContractError` listing every problem (see :func:`problems`)."""
    found = problems(project_dir)
    if found:
        raise PortalContractError(found)
