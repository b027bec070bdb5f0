from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_network

IPAddress = IPv4Address | IPv6Address

_CGNAT = ip_network("100.64.0.0/10")
# NAT64 (RFC 6052, RFC 8215): the well-known prefix carries an IPv4 address in its last 32
# bits, which a NAT64 gateway then reaches; the local-use prefix is private by definition.
_NAT64 = ip_network("64:ff9b::/96")
_NAT64_LOCAL = ip_network("64:ff9b:1::/48")
# IPv4-compatible IPv6 (deprecated, RFC 4291): ::a.b.c.d.
_IPV4_COMPATIBLE = ip_network("::/96")
# The kinds an operator may re-allow for local testing. Link-local (169.254.169.254 is the
# cloud metadata service), multicast, unspecified and reserved addresses are never a webhook.
_PRIVATE_KINDS = frozenset({"loopback", "private", "shared (CGNAT)", "site-local"})


@dataclass(frozen=True)
class AddressPolicy:
    """Which IP addresses outbound webhook requests may reach: public unicast ones only.

    An IPv6 address that embeds an IPv4 one (IPv4-mapped, IPv4-compatible, NAT64, 6to4,
    Teredo) is judged by the IPv4 address too, since that is what it ends up reaching.
    With `allow_private`, loopback, private, CGNAT and site-local addresses are allowed.
    """

    allow_private: bool = False

    def refusal(self, address: IPAddress) -> str | None:
        """None when `address` may be reached; else its kind (e.g. "loopback")."""
        kind = _kind(address)
        if kind is None or (self.allow_private and kind in _PRIVATE_KINDS):
            return None
        return kind


def _kind(address: IPAddress) -> str | None:
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if isinstance(address, IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            kind = _kind(embedded)
            if kind is not None:
                return kind
            if address.ipv4_mapped is not None or address in _IPV4_COMPATIBLE or address in _NAT64:
                # Another spelling of (or a gateway's way to) a public IPv4 address.
                return None
        if address in _NAT64_LOCAL:
            return "private"
        if address.is_site_local:
            return "site-local"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_reserved:
        return "reserved"
    if address in _CGNAT:
        return "shared (CGNAT)"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "non-public"
    return None


def _embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64 or address in _IPV4_COMPATIBLE:
        return IPv4Address(int(address) & 0xFFFF_FFFF)
    return None
