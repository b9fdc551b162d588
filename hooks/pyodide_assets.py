"""MkDocs hook: self-hosted Pyodide, the ``smtpsim`` wheel and the live console's scenario list.

At ``on_post_build`` it writes into the built site (nothing is fetched from a CDN):

* ``pyodide/<version>/`` — the Pyodide core files copied from ``node_modules/pyodide`` (the version
  pinned in ``package-lock.json``). The path is versioned, so a server may cache it as immutable.
* ``pyodide/smtpsim/<hash>/`` — the pure ``smtpsim`` wheel (``python -m build --wheel
  --no-isolation``) and a site-local ``pyodide-lock.json`` made with ``pyodide lockfile add-wheels``,
  so the browser loads ``smtpsim`` by name with its sha256 checked. ``<hash>`` hashes exactly what
  goes into the wheel (the engine's own project in ``engine/``: ``pyproject.toml``, ``README.md``,
  ``smtpsim/``; the byte-code step and Pyodide's version): a changed engine gets a new URL and new
  reader snapshots, a changed site dependency (mkdocs, pytest, ...) does not.
* ``assets/smtp/console.json`` — where those live and every example scenario's server settings.

Wheel and lock file are cached under ``.cache/pyodide-assets/<hash>/`` so ``mkdocs serve`` rebuilds
stay fast. The wheel carries byte code compiled by Pyodide's own Python under Node
(``pyodide_bytecode.mjs``: checked-hash ``.pyc`` beside the sources), never host byte code, which
Pyodide 3.14 rejects.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.pyodide_assets")

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"
ENGINE_PROJECT = ROOT / "engine"  # the engine's own package project (its pyproject.toml, README.md)
ENGINE_DIR = ENGINE_PROJECT / "smtpsim"
#: The files of the engine's project that go into the wheel besides the package (metadata, README).
ENGINE_METADATA = ("pyproject.toml", "README.md")
CACHE_DIR = ROOT / ".cache" / "pyodide-assets"
BYTECODE_SCRIPT = ROOT / "hooks" / "pyodide_bytecode.mjs"
CONSOLE_JSON = "assets/smtp/console.json"


class PyodideAssetError(RuntimeError):
    """The Pyodide assets could not be prepared (missing npm package, failed wheel build...)."""


def pyodide_version() -> str:
    """Version of the installed npm ``pyodide`` package (pinned by package-lock.json)."""
    pkg = PYODIDE_NPM / "package.json"
    if not pkg.is_file():
        raise PyodideAssetError(f"{pkg} is missing: run `npm ci` (or `make setup`) first")
    return str(json.loads(pkg.read_text(encoding="utf-8"))["version"])


def wheel_inputs(root: Path = ROOT) -> list[Path]:
    """Every file whose bytes go into the wheel: the engine project's metadata, the package sources and
    the byte-code step (which writes the ``.pyc`` files). Nothing else of the repository."""
    project = root / ENGINE_PROJECT.relative_to(ROOT)
    sources = sorted(
        p
        for p in (project / ENGINE_DIR.name).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )
    metadata = [project / name for name in ENGINE_METADATA]
    return [*metadata, root / BYTECODE_SCRIPT.relative_to(ROOT), *sources]


def source_hash(root: Path = ROOT) -> str:
    """sha256 over :func:`wheel_inputs` and the Pyodide version (its Python compiles the byte code):
    the cache key that names the served wheel and readers' saved interpreter snapshots."""
    digest = hashlib.sha256(pyodide_version().encode())
    for path in wheel_inputs(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _run(cmd: list[str], cwd: Path) -> None:
    proc = subprocess.run(
        cmd,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    if proc.returncode != 0:
        raise PyodideAssetError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def build_plain_wheel(tmp: Path) -> Path:
    """Build the pure ``smtpsim`` wheel (no byte code yet) from a scratch copy of exactly
    :func:`wheel_inputs` in *tmp*, so parallel builds never share a ``build/`` directory and nothing is
    written into the repository. Returns the wheel's path."""
    src = tmp / "src"
    src.mkdir()
    for name in ENGINE_METADATA:
        shutil.copy2(ENGINE_PROJECT / name, src / name)
    shutil.copytree(ENGINE_DIR, src / ENGINE_DIR.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), "."], src)
    wheels = sorted(dist.glob("smtpsim-*-py3-none-any.whl"))
    if len(wheels) != 1:
        raise PyodideAssetError(f"expected one pure smtpsim wheel, got {[w.name for w in wheels]}")
    return wheels[0]


def build_wheel_and_lock(cache_dir: Path = CACHE_DIR) -> Path:
    """Return a directory holding ``smtpsim-*.whl`` and ``pyodide-lock.json`` (built once per hash).

    The wheel is built by :func:`build_plain_wheel`, then gets Pyodide's byte code.
    """
    key = source_hash()
    out = cache_dir / key
    if (out / "pyodide-lock.json").is_file():
        out.touch()  # recently used: survives pruning
        _prune(cache_dir, keep=out)
        return out
    bindir = Path(sys.executable).parent
    pyodide_cli = shutil.which("pyodide", path=str(bindir)) or shutil.which("pyodide")
    if pyodide_cli is None:
        raise PyodideAssetError("the `pyodide` CLI (pyodide-build) is not installed: run `make setup`")
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix="tmp-") as tmp_name:
        tmp = Path(tmp_name)
        wheel = build_plain_wheel(tmp)
        dist = wheel.parent
        _add_pyodide_bytecode(wheel, tmp)
        # Only the packages this site ships are listed: a lock naming numpy etc. would promise 404s.
        base_lock = json.loads((PYODIDE_NPM / "pyodide-lock.json").read_text(encoding="utf-8"))
        (tmp / "in.json").write_text(json.dumps({**base_lock, "packages": {}}), encoding="utf-8")
        _run(
            [
                pyodide_cli,
                "lockfile",
                "add-wheels",
                "--input",
                str(tmp / "in.json"),
                "--output",
                str(dist / "pyodide-lock.json"),
                "--base-path",
                str(dist),
                str(wheel),
            ],
            tmp,
        )
        staged = tmp / "out"
        staged.mkdir()
        shutil.copy2(wheel, staged / wheel.name)
        shutil.copy2(dist / "pyodide-lock.json", staged / "pyodide-lock.json")
        try:
            staged.rename(out)
        except OSError:  # another build finished first: its identical result wins
            if not (out / "pyodide-lock.json").is_file():
                raise
    _prune(cache_dir, keep=out)
    return out


def _add_pyodide_bytecode(wheel: Path, tmp: Path) -> None:
    """Repack *wheel* in place with byte code compiled by Pyodide's own Python (``pyodide_bytecode.mjs``
    under Node), beside the sources; ``wheel pack`` writes the new RECORD."""
    node = shutil.which("node")
    if node is None:
        raise PyodideAssetError("node is needed to compile smtpsim's byte code with Pyodide (Debian: nodejs)")
    unpacked = tmp / "unpacked"
    _run([sys.executable, "-m", "wheel", "unpack", "--dest", str(unpacked), str(wheel)], tmp)
    (tree,) = unpacked.iterdir()
    _run([node, str(BYTECODE_SCRIPT), str(PYODIDE_NPM), str(tree)], tmp)
    packed = tmp / "packed"
    packed.mkdir()
    _run([sys.executable, "-m", "wheel", "pack", "--dest-dir", str(packed), str(tree)], tmp)
    (result,) = packed.glob("smtpsim-*-py3-none-any.whl")
    shutil.move(str(result), str(wheel))  # same name, in place of the plain one


def _prune(cache_dir: Path, keep: Path, newest: int = 3) -> None:
    """Drop old cached builds (each engine edit makes one), keeping the *newest* few and *keep*."""
    builds = sorted(
        (p for p in cache_dir.iterdir() if p.is_dir() and not p.name.startswith("tmp-")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in builds[newest:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def _copy_if_changed(src: Path, dest: Path) -> None:
    """Copy unless *dest* already has the same size and mtime (fast ``mkdocs serve`` rebuilds)."""
    if dest.is_file():
        s, d = src.stat(), dest.stat()
        if s.st_size == d.st_size and int(s.st_mtime) == int(d.st_mtime):
            return
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dest)


def reason_words() -> dict[str, str]:
    """The engine's reason code → plain-words sentence map (captions in the live console)."""
    import smtpsim

    return {str(k): str(v) for k, v in smtpsim.REASONS.items()}


def scenario_entries(project_dir: Path = ROOT) -> list[dict[str, Any]]:
    """Every example scenario, validated by the engine: ``{id, title, server, client_ip, client_tls}``
    (``macros/scenarios.py``: the catalogue the dialogue macros read too), served under SmartHost's
    host from ``data/clients.yml``."""
    from macros.scenarios import catalogue, server_name

    return catalogue(ROOT).console_entries(server_name(project_dir))


def write_assets(site_dir: Path, project_dir: Path = ROOT) -> dict[str, Any]:
    """Write Pyodide, the wheel + lock and ``console.json`` into *site_dir*; return the console config
    (*project_dir*: the built project, whose ``data/clients.yml`` names SmartHost's server)."""
    version = pyodide_version()
    from macros.scenarios import PYODIDE_CORE_FILES  # the macros plugin has put macros/ on the path

    for name in PYODIDE_CORE_FILES:
        _copy_if_changed(PYODIDE_NPM / name, site_dir / "pyodide" / version / name)
    built = build_wheel_and_lock()
    wheel_rel = f"pyodide/smtpsim/{built.name}"
    for item in built.iterdir():
        _copy_if_changed(item, site_dir / wheel_rel / item.name)
    config = {
        "pyodide_version": version,
        "index_url": f"pyodide/{version}/",
        "lock_url": f"{wheel_rel}/pyodide-lock.json",
        "scenarios": scenario_entries(project_dir),
        "reasons": reason_words(),
    }
    target = site_dir / CONSOLE_JSON
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(config, indent=1, sort_keys=True), encoding="utf-8")
    return config


def on_post_build(config: Any, **_: Any) -> None:
    """MkDocs event: add the live console's assets to the freshly built site."""
    write_assets(Path(config["site_dir"]), Path(config.config_file_path).resolve().parent)
    log.debug("pyodide assets written to %s", config["site_dir"])
