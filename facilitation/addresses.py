"""Which address a request comes from: the peer, or X-Forwarded-For behind trusted proxies.

Pure functions. A client can write any X-Forwarded-For it likes, so the header is read
only when the peer itself is a configured proxy, and then from the right: each trusted
proxy appended the address it saw, and the first untrusted one is the client.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted(setting: str) -> list[Network]:
    """The TRUSTED_PROXIES setting ("127.0.0.1, 10.0.0.0/8") as networks; ValueError if bad."""
    return [ipaddress.ip_network(part.strip(), strict=False)
            for part in (setting or "").split(",") if part.strip()]


def _ip(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(ip, trusted: list[Network]) -> bool:
    return ip is not None and any(ip in net for net in trusted)


def client_address(peer: str | None, forwarded_for: str | None, trusted: list[Network]) -> str:
    """The client's address: `peer`, or behind trusted proxies the X-Forwarded-For entry
    nearest to us that is not a trusted proxy. Unparseable entries end the walk."""
    peer = peer or "unknown"
    if not forwarded_for or not _trusted(_ip(peer), trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",")]
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:
            return peer  # a forged or garbled header: the proxy is the best we know
        if not _trusted(ip, trusted):
            return str(ip)
    return str(_ip(hops[0]))  # every hop a trusted proxy: the first one is the client


def address_tag(address: str, secret: str) -> str:
    """A keyed hash of an address: equal addresses give equal tags, the address itself
    cannot be read back (it is personal data, and the tag is enough to count devices)."""
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()[:16]
