"""RSA signing keys and JWT encoding with full control of header, claims and signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def b64url(data: bytes) -> str:
    """Return unpadded base64url text."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_b64(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@dataclass(frozen=True)
class SigningKey:
    """An RSA private key and its key id (the RFC 7638 thumbprint of its public JWK)."""

    private_key: rsa.RSAPrivateKey
    kid: str

    @classmethod
    def from_private_key(cls, private_key: rsa.RSAPrivateKey) -> SigningKey:
        """Wrap a key, deriving its `kid`."""
        numbers = private_key.public_key().public_numbers()
        canonical = json.dumps({"e": _int_b64(numbers.e), "kty": "RSA", "n": _int_b64(numbers.n)},
                               separators=(",", ":"), sort_keys=True)
        return cls(private_key, b64url(hashlib.sha256(canonical.encode()).digest()))

    def public_jwk(self) -> dict[str, str]:
        """Return the public key as a JWK (for the JWKS document)."""
        numbers = self.private_key.public_key().public_numbers()
        return {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid,
                "n": _int_b64(numbers.n), "e": _int_b64(numbers.e)}

    def public_pem(self) -> bytes:
        """Return the public key in PEM form."""
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign(self, data: bytes) -> bytes:
        """Return the RS256 signature of `data`."""
        return self.private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def generate_key() -> SigningKey:
    """Generate a fresh 2048-bit RSA signing key (ephemeral: tests, or a wrong-key token)."""
    return SigningKey.from_private_key(rsa.generate_private_key(public_exponent=65537, key_size=2048))


def load_or_create_key(path: Path) -> SigningKey:
    """Load the PEM key at `path`, creating it (mode 0600) on first use."""
    if not path.exists():
        key = generate_key()
        pem = key.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption())
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: load theirs below
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
    private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise ValueError(f"{path} does not hold an RSA private key")
    return SigningKey.from_private_key(private_key)


def encode_jwt(header: dict[str, Any], claims: dict[str, Any], *, key: SigningKey | None = None,
               hmac_secret: bytes | None = None) -> str:
    """Encode a JWT exactly as given: the header's `alg` is not checked against the signer.

    The signature is RS256 with `key`, HS256 with `hmac_secret`, or empty when neither is given
    (the shape of `alg: none` tokens).
    """
    signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + b64url(json.dumps(claims, separators=(",", ":")).encode()))
    if key is not None:
        signature = b64url(key.sign(signing_input.encode("ascii")))
    elif hmac_secret is not None:
        signature = b64url(hmac.new(hmac_secret, signing_input.encode("ascii"), hashlib.sha256).digest())
    else:
        signature = ""
    return f"{signing_input}.{signature}"
