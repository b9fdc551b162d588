"""What the bad-YAML corpora share (data/clients.yml in tests/site, data/diagnoses.yml in
tests/diagnose): each case mutates the real file, and the loader's error must name the key, the
message and the line where the mutation landed."""

from __future__ import annotations

import re

from macros.loader import DataFileError, Problem


def line_of_marker(text: str, marker: str, after: str = "") -> int:
    """1-based line of the first line holding *marker*, at or after the first one holding *after*."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines[start:], start + 1) if marker in line)


def reported_problem(error: DataFileError, key: str, message: str) -> Problem:
    """The first problem whose key path matches the regex *key* and whose message holds *message*."""
    matching = [p for p in error.problems if re.search(key, p.key) and message in p.message]
    assert matching, f"no problem with key /{key}/ and message {message!r} in:\n{error}"
    return matching[0]
