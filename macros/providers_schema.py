"""Schema of ``data/clients.yml``'s providers (the outgoing servers customers send through): their
ports and security modes (RFC 3207 STARTTLS on a plain port, RFC 8314 §3 implicit TLS on 465), the way
customers sign in (RFC 4954), and the sourced facts every entry carries. ``macros.clients_schema``
builds the whole file's schema from these models and re-exports them."""

from __future__ import annotations

import enum
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from .safe_text import PlainText, Source, StrictBool, StrictDate, StrictInt
from .yamlfile import DataModel

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
Text = PlainText  # every text is plain (escaped) unless its field says MarkdownText


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


class Sourced(DataModel):
    """A fact with provenance: every fact says where it was read and when."""

    source: Source = Field(description="URL or document the fact was read in")
    checked: StrictDate = Field(description="Date the fact was last checked (YYYY-MM-DD)")
    verified: StrictBool = Field(True, description="false = no primary source found; pages word it carefully")


class Note(Sourced):
    text: Text


class PortOption(DataModel):
    port: StrictInt = Field(ge=1, le=65535)
    security: Security
    recommended: StrictBool = False


class BlockedPort(Sourced):
    """A port of the provider that customers' own connections usually cannot reach: it is dropped on
    the way (the connection times out), as many internet providers drop port 25 (RFC 5068 §3)."""

    port: StrictInt = Field(ge=1, le=65535)
    text: Text = Field(description="Why, in customers' words")


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
    host_is_placeholder: StrictBool = Field(False, description="true when customers replace part of the host")
    ports: list[PortOption] = Field(min_length=1)
    authentication_required: StrictBool
    auth_method: AuthMethod
    username: Text = Field(description="What to type as user name")
    password: Text = Field(description="What to type as password")
    notes: list[Note] = Field(default_factory=list)
    blocked_ports: list[BlockedPort] = Field(
        default_factory=list, description="Ports customers' connections usually cannot reach (time out)"
    )
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
