"""Outbound network access: which addresses tenant-supplied URLs may reach, and an HTTP
transport that connects only to those."""

from moderation.infrastructure.network.address_policy import AddressPolicy
from moderation.infrastructure.network.egress_guard import (
    MAX_URL_LENGTH,
    EgressGuard,
    Resolver,
    system_resolver,
)
from moderation.infrastructure.network.egress_refused_error import EgressRefusedError
from moderation.infrastructure.network.guarded_network_backend import GuardedNetworkBackend
from moderation.infrastructure.network.guarded_transport import GuardedTransport

__all__ = [
    "MAX_URL_LENGTH",
    "AddressPolicy",
    "EgressGuard",
    "EgressRefusedError",
    "GuardedNetworkBackend",
    "GuardedTransport",
    "Resolver",
    "system_resolver",
]
