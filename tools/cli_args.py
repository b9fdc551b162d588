"""The tools' argument parser: bad input is one line on stderr and exit 2, never argparse's usage
block (the brief: "bad input gets one line and exit 2")."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """Bad input: one line on stderr, exit 2 (argparse would print its usage too)."""
        sys.stderr.write(f"{self.prog}: {message}\n")
        raise SystemExit(2)
