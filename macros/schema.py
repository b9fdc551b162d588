"""Pydantic schema of ``data/clients.yml``: providers (servers) and clients (mail programs).

The schema is also exported as JSON Schema (``data/clients.schema.json``) so editors validate while
staff type; ``python -m macros.schema`` rewrites it and a test keeps it in sync.
Security modes follow RFC 3207 (STARTTLS on a plain port) and RFC 8314 §3 (implicit TLS, port 465).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "clients.schema.json"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Security(enum.StrEnum):
    """Transport security of a submission port."""

    starttls = "starttls"  # RFC 3207: plain connection upgraded with STARTTLS (port 587)
    ssl_tls = "ssl_tls"  # RFC 8314 §3.3: implicit TLS from the first byte (port 465)
    none = "none"  # no encryption (never recommended)


SECURITY_NAMES = {Security.starttls: "STARTTLS", Security.ssl_tls: "SSL/TLS", Security.none: "None"}


class AuthMethod(enum.StrEnum):
    """How the customer proves who they are (RFC 4954 SMTP AUTH)."""

    password = "password"  # the mailbox password
    app_password = "app_password"  # a generated app-specific password
    oauth = "oauth"  # OAuth 2.0 sign-in in a browser window (SASL XOAUTH2)


AUTH_METHOD_NAMES = {
    AuthMethod.password: "Password",
    AuthMethod.app_password: "App password",
    AuthMethod.oauth: "OAuth (sign in with the provider)",
}


class FieldValue(enum.StrEnum):
    """Which provider value a client's field shows."""

    host = "host"
    port = "port"
    security = "security"
    auth_required = "auth_required"
    auth_method = "auth_method"
    username = "username"
    password = "password"
    fixed = "fixed"  # a constant given in ``text`` (e.g. "Selected")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Sourced(_Model):
    """A fact with provenance: every fact says where it was read and when."""

    source: Text = Field(description="URL or document the fact was read in")
    checked: dt.date = Field(description="Date the fact was last checked (YYYY-MM-DD)")
    verified: bool = Field(True, description="false = no primary source found; pages word it carefully")


class Note(Sourced):
    text: Text


class PortOption(_Model):
    port: int = Field(ge=1, le=65535)
    security: Security
    recommended: bool = False


class Refusal(Sourced):
    """A sign-in refusal of this provider, word for word, with what it means (RFC 4954 §6: 535 and
    its enhanced codes), so a page can tell apart refusals that share a code."""

    text: Text = Field(description="The server's words, exactly as quoted in the source")
    meaning: Text = Field(description="What it means, in customers' words")
    fix: Text = Field(description="What to do about it, in customers' words")


#: Tokens a provider's texts may use; they are replaced from the provider's own ``host``.
TOKENS = ("{domain}", "{example_address}")


def _resolve_tokens(data: Any) -> Any:
    """Replace ``{domain}`` (the host without its first label) and ``{example_address}``
    (``you@{domain}``) in a provider's texts, so changing ``host`` changes every mention."""
    if not isinstance(data, dict) or not isinstance(data.get("host"), str) or "." not in data["host"]:
        return data
    domain = data["host"].split(".", 1)[1]
    values = {"{domain}": domain, "{example_address}": f"you@{domain}"}

    def sub(value: Any) -> Any:
        if isinstance(value, str):
            for token, text in values.items():
                value = value.replace(token, text)
            return value
        if isinstance(value, list):
            return [sub(v) for v in value]
        if isinstance(value, dict):
            return {k: sub(v) if k != "host" else v for k, v in value.items()}
        return value

    return sub(dict(data))


class Provider(Sourced):
    """An outgoing (SMTP submission) server customers send through. Its texts may say ``{domain}``
    and ``{example_address}``: they are filled in from ``host`` (see ``TOKENS``)."""

    id: Id
    name: Text
    host: Annotated[
        str,
        StringConstraints(
            pattern=r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$"
        ),
    ]
    host_is_placeholder: bool = Field(False, description="true when customers replace part of the host")
    ports: list[PortOption] = Field(min_length=1)
    authentication_required: bool
    auth_method: AuthMethod
    username: Text = Field(description="What to type as user name")
    password: Text = Field(description="What to type as password")
    notes: list[Note] = Field(default_factory=list)
    refusals: list[Refusal] = Field(
        default_factory=list, description="Sign-in refusals that share a code but mean different things"
    )

    @model_validator(mode="before")
    @classmethod
    def _tokens(cls, data: Any) -> Any:
        return _resolve_tokens(data)

    @property
    def domain(self) -> str:
        """The host without its first label (``mail.yourdomain.example`` -> ``yourdomain.example``)."""
        return self.host.split(".", 1)[1]

    @property
    def example_address(self) -> str:
        """An example address at the provider's domain, for samples and placeholders."""
        return f"you@{self.domain}"

    @property
    def recommended(self) -> PortOption:
        """The recommended port option (the first one when none is flagged)."""
        return next((p for p in self.ports if p.recommended), self.ports[0])

    @property
    def alternatives(self) -> list[PortOption]:
        return [p for p in self.ports if p is not self.recommended]


class ClientField(_Model):
    """One field of a client's outgoing-server dialog, in the client's own words."""

    section: Text = Field(description="Dialog, tab or group the field is in")
    label: Text = Field(description="The label exactly as the client shows it")
    value: FieldValue
    text: Text | None = Field(None, description="Constant shown when value is 'fixed'")


class ClientLabels(_Model):
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


class Observed(_Model):
    """Seen by running the real program against ``smtpsim serve``; ``tool`` repeats it."""

    program: Text
    version: Text = Field(description="The version the program reported")
    personality: Id = Field(description="The smtpsim personality (server) it talked to")
    scenario: Id = Field(description="examples/scenarios/<scenario>.yml, the server set-up")
    settings: Text = Field(description="How the program was set, in its own words")
    date: dt.date
    tool: Text = Field(description="Repository file that repeats the observation")


class Reported(_Model):
    """Quoted from a public report: a vendor page, a user's post, a host's knowledge base."""

    source: Text = Field(description="URL the wording was read in")
    checked: dt.date


class NotFound(_Model):
    """Nothing trustworthy found: what was searched, and when (pages say so instead of guessing)."""

    searched: Text
    checked: dt.date


class WhatYouSee(_Model):
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
    text: Text | None = Field(None, description="The words exactly as shown; '…' marks variable parts")
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
    steps: list[Text] = Field(min_length=1)


class Client(Sourced):
    """A mail program and where its outgoing-server settings live."""

    id: Id
    name: Text
    tab_label: Text = Field(description="Content-tab label; its slug must equal the id (stable anchors)")
    versions: Text
    menu_path: list[Text] = Field(min_length=1)
    fields: list[ClientField] = Field(min_length=2)
    labels: ClientLabels = Field(default_factory=ClientLabels)
    steps: list[Text] = Field(min_length=1)
    still_failing: list[Text] = Field(default_factory=list)
    oauth_setup: Text | None = Field(
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


class ClientsData(_Model):
    """The whole ``data/clients.yml``."""

    providers: list[Provider] = Field(min_length=1)
    clients: list[Client] = Field(min_length=1)


def slugify(text: str) -> str:
    """The slug pymdownx.tabbed makes of a tab label (``slugify(case="lower")`` in mkdocs.yml)."""
    from pymdownx.slugs import slugify as make

    return make(case="lower")(text, "-")


def editor_schema(model: type[BaseModel], title: str) -> dict:
    """JSON Schema (draft 2020-12) of a data file's model, for editors."""
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema


def schema_file_text(schema: dict) -> str:
    """A committed ``data/*.schema.json``: indented, non-ASCII as is, one final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def json_schema() -> dict:
    return editor_schema(ClientsData, "SmartHost Help Centre: providers and mail clients (data/clients.yml)")


def schema_text() -> str:
    return schema_file_text(json_schema())


if __name__ == "__main__":  # python -m macros.schema  -> rewrite data/clients.schema.json
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH}\n")
