"""Limits on lookups by anyone (verification codes, later fines …), kept in Django's cache.

A fixed window per client: the first hit opens it, `limit` hits fit in it. With Redis
(CACHE_URL) the count is shared by every app server; with the default local-memory cache each
process counts on its own, which is enough on one machine.
"""

import ipaddress

from django.core.cache import cache
from django.http import HttpRequest

from dimos.core.audit import client_ip


def client_key(request: HttpRequest) -> str:
    """Who is asking: the IPv4 address, or the /64 of an IPv6 one (one home, one key)."""
    raw = client_ip(request) or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:64]
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def hit(bucket: str, who: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit of `who` in `bucket`; False once more than `limit` fall in the window."""
    key = f"dimos:ratelimit:{bucket}:{who}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window closed between add and incr: this hit opens a new one
        cache.add(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
