"""Typed readers for settings that come from the environment.

Every reader accepts ``NAME_FILE`` as an alternative to ``NAME`` (the value is read from
that file, so secrets can come from a mounted file), and a bad value stops start-up with a
message naming the variable. An empty value counts as unset (``DATABASE_URL=`` means the
default database), as it does in most deployment tools' env files.
"""

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.http import is_same_domain

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = env_str(name, "1" if default else "0").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = env_str(name, str(default)).strip()
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """Comma-separated networks (``127.0.0.1/32``, ``10.20.0.0/16``, ``::1``; a bare address
    is its own network), each checked, written back in their usual form."""
    networks = []
    for item in env_list(name):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not a network; write it like 10.20.0.0/16 or ::1"
            ) from None
    return networks


def site_url_checked(site_url: str, allowed_hosts: list[str]) -> str:
    """The site's own address (links in emails, share links, hreflang), without a trailing
    slash. It must be an http(s) address that ALLOWED_HOSTS lets in (when ALLOWED_HOSTS is
    set): links to a host the site refuses would reach nobody, or somebody else."""
    parts = urlsplit(site_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path.strip("/"):
        raise ImproperlyConfigured(
            f"SITE_URL={site_url!r} is not a site address: write it like https://act.example.org"
        )
    host = parts.hostname
    if allowed_hosts and not any(p == "*" or is_same_domain(host, p) for p in allowed_hosts):
        raise ImproperlyConfigured(
            f"SITE_URL={site_url!r} names {host}, which ALLOWED_HOSTS ({','.join(allowed_hosts)})"
            " does not let in: share links and links in emails would not open this site. Set "
            f"SITE_URL to this site's own address, or add {host} to ALLOWED_HOSTS."
        )
    return site_url.rstrip("/")
