"""API keys: hashed on reading, one tenant each, and configuration errors that name the entry
but never the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.keys import KeyConfigError, key_hash, load_key_ring, parse_key_file, parse_keys


def test_pairs_are_kept_as_hashes_only() -> None:
    ring = load_key_ring("county-a=alpha, county-b=beta", None)
    assert ring.tenant_of("alpha") == "county-a" and ring.tenant_of("beta") == "county-b"
    assert ring.tenant_of("gamma") is None and ring.tenant_of(None) is None
    assert "alpha" not in repr(ring.tenants_by_hash)
    assert set(ring.tenants_by_hash) == {key_hash("alpha"), key_hash("beta")}


def test_a_file_of_hashes_and_the_pairs_combine(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.write_text(f"# comment\n\ncounty-c:{key_hash('gamma').upper()}  # trailing\n")
    ring = load_key_ring("county-a=alpha", path)
    assert ring.tenant_of("gamma") == "county-c" and ring.tenant_of("alpha") == "county-a"


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ("county-a", "entry 1: expected tenant=key"),
        ("county-a=alpha,county-b=", "entry 2: expected tenant=key"),
        ("bad tenant!=alpha", "entry 1: tenant 'bad tenant!'"),
        ("county-a=alpha,county-b=alpha", "the same key is given to 'county-a' and 'county-b'"),
    ],
)
def test_bad_pairs_name_the_entry_not_the_key(pairs: str, message: str) -> None:
    with pytest.raises(KeyConfigError) as bad:
        parse_keys(pairs)
    assert message in str(bad.value) and "alpha" not in str(bad.value)


def test_a_bad_key_file_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.write_text(f"county-a:{key_hash('x')}\ncounty-b:not-a-hash\n")
    with pytest.raises(KeyConfigError, match="line 2: expected tenant:<64 hex digits>"):
        parse_key_file(path)
    with pytest.raises(KeyConfigError, match="MATCHER_API_KEYS_FILE"):
        parse_key_file(tmp_path / "missing")
