"""Processes for bench/run.py: free ports, process groups, the server and its memory.

Everything started goes into its own process group and is remembered, so the whole tree
(make, gunicorn and its workers; npx and Chromium) can be stopped, also after Ctrl-C.
Standard library only: the orchestrator never imports Django.
"""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
HOST = "127.0.0.1"
_STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[bench {time.monotonic() - _STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    """A step of the benchmark could not be carried out; the message says why."""


# PORTS
# ------------------------------------------------------------------------------


def port_busy(port: int) -> bool:
    """Tell whether something accepts connections on HOST:port (a leftover server, say)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, port)) == 0


def free_port() -> int:
    """Return a port the kernel considers free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(parts[9])
    return inodes


# PROCESS GROUPS
# ------------------------------------------------------------------------------


def proc_stat(pid: int) -> tuple[str, int, int] | None:
    """Return (state, parent pid, process group) of a process, or None when it is gone."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = data[data.rfind(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[2])


def group_pids(pgid: int) -> list[int]:
    """Return the live (not zombie) processes of a process group."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = proc_stat(int(entry.name))
            if stat and stat[2] == pgid and stat[0] != "Z":
                pids.append(int(entry.name))
    return pids


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


_GROUPS: dict[int, subprocess.Popen] = {}


def start_group(command: list[str], **kwargs) -> subprocess.Popen:
    """Start a command as the leader of a new process group, remembered for clean-up."""
    process = subprocess.Popen(command, start_new_session=True, **kwargs)
    _GROUPS[process.pid] = process
    return process


def stop_group(process: subprocess.Popen, *, grace: float = 10.0) -> None:
    """Stop a process group: SIGINT, wait up to `grace` seconds, then SIGKILL; reap it.

    SIGINT is gunicorn's quick shutdown: on SIGTERM a sync worker first finishes the request
    in hand, which for an interrupted 100,000-row export takes seconds.
    """
    pgid = process.pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGINT)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        process.poll()
        if not group_pids(pgid):
            break
        time.sleep(0.1)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)
    _GROUPS.pop(pgid, None)


def stop_all_groups() -> None:
    for process in list(_GROUPS.values()):
        stop_group(process, grace=5.0)


def run_group(command: list[str], *, timeout: float, **kwargs) -> subprocess.CompletedProcess[str]:
    """Run a command in its own process group and wait; kill the whole group on timeout."""
    process = start_group(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as error:
        stop_group(process, grace=2.0)
        raise BenchError(f"{Path(command[0]).name} took longer than {timeout:.0f} s") from error
    finally:
        if process.poll() is None or group_pids(process.pid):
            stop_group(process, grace=2.0)
        _GROUPS.pop(process.pid, None)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


# THE SERVER
# ------------------------------------------------------------------------------


@dataclass
class Server:
    """`make serve` (gunicorn, sync workers) in its own process group on HOST:port."""

    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 120.0) -> None:
        if port_busy(self.port):
            raise BenchError(f"port {self.port} is busy: refusing to start a server there")
        log(f"starting `make serve` on {HOST}:{self.port} (log: {self.log_path})")
        with self.log_path.open("ab") as output:
            self.process = start_group(
                ["make", "--no-print-directory", "serve"],
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"the server stopped while starting:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", "/healthz/live")
                if connection.getresponse().status == 200:
                    break
            time.sleep(0.2)
        else:
            raise BenchError(f"no answer on /healthz/live within {timeout:.0f} s")
        if not self.owns_port():
            raise BenchError(f"another process answers on port {self.port}, not our server")
        log(f"server up: master {self.master()}, workers {self.workers()}")

    def owns_port(self) -> bool:
        """Tell whether the socket listening on the port belongs to our process group."""
        sockets = {f"socket:[{inode}]" for inode in listening_inodes(self.port)}
        for pid in group_pids(self.process.pid):
            with contextlib.suppress(OSError):
                for fd in Path(f"/proc/{pid}/fd").iterdir():
                    with contextlib.suppress(OSError):
                        if os.readlink(fd) in sockets:
                            return True
        return False

    def gunicorn_pids(self) -> list[int]:
        """Return gunicorn's own processes (not make's `sh -c "... gunicorn ..."`)."""
        return [
            pid
            for pid in group_pids(self.process.pid)
            if any(Path(arg).name == "gunicorn" for arg in cmdline(pid).split()[:2])
        ]

    def master(self) -> int | None:
        pids = self.gunicorn_pids()
        masters = [p for p in pids if proc_stat(p) and proc_stat(p)[1] not in pids]
        return masters[0] if masters else None

    def workers(self) -> list[int]:
        master = self.master()
        return sorted(p for p in self.gunicorn_pids() if (proc_stat(p) or ("", 0, 0))[1] == master)

    def stop(self) -> None:
        if self.process is not None:
            log("stopping the server")
            stop_group(self.process)
            self.process = None

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


def memory_kb(pid: int) -> dict[str, int]:
    """Return VmRSS and VmHWM (peak resident memory) of a process, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            values[key] = int(rest.split()[0])
    return values


def reset_peak_memory(pid: int) -> bool:
    """Reset a process's VmHWM to its current RSS (Linux clear_refs); tell whether it worked."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True
