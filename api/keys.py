"""API keys: each key belongs to one county (tenant); only SHA-256 hashes are kept.

Keys come from ``MATCHER_API_KEYS`` (``tenant=key`` pairs separated by commas) or from
``MATCHER_API_KEYS_FILE`` (lines ``tenant:sha256-hex-of-key``; ``#`` starts a comment).
The plain keys of ``MATCHER_API_KEYS`` are hashed on reading and never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from pathlib import Path

_TENANT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}\Z")
_HEX = re.compile(r"[0-9a-f]{64}\Z")


class KeyConfigError(ValueError):
    """An API key setting that cannot be read; the message names the entry (never the key)."""


def key_hash(key: str) -> str:
    """The hex SHA-256 of a key, as ``MATCHER_API_KEYS_FILE`` holds it."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class KeyRing:
    """Key hashes and the tenant each belongs to."""

    tenants_by_hash: dict[str, str]

    def tenant_of(self, key: str | None) -> str | None:
        """The tenant of a presented key, or None. Every hash is compared in constant time."""
        if not key:
            return None
        presented = key_hash(key)
        found: str | None = None
        for digest, tenant in self.tenants_by_hash.items():
            if hmac.compare_digest(digest, presented):
                found = tenant
        return found

    def __len__(self) -> int:
        return len(self.tenants_by_hash)


def _add(ring: dict[str, str], tenant: str, digest: str, where: str) -> None:
    if not _TENANT.match(tenant):
        raise KeyConfigError(f"{where}: tenant {tenant!r} must be 1-64 letters, digits, _ . -")
    if digest in ring and ring[digest] != tenant:
        raise KeyConfigError(f"{where}: the same key is given to {ring[digest]!r} and {tenant!r}")
    ring[digest] = tenant


def parse_keys(pairs: str) -> dict[str, str]:
    """Hashes and tenants of ``tenant=key,tenant=key``."""
    ring: dict[str, str] = {}
    for number, item in enumerate(pairs.split(","), start=1):
        item = item.strip()
        if not item:
            continue
        tenant, sep, key = item.partition("=")
        if not sep or not key.strip():
            raise KeyConfigError(f"MATCHER_API_KEYS entry {number}: expected tenant=key")
        _add(ring, tenant.strip(), key_hash(key.strip()), f"MATCHER_API_KEYS entry {number}")
    return ring


def parse_key_file(path: Path) -> dict[str, str]:
    """Hashes and tenants of a file of ``tenant:sha256-hex`` lines."""
    ring: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KeyConfigError(f"MATCHER_API_KEYS_FILE {path}: {error.strerror}") from None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        tenant, sep, digest = line.partition(":")
        digest = digest.strip().lower()
        if not sep or not _HEX.match(digest):
            raise KeyConfigError(f"{path} line {number}: expected tenant:<64 hex digits>")
        _add(ring, tenant.strip(), digest, f"{path} line {number}")
    return ring


def load_key_ring(pairs: str, path: Path | None) -> KeyRing:
    """Every configured key: both sources together."""
    ring = parse_keys(pairs)
    if path is not None:
        for digest, tenant in parse_key_file(path).items():
            _add(ring, tenant, digest, str(path))
    return KeyRing(ring)
