"""What a staff member may see of their own sessions: the browser and system family, and a masked network."""

import ipaddress

from cases.plumbing import client_address

# (marker in the User-Agent, name): the first match wins, so more specific browsers come first.
BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("CocCoc", "Cốc Cốc"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def browser_family(user_agent: str) -> str:
    """'Chrome, Android': no version, no device model."""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in SYSTEMS if marker in user_agent), "")
    return ", ".join(part for part in (browser, system) if part)[:80]


def masked_network(request) -> str:
    """The client's network, never its address: 203.113.x.x, or the first 32 bits of an IPv6 address."""
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return ""
    if address.version == 4:
        first, second, *_rest = str(address).split(".")
        return f"{first}.{second}.x.x"
    network = ipaddress.ip_network(f"{address}/32", strict=False)
    return f"{network.network_address}/32"
