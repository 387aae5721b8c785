"""Clients for bench/run.py: a small HTTP client with cookies, wrk, Lighthouse, machine facts.

Standard library only (the venv has no `requests`).
"""

import contextlib
import html.parser
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from procs import BENCH_DIR, HOST, ROOT, BenchError, log, run_group

# HTTP
# ------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float
    first_byte_seconds: float
    size: int
    lines: int  # newlines in the body: CSV rows plus the header


@dataclass
class Client:
    """A small HTTP/1.1 client for HOST:port with a cookie jar; redirects are not followed."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        keep_body: bool = True,
        timeout: float = 300.0,
    ) -> Response:
        headers = {"Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            first = response.read(1)
            first_byte = time.perf_counter() - started
            parts, size, lines = [first], len(first), first.count(b"\n")
            while chunk := response.read(65536):
                size += len(chunk)
                lines += chunk.count(b"\n")
                if keep_body:
                    parts.append(chunk)
            elapsed = time.perf_counter() - started
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Response(
            response.status,
            response.headers,
            b"".join(parts) if keep_body else first,
            elapsed,
            first_byte,
            size,
            lines,
        )

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict[str, str], **kwargs) -> Response:
        return self.request("POST", path, form=form, **kwargs)


class FormParser(html.parser.HTMLParser):
    """Collect the named fields of the first form whose class or action matches."""

    def __init__(self, match: str) -> None:
        super().__init__()
        self.match = match
        self.inside = False
        self.done = False
        self.fields: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self.checkboxes: set[str] = set()
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if (
            tag == "form"
            and not self.done
            and self.match in values.get("class", "") + values.get("action", "")
        ):
            self.inside = True
        if not self.inside:
            return
        name = values.get("name")
        if tag == "input" and name:
            if values.get("type") == "checkbox":
                self.checkboxes.add(name)
            else:
                self.fields[name] = values.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.options[name] = []
            self.fields[name] = ""
        elif tag == "option" and self._select and "disabled" not in values:
            if values.get("value"):
                self.options[self._select].append(values["value"])
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def parse_form(page: bytes, match: str) -> FormParser:
    parser = FormParser(match)
    parser.feed(page.decode("utf-8", errors="replace"))
    if not parser.done:
        raise BenchError(f"no form matching {match!r} on the page")
    return parser


def error_summary(page: bytes) -> str:
    """Return the error summary of a refused form, as text, for a helpful message."""
    found = re.search(rb'class="[^"]*error-summary.*?</div>', page, re.S)
    text = re.sub(rb"<[^>]+>", b" ", found.group(0) if found else page[:400])
    return " ".join(text.decode(errors="replace").split())[:500]


# WRK
# ------------------------------------------------------------------------------


def run_wrk(
    path: str,
    *,
    port: int,
    duration: int,
    threads: int,
    connections: int,
    script: str = "wrk_report.lua",
    script_args: tuple[str, ...] = (),
) -> dict:
    """Run wrk against HOST:port for `duration` seconds and return its JSON report."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise BenchError("wrk is not installed (Debian: apt-get install wrk)")
    url = f"http://{HOST}:{port}{path}"
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        script,
        url,
    ]
    if script_args:
        command += ["--", *script_args]
    result = run_group(command, cwd=BENCH_DIR, timeout=duration + 60)
    lines = [line for line in result.stdout.splitlines() if line.startswith("BENCH_JSON ")]
    if result.returncode != 0 or not lines:
        raise BenchError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
    report = json.loads(lines[-1].removeprefix("BENCH_JSON "))
    seconds = report["duration_us"] / 1e6
    report["rps"] = report["requests"] / seconds if seconds else 0.0
    return report


# LIGHTHOUSE
# ------------------------------------------------------------------------------

LIGHTHOUSE_PACKAGE = "lighthouse@12"
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse_command() -> list[str]:
    """Return how to call Lighthouse: installed in bench/node_modules, else through npx."""
    local = BENCH_DIR / "node_modules" / ".bin" / "lighthouse"
    if local.exists():
        return [str(local)]
    npm = shutil.which("npm")
    if npm:
        log(f"installing {LIGHTHOUSE_PACKAGE} into bench/node_modules (once)")
        result = run_group(
            [
                npm,
                "install",
                "--prefix",
                str(BENCH_DIR),
                "--no-save",
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                LIGHTHOUSE_PACKAGE,
            ],
            timeout=600,
        )
        if result.returncode == 0 and local.exists():
            return [str(local)]
        log(f"npm install failed, trying npx: {result.stderr.strip()[-300:]}")
    npx = shutil.which("npx")
    if npx is None:
        raise BenchError("neither npm nor npx is installed")
    return [npx, "--yes", LIGHTHOUSE_PACKAGE]


def run_lighthouse(url: str, output: Path, command: list[str]) -> dict:
    """Audit one page as a phone would load it; return scores, bytes and what cost points."""
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chrome).exists():
        raise BenchError(f"no Chromium at {chrome} (set CHROME_PATH)")
    result = run_group(
        [
            *command,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            "--form-factor=mobile",
            f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        timeout=300,
        env=os.environ | {"CHROME_PATH": chrome},
    )
    if result.returncode != 0 or not output.exists():
        raise BenchError(f"Lighthouse failed ({result.returncode}): {result.stderr.strip()[-500:]}")
    report = json.loads(output.read_text())
    if report.get("runtimeError"):
        raise BenchError(f"Lighthouse: {report['runtimeError'].get('message')}")
    scores = {}
    lost = []
    for key in LIGHTHOUSE_CATEGORIES:
        category = report["categories"][key]
        score = category["score"]
        scores[key] = None if score is None else round(score * 100)
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                lost.append(f"{key}: {ref['id']} ({audit['score']:.2f})")
    requests = report["audits"]["network-requests"]["details"]["items"]
    return {
        "scores": scores,
        "total_bytes": report["audits"]["total-byte-weight"]["numericValue"],
        # Of which images (the event's header image, the logo): the page must stay within
        # its budget with them.
        "image_bytes": sum(
            r.get("transferSize", 0) for r in requests if r.get("resourceType") == "Image"
        ),
        "lost_points": lost,
        "lighthouse_version": report.get("lighthouseVersion"),
    }


# MACHINE
# ------------------------------------------------------------------------------


def command_output(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (
        (result.stdout or result.stderr).strip().splitlines()[0]
        if result.stdout or result.stderr
        else ""
    )


def machine_info() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text()
    total = re.search(r"^MemTotal:\s*(\d+)", meminfo, re.M)
    from importlib import metadata

    def version(package: str) -> str | None:
        with contextlib.suppress(metadata.PackageNotFoundError):
            return metadata.version(package)
        return None

    return {
        "nproc": os.cpu_count(),
        "cpu_model": model.group(1) if model else None,
        "memory_mb": int(total.group(1)) // 1024 if total else None,
        "load_average_at_start": os.getloadavg(),
        "kernel": os.uname().release,
        "python": sys.version.split()[0],
        "django": version("django"),
        "gunicorn": version("gunicorn"),
        "wrk": command_output(["wrk", "--version"]),
        "node": command_output(["node", "--version"]),
        "chromium": command_output(["chromium", "--version"]),
        "git_commit": command_output(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
        "git_dirty": bool(command_output(["git", "-C", str(ROOT), "status", "--porcelain"])),
    }
