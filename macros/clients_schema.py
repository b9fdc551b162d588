"""Schema of ``data/clients.yml`` (providers, i.e. servers, and clients, i.e. mail programs) and its
loader: pydantic models, the cross-checks one field cannot see (duplicate ids, labels a client needs,
tab anchors, observations), and ``load_file``; errors name file, line and key (``macros.yamlfile``).

The schema is also exported as JSON Schema (``data/clients.schema.json``) so editors validate while
staff type; ``python -m macros.clients_schema`` rewrites it and a test keeps it in sync.
Security modes follow RFC 3207 (STARTTLS on a plain port) and RFC 8314 §3 (implicit TLS, port 465).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ConfigDict, Field, model_validator

from .providers_schema import (  # re-exported: pages and tests import them from here
    AUTH_METHOD_NAMES,
    ID_PATTERN,
    SECURITY_NAMES,
    TOKENS,
    AuthMethod,
    BlockedPort,
    FieldValue,
    Id,
    Note,
    PortOption,
    Provider,
    Refusal,
    Security,
    Sourced,
    Text,
)
from .safe_text import MarkdownText, PlainLines, StrictDate, Url
from .yamlfile import (
    DataFileError,
    DataModel,
    Loc,
    editor_schema,
    parse_yaml,
    schema_file_text,
    validate_model,
)

PROJECT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = PROJECT / "data" / "clients.schema.json"

__all__ = [
    "AUTH_METHOD_NAMES",
    "ID_PATTERN",
    "SECURITY_NAMES",
    "TOKENS",
    "AuthMethod",
    "BlockedPort",
    "Client",
    "ClientField",
    "ClientLabels",
    "ClientsData",
    "ClientsDataError",
    "FieldValue",
    "Id",
    "Note",
    "PortOption",
    "Provider",
    "Refusal",
    "Security",
    "Sourced",
    "Text",
    "json_schema",
    "load_file",
    "load_text",
    "schema_text",
    "slugify",
    "validate",
]


class ClientField(DataModel):
    """One field of a client's outgoing-server dialog, in the client's own words."""

    section: Text = Field(description="Dialog, tab or group the field is in")
    label: Text = Field(description="The label exactly as the client shows it")
    value: FieldValue
    text: Text | None = Field(None, description="Constant shown when value is 'fixed'")


class ClientLabels(DataModel):
    """How a client words each value (a checkbox is 'Ticked', Outlook says 'STARTTLS', ...)."""

    security: dict[Security, Text] | None = None
    auth_method: dict[AuthMethod, Text] | None = None
    auth_required: dict[Literal["required", "optional"], Text] | None = None
    password: dict[AuthMethod, Text] | None = Field(
        None,
        description=(
            "What the password field says for providers signing in this way, instead of the provider's "
            "own text (e.g. a POP/IMAP dialog that cannot sign in with Microsoft)"
        ),
    )


class Observed(DataModel):
    """Seen by running the real program against ``smtpsim serve``; ``tool`` repeats it."""

    program: Text
    version: Text = Field(description="The version the program reported")
    personality: Id = Field(description="The smtpsim personality (server) it talked to")
    scenario: Id = Field(description="examples/scenarios/<scenario>.yml, the server set-up")
    settings: Text = Field(description="How the program was set, in its own words")
    date: StrictDate
    tool: Text = Field(description="Repository file that repeats the observation")


class Reported(DataModel):
    """Quoted from a public report: a vendor page, a user's post, a host's knowledge base."""

    source: Url = Field(description="URL the wording was read in")
    checked: StrictDate


class NotFound(DataModel):
    """Nothing trustworthy found: what was searched, and when (pages say so instead of guessing)."""

    searched: Text
    checked: StrictDate


class WhatYouSee(DataModel):
    """What the program shows its user when the server refuses the recipient (RFC 5321 §3.3: the
    refusal comes at RCPT; the 503 only if the program sends DATA anyway). Exactly one source."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": ["observed", "text"]},
                {"required": ["reported", "text"]},
                {"required": ["not_found"], "not": {"required": ["text"]}},
            ]
        }
    )

    situation: Text = Field(description="Which server and mistake, e.g. 'cPanel server, sign-in off'")
    summary: Text = Field(description="In plain words: what appears, and whether the real reason shows")
    title: Text | None = Field(None, description="Window or report title, exactly as shown")
    text: PlainLines | None = Field(None, description="The words exactly as shown; '…' marks variable parts")
    observed: Observed | None = None
    reported: list[Reported] | None = Field(None, min_length=1)
    not_found: NotFound | None = None

    @model_validator(mode="after")
    def _one_source(self) -> WhatYouSee:
        kinds = [k for k in ("observed", "reported", "not_found") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                "give exactly one source: observed (program run here), reported (public source URL) or "
                f"not_found (what was searched); got {', '.join(kinds) or 'none'}"
            )
        if (self.text is None) != (self.not_found is not None):
            raise ValueError("'text' is required with observed or reported, and not allowed with not_found")
        return self


class OtherDialog(Sourced):
    """A second place the same settings live in other builds of the program (e.g. Outlook classic's
    older Account Settings › Change › More Settings wizard next to its Server Settings page)."""

    name: Text = Field(
        description="What the dialog is called, e.g. 'Account Settings › Change › More Settings'"
    )
    when: Text = Field(description="Which builds or route open it, in customers' words")
    menu_path: list[Text] = Field(min_length=1)
    fields: list[ClientField] = Field(min_length=2)
    steps: list[MarkdownText] = Field(min_length=1)


class Client(Sourced):
    """A mail program and where its outgoing-server settings live."""

    id: Id
    name: Text
    tab_label: Text = Field(description="Content-tab label; its slug must equal the id (stable anchors)")
    device: Literal["computer", "phone"] = Field(
        "computer",
        description="Where the program runs: pages suggest the other kind of device as a second test",
    )
    versions: Text
    menu_path: list[Text] = Field(min_length=1)
    fields: list[ClientField] = Field(min_length=2)
    labels: ClientLabels = Field(default_factory=ClientLabels)
    steps: list[MarkdownText] = Field(min_length=1)
    still_failing: list[MarkdownText] = Field(default_factory=list)
    oauth_setup: MarkdownText | None = Field(
        None,
        description=(
            "How the program signs in with a provider whose auth_method is oauth (Microsoft 365, "
            "Outlook.com): shown first on those providers' tabs, before the fields"
        ),
    )
    other_dialog: OtherDialog | None = None
    what_you_see: list[WhatYouSee] = Field(
        min_length=1, description="What the program shows for this error, each with its source"
    )


class ClientsData(DataModel):
    """The whole ``data/clients.yml``."""

    providers: list[Provider] = Field(min_length=1)
    clients: list[Client] = Field(min_length=1)


def slugify(text: str) -> str:
    """The slug pymdownx.tabbed makes of a tab label (``slugify(case="lower")`` in mkdocs.yml)."""
    from pymdownx.slugs import slugify as make

    return make(case="lower")(text, "-")


class ClientsDataError(DataFileError):
    """``data/clients.yml`` is invalid."""

    what = "the clients data"


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


def cross_checks(model: ClientsData) -> list[tuple[Loc, str]]:
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


def validate(data: Any, file: str) -> ClientsData:
    """Validate parsed clients data; every problem names file, line and key."""
    return validate_model(data, file, ClientsData, cross_checks, ClientsDataError)


def load_text(text: str, file: str = "data/clients.yml") -> ClientsData:
    return validate(parse_yaml(text, file, ClientsDataError), file)


def load_file(path: Path, display: str | None = None) -> ClientsData:
    """Load *path*; messages show *display* (e.g. the project-relative path)."""
    return load_text(path.read_text(encoding="utf-8"), display or str(path))


def json_schema() -> dict:
    return editor_schema(ClientsData, "SmartHost Help Centre: providers and mail clients (data/clients.yml)")


def schema_text() -> str:
    return schema_file_text(json_schema())


if __name__ == "__main__":  # python -m macros.clients_schema -> rewrite data/clients.schema.json
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH}\n")
