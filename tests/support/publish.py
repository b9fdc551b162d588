"""Helpers for the publishing tests: the portal link-contract checker, derived builds, mike repos.

The contract checker resolves a URL of ``data/portal-links.yml`` against a served directory the way
a browser would: the page file must exist (a mkdocs-redirects stub counts if its target resolves),
a ``#fragment`` must be an element id, and ``?client=<id>`` / ``#client=<id>`` must name a client
tab the way ``docs/assets/js/help.js`` finds it.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

from hooks.portal_links import index_html as index_html  # re-exported for the publishing tests
from hooks.portal_links import resolve
from support import site_build
from support.site_build import require_marker, tool_env

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONTRACT = ROOT / "data" / "portal-links.yml"


def load_contract(path: Path = CONTRACT) -> list[dict[str, str]]:
    """The ``links`` of the contract file (each has ``id`` and ``url``)."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["links"])


def check_contract(root: Path, links: list[dict[str, str]] | None = None) -> list[str]:
    """Every problem of every contract link served from *root* (one deployed version)."""
    return [
        p for link in (links if links is not None else load_contract()) for p in resolve(root, link["url"])
    ]


# --- builds with a modified configuration ---------------------------------------------------------


def derived_config(docs_dir: Path, redirect_maps: dict[str, str], text: str | None = None) -> str:
    """mkdocs.yml text with another docs_dir and redirect map (everything else unchanged)."""
    text = text if text is not None else (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    block = re.compile(r"^(      redirect_maps:)(?:[ \t]*\{\}[ \t]*)?\n(?:        .*\n)*", re.MULTILINE)
    assert len(block.findall(text)) == 1, "mkdocs.yml: expected one redirects > redirect_maps block"
    text = block.sub(lambda m: f"{m.group(1)} {json.dumps(redirect_maps)}\n", text)
    return f"docs_dir: {json.dumps(str(docs_dir))}\n" + text


# --- a throw-away project repository for mike -----------------------------------------------------

COPY_EXCLUDE = {
    ".git",
    ".venv",
    "node_modules",
    "site",
    ".cache",
    ".pytest_cache",
    ".hypothesis",
    "__pycache__",
    "build",
    "dist",
}


def copy_project(dest: Path) -> Path:
    """Copy the working tree (not .git/.venv) to *dest*; share node_modules and the asset cache."""

    def ignore(_dir: str, names: list[str]) -> set[str]:
        return {n for n in names if n in COPY_EXCLUDE or n.endswith(".egg-info") or n.startswith(".mkdocs-")}

    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    for shared in ("node_modules", ".cache"):
        if (ROOT / shared).exists():
            (dest / shared).symlink_to(ROOT / shared)
    return dest


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


def make_deploy(repo: Path, version: str, alias: str = "") -> subprocess.CompletedProcess[str]:
    """``make deploy`` in *repo* with the project venv (``-o setup``: never reinstall from the copy)."""
    env = tool_env(
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
    )
    return subprocess.run(
        ["make", "-o", "setup", "deploy", f"VERSION={version}", f"ALIAS={alias}", f"BIN={BIN}"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def export_branch(repo: Path, branch: str, dest: Path) -> Path:
    """Check *branch* out into *dest* (symlinked aliases stay symlinks), without touching the repo."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", branch], cwd=repo, check=True, capture_output=True
    )
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def build_and_serve(dest: Path, **env: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    """The real site built into *dest* for the loopback URL it is served on (site_build.build_and_serve);
    a failed build raises."""
    server, url, proc = site_build.build_and_serve(dest, **env)
    if proc.returncode != 0:
        server.shutdown()
        raise AssertionError(f"build failed:\n{proc.stdout}\n{proc.stderr}")
    return server, url


# --- Debian nginx with deploy/nginx.conf ------------------------------------------------------------

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_nginx(prefix: Path, site: Path, precompress: bool = False) -> tuple[subprocess.Popen[str], str]:
    """Run deploy/nginx.conf in the foreground from *prefix* (conf/ logs/ run/ temp/, site/ -> *site*),
    with CSP hashes from deploy/csp.py (and, if asked, deploy/precompress.py run on *site* -- only
    for a private copy), on a free loopback port. Returns the process and base URL."""

    require_marker("nginx", "Debian's nginx")
    if not Path(NGINX).exists():
        raise AssertionError(f"{NGINX} is missing: `make test` installs it (deps/debian-test.txt)")
    for sub in ("conf", "logs", "run", "temp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    if site != prefix / "site":
        (prefix / "site").symlink_to(site)
    shutil.copy(ROOT / "deploy" / "nginx.conf", prefix / "conf" / "nginx.conf")
    port = _free_port()
    (prefix / "conf" / "listen.conf").write_text(f"listen 127.0.0.1:{port};\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "deploy" / "csp.py"),
            str(prefix / "site"),
            "-o",
            str(prefix / "conf" / "csp-hashes.conf"),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    if precompress:
        subprocess.run(
            [sys.executable, str(ROOT / "deploy" / "precompress.py"), str(prefix / "site")],
            check=True,
            capture_output=True,
            text=True,
        )
    directives = "daemon off; master_process on;" + (" user root;" if os.geteuid() == 0 else "")
    proc = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", "conf/nginx.conf", "-g", directives],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for _ in range(400):
        if proc.poll() is not None:
            raise AssertionError(f"nginx exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.terminate()
    raise AssertionError("nginx did not start listening")


RECORD_CSP_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  {directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample,
   source: e.sourceFile, line: e.lineNumber}));
"""
