"""What every suite (and bench/) shares: Debian Chromium's launch settings, a strict ``mkdocs build``,
and a quiet loopback static server with the types the site needs."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: Debian's Chromium (installed by .ci/run); Playwright never downloads a browser here.
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

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".whl": "application/zip",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def mkdocs_build(
    dest: Path, config: Path = ROOT / "mkdocs.yml", extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` into *dest*; return the finished process (caller checks it)."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        **(extra_env or {}),
    }
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-q", "-f", str(config), "-d", str(dest)],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


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
