"""Settings rows: what one email program shows, field by field, to send through one provider.

Shared by the settings macros (``macros/clients.py``) and the JSON export (``macros/export.py``),
so the tables and ``/api/clients.json`` cannot drift. Values are RFC 6409 message-submission settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .clients_schema import SECURITY_NAMES, Client, ClientField, FieldValue, PortOption, Provider


@dataclass(frozen=True)
class Row:
    """One line of a settings table: where the field is, its label, the value to set."""

    field: str
    section: str
    label: str
    value: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "section": self.section, "label": self.label, "value": self.value}


def security_label(client: Client, security: Any) -> str:
    mapping = client.labels.security
    return mapping[security] if mapping else SECURITY_NAMES[security]


def field_value(
    client: Client, provider: Provider, kind: FieldValue, port: PortOption, text: str | None = None
) -> str:
    """The value *client* shows for *kind* when sending through *provider* on *port*."""
    match kind:
        case FieldValue.host:
            return provider.host
        case FieldValue.port:
            return str(port.port)
        case FieldValue.security:
            return security_label(client, port.security)
        case FieldValue.auth_required:
            labels = client.labels.auth_required or {}
            return labels["required" if provider.authentication_required else "optional"]
        case FieldValue.auth_method:
            labels = client.labels.auth_method or {}
            return labels[provider.auth_method]
        case FieldValue.username:
            return provider.username
        case FieldValue.password:
            return (client.labels.password or {}).get(provider.auth_method, provider.password)
        case FieldValue.fixed:
            return text or ""
    raise ValueError(kind)  # pragma: no cover - the enum is exhaustive


def settings_rows(
    client: Client,
    provider: Provider,
    port: PortOption | None = None,
    fields: list[ClientField] | None = None,
) -> list[Row]:
    """Rows in the client's own order and words (RFC 6409 submission settings); *fields* default to
    the client's main dialog (``client.other_dialog.fields`` for its other one)."""
    port = port or provider.recommended
    return [
        Row(f.value.value, f.section, f.label, field_value(client, provider, f.value, port, f.text))
        for f in (client.fields if fields is None else fields)
    ]


def other_dialog_rows(client: Client, provider: Provider) -> list[Row]:
    """The same settings in the client's other dialog (none when it has only one)."""
    if client.other_dialog is None:
        return []
    return settings_rows(client, provider, fields=client.other_dialog.fields)


def alternative_rows(client: Client, provider: Provider) -> list[dict[str, str]]:
    """Other port/security pairs the provider offers, in the client's words."""
    port_label = next((f.label for f in client.fields if f.value is FieldValue.port), "Port")
    sec_label = next((f.label for f in client.fields if f.value is FieldValue.security), "Security")
    return [
        {
            "port_label": port_label,
            "port": str(p.port),
            "security_label": sec_label,
            "security": security_label(client, p.security),
        }
        for p in provider.alternatives
    ]
