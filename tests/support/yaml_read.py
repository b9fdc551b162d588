"""Reading the project's YAML in tests: libyaml's safe loader when PyYAML has it (the same documents,
several times faster than PyYAML's pure-Python one; the build's ``macros.yamlfile`` does the same)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(source: Path | str) -> Any:
    """The document in the file *source* (a ``Path``) or in the text *source* (a ``str``)."""
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    return yaml.load(text, Loader=_LOADER)
