import pytest

from core.clients import client_address


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # No proxy of ours: the header is the client's own writing.
        (0, "192.0.2.66", "10.0.0.2"),
        # One proxy: the right-most entry is the one it appended.
        (1, "192.0.2.66, 198.51.100.23", "198.51.100.23"),
        # Two proxies: the second appended the first's address; the client is one further left.
        (2, "192.0.2.66, 198.51.100.23, 10.0.0.1", "198.51.100.23"),
        (2, "2001:db8::1, 10.0.0.1", "2001:db8::1"),
        # Shorter than the chain of proxies, or not an address: the connection's own address.
        (2, "198.51.100.23", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
    ],
)
def test_it_trusts_only_the_configured_number_of_proxies(
    rf, settings, proxies, forwarded, expected
):
    settings.PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")

    assert client_address(request) == expected


def test_it_uses_the_connection_address_without_a_header(rf, settings):
    settings.PROXY_COUNT = 1
    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
