"""What the bad-YAML corpora share (data/clients.yml in tests/site, data/diagnoses.yml in
tests/diagnose): each case mutates the real file, and the loader's error must name the key, the
message and the line where the mutation landed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from macros.yamlfile import DataFileError, Problem


@dataclass(frozen=True)
class Mutation:
    """One broken variant of a real data file and what its error must say."""

    name: str
    old: str
    new: str
    key: str  # regex the reported key path must match
    message: str  # fragment of the message
    marker: str  # the reported line is the first line of the mutated file containing this ...
    after: str = ""  # ... at or after the first line containing this

    def apply(self, text: str, file: str) -> str:
        """*text* with the first ``old`` replaced; fails when the real file no longer holds ``old``."""
        assert text.count(self.old) >= 1, f"case {self.name!r} no longer matches {file}"
        return text.replace(self.old, self.new, 1)

    def problem(self, error: DataFileError) -> Problem:
        """The reported problem this case expects (key and message), or a failure listing them all."""
        return reported_problem(error, self.key, self.message)


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
