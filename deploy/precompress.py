#!/usr/bin/env python3
"""Write ``<file>.gz`` next to large compressible files of a served tree, for nginx ``gzip_static``.

Compressing Pyodide's 9.6 MB ``pyodide.asm.wasm`` on the fly costs about 0.5-1 s of CPU per request
with gzip and 2-4 s with brotli (measured with Debian's nginx on a 2-core machine); serving a file
compressed once at deploy time costs nothing. Run after every deploy, next to deploy/csp.py::

    python3 deploy/precompress.py /srv/help-centre/site

Only files of at least ``--min-size`` bytes that shrink by at least 10 % are kept compressed (a
``.gz`` that would not help is removed), and an up-to-date ``.gz`` is not rewritten. Standard
library only (gzip, RFC 1952).
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
from pathlib import Path

EXTENSIONS = {".wasm", ".mjs", ".js", ".css", ".json", ".html", ".svg", ".xml", ".txt", ".md", ".zip", ".map"}


def precompress(root: Path, min_size: int = 16 * 1024, level: int = 9) -> tuple[int, int, int]:
    """Compress eligible files under *root*; return (files written or kept, bytes before, bytes after)."""
    count = before = after = 0
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.suffix not in EXTENSIONS:
            continue
        size = path.stat().st_size
        target = path.with_name(path.name + ".gz")
        if size < min_size:
            continue
        if target.exists() and target.stat().st_mtime >= path.stat().st_mtime:
            packed_size = target.stat().st_size
        else:
            packed = gzip.compress(path.read_bytes(), compresslevel=level, mtime=0)
            if len(packed) > size * 0.9:
                target.unlink(missing_ok=True)
                continue
            target.write_bytes(packed)
            os.utime(target, (path.stat().st_atime, path.stat().st_mtime))
            packed_size = len(packed)
        count += 1
        before += size
        after += packed_size
    return count, before, after


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", type=Path, help="served directory: site/ or a gh-pages checkout")
    ap.add_argument("--min-size", type=int, default=16 * 1024)
    args = ap.parse_args(argv)
    count, before, after = precompress(args.root, args.min_size)
    print(f"precompress: {count} files, {before} -> {after} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
