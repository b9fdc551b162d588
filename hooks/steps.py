"""The build's own work as a step after any builder: ``python -m hooks.steps SITE_DIR``.

Under MkDocs or ProperDocs the plugin events do this work (``hooks/*.py``, the ``on_post_build`` of
``macros/``); each event only calls a plain function. Zensical runs no MkDocs hooks and has no macros
``on_post_build`` (docs/staff/toolchain.md), so after ``zensical build`` (or any other builder) this
module calls the same functions on the built site:

- ``api/clients.json`` (``macros.export.write_export``) and ``api/diagnoses.json``
  (``macros.diagnoses.write_api``), from the validated ``data/*.yml``;
- Pyodide, the ``smtpsim`` wheel, its lock file and ``assets/smtp/console.json``
  (``hooks.pyodide_assets.write_assets``);
- ``assets/css/help.css``, the registered stylesheets folded into one (``macros.widgets.stylesheet_text``).

The CSP hashes (``deploy/csp.py``) and the compressed copies (``deploy/precompress.py``) are already
steps over the built files. ``extra`` (``help_version``, ``support_portal``) is read from mkdocs.yml
as a builder would, ``!ENV`` included.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

ROOT = Path(__file__).resolve().parent.parent


def read_extra(config: Path) -> dict[str, Any]:
    """``extra`` of a mkdocs.yml (``!ENV`` resolved, Python tags of other keys ignored)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", construct_env_tag)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return dict(yaml.load(config.read_text(encoding="utf-8"), Loader=Loader).get("extra") or {})


def post_build(site_dir: Path, extra: dict[str, Any], project_dir: Path = ROOT) -> list[Path]:
    """Write what the build's events write into *site_dir*; return the files written."""
    from macros import MODULES

    for name in MODULES:  # first, in the builder's order: widgets register their files on import
        importlib.import_module(f"macros.{name}")
    from macros.clients import DATA_FILE, HelpCentre
    from macros.clients import load_file as load_clients
    from macros.diagnoses import DATA_FILE as DIAGNOSES_FILE
    from macros.diagnoses import load_file as load_diagnoses
    from macros.diagnoses import write_api
    from macros.export import help_version, write_export
    from macros.widgets import REGISTRY, SITE_STYLESHEET, stylesheet_text

    from .pyodide_assets import CONSOLE_JSON, write_assets

    hc = HelpCentre(load_clients(project_dir / DATA_FILE, DATA_FILE))
    diagnoses = load_diagnoses(project_dir / DIAGNOSES_FILE, DIAGNOSES_FILE, client_ids=set(hc.clients))
    written = [
        write_export(hc.data, site_dir, help_version(extra)),
        write_api(diagnoses, hc, site_dir, extra),
    ]
    write_assets(site_dir)
    written.append(site_dir / CONSOLE_JSON)
    docs = project_dir / "docs"

    def read(src: str) -> str | None:
        path = docs / src
        return path.read_text(encoding="utf-8") if path.is_file() else None

    css = site_dir / SITE_STYLESHEET
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(stylesheet_text(REGISTRY, read), encoding="utf-8")
    written.append(css)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hooks.steps", description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", type=Path, help="the built site (written into)")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="where extra comes from")
    args = parser.parse_args(argv)
    if not args.site_dir.is_dir() or not args.config.is_file():
        print(f"steps: {args.site_dir} is not a directory or {args.config} is missing", file=sys.stderr)
        return 2
    for path in post_build(args.site_dir, read_extra(args.config)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
