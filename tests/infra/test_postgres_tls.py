"""PostgreSQL TLS: verify-full through the app's connection code against a server of a local test CA.

A throw-away cluster with ssl=on and a certificate for "localhost" signed by a CA made here runs on a
free loopback port. The app's Database connects with verify-full and that CA as root; another CA, a
wrong host name, or no sslrootcert (the Azure roots then) must be refused.
"""

import datetime
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import certifi
import psycopg2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from shared.db import Database
from shared.pg_tls import AZURE_POSTGRES_ROOTS, azure_root_bundle, select_roots, with_root_certificates

pytestmark = pytest.mark.integration  # starts a server or a slow external tool


@dataclass(frozen=True)
class SignIn:
    postgres_dsn: str
    postgres_auth: str = "password"
    postgres_password: str | None = None


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _authority(name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _server_certificate(ca_key, ca: x509.Certificate) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return key, certificate


def _bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True):
        if os.access(f"{candidate}/initdb", os.X_OK):
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def tls_server():
    """Run a TLS-only PostgreSQL with a test CA; yield (port, ca file, other CA file)."""
    bindir = _bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    as_root = os.geteuid() == 0
    # The server runs as the postgres user when we are root: its folder must be reachable by it.
    home = Path(tempfile.mkdtemp(prefix="personicle-tls-", dir="/var/tmp" if as_root else None))
    home.chmod(0o755)
    ca_key, ca = _authority("Personicle test CA")
    _, other_ca = _authority("Some other CA")
    server_key, server_cert = _server_certificate(ca_key, ca)
    (home / "ca.pem").write_bytes(_pem(ca))
    (home / "other-ca.pem").write_bytes(_pem(other_ca))
    (home / "server.crt").write_bytes(_pem(server_cert) + _pem(ca))
    (home / "server.key").write_bytes(server_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (home / "server.key").chmod(0o600)
    (home / "data").mkdir()
    (home / "socket").mkdir()
    prefix: list[str] = []
    if as_root:
        prefix = ["runuser", "-u", "postgres", "--"]
        for path in (home / "data", home / "socket", home / "server.key", home / "server.crt"):
            shutil.chown(path, "postgres", "postgres")
    port = _free_port()
    options = (f"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{home}/socket' -c ssl=on "
               f"-c ssl_cert_file='{home}/server.crt' -c ssl_key_file='{home}/server.key' -c fsync=off")
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(home / "data"), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8"], check=True, capture_output=True, timeout=120)
    # Only TLS connections are accepted over TCP, so a connection that works has used TLS.
    (home / "data" / "pg_hba.conf").write_text("local all all trust\nhostssl all all 127.0.0.1/32 trust\n")
    started = subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(home / "data"), "-l", str(home / "socket" / "log"),
                              "-o", options, "-w", "-t", "60", "start"], capture_output=True, text=True, timeout=90)
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        yield port, home / "ca.pem", home / "other-ca.pem"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(home / "data"), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(home, ignore_errors=True)


def _database(port: int, host: str, **extra: str) -> Database:
    params = " ".join(f"{key}={value}" for key, value in extra.items())
    return Database(SignIn(f"hostaddr=127.0.0.1 host={host} port={port} dbname=postgres user=postgres "
                           f"sslmode=verify-full {params}"))


def test_verify_full_with_the_servers_ca_connects_over_tls(tls_server):
    port, ca, _ = tls_server
    database = _database(port, "localhost", sslrootcert=str(ca))
    try:
        with database.transaction() as cursor:
            cursor.execute("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ssl, version = cursor.fetchone()
    finally:
        database.close()
    assert ssl is True
    assert version in ("TLSv1.2", "TLSv1.3")


def test_a_certificate_of_another_ca_is_refused(tls_server):
    port, _, other_ca = tls_server
    with pytest.raises(psycopg2.OperationalError, match="certificate verify failed"):
        with _database(port, "localhost", sslrootcert=str(other_ca)).transaction():
            pass


def test_a_certificate_for_another_host_name_is_refused(tls_server):
    port, ca, _ = tls_server
    with pytest.raises(psycopg2.OperationalError, match="does not match host name"):
        with _database(port, "psql-x.postgres.database.azure.com", sslrootcert=str(ca)).transaction():
            pass


def test_without_sslrootcert_the_azure_roots_are_used_and_a_local_ca_is_not_trusted(tls_server):
    port, _, _ = tls_server
    with pytest.raises(psycopg2.OperationalError, match="certificate verify failed"):
        with _database(port, "localhost").transaction():
            pass


def test_the_azure_bundle_holds_exactly_the_documented_roots(tmp_path):
    path = azure_root_bundle(tmp_path)
    roots = [x509.load_pem_x509_certificate(block) for block in
             [b"-----BEGIN" + part for part in path.read_bytes().split(b"-----BEGIN")[1:]]]
    names = {r.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value for r in roots}
    assert names == set(AZURE_POSTGRES_ROOTS)
    assert all(r.subject == r.issuer for r in roots)
    assert azure_root_bundle(tmp_path) == path


def test_a_bundle_missing_a_root_is_refused_by_name():
    bundle = Path(certifi.where()).read_bytes()
    with pytest.raises(ValueError, match="Personicle Nonexistent Root"):
        select_roots(bundle, ["DigiCert Global Root G2", "Personicle Nonexistent Root"])


@pytest.mark.parametrize(("dsn", "adds_roots"), [
    ("host=h sslmode=verify-full", True),
    ("host=h sslmode=verify-ca", True),
    ("host=h sslmode=verify-full sslrootcert=/own/roots.pem", False),
    ("host=h sslmode=require", False),
    ("host=h", False),
], ids=["verify-full", "verify-ca", "own-roots", "require", "no-sslmode"])
def test_roots_are_added_only_where_the_server_is_verified_and_none_are_named(dsn, adds_roots, tmp_path):
    bundle = tmp_path / "roots.pem"
    result = with_root_certificates(dsn, lambda: bundle)
    assert (f"sslrootcert={bundle}" in result) is adds_roots
    if not adds_roots:
        assert result == dsn
