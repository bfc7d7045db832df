"""Private SPARQL servers on loopback, for the store tests and the scale-out benchmark.

Each server gets its own directory and free 127.0.0.1 ports, runs in the foreground as a child
process, and is stopped (SIGTERM, then SIGKILL) when the ``with`` block ends:

- **Oxigraph server** (the ``oxigraph`` PyPI package, a binary in the venv):
  ``oxigraph serve --location DIR --bind 127.0.0.1:PORT --union-default-graph --timeout-s N``;
  endpoints ``/query``, ``/update``, ``/store`` (Graph Store Protocol), no authentication.
- **Virtuoso** (Debian ``virtuoso-opensource``): ``virtuoso-t +foreground`` with a
  ``virtuoso.ini`` written into DIR; writes go through the authenticated endpoints
  ``/sparql-auth`` and ``/sparql-graph-crud-auth`` as ``dba`` (HTTP Digest). The instance
  listens on loopback only, and its database lives in DIR.

``scripts/install-sparql-servers.sh`` installs both. Used from the command line, the module
starts one server and prints its endpoints until Ctrl-C::

    .venv/bin/python scripts/sparql_servers.py oxigraph /tmp/oxi
    .venv/bin/python scripts/sparql_servers.py virtuoso /tmp/virt
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

__all__ = [
    "SERVERS",
    "Server",
    "ServerUnavailable",
    "free_port",
    "running",
    "start_oxigraph",
    "start_virtuoso",
    "virtuoso_bulk_load",
]

VIRTUOSO_BINARY = "virtuoso-t"
VIRTUOSO_ISQL = "isql-vt"
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
VIRTUOSO_USER = ("dba", "dba")


class ServerUnavailable(RuntimeError):
    """A server that cannot be started here; the message says why."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    """The ``oxigraph`` CLI: next to this Python (the venv), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise ServerUnavailable(
            "the oxigraph CLI is not installed: run scripts/install-sparql-servers.sh "
            "(pip install 'oxigraph>=0.5,<0.6' into .venv)"
        )
    return found


@dataclass
class Server:
    """A running SPARQL server: its endpoints, credentials and process."""

    name: str
    directory: Path
    query_url: str
    update_url: str
    gsp_url: str
    auth: tuple[str, str] | None
    command: list[str]
    ready_url: str
    log: Path
    process: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)
    sql_port: int | None = None  # Virtuoso's SQL listener (isql, the bulk loader)

    def start(self, *, timeout: float = 90.0) -> Server:
        """Start the process and wait until its endpoint answers."""
        handle = self.log.open("ab")
        try:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.directory,
                stdout=handle,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **self.env},
                start_new_session=True,
            )
        except OSError as exc:
            raise ServerUnavailable(f"cannot start {self.name}: {exc}") from None
        finally:
            handle.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerUnavailable(
                    f"{self.name} exited with code {self.process.returncode} while starting; "
                    f"its log ({self.log}) ends with: {self._log_tail()}"
                )
            try:
                answer = httpx.get(self.ready_url, timeout=2.0)
                if answer.status_code < 500:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise ServerUnavailable(
            f"{self.name} did not answer at {self.ready_url} within {timeout} s; "
            f"its log ends with: {self._log_tail()}"
        )

    def stop(self, *, grace: float = 30.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after ``grace`` seconds)."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def kill(self) -> None:
        """Kill the server with SIGKILL (no shutdown, no checkpoint)."""
        process = self.process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)

    def store(self, *, gsp: bool = False, **options: Any) -> Any:
        """A :class:`~cmkg.graph.store.RemoteStore` on this server (GSP writes if ``gsp``)."""
        from cmkg.graph.store import RemoteStore

        return RemoteStore(
            self.query_url,
            update_url=self.update_url,
            gsp_url=self.gsp_url if gsp else None,
            auth=self.auth,
            **options,
        )

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-800:]
        except OSError:
            return "(no log)"


def start_oxigraph(directory: Path, *, query_timeout: int = 60, timeout: float = 60.0) -> Server:
    """Start an Oxigraph server storing its data in ``directory`` (kept across restarts)."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = Server(
        name="oxigraph",
        directory=directory,
        query_url=f"{base}/query",
        update_url=f"{base}/update",
        gsp_url=f"{base}/store",
        auth=None,
        command=[
            oxigraph_binary(),
            "serve",
            "--location",
            str(directory / "data"),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            str(query_timeout),
        ],
        ready_url=f"{base}/query?query=ASK%7B%7D",
        log=directory / "oxigraph.log",
    )
    return server.start(timeout=timeout)


_VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping        = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
CheckpointInterval   = 60
DirsAllowed          = ., {dir}
NumberOfBuffers      = {buffers}
MaxDirtyBuffers      = {dirty}
MaxQueryMem          = 1G
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 4
VADInstallDir        = /usr/share/virtuoso-opensource-7/vad/

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {vsp}
ServerThreads        = 8
MaxClientConnections = 8
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = 10000000
MaxQueryExecutionTime      = {query_timeout}
MaxQueryCostEstimationTime = 3600
DefaultGraph               =
"""


def start_virtuoso(
    directory: Path, *, memory_mb: int = 400, query_timeout: int = 60, timeout: float = 120.0
) -> Server:
    """Start a private Virtuoso with its database in ``directory`` (kept across restarts).

    ``memory_mb`` sizes its page buffers (8 KiB pages; Virtuoso's guide: about 2/3 of the
    memory it may use).
    """
    binary = shutil.which(VIRTUOSO_BINARY)
    if binary is None:
        raise ServerUnavailable(
            f"{VIRTUOSO_BINARY} is not installed: run scripts/install-sparql-servers.sh "
            "(apt-get install virtuoso-opensource)"
        )
    if not VIRTUOSO_VSP.is_dir():
        raise ServerUnavailable(f"Virtuoso's web root {VIRTUOSO_VSP} is missing")
    directory.mkdir(parents=True, exist_ok=True)
    ini = directory / "virtuoso.ini"
    if ini.exists():  # a restart: same ports, same database
        text = ini.read_text()
        http_port = int(text.split("[HTTPServer]")[1].split("127.0.0.1:")[1].split()[0])
        sql_port = int(text.split("[Parameters]")[1].split("127.0.0.1:")[1].split()[0])
    else:
        http_port, sql_port = free_port(), free_port()
        buffers = max(2000, memory_mb * 1024 // 8)
        ini.write_text(
            _VIRTUOSO_INI.format(
                dir=directory,
                sql_port=sql_port,
                http_port=http_port,
                buffers=buffers,
                dirty=buffers * 3 // 4,
                vsp=VIRTUOSO_VSP,
                query_timeout=query_timeout,
            )
        )
    base = f"http://127.0.0.1:{http_port}"
    server = Server(
        name="virtuoso",
        directory=directory,
        query_url=f"{base}/sparql-auth",
        update_url=f"{base}/sparql-auth",
        gsp_url=f"{base}/sparql-graph-crud-auth",
        auth=VIRTUOSO_USER,
        command=[binary, "+configfile", str(ini), "+foreground"],
        ready_url=f"{base}/sparql?query=ASK%7B%7D",
        log=directory / "virtuoso.out",
        sql_port=sql_port,
    )
    return server.start(timeout=timeout)


def virtuoso_bulk_load(server: Server, nquads: Path, *, timeout: float = 7200.0) -> None:
    """Load an N-Quads file with Virtuoso's own bulk loader (``ld_dir`` + ``rdf_loader_run``).

    This is the path Virtuoso's documentation gives for large loads; it runs inside the
    server, without a transaction log, and ends with a ``checkpoint``. The file is hard-linked
    (or copied) into a folder of the server's directory, which ``DirsAllowed`` admits. Raises
    :class:`RuntimeError` with the loader's message if a file was not loaded.
    """
    if server.name != "virtuoso" or server.sql_port is None:
        raise ValueError(f"{server.name} has no Virtuoso bulk loader")
    isql = shutil.which(VIRTUOSO_ISQL)
    if isql is None:
        raise ServerUnavailable(f"{VIRTUOSO_ISQL} is not installed (Debian virtuoso-opensource)")
    folder = server.directory / "bulk"
    folder.mkdir(exist_ok=True)
    target = folder / nquads.name
    if target.exists():
        target.unlink()
    try:
        os.link(nquads, target)
    except OSError:
        shutil.copyfile(nquads, target)
    user, password = VIRTUOSO_USER
    script = (
        "DELETE FROM DB.DBA.load_list; "
        f"ld_dir('{folder}', '{nquads.name}', 'urn:cmkg:bulk-default'); "
        "rdf_loader_run(); checkpoint; "
        "SELECT ll_file, ll_error FROM DB.DBA.load_list "
        "WHERE ll_state <> 2 OR ll_error IS NOT NULL;"
    )
    done = subprocess.run(
        [isql, f"127.0.0.1:{server.sql_port}", user, password, f"exec={script}"],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    target.unlink(missing_ok=True)
    output = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in output or "0 Rows." not in output:
        raise RuntimeError(
            f"Virtuoso's bulk loader failed (exit {done.returncode}): {output[-1500:]}"
        )


SERVERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}


@contextmanager
def running(name: str, directory: Path, **options: Any) -> Iterator[Server]:
    """Run the server ``name`` (``oxigraph`` or ``virtuoso``) until the block ends."""
    server = SERVERS[name](directory, **options)
    try:
        yield server
    finally:
        server.stop()


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in SERVERS:
        print(__doc__)
        return 2
    try:
        with running(argv[1], Path(argv[2]).resolve()) as server:
            print(f"query:  {server.query_url}\nupdate: {server.update_url}")
            print(f"gsp:    {server.gsp_url}\nauth:   {server.auth}\n(Ctrl-C stops it)")
            while server.process is not None and server.process.poll() is None:
                time.sleep(1)
    except ServerUnavailable as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
