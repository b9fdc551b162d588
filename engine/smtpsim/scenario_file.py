"""Reading scenario files: strict YAML with a line number for every key (needs PyYAML).

Refused with a one-line error naming file, line and key: text that is not UTF-8, a file over
:data:`MAX_FILE_BYTES`, YAML syntax errors, duplicate keys (YAML 1.2 §3.2.1.3: keys are
unique; PyYAML would silently keep the last), aliases (``*name``: a few bytes can expand
to millions of steps), control characters, nesting deeper than :data:`MAX_DEPTH` (PyYAML
composes recursively: 500 brackets in a 1 KB file overflowed the stack), numbers longer than
:data:`MAX_NUMBER_CHARS` and impossible dates (``2026-02-30``).  Only the engine-side
validation (:func:`scenario_from_dict`) is needed in the browser; this module is imported lazily
by :func:`load_scenario`.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .config import ScenarioError

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 32  # a scenario nests three or four levels
MAX_NUMBER_CHARS = 20  # Python refuses int() of 4,300 digits and more with a ValueError


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, duplicate keys, deep nesting and values Python cannot hold."""

    source = "<scenario>"
    depth = 0

    def _refuse(self, node_or_event: Any, message: str) -> ScenarioError:
        return ScenarioError(self.source, "(yaml)", message, line=node_or_event.start_mark.line + 1)

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise self._refuse(event, f"alias *{event.anchor} is not allowed (write the steps out)")
        if self.depth >= MAX_DEPTH:
            raise self._refuse(self.peek_event(), f"nested more than {MAX_DEPTH} levels deep")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_int(self, node: ScalarNode) -> int:
        if len(node.value) > MAX_NUMBER_CHARS:
            raise self._refuse(node, f"a number of {len(node.value)} characters is too long")
        return super().construct_yaml_int(node)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except ScenarioError:
            raise
        except (ValueError, OverflowError) as e:  # e.g. a date that does not exist: 2026-02-30
            value = node.value if isinstance(node, ScalarNode) else node.tag
            raise self._refuse(node, f"{value[:40]!r}: {e}") from None

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = seen.get(key)
            except TypeError:
                continue  # an unhashable key: the base class reports it
            if first is not None:
                raise ScenarioError(
                    self.source, str(key), f"duplicate key (first at line {first})", line=line
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def _key_lines(node: Node, path: str, out: dict[str, int]) -> None:
    """Map key paths as :class:`ScenarioError` spells them (``server.tls``, ``steps[3][0]``) to lines."""
    if isinstance(node, MappingNode):
        for k, v in node.value:
            name = k.value if isinstance(k, ScalarNode) else "?"
            sub = f"{path}.{name}" if path else str(name)
            out.setdefault(sub, k.start_mark.line + 1)
            _key_lines(v, sub, out)
    elif isinstance(node, SequenceNode):
        for i, v in enumerate(node.value):
            sub = f"{path}[{i}]"
            out.setdefault(sub, v.start_mark.line + 1)
            _key_lines(v, sub, out)


def line_of(key: str, lines: dict[str, int]) -> int | None:
    """The line of ``key`` or of its nearest enclosing key."""
    while key:
        if key in lines:
            return lines[key]
        cut = max(key.rfind("."), key.rfind("["))
        key = key[:cut] if cut > 0 else ""
    return None


def read_yaml(path: str) -> tuple[Any, dict[str, int]]:
    """Parse ``path``; returns the data and the line of every key path."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise ScenarioError(path, "(file)", f"cannot read: {e.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(path, "(file)", f"larger than {MAX_FILE_BYTES // 1024} KB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise ScenarioError(
            path, "(file)", f"not UTF-8 text (byte 0x{raw[e.start]:02x})", line=line
        ) from None
    try:
        loader = _StrictLoader(text)
    except yaml.reader.ReaderError as e:  # checked before any parsing: no mark, a position
        line = text.count("\n", 0, e.position) + 1
        raise ScenarioError(
            path, "(file)", f"control character U+{e.character:04X} is not allowed", line=line
        ) from None
    loader.source = path
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = " ".join(str(x) for x in (e.context, e.problem) if x)
        raise ScenarioError(
            path, "(yaml)", problem or "syntax error", line=mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as e:
        raise ScenarioError(path, "(yaml)", str(e).replace("\n", " ")) from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if node is not None:
        _key_lines(node, "", lines)
    return data, lines
