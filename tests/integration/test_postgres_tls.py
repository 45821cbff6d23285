"""A hall's PostgreSQL over TLS with ``sslmode=verify-full`` (issue 14 §5).

A private cluster of this module is restarted with ``ssl=on`` and a server certificate for
``localhost`` signed by a CA made here with the ``openssl`` command (the ``cryptography`` package
is not a dependency); another CA stands for a hall's wrong CA file. The URL carries libpq's
``sslmode`` and ``sslrootcert``, as README's "A hall on PostgreSQL" says.
"""

from __future__ import annotations

import os
import pwd
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from medins_desk.hall.cluster import SERVER_OS_USER, SUPERUSER
from medins_desk.store import open_store
from tests.helpers.cli import Cli
from tests.helpers.postgres import PrivateCluster, find_bindir

UNREACHABLE = 3
_EC = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")


def _openssl(folder: Path, *args: str) -> None:
    done = subprocess.run(
        ["openssl", *args], cwd=folder, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr


def _make_ca(folder: Path, name: str) -> None:
    _openssl(
        folder, "req", "-x509", *_EC, "-keyout", f"{name}.key", "-out", f"{name}.crt",
        "-days", "2", "-subj", f"/CN=medins test {name}",
    )  # fmt: skip


def _make_server_certificate(folder: Path, *, ca: str, host: str) -> None:
    _openssl(
        folder, "req", "-new", *_EC, "-keyout", "server.key", "-out", "server.csr",
        "-subj", f"/CN={host}",
    )  # fmt: skip
    (folder / "server.ext").write_text(
        f"subjectAltName=DNS:{host}\nextendedKeyUsage=serverAuth\n", encoding="ascii"
    )
    _openssl(
        folder, "x509", "-req", "-in", "server.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
        "-out", "server.crt", "-days", "2", "-extfile", "server.ext",
    )  # fmt: skip


@dataclass(frozen=True)
class TlsServer:
    port: int
    certificates: Path

    def url(self, *, host: str = "localhost", ca: str = "hall-ca") -> str:
        root = self.certificates / f"{ca}.crt"
        return (
            f"postgresql+psycopg://{SUPERUSER}@{host}:{self.port}/medins"
            f"?sslmode=verify-full&sslrootcert={root}"
        )


@pytest.fixture(scope="module")
def tls_server() -> Iterator[TlsServer]:
    bindir = find_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL server binaries not found: run `make test`", pytrace=False)
    cluster = PrivateCluster.create(bindir)
    try:
        cluster.start()
        assert cluster.port is not None
        certificates = cluster.base / "tls"
        certificates.mkdir()
        _make_ca(certificates, "hall-ca")
        _make_ca(certificates, "other-ca")
        _make_server_certificate(certificates, ca="hall-ca", host="localhost")
        # The server reads its key only if the key is its own and nobody else may read it.
        key = certificates / "server.key"
        if cluster.as_root:
            entry = pwd.getpwnam(SERVER_OS_USER)
            for path in (certificates, key, certificates / "server.crt"):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        key.chmod(0o600)
        plain = f"host=127.0.0.1 port={cluster.port} user={SUPERUSER} dbname=postgres"
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f"ALTER SYSTEM SET ssl_cert_file = '{certificates / 'server.crt'}'")
            admin.execute(f"ALTER SYSTEM SET ssl_key_file = '{key}'")
            admin.execute("ALTER SYSTEM SET ssl = on")
            admin.execute("CREATE DATABASE medins")
        cluster.halt()
        cluster.resume()
        yield TlsServer(cluster.port, certificates)
    finally:
        cluster.stop()


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def test_verify_full_with_the_halls_ca_connects_encrypted(cli: Cli, tls_server: TlsServer) -> None:
    done = cli.run("--db", tls_server.url(), "db", "upgrade", db=False)
    assert done.returncode == 0, done.stderr
    store = open_store(tls_server.url(), migrate=False)
    try:
        with store.engine.connect() as connection:
            encrypted = connection.exec_driver_sql(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
            ).scalar_one()
    finally:
        store.dispose()
    assert encrypted is True


@pytest.mark.parametrize(
    ("host", "ca", "logged"),
    [
        ("localhost", "other-ca", "certificate verify failed"),
        ("127.0.0.1", "hall-ca", 'does not match host name "127.0.0.1"'),
    ],
    ids=["another-ca", "another-host-name"],
)
def test_verify_full_refuses_a_server_it_cannot_verify(
    cli: Cli, tls_server: TlsServer, host: str, ca: str, logged: str
) -> None:
    done = cli.run("--db", tls_server.url(host=host, ca=ca), "status", db=False)
    assert done.returncode == UNREACHABLE, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(
        f"错误：与数据库服务器 {host}:{tls_server.port} 的加密连接（SSL/TLS）未能建立。"
    ), done.stderr
    assert "sslrootcert" in done.stderr
    log = (cli.tmp_path / "log" / "medins-desk.log").read_text(encoding="utf-8")
    assert logged in log
