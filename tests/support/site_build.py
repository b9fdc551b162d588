"""What every suite (and bench/) shares: Debian Chromium's launch settings, THE strict ``mkdocs build``
of the site or of a derived project (built in a temporary directory, never in the repository), and a
quiet loopback static server with the types the site needs."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: Debian's Chromium (deps/debian-test.txt); Playwright never downloads a browser here.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the types the site needs (.wasm must be application/wasm); no request log."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".whl": "application/zip",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


#: The markers of the running test, set by tests/conftest.py (None outside pytest, e.g. in bench/).
CURRENT_MARKERS: set[str] | None = None


def require_marker(marker: str, what: str) -> None:
    """Fail a test that does *what* without being marked *marker*: ``make test-fast`` selects tests
    by these markers, so a slow step in an unmarked test would slow the edit loop down."""
    if CURRENT_MARKERS is not None and marker not in CURRENT_MARKERS:
        raise AssertionError(
            f"{what} in a test not marked {marker}: add @pytest.mark.{marker} (or use the fixture"
            " that brings it, e.g. built_site, which marks the test)"
        )


def tool_env(**extra: str) -> dict[str, str]:
    """The environment for mkdocs, mike and make: this venv first on PATH, no MkDocs 2 notice."""
    return {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        **extra,
    }


#: The builders the site is built with (docs/staff/toolchain.md): MkDocs 1.6 and its drop-in fork
#: ProperDocs, both pinned in constraints.txt; ``make build ENGINE=properdocs`` is the same choice.
ENGINES = ("mkdocs", "properdocs")


def mkdocs_build(
    dest: Path,
    config: Path = ROOT / "mkdocs.yml",
    extra_env: dict[str, str] | None = None,
    quiet: bool = True,
    engine: str = "mkdocs",
) -> subprocess.CompletedProcess[str]:
    """Run ``<engine> build --strict`` of *config* into *dest* (*engine* one of ``ENGINES``); return
    the finished process (the caller checks it). ``-q`` hides mkdocs-macros' error report, which it
    logs as a warning: ``quiet=False`` shows it. Every strict build of the tests and bench/ goes
    through here."""
    require_marker("slow", "a strict site build")
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    return subprocess.run(
        [
            str(BIN / engine),
            "build",
            "--strict",
            *(["-q"] if quiet else []),
            "-f",
            str(config),
            "-d",
            str(dest),
        ],
        cwd=config.parent,
        env=tool_env(**(extra_env or {})),
        capture_output=True,
        text=True,
        timeout=600,
    )


def linked_project(where: Path, copied: tuple[str, ...] = ()) -> Path:
    """A project directory *where* whose top-level entries are symlinks to the repository's (except
    ``.git``, ``site`` and *copied*, which are real copies to change); nothing is written to the
    repository itself."""
    where.mkdir(parents=True)
    for entry in ROOT.iterdir():
        if entry.name in (".git", "site", *copied):
            continue
        (where / entry.name).symlink_to(entry)
    for name in copied:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, where / name, symlinks=True)
        elif (ROOT / name).exists():
            shutil.copy2(ROOT / name, where / name)
    return where


def build_config(
    config_text: str, dest: Path, data: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Strict build of the real project with *config_text* as its mkdocs.yml (relative paths work: it
    is built from a linked copy of the project beside *dest*, never from the repository root);
    *data* replaces files of ``data/`` (name -> text)."""
    copied = ("mkdocs.yml", "data") if data else ("mkdocs.yml",)
    project = linked_project(dest.parent / f"{dest.name}-project", copied=copied)
    (project / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    for name, text in (data or {}).items():
        (project / "data" / name).write_text(text, encoding="utf-8")
    return mkdocs_build(dest, project / "mkdocs.yml")


def project_copy(tmp: Path, data_text: str | None = None) -> Path:
    """A linked copy of the project in *tmp* with its own ``data/`` (``clients.yml`` replaced by
    *data_text* when given)."""
    proj = linked_project(tmp / "proj", copied=("data",))
    if data_text is not None:
        (proj / "data" / "clients.yml").write_text(data_text, encoding="utf-8")
    return proj


MINI_CONFIG = """\
site_name: mini
strict: true
theme: {name: material, font: false}
plugins:
  - macros:
      module_name: macros
      render_by_default: false
      on_error_fail: true
      on_undefined: strict
      j2_comment_start_string: "{##"
      j2_comment_end_string: "##}"
markdown_extensions: [attr_list, md_in_html, pymdownx.superfences, {pymdownx.tabbed: {alternate_style: true}}]
"""


def mini_project(tmp: Path, page: str, data_text: str | None = None) -> Path:
    """A one-page project using the real macros package and data (optionally replaced)."""
    proj = tmp / "mini"
    (proj / "docs" / "clients").mkdir(parents=True)
    (proj / "data").mkdir()
    (proj / "macros").symlink_to(ROOT / "macros")
    (proj / "examples").symlink_to(ROOT / "examples")  # the scenarios
    (proj / "mkdocs.yml").write_text(MINI_CONFIG, encoding="utf-8")
    data = data_text if data_text is not None else (ROOT / "data" / "clients.yml").read_text(encoding="utf-8")
    (proj / "data" / "clients.yml").write_text(data, encoding="utf-8")
    (proj / "data" / "diagnoses.yml").symlink_to(ROOT / "data" / "diagnoses.yml")  # the macros load it too
    (proj / "docs" / "index.md").write_text(page, encoding="utf-8")
    (proj / "docs" / "clients" / "thunderbird.md").write_text("# thunderbird\n", encoding="utf-8")
    return proj


def serve_directory(
    root: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler
) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve *root* on 127.0.0.1 (free port) in a daemon thread; return the server and its base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def build_and_serve(
    dest: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler, **env: str
) -> tuple[http.server.ThreadingHTTPServer, str, subprocess.CompletedProcess[str]]:
    """Serve *dest* on a free loopback port, then build the real site into it with ``HELP_SITE_URL`` set
    to that address (Material's instant navigation only intercepts links whose host:port match the
    sitemap, made from site_url). Extra *env* goes to the build. The caller checks the build process."""
    dest.mkdir(parents=True, exist_ok=True)
    server, url = serve_directory(dest, handler)
    return server, url, mkdocs_build(dest, extra_env={"HELP_SITE_URL": url + "/", **env})
