"""Who sent a request: the client's address, as far as our own proxies vouch for it."""

from ipaddress import ip_address

from django.conf import settings


def client_address(request):
    """Return the client's IP address, trusting only PROXY_COUNT proxies in front of us.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with
    N proxies the client is the N-th entry from the right; entries further left are whatever
    the client wrote and are never read. With no proxy configured, or a header that is
    shorter than the chain or malformed, the address is the connection's own.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [
        entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    ]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
