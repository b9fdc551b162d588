"""Load and validate ``data/clients.yml`` (and the other data files) with file, line and key in every
error message.

A ``yaml.SafeLoader`` subclass records the line of every mapping key and sequence item, rejects
duplicate keys (PyYAML would silently keep the last one) and tab characters; pydantic checks the
shape (``macros.schema``); cross-checks here cover what one field cannot see (duplicate ids, labels
a client needs, tab anchors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .schema import Client, ClientsData, FieldValue, slugify

Loc = tuple[str | int, ...]
PROJECT = Path(__file__).resolve().parent.parent
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


class ClientsDataError(DataFileError):
    """``data/clients.yml`` is invalid."""

    what = "the clients data"


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


def parse_yaml(text: str, file: str, error: type[DataFileError] = ClientsDataError) -> Any:
    """Parse with line tracking; tabs and YAML errors become *error* (``ClientsDataError``)."""
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


def _observation_checks(i: int, client: Client) -> list[tuple[Loc, str]]:
    """An observation names a tool and a scenario that exist, and the scenario's server."""
    found: list[tuple[Loc, str]] = []
    for j, seen in enumerate(client.what_you_see):
        if seen.observed is None:
            continue
        loc: Loc = ("clients", i, "what_you_see", j, "observed")
        if not (PROJECT / seen.observed.tool).is_file():
            found.append(((*loc, "tool"), f"no such file {seen.observed.tool!r} in the repository"))
        scenario = PROJECT / "examples" / "scenarios" / f"{seen.observed.scenario}.yml"
        if not scenario.is_file():
            found.append(((*loc, "scenario"), f"no scenario examples/scenarios/{seen.observed.scenario}.yml"))
            continue
        software = (yaml.safe_load(scenario.read_text(encoding="utf-8")).get("server") or {}).get("software")
        if software != seen.observed.personality:
            found.append(
                (
                    (*loc, "personality"),
                    (
                        f"scenario {seen.observed.scenario!r} runs {software!r}, "
                        f"not {seen.observed.personality!r}"
                    ),
                )
            )
    return found


def _cross_checks(model: ClientsData) -> list[tuple[Loc, str]]:
    """Rules spanning several fields."""
    found: list[tuple[Loc, str]] = []
    for kind, items in (("providers", model.providers), ("clients", model.clients)):
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in seen:
                found.append(((kind, i, "id"), f"duplicate id {item.id!r} (also {kind}[{seen[item.id]}])"))
            seen.setdefault(item.id, i)
    for i, prov in enumerate(model.providers):
        if sum(p.recommended for p in prov.ports) > 1:
            found.append((("providers", i, "ports"), "more than one port is marked recommended"))
        numbers = [p.port for p in prov.ports]
        for j, number in enumerate(numbers):
            if number in numbers[:j]:
                found.append((("providers", i, "ports", j, "port"), f"port {number} is listed twice"))
    for i, client in enumerate(model.clients):
        if slugify(client.tab_label) != client.id:
            found.append(
                (
                    ("clients", i, "tab_label"),
                    (
                        f"slug of {client.tab_label!r} is "
                        f"{slugify(client.tab_label)!r}; it must equal the id {client.id!r} (tab anchors)"
                    ),
                )
            )
        kinds = [f.value for f in client.fields]
        found += [
            (("clients", i, "fields"), f"no field shows the {needed.value}")
            for needed in (FieldValue.host, FieldValue.port)
            if needed not in kinds
        ]
        dialogs: list[tuple[Loc, list]] = [(("clients", i, "fields"), client.fields)]
        if client.other_dialog is not None:
            dialogs.append((("clients", i, "other_dialog", "fields"), client.other_dialog.fields))
        for where, fields in dialogs:
            for j, fld in enumerate(fields):
                if (fld.value is FieldValue.fixed) != (fld.text is not None):
                    found.append(
                        ((*where, j, "text"), "'text' is required for value 'fixed' and only allowed there")
                    )
                labelled = fld.value.value in ("security", "auth_method", "auth_required")
                if labelled and getattr(client.labels, fld.value.value) is None:
                    found.append(
                        (
                            ("clients", i, "labels"),
                            (
                                f"field {fld.label!r} shows {fld.value.value!r} but labels.{fld.value.value} "
                                "is missing"
                            ),
                        )
                    )
        found += _observation_checks(i, client)
        labels = client.labels
        for attr, needed in (
            ("security", ("starttls", "ssl_tls", "none")),
            ("auth_method", ("password", "app_password", "oauth")),
            ("auth_required", ("required", "optional")),
        ):
            mapping = getattr(labels, attr)
            if mapping is not None:
                have = {getattr(k, "value", k) for k in mapping}
                missing = [n for n in needed if n not in have]
                if missing:
                    found.append(
                        (("clients", i, "labels", attr), f"missing label(s) for {', '.join(missing)}")
                    )
    return found


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
                msg += f" (got {err['input']!r})"
            if err["type"] == "extra_forbidden":
                msg = "unknown key (typo?)"
            problems.append(Problem(file, line_of(data, loc), label(data, loc), msg))
        raise error(problems) from None
    cross = cross_checks(model)
    if cross:
        raise error([Problem(file, line_of(data, loc), label(data, loc), msg) for loc, msg in cross])
    return model


def validate(data: Any, file: str) -> ClientsData:
    """Validate parsed clients data; every problem names file, line and key."""
    return validate_model(data, file, ClientsData, _cross_checks, ClientsDataError)


def load_text(text: str, file: str = "data/clients.yml") -> ClientsData:
    return validate(parse_yaml(text, file), file)


def load_file(path: Path, display: str | None = None) -> ClientsData:
    """Load *path*; messages show *display* (e.g. the project-relative path)."""
    return load_text(path.read_text(encoding="utf-8"), display or str(path))
