"""Token encryption: round trip, tamper detection, rotation, row binding."""

import os

import pytest

from shared.crypto import Keyring
from shared.errors import CryptoError

OLD, NEW = os.urandom(32), os.urandom(32)
ROW = "connection:1234:refresh_token"


def test_round_trip():
    ring = Keyring({"k1": OLD}, "k1")
    blob = ring.encrypt("refresh-me", associated_data=ROW)
    assert b"refresh-me" not in blob
    assert ring.decrypt(blob, associated_data=ROW) == "refresh-me"


def test_each_encryption_uses_a_fresh_nonce():
    ring = Keyring({"k1": OLD}, "k1")
    assert ring.encrypt("same", associated_data=ROW) != ring.encrypt("same", associated_data=ROW)


@pytest.mark.parametrize("position", [0, 1, 5, 20, -1], ids=["version", "id-length", "key-id", "nonce", "tag"])
def test_tampered_ciphertext_is_refused(position):
    ring = Keyring({"k1": OLD}, "k1")
    blob = bytearray(ring.encrypt("secret", associated_data=ROW))
    blob[position] ^= 0x01
    with pytest.raises(CryptoError):
        ring.decrypt(bytes(blob), associated_data=ROW)


def test_ciphertext_bound_to_its_row():
    ring = Keyring({"k1": OLD}, "k1")
    blob = ring.encrypt("secret", associated_data=ROW)
    with pytest.raises(CryptoError, match="failed authentication"):
        ring.decrypt(blob, associated_data="connection:9999:refresh_token")


def test_wrong_key_is_refused():
    blob = Keyring({"k1": OLD}, "k1").encrypt("secret", associated_data=ROW)
    with pytest.raises(CryptoError, match="failed authentication"):
        Keyring({"k1": NEW}, "k1").decrypt(blob, associated_data=ROW)


def test_unknown_key_id_is_named():
    blob = Keyring({"k1": OLD}, "k1").encrypt("secret", associated_data=ROW)
    with pytest.raises(CryptoError, match="'k1', which is not in the keyring"):
        Keyring({"k2": NEW}, "k2").decrypt(blob, associated_data=ROW)


def test_truncated_ciphertext_is_refused():
    with pytest.raises(CryptoError, match="truncated|unknown format"):
        Keyring({"k1": OLD}, "k1").decrypt(b"\x01\x02k1", associated_data=ROW)


def test_rotation_old_key_decrypts_new_writes_use_new_key():
    before = Keyring({"k1": OLD}, "k1")
    old_blob = before.encrypt("old-token", associated_data=ROW)
    after = Keyring({"k1": OLD, "k2": NEW}, "k2")
    assert after.decrypt(old_blob, associated_data=ROW) == "old-token"
    new_blob = after.encrypt("new-token", associated_data=ROW)
    assert Keyring.key_id_of(new_blob) == "k2"
    assert Keyring.key_id_of(old_blob) == "k1"
    with pytest.raises(CryptoError):
        before.decrypt(new_blob, associated_data=ROW)
