"""Server configuration (the scenario ``server:`` mapping) and its validation.

Pure standard library: the browser console builds a :class:`ServerConfig` from JSON.
Every error names the source and the key path, e.g. ``exim-no-auth.yml: server.tls: ...``.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

from . import registry


class ScenarioError(ValueError):
    """A scenario or server mapping is invalid; the message names the file, line and key:
    ``exim-no-auth.yml:7: server.tls: ...`` (without the line when it is not known)."""

    def __init__(self, source: str, key: str, message: str, line: int | None = None) -> None:
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {key}: {message}")
        self.source, self.key, self.message, self.line = source, key, message, line

    def at_line(self, line: int | None) -> ScenarioError:
        """The same error, now knowing its line."""
        return ScenarioError(self.source, self.key, self.message, line)


def client_address(value: object, source: str, key: str) -> str:
    """The client's IP address in its normal form (``client.ip``, ``--client-ip``): the engine
    quotes it in replies (e.g. Exim's ``[192.0.2.10]``), so nothing else may ride along; an IPv6
    zone (``%eth0``), which :func:`ipaddress.ip_address` takes verbatim, is refused."""
    text = value if isinstance(value, str) else ""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        address = None
    if address is None or "%" in text:
        raise ScenarioError(source, key, f"{value!r} is not an IP address")
    return str(address)


SOFTWARE = registry.names()  # server.software: the personality registry's names
TLS_MODES = ("none", "offered", "required")
AUTH_MODES = ("none", "offered", "tls-only", "required")
RELAY_POLICIES = ("defer", "reject")
DELIVERY = ("internet", "local-only")


@dataclass(frozen=True)
class ServerConfig:
    """What the simulated server is; defaults are each package's Debian 12 behaviour."""

    software: str = "exim"
    hostname: str = "mail.example.net"
    local_domains: tuple[str, ...] = ()
    relay_networks: tuple[str, ...] = ()
    tls: str = "offered"
    auth: str = "none"
    relay_policy: str = "defer"
    delivery: str = "internet"
    users: dict[str, str] = field(default_factory=dict)
    mailboxes: tuple[str, ...] | None = None

    @functools.cached_property
    def _local(self) -> frozenset[str]:
        return frozenset({self.hostname.lower(), "localhost", *(x.lower() for x in self.local_domains)})

    @functools.cached_property
    def _networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(ipaddress.ip_network(n, strict=False) for n in self.relay_networks)

    def is_local_domain(self, domain: str) -> bool:
        """Debian: the host name, ``localhost`` and the configured domains are local."""
        return domain.lower().rstrip(".") in self._local

    @functools.cached_property
    def _trusted(self) -> dict[str, bool]:
        return {}

    def client_trusted(self, ip: str) -> bool:
        """Exim ``relay_from_hosts`` / Postfix ``mynetworks`` (RFC 5321 §3.6 relaying)."""
        if ip not in self._trusted:
            try:
                addr = ipaddress.ip_address(ip)
                ok = any(addr.version == n.version and addr in n for n in self._networks)
            except ValueError:
                ok = False
            if len(self._trusted) < 1024:
                self._trusted[ip] = ok
            return ok
        return self._trusted[ip]

    def has_mailbox(self, local_part: str, domain: str) -> bool:
        """A local recipient exists: ``postmaster`` and ``root`` always (Debian aliases)."""
        lp = local_part.lower()
        if lp in ("postmaster", "root"):
            return True
        boxes = self.mailboxes if self.mailboxes is not None else tuple(u for u in self.users if "@" in u)
        for box in boxes:
            b_lp, _, b_dom = box.lower().partition("@")
            if b_lp == lp and (not b_dom or b_dom == domain.lower()):
                return True
        return False

    def check_password(self, user: str, password: str) -> bool:
        return user in self.users and self.users[user] == password


_STR_CHOICES = {
    "software": SOFTWARE,
    "tls": TLS_MODES,
    "auth": AUTH_MODES,
    "relay_policy": RELAY_POLICIES,
    "delivery": DELIVERY,
}


# RFC 1123 §2.1 host names (labels of letters, digits, hyphens; "_" tolerated as real servers do).
_HOSTNAME = re.compile(
    r"(?=.{1,253}\Z)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
    r"(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _str(source: str, key: str, value: Any) -> str:
    """A non-empty string without control characters (a CR or LF would inject a line on the wire)."""
    if not isinstance(value, str) or not value:
        raise ScenarioError(source, key, f"expected a non-empty string, got {value!r}")
    if _CONTROL.search(value):
        raise ScenarioError(source, key, f"control characters (CR, LF, ...) are not allowed: {value!r}")
    return value


def _hostname(source: str, key: str, value: Any) -> str:
    v = _str(source, key, value)
    if not _HOSTNAME.fullmatch(v):
        raise ScenarioError(source, key, f"{v!r} is not a host name (letters, digits, '-', '.')")
    return v


def _str_list(source: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ScenarioError(source, key, f"expected a list of strings, got {value!r}")
    for i, v in enumerate(value):
        _str(source, f"{key}[{i}]", v)
    return tuple(value)


def server_config_from_dict(d: Any, source: str = "<server>", key: str = "server") -> ServerConfig:
    """Validate a ``server:`` mapping; unknown keys or values raise :class:`ScenarioError`."""
    if not isinstance(d, dict):
        raise ScenarioError(source, key, f"expected a mapping, got {type(d).__name__}")
    kw: dict[str, Any] = {}
    for k, v in d.items():
        path = f"{key}.{k}"
        if k in _STR_CHOICES:
            v = _str(source, path, v)
            if v not in _STR_CHOICES[k]:
                raise ScenarioError(source, path, f"{v!r} is not one of {', '.join(_STR_CHOICES[k])}")
            kw[k] = v
        elif k == "hostname":
            kw[k] = _hostname(source, path, v)
        elif k in ("local_domains", "mailboxes"):
            kw[k] = _str_list(source, path, v)
        elif k == "relay_networks":
            nets = _str_list(source, path, v)
            for n in nets:
                try:
                    ipaddress.ip_network(n, strict=False)
                except ValueError:
                    raise ScenarioError(source, path, f"{n!r} is not a network (CIDR)") from None
            kw[k] = nets
        elif k == "users":
            if not isinstance(v, dict) or not all(
                isinstance(a, str) and isinstance(b, str) for a, b in v.items()
            ):
                raise ScenarioError(source, path, "expected a mapping of user name to password")
            kw[k] = dict(v)
        else:
            raise ScenarioError(source, path, "unknown key")
    if "software" not in kw:
        raise ScenarioError(source, f"{key}.software", f"missing (one of {', '.join(SOFTWARE)})")
    cfg = ServerConfig(**kw)
    spec = registry.get(cfg.software)
    for attr, supported in spec.settings.items():
        value = getattr(cfg, attr)
        if value not in supported:
            raise ScenarioError(
                source,
                f"{key}.{attr}",
                f"{value!r} is not modelled for {cfg.software} "
                f"(it reproduces {', '.join(map(repr, supported))})",
            )
    return cfg
