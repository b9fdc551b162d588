"""The JSON export ``/api/clients.json`` for the support portal: providers × clients, built from the
same rows the settings tables render (``macros/settings.py``). A feature module like the others: it
registers nothing and writes the file after the build."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .clients_schema import ClientsData
from .settings import alternative_rows, other_dialog_rows, settings_rows

EXPORT_PATH = "api/clients.json"


def build_export(data: ClientsData, version: str) -> dict[str, Any]:
    """Everything the site shows, as plain JSON (dates as ISO strings, enums as their values)."""
    dumped = data.model_dump(mode="json")
    settings = [
        {
            "client": c.id,
            "provider": p.id,
            "port": p.recommended.port,
            "security": p.recommended.security.value,
            "rows": [r.as_dict() for r in settings_rows(c, p)],
            "other_dialog_rows": [r.as_dict() for r in other_dialog_rows(c, p)],
            "alternatives": alternative_rows(c, p),
        }
        for c in data.clients
        for p in data.providers
    ]
    return {
        "version": version,
        "providers": dumped["providers"],
        "clients": dumped["clients"],
        "settings": settings,
    }


def write_export(data: ClientsData, site_dir: Path, version: str) -> Path:
    out = site_dir / EXPORT_PATH
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(build_export(data, version), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return out


def register(env: Any) -> None:
    """Nothing to define on pages: the export only runs after the build."""


def help_version(extra: dict[str, Any] | None) -> str:
    """The version stamped into the exports: ``extra.help_version`` (mike's version or HELP_VERSION),
    else ``HELP_VERSION``, else ``dev``."""
    return str((extra or {}).get("help_version") or os.environ.get("HELP_VERSION") or "dev")


def on_post_build(env: Any) -> None:
    """Write ``api/clients.json`` into the built site (the support portal reads it); the data is the
    one ``macros/clients.py`` validated at build start. (``hooks/steps.py`` does the same without a
    builder.)"""
    write_export(
        env.variables["helpcentre"].data, Path(env.conf["site_dir"]), help_version(env.conf["extra"])
    )
