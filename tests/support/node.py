"""Run a Node program (the site's .mjs modules under test) with JSON in and JSON out."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest


def node_json(args: list[str], data: object, timeout: int = 120) -> Any:
    """``node *args`` with *data* as JSON on stdin; its stdout read as JSON (a failing run fails the
    test with Node's stderr; no Node installed fails it with how to install it)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing (apt-get install nodejs)")
    proc = subprocess.run(
        [node, *args], input=json.dumps(data), capture_output=True, check=False, text=True, timeout=timeout
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
