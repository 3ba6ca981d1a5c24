"""A throwaway PostgreSQL + PostGIS cluster on loopback, for the tests and `make run-postgis`.

Debian's binaries (`postgresql-15`, `postgresql-15-postgis-3`); `initdb` refuses root, so as
root every server command runs as the `postgres` user. Not shipped: set-up tooling only.

    python -m tools.pgcluster start var/postgres   # prints the address; keeps the data
    python -m tools.pgcluster stop var/postgres
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

DATABASE = "drillmap"
_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


class ClusterUnavailable(RuntimeError):
    """PostgreSQL or PostGIS is not installed here (the message says what to install)."""


def bin_dir() -> Path:
    """Where initdb and pg_ctl are: Debian's newest, else the PATH's."""
    for folder in _BIN_DIRS:
        if (folder / "initdb").exists():
            return folder
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise ClusterUnavailable(
        "PostgreSQL is not installed: `make system-deps` (apt-get install postgresql"
        " postgresql-15-postgis-3)"
    )


def postgis_installed(folder: Path | None = None) -> bool:
    """Whether the PostGIS extension is there for this PostgreSQL (its control file)."""
    folder = folder or bin_dir()
    version = folder.parent.name
    return Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists()


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Cluster:
    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def sockets(self) -> Path:
        return self.root / "sock"

    def dsn(self, database: str = DATABASE) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(bin_dir() / "pg_ctl"), "-D", str(self.data), *args]
        return subprocess.run(_as_owner(command), check=check, capture_output=True, text=True)

    def start(self) -> None:
        """Start the server (fsync off: throwaway data), waiting until it accepts connections."""
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        result = self.pg_ctl("-o", options, "-l", str(self.root / "server.log"), "-w", "start",
                             check=False)
        if result.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")[-2000:]
            raise ClusterUnavailable(f"pg_ctl start failed: {result.stderr}\n{log}")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "stop", check=False)


def create(root: Path | None = None, port: int | None = None) -> Cluster:
    """initdb a new cluster under `root` (a new folder in /tmp by default), start it, and make
    the `drillmap` database with PostGIS."""
    folder = bin_dir()
    if not postgis_installed(folder):
        raise ClusterUnavailable(
            "PostGIS is not installed: `make system-deps` (apt-get install"
            f" postgresql-{folder.parent.name}-postgis-3)"
        )
    root = Path(root) if root else Path(tempfile.mkdtemp(prefix="drillmap-pg-"))
    root.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(root.resolve(), port or free_port())
    cluster.sockets.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(cluster.sockets, "postgres")
    root.chmod(0o700)
    subprocess.run(
        _as_owner([str(folder / "initdb"), "-D", str(cluster.data), "-U", "postgres",
                   "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]),
        check=True, capture_output=True, text=True,
    )
    cluster.start()
    create_database(cluster, DATABASE)
    return cluster


def create_database(cluster: Cluster, name: str) -> str:
    """A new database with PostGIS in it; its address."""
    import psycopg

    with psycopg.connect(cluster.dsn("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(cluster.dsn(name), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return cluster.dsn(name)


def destroy(cluster: Cluster) -> None:
    cluster.stop()
    shutil.rmtree(cluster.root, ignore_errors=True)


def _port_file(root: Path) -> Path:
    return root / "port"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("root", type=Path, help="the cluster's folder (kept between runs)")
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.action == "stop":
        if _port_file(root).exists():
            Cluster(root, int(_port_file(root).read_text())).stop()
        return 0
    try:
        if (root / "data" / "PG_VERSION").exists():
            cluster = Cluster(root, args.port or int(_port_file(root).read_text()))
            if cluster.pg_ctl("status", check=False).returncode != 0:
                cluster.start()
        else:
            cluster = create(root, args.port)
    except ClusterUnavailable as exc:
        print(f"pgcluster: {exc}", file=sys.stderr)
        return 2
    _port_file(root).write_text(str(cluster.port))
    print(cluster.dsn())
    return 0


if __name__ == "__main__":
    sys.exit(main())
