"""Which hosts are on the server's own network: webhooks and image URLs must not reach them
unless allowed (a team must not make the server call, or read, its internal services)."""

from __future__ import annotations

import ipaddress
import socket


def internal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The first loopback, private, link-local or reserved address `host` resolves to, or None
    (also when it does not resolve: the caller's connection attempt will say so)."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError):
        return None
    for address in sorted(addresses):
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved:
            return ip
    return None
