"""Give libpq the root certificates of Azure Database for PostgreSQL for verified TLS.

With `sslmode=verify-full` libpq checks the server certificate against the roots in `sslrootcert`
and the certificate's name against the host. The psycopg2-binary wheel carries its own OpenSSL, which
does not find the operating system's store, so the roots must be a file. Azure documents the roots its
PostgreSQL servers chain to: Microsoft RSA Root Certificate Authority 2017, Microsoft ECC Root
Certificate Authority 2017 and DigiCert Global Root G2 (China regions, which used DigiCert Global Root
CA, move to DigiCert Global Root G2 in 2026). Those three are taken from certifi's bundle (kept current
by its maintainers) and written to one small file; trusting only them, not every root of the bundle,
is what Azure recommends. A DSN that names its own `sslrootcert` is left as it is.

`python -m shared.pg_tls` prints the path of that file (the migration hook passes it to libpq).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

AZURE_POSTGRES_ROOTS = (
    "Microsoft RSA Root Certificate Authority 2017",
    "Microsoft ECC Root Certificate Authority 2017",
    "DigiCert Global Root G2",
)
VERIFYING_MODES = frozenset({"verify-ca", "verify-full"})
_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)

_lock = threading.Lock()
_bundle: bytes | None = None


def select_roots(pem_bundle: bytes, common_names: Iterable[str] = AZURE_POSTGRES_ROOTS) -> bytes:
    """Return the self-signed certificates of `pem_bundle` whose common name is one of `common_names`.

    Raises:
        ValueError: when a named root is not in the bundle.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    wanted = set(common_names)
    chosen: dict[str, bytes] = {}
    for block in _PEM_BLOCK.findall(pem_bundle):
        # One block at a time: a root that a newer cryptography refuses must not hide the others.
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                certificate = x509.load_pem_x509_certificate(block)
        except ValueError:
            continue
        names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        name = str(names[0].value) if names else ""
        if name in wanted and certificate.subject == certificate.issuer:
            chosen[name] = certificate.public_bytes(Encoding.PEM)
    missing = sorted(wanted - chosen.keys())
    if missing:
        raise ValueError(f"root certificates missing from the CA bundle: {', '.join(missing)}")
    return b"".join(chosen[name] for name in sorted(chosen))


def azure_root_bundle(directory: Path | None = None) -> Path:
    """Return the path of a PEM file holding the Azure PostgreSQL roots, writing it when absent."""
    global _bundle
    with _lock:
        if _bundle is None:
            import certifi

            _bundle = select_roots(Path(certifi.where()).read_bytes())
        content = _bundle
    folder = directory or Path(tempfile.gettempdir())
    path = folder / f"personicle-azure-postgres-roots-{hashlib.sha256(content).hexdigest()[:16]}.pem"
    if not path.is_file():
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".roots-", suffix=".pem")
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    return path


def with_root_certificates(dsn: str, bundle: Callable[[], Path] = azure_root_bundle) -> str:
    """Add `sslrootcert` to a DSN that verifies the server but names no roots; return others unchanged."""
    from psycopg2.extensions import make_dsn, parse_dsn

    params = parse_dsn(dsn)
    if params.get("sslmode") not in VERIFYING_MODES or params.get("sslrootcert"):
        return dsn
    return make_dsn(dsn, sslrootcert=str(bundle()))


if __name__ == "__main__":
    print(azure_root_bundle())
