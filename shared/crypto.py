"""Encrypt tokens at rest with AES-256-GCM under a keyring that can rotate.

Ciphertext layout: version byte (1) | key-id length (1) | key id (ASCII) | nonce (12) | ciphertext+tag.
The key id travels with each ciphertext so old rows still decrypt after a new key becomes active.
The caller passes the row's identity (e.g. `connection:<id>:refresh_token`) as associated data, so a
ciphertext copied into another row or column does not decrypt.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from shared.errors import CryptoError

if TYPE_CHECKING:
    from shared.config import Settings

_VERSION = 1
_NONCE_BYTES = 12


class Keyring:
    """Named AES-256 keys, one of them active for new ciphertexts."""

    def __init__(self, keys: Mapping[str, bytes], active_key_id: str) -> None:
        if active_key_id not in keys:
            raise CryptoError(f"active key id {active_key_id!r} is not in the keyring")
        for key_id, key in keys.items():
            if len(key) != 32:
                raise CryptoError(f"key {key_id!r} is not 32 bytes")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self.active_key_id = active_key_id

    @classmethod
    def from_settings(cls, settings: Settings) -> Keyring:
        """Build the keyring from TOKEN_ENCRYPTION_KEYS (active: TOKEN_ENCRYPTION_ACTIVE_KEY or the first)."""
        keys = settings.token_encryption_keys
        active = settings.token_encryption_active_key or next(iter(keys))
        return cls(keys, active)

    def encrypt(self, plaintext: str, *, associated_data: str) -> bytes:
        """Encrypt `plaintext` under the active key, bound to `associated_data`."""
        key_id = self.active_key_id.encode("ascii")
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._ciphers[self.active_key_id].encrypt(
            nonce, plaintext.encode("utf-8"), associated_data.encode("utf-8"))
        return bytes([_VERSION, len(key_id)]) + key_id + nonce + sealed

    def decrypt(self, blob: bytes, *, associated_data: str) -> str:
        """Decrypt a ciphertext made by `encrypt` with the same associated data.

        Raises:
            CryptoError: unknown format or key id, tampered data, or the wrong row identity.
        """
        from cryptography.exceptions import InvalidTag

        key_id, nonce, sealed = self._split(bytes(blob))
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise CryptoError(f"ciphertext uses key id {key_id!r}, which is not in the keyring")
        try:
            plaintext = cipher.decrypt(nonce, sealed, associated_data.encode("utf-8"))
        except InvalidTag:
            raise CryptoError(
                f"ciphertext under key id {key_id!r} failed authentication "
                "(tampered, wrong key, or bound to another row)") from None
        return plaintext.decode("utf-8")

    @staticmethod
    def key_id_of(blob: bytes) -> str:
        """Return the key id a ciphertext was made with."""
        return Keyring._split(bytes(blob))[0]

    @staticmethod
    def _split(blob: bytes) -> tuple[str, bytes, bytes]:
        if len(blob) < 2 or blob[0] != _VERSION:
            raise CryptoError("ciphertext has an unknown format")
        id_length = blob[1]
        header = 2 + id_length
        if len(blob) < header + _NONCE_BYTES + 16:
            raise CryptoError("ciphertext is truncated")
        try:
            key_id = blob[2:header].decode("ascii")
        except UnicodeDecodeError:
            raise CryptoError("ciphertext has an unknown format") from None
        return key_id, blob[header:header + _NONCE_BYTES], blob[header + _NONCE_BYTES:]


_keyring: Keyring | None = None


def get_keyring() -> Keyring:
    """Return the process-wide keyring built from the settings."""
    global _keyring
    if _keyring is None:
        from shared.config import get_settings

        _keyring = Keyring.from_settings(get_settings())
    return _keyring
