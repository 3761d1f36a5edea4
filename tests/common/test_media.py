"""The photo store: files named by their content's SHA-256, written whole or not at all, and
nothing outside its folder reachable by a key."""

import hashlib

import pytest

from aoapp.common.media import MediaStore


def test_content_is_stored_once_by_its_hash_and_removed(tmp_path):
    store = MediaStore(tmp_path)
    key = store.put(b"foto toko")
    assert key == hashlib.sha256(b"foto toko").hexdigest() and store.put(b"foto toko") == key
    with store.open(key) as file:
        assert file.read() == b"foto toko"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [key]  # no temporary left
    store.delete(key)
    store.delete(key)  # gone already: nothing to do
    assert not store.exists(key)


@pytest.mark.parametrize("key", ["../../etc/passwd", "A" * 64, "ab", None])
def test_a_key_is_a_hash_and_nothing_else(tmp_path, key):
    with pytest.raises(ValueError):
        MediaStore(tmp_path).path(key)
