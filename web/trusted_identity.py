"""Who an authenticating reverse proxy (oauth2-proxy, ...) says is asking.

The proxy names the user in KB_TRUSTED_USER_HEADER and their departments in
KB_TRUSTED_GROUPS_HEADER. Anyone can send those headers, so they are read only when the
request's immediate peer is one of KB_TRUSTED_PROXIES. The middleware runs before uvicorn's
ProxyHeadersMiddleware rewrites the client address from X-Forwarded-For, so it judges the
proxy itself, never an address the proxy was told.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from kb.glossary import GlossaryError
from kb.glossary.names import NAME_PATTERN, clean_departments
from kb.settings import Settings

log = logging.getLogger(__name__)
SCOPE_KEY = "kb.proxy_identity"


@dataclass(frozen=True)
class ProxyIdentity:
    name: str
    departments: tuple[str, ...] | None  # None: the proxy sends no departments header


class TrustedProxies:
    """Addresses and networks from a comma-separated list; '*' is every peer."""

    def __init__(self, spec: str):
        entries = [entry.strip() for entry in spec.split(",") if entry.strip()]
        self.everyone = "*" in entries
        self.networks, self.names = [], set()
        for entry in entries:
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.names.add(entry)  # a host name or unix socket path, matched literally

    def __contains__(self, host: str | None) -> bool:
        if host is None:
            return False
        if self.everyone or host in self.names:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)


@dataclass(frozen=True)
class IdentityHeaders:
    user_header: str
    groups_header: str
    proxies: TrustedProxies

    @classmethod
    def from_settings(cls, settings: Settings) -> IdentityHeaders:
        return cls(
            settings.trusted_user_header.strip(),
            settings.trusted_groups_header.strip(),
            TrustedProxies(settings.trusted_proxies),
        )

    def identity(self, peer: str | None, headers: Headers) -> ProxyIdentity | None:
        """The user the proxy names, or None: headers off, peer untrusted, or no valid name."""
        if not self.user_header or peer not in self.proxies:
            return None
        name = headers.get(self.user_header, "").strip()
        if not NAME_PATTERN.match(name):
            if name:
                log.warning("%s from proxy %s is not a valid user name", self.user_header, peer)
            return None
        return ProxyIdentity(name, self._departments(headers))

    def _departments(self, headers: Headers) -> tuple[str, ...] | None:
        if not self.groups_header or self.groups_header not in headers:
            return None
        # one comma-separated line, or one line per group: some proxies send either
        groups = ",".join(headers.getlist(self.groups_header)).split(",")
        try:
            return clean_departments(groups, self.groups_header)
        except GlossaryError as exc:  # too many or too long: no departments, not a crash
            log.warning("ignoring departments from the proxy: %s", exc.message)
            return ()


class TrustedIdentityMiddleware:
    """Puts the proxy's ProxyIdentity (or None) in scope[SCOPE_KEY] for web.security."""

    def __init__(self, app: ASGIApp, headers: IdentityHeaders):
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            peer = scope["client"][0] if scope.get("client") else None
            scope[SCOPE_KEY] = self.headers.identity(peer, Headers(scope=scope))
        await self.app(scope, receive, send)
