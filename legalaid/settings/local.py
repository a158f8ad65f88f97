"""Development on one machine: `make run`. Embedded defaults (SQLite, filesystem broker).

`make run` serves on 127.0.0.1 (HOST), where DEBUG is on and only this machine's loopback names are
allowed. Opened to the network (`make run HOST=0.0.0.0`), DEBUG is off by default (its error pages
show settings and code to whoever reaches them) and the allowed host names are this machine's own,
unless DEBUG / ALLOWED_HOSTS say otherwise."""
import ipaddress
import socket

from .base import *  # noqa: F401,F403
from .base import env

LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
HOST = env("HOST", default="127.0.0.1")
OPEN_TO_NETWORK = HOST not in ("127.0.0.1", "localhost", "::1", "[::1]")


def _machine_names() -> list[str]:
    names = {socket.gethostname(), socket.getfqdn()}
    try:
        names.update(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    try:
        wildcard = ipaddress.ip_address(HOST.strip("[]")).is_unspecified  # all interfaces
    except ValueError:
        wildcard = False  # a host name
    if not wildcard:
        names.add(HOST)
    return LOOPBACK_HOSTS + sorted(n for n in names if n and n not in LOOPBACK_HOSTS)


DEBUG = env.bool("DEBUG", default=not OPEN_TO_NETWORK)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=_machine_names() if OPEN_TO_NETWORK else LOOPBACK_HOSTS)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
