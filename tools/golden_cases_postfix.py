"""Golden-transcript cases for Postfix 3.7 (Debian 12); see golden_cases.py for the format."""
from __future__ import annotations

from typing import Any

POSTFIX_CONFIGS: dict[tuple[str, str], dict[str, Any]] = {}
POSTFIX_CASES: list[dict[str, Any]] = []
