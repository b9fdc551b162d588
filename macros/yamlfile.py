"""The one line-tracking YAML loader of the data files (``data/clients.yml``, ``data/senders.yml``,
``data/diagnoses.yml``): every error names file, line and key path, e.g.
``data/clients.yml:12: clients[2].fields (id 'thunderbird'): message``.

A ``yaml.SafeLoader`` subclass records the line of every mapping key and sequence item, rejects
duplicate keys (PyYAML would silently keep the last one) and tab characters; pydantic checks the
shape (each file's ``macros/<file>_schema.py``), and each file's cross-checks cover what one field
cannot see (duplicate ids, references). Also the shared pieces of those schemas: the strict base
model and the JSON Schema export for editors.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One finding: where (file, line, key path) and what."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key or '(top level)'}: {self.message}"


class DataFileError(ValueError):
    """A YAML data file is invalid; ``problems`` lists every finding."""

    what = "the data"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in {self.what}:\n" + "\n".join(f"  {p}" for p in problems)
        )


class LineDict(dict):
    """A mapping that remembers the (1-based) line of each key."""

    lines: dict[Any, int]


class LineList(list):
    """A sequence that remembers the (1-based) line of each item."""

    lines: list[int]


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses ~5x faster; same marks and errors


class LineLoader(_Base):
    """Safe loader recording node marks and refusing duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        self.flatten_mapping(node)
        result = LineDict()
        result.lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in result:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r} (first on line {result.lines[key]})",
                    key_node.start_mark,
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = key_node.start_mark.line + 1
        return result

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value Python cannot hold (``checked: 2026-02-30``, a 5,000-digit number) is a YAML
        error at its line, not a traceback (issue 21 #4)."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            value = node.value if isinstance(node, yaml.ScalarNode) else node.tag
            raise yaml.constructor.ConstructorError(
                None, None, f"{str(value)[:40]!r} cannot be read: {exc}", node.start_mark
            ) from None

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.lines = [child.start_mark.line + 1 for child in node.value]
        return result


LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", LineLoader.construct_sequence)


def key_path(loc: Iterable[str | int]) -> str:
    """``('providers', 1, 'ports', 0, 'port')`` -> ``providers[1].ports[0].port``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def line_of(data: Any, loc: Loc) -> int | None:
    """Deepest known line along *loc* in data loaded by ``LineLoader``."""
    line = None
    node = data
    for part in loc:
        if (isinstance(node, LineDict) and part in node) or (
            isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node)
        ):
            line, node = node.lines[part], node[part]
        else:
            break
    return line


def label(data: Any, loc: Loc) -> str:
    """Key path plus the id of the enclosing top-level item, e.g. ``clients[2].fields (id 'thunderbird')``."""
    path = key_path(loc)
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        try:
            ident = data[loc[0]][loc[1]].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            ident = None
        if ident:
            path += f" (id {ident!r})"
    return path


def parse_yaml(text: str, file: str, error: type[DataFileError] = DataFileError) -> Any:
    """Parse with line tracking; tabs and YAML errors become *error* (the file's own subclass)."""
    for number, line in enumerate(text.splitlines(), 1):
        if "\t" in line:
            near = line.split(":", 1)[0].strip(" \t-") if ":" in line else line.strip()
            raise error(
                [
                    Problem(
                        file,
                        number,
                        near,
                        f"tab character at column {line.index(chr(9)) + 1}; "
                        "YAML must be indented with spaces",
                    )
                ]
            )
    try:
        return yaml.load(text, Loader=LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        near = ""
        if line:
            src = text.splitlines()[line - 1] if line <= len(text.splitlines()) else ""
            near = src.split(":", 1)[0].strip(" -") if ":" in src else src.strip()
        detail = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise error([Problem(file, line, near, f"YAML syntax error: {detail}")]) from None
    except yaml.YAMLError as exc:
        raise error([Problem(file, None, "", f"YAML error: {exc}")]) from None


def validate_model(
    data: Any,
    file: str,
    model_type: type[M],
    cross_checks: Callable[[M], list[tuple[Loc, str]]],
    error: type[DataFileError],
) -> M:
    """Validate parsed data against *model_type*, then *cross_checks*; every problem names file,
    line and key."""
    try:
        model = model_type.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            msg = err["msg"]
            if err["type"] not in ("missing", "extra_forbidden") and "input" in err:
                got = repr(err["input"])
                msg += f" (got {got if len(got) <= 80 else got[:60] + f'... ({len(got)} characters)'})"
            if err["type"] == "extra_forbidden":
                msg = "unknown key (typo?)"
            problems.append(Problem(file, line_of(data, loc), label(data, loc), msg))
        raise error(problems) from None
    cross = cross_checks(model)
    if cross:
        raise error([Problem(file, line_of(data, loc), label(data, loc), msg) for loc, msg in cross])
    return model


class DataModel(BaseModel):
    """Base of every data file's models: unknown keys are errors (typos), values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def editor_schema(model: type[BaseModel], title: str) -> dict:
    """JSON Schema (draft 2020-12) of a data file's model, for editors."""
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema


def schema_file_text(schema: dict) -> str:
    """A committed ``data/*.schema.json``: indented, non-ASCII as is, one final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
