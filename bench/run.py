"""Measure the site under load and at size (issue 7): `make bench`, see bench/README.md.

Seeds a dedicated database (PostgreSQL when DATABASE_URL points at one, else a fresh SQLite
file in bench/), serves the app with `make serve` (gunicorn, two sync workers) on a free
port, drives it with wrk, times the CSV export against PostgreSQL's COPY and the admin pages
at 1,000 and 100,000 attendees, runs Lighthouse, prints one table and writes
bench/results.json. Whatever it started, it stops, also on Ctrl-C.
"""

import contextlib
import datetime
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path

from clients import (
    Client,
    error_summary,
    lighthouse_command,
    machine_info,
    parse_form,
    run_lighthouse,
    run_wrk,
)
from config import Config, Database, choose_port, server_env
from procs import (
    BENCH_DIR,
    HOST,
    ROOT,
    BenchError,
    Server,
    log,
    memory_kb,
    reset_peak_memory,
    run_group,
    stop_all_groups,
)
from report import print_table, table_rows

RESULTS_FILE = BENCH_DIR / "results.json"
OPEN_LAB_ATTENDEES = 150
SMALL_HISTORY = 1_000
LARGE_HISTORY = 100_000
WRK_THREADS = 2
WRK_CONNECTIONS = 16
MEMBERS_PER_POST = 3


# STEPS
# ------------------------------------------------------------------------------


@dataclass
class Bench:
    config: Config
    database: Database
    env: dict[str, str]
    server: Server
    password: str
    results: dict

    def task(self, *args: str, timeout: float = 900.0) -> dict:
        """Run one step of bench/tasks.py with the server's environment; return its JSON."""
        result = run_group(
            [sys.executable, str(BENCH_DIR / "tasks.py"), *args],
            cwd=ROOT,
            env=self.env,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise BenchError(f"tasks.py {args[0]} failed:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    @contextlib.contextmanager
    def step(self, name: str):
        log(f"— {name}")
        started = time.perf_counter()
        try:
            yield
        finally:
            self.results["step_seconds"][name] = round(time.perf_counter() - started, 1)

    # Admin pages ---------------------------------------------------------------

    def admin_client(self) -> Client:
        client = Client(self.server.port)
        login = "/admin/login/?next=/admin/"
        form = parse_form(client.get(login).body, "login")
        response = client.post(
            login,
            form.fields | {"username": self.results["seed"]["username"], "password": self.password},
        )
        if response.status != 302 or "sessionid" not in client.cookies:
            raise BenchError(
                f"admin login failed ({response.status}): {error_summary(response.body)}"
            )
        return client

    def admin_pages(self) -> dict[str, str]:
        history = self.results["seed"]["history"]["event_id"]
        return {
            "changelist": "/admin/registrations/attendee/",
            "overview": f"/admin/theme_sessions/event/{history}/overzicht/",
        }

    def time_admin_pages(self, client: Client) -> dict:
        timings = {}
        for name, path in self.admin_pages().items():
            for _warm_up in range(2):  # one per worker: templates load on first use
                response = client.get(path)
                if response.status != 200:
                    raise BenchError(f"{path} answered {response.status}")
            seconds = [client.get(path).seconds for _ in range(self.config.admin_requests)]
            timings[name] = {
                "path": path,
                "median_ms": statistics.median(seconds) * 1000,
                "runs_ms": [round(s * 1000, 2) for s in seconds],
                "bytes": response.size,
            }
        return timings

    # The export ----------------------------------------------------------------

    def measure_export(self, client: Client) -> dict:
        """Download the 100,000-row export; time it, its first byte and the worker's memory.

        With two workers either may serve a request, so both workers' peak memory is reset
        before each download (Linux clear_refs) and the larger growth is the one reported.
        """
        seed = self.results["seed"]
        path = f"/admin/theme_sessions/event/{seed['history']['event_id']}/export/"
        small = f"/admin/theme_sessions/event/{seed['open_lab']['event_id']}/export/"
        for _warm_up in range(2):  # loads the export code in both workers
            client.get(small, keep_body=False)
        runs = []
        for _run in range(self.config.runs):
            workers = self.server.workers()
            before = {pid: memory_kb(pid) for pid in workers}
            reset = all(reset_peak_memory(pid) for pid in workers)
            response = client.get(path, keep_body=False)
            after = {pid: memory_kb(pid) for pid in workers}
            growth = {pid: (after[pid]["VmHWM"] - before[pid]["VmRSS"]) / 1024 for pid in workers}
            worker = max(growth, key=growth.get)
            if response.status != 200:
                raise BenchError(f"the export answered {response.status}")
            runs.append(
                {
                    "seconds": response.seconds,
                    "first_byte_seconds": response.first_byte_seconds,
                    "bytes": response.size,
                    "rows": response.lines - 1,
                    "worker": worker,
                    "rss_before_mb": before[worker]["VmRSS"] / 1024,
                    "peak_growth_mb": growth[worker],
                    "peak_reset": reset,
                }
            )
            log(
                f"export: {response.seconds:.2f} s, first byte {response.first_byte_seconds:.3f}"
                f" s, {response.lines - 1} rows, +{growth[worker]:.1f} MB in worker {worker}"
            )
        baseline = self.task("export-baseline", "--runs", str(self.config.runs))
        seconds = statistics.median(r["seconds"] for r in runs)
        return {
            "path": path,
            "runs": runs,
            "seconds": seconds,
            "rows": runs[-1]["rows"],
            "rows_per_second": runs[-1]["rows"] / seconds,
            "first_byte_seconds": statistics.median(r["first_byte_seconds"] for r in runs),
            "peak_growth_mb": max(r["peak_growth_mb"] for r in runs),
            "bytes": runs[-1]["bytes"],
            "baseline": baseline,
        }

    # Load ----------------------------------------------------------------------

    def wrk(
        self, path: str, *, duration: int, script: str = "wrk_report.lua", args=(), note: str = ""
    ) -> dict:
        report = run_wrk(
            path,
            port=self.server.port,
            threads=WRK_THREADS,
            connections=WRK_CONNECTIONS,
            duration=duration,
            script=script,
            script_args=args,
        )
        log(
            f"{path}: {report['rps']:.0f} req/s, p50 {report['p50_us'] / 1000:.1f} ms, "
            f"p99 {report['p99_us'] / 1000:.1f} ms{note}"
        )
        return report

    def load_pages(self, paths: dict[str, str]) -> dict[str, dict]:
        """Run wrk on each GET in turn, round after round, and compare each to the baseline.

        Other work on the machine comes and goes; interleaving gives the baseline and the
        pages of one round the same conditions, and the ratio is the median of the rounds'.
        The first path is the baseline.
        """
        for path in paths.values():
            self.check_page(path)
            self.wrk(path, duration=1, note=" (warm-up)")  # cached fragments, templates
        runs: dict[str, list[dict]] = {name: [] for name in paths}
        for _round in range(self.config.runs):
            for name, path in paths.items():
                runs[name].append(self.wrk(path, duration=self.config.duration))
        baseline = next(iter(runs.values()))
        measured = {}
        for name, path in paths.items():
            ratios = [r["rps"] / b["rps"] for r, b in zip(runs[name], baseline, strict=True)]
            measured[name] = summarise(path, runs[name]) | {
                "ratio": statistics.median(ratios),
                "ratio_rounds": ratios,
            }
        return measured

    def check_page(self, path: str) -> None:
        response = Client(self.server.port).get(path)
        if response.status != 200:
            raise BenchError(f"{path} answered {response.status}, not 200")

    def load_signup_post(self, path: str) -> dict:
        """POST sign-ups of three under load; check the rows exist and every answer was 3xx."""
        client = Client(self.server.port)
        form = parse_form(client.get(path).body, "signup-form")
        per_request = {"organisation_name", "contact_email"} | {
            f"members-{n}-{name}" for n in range(MEMBERS_PER_POST) for name in ("name", "email")
        }
        shared = {k: v for k, v in form.fields.items() if k not in per_request}
        shared |= {"contact_name": "Contact Persoon", "consent": "on"}
        for n in range(MEMBERS_PER_POST):
            options = form.options.get(f"members-{n}-session") or []
            if not options:
                raise BenchError("the sign-up form offers no session to choose")
            shared[f"members-{n}-session"] = options[n % len(options)]
            # The lab is past its places: a member in a full session chooses to wait.
            shared[f"members-{n}-wait_if_full"] = "on"
        cookie = f"csrftoken={client.cookies['csrftoken']}"

        # One sign-up by hand first, so a refused form shows its errors instead of 200s.
        key = f"check{secrets.token_hex(3)}"
        check = client.post(
            path,
            shared
            | {
                "organisation_name": f"Bewonerscommissie {key}",
                "contact_email": f"c-{key}@example.org",
            }
            | {f"members-{n}-name": f"Lid {n} {key}" for n in range(MEMBERS_PER_POST)}
            | {f"members-{n}-email": f"lid{n}-{key}@example.org" for n in range(MEMBERS_PER_POST)},
        )
        if check.status != 302:
            raise BenchError(
                f"the sign-up was refused ({check.status}): {error_summary(check.body)}"
            )

        before = self.task("count")["attendees"]
        tag = secrets.token_hex(3)
        encoded = urllib.parse.urlencode(shared)
        runs = [
            self.wrk(
                path,
                duration=self.config.duration,
                script="wrk_signup.lua",
                args=(encoded, cookie, f"{tag}r{number}"),
            )
            for number in range(self.config.runs)
        ]
        result = summarise(path, runs)
        time.sleep(1)  # requests wrk left in flight still finish on the server
        after = self.task("count")["attendees"]
        expected = MEMBERS_PER_POST * result["redirects"]
        # At the end of each run wrk drops up to one request per connection; the server
        # may still complete those, so a few more rows than 3xx answers is expected.
        slack = MEMBERS_PER_POST * WRK_CONNECTIONS * self.config.runs
        result["verification"] = {
            "attendees_before": before,
            "attendees_after": after,
            "created": after - before,
            "expected_from_3xx": expected,
            "ok": expected <= after - before <= expected + slack and result["unexpected"] == 0,
        }
        return result

    # Lighthouse ----------------------------------------------------------------

    def lighthouse(self, pages: dict[str, str], workdir: Path) -> dict:
        try:
            command = lighthouse_command()
        except BenchError as error:
            log(f"Lighthouse cannot run: {error}")
            return {"error": str(error)}
        audits = {}
        for name, path in pages.items():
            url = f"http://{HOST}:{self.server.port}{path}"
            # Chromium's trace sometimes misses the navigation (NO_NAVSTART, "Please run
            # Lighthouse again"): one more attempt before giving up on the page.
            for attempt in (1, 2):
                output = workdir / f"lighthouse-{name}-{attempt}.json"
                try:
                    audits[name] = run_lighthouse(url, output, command) | {"attempts": attempt}
                    log(f"Lighthouse {name}: {audits[name]['scores']}")
                    break
                except BenchError as error:
                    log(f"Lighthouse cannot run on {name} (attempt {attempt}): {error}")
                    audits[name] = {"error": str(error), "attempts": attempt}
        return audits


def summarise(path: str, runs: list[dict]) -> dict:
    """Return the medians of wrk runs (rate, p50, p99) and the sums of their errors."""
    errors = ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    return {
        "path": path,
        "rps": statistics.median(r["rps"] for r in runs),
        "p50_ms": statistics.median(r["p50_us"] for r in runs) / 1000,
        "p99_ms": statistics.median(r["p99_us"] for r in runs) / 1000,
        "requests": sum(r["requests"] for r in runs),
        "errors": sum(r[key] for r in runs for key in errors),
        "unexpected": sum(r["unexpected"] for r in runs),
        "redirects": sum(r["redirects"] for r in runs),
        "runs": runs,
    }


def run_all(bench: Bench, workdir: Path) -> None:
    config, results = bench.config, bench.results

    with bench.step("seed"):
        bench.database.create()
        results["seed"] = bench.task(
            "seed",
            "--open-lab-attendees",
            str(OPEN_LAB_ATTENDEES),
            "--history",
            str(SMALL_HISTORY),
        )
        results["database"] = results["seed"]["database"]
        lab = results["seed"]["open_lab"]
        log(
            f"open lab: {lab['attendees']} attendees ({lab['confirmed']} confirmed, "
            f"{lab['waiting']} waiting); archive: {results['seed']['history']['attendees']}"
        )

    with bench.step("start server"):
        bench.server.start()
        admin = bench.admin_client()

    with bench.step("admin at 1,000"):
        results["queries"]["at_1k"] = bench.task("queries", "--admin")
        results["admin"]["at_1k"] = bench.time_admin_pages(admin)

    with bench.step("seed 100,000"):
        results["seed"]["grow"] = bench.task("grow", "--history", str(LARGE_HISTORY))
        log(f"archive grown to {LARGE_HISTORY:,} in {results['seed']['grow']['seconds']} s")

    with bench.step("admin at 100,000"):
        results["queries"]["at_100k"] = bench.task("queries", "--admin", "--public")
        results["admin"]["at_100k"] = bench.time_admin_pages(admin)

    with bench.step("export"):
        results["export"] = bench.measure_export(admin)

    slug = results["seed"]["open_lab"]["slug"]
    event_page, signup_page = f"/{slug}/", f"/{slug}/aanmelden/"
    with bench.step("load"):
        load = results["load"]
        load |= bench.load_pages(
            {"baseline": "/healthz/live", "event_page": event_page, "signup_get": signup_page}
        )
        # Last: every sign-up raises the event's version, so cached pages are rebuilt.
        load["signup_post"] = bench.load_signup_post(signup_page)
        load["signup_post"]["ratio"] = load["signup_post"]["rps"] / load["baseline"]["rps"]

    if config.lighthouse:
        with bench.step("lighthouse"):
            results["lighthouse"] = bench.lighthouse(
                {"event_page": event_page, "signup_page": signup_page}, workdir
            )

    bench.server.stop()
    if config.profile:
        with bench.step("profile"):
            requests = 60 if config.quick else 200
            results["profile"] = bench.task("profile", "--requests", str(requests))


# MAIN
# ------------------------------------------------------------------------------


def interrupt(signum: int, _frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    config = Config.from_env()
    # Set explicitly: a shell starting us in the background hands us SIGINT ignored.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)
    started = time.perf_counter()
    results: dict = {
        "started_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "config": asdict(config),
        "machine": machine_info(),
        "step_seconds": {},
        "queries": {},
        "admin": {},
        "load": {},
    }
    workdir = Path(tempfile.mkdtemp(prefix="participatielab-bench-"))
    failed: BaseException | None = None
    bench = None
    try:
        port = choose_port(config)
        database = Database.from_env()
        password = secrets.token_urlsafe(24)
        env = server_env(port, database, password, workdir / "media")
        results["config"] |= {
            "port": port,
            "database_vendor": database.vendor,
            "workers": 2,
            "wrk": f"-t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{config.duration}s",
            "redis_cache": bool(os.environ.get("REDIS_URL")),
        }
        bench = Bench(
            config, database, env, Server(port, env, workdir / "server.log"), password, results
        )
        log(
            f"{database.vendor}, port {port}, wrk {config.runs} × {config.duration} s"
            f"{' (quick)' if config.quick else ''}"
        )
        run_all(bench, workdir)
    except (BenchError, KeyboardInterrupt, subprocess.SubprocessError, OSError) as error:
        failed = error
        log(f"stopped: {type(error).__name__}: {error}")
    finally:
        # Clean up even when interrupted again; a second Ctrl-C must not leave a server.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        if bench is not None:
            if isinstance(failed, BenchError) and bench.server.process is not None:
                log(f"server log (tail):\n{bench.server.log_tail()}")
            bench.server.stop()
        stop_all_groups()
        if bench is not None and not bench.config.keep_db:
            try:
                bench.database.drop()
            except Exception as error:  # report it, keep cleaning up
                log(f"could not drop the bench database: {error}")
        if failed is None or not any(workdir.iterdir()):
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            log(f"logs kept in {workdir}")
        signal.signal(signal.SIGINT, signal.default_int_handler)

    results["elapsed_seconds"] = round(time.perf_counter() - started, 1)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["error"] = None if failed is None else f"{type(failed).__name__}: {failed}"
    rows = table_rows(results)
    results["table"] = [{"metric": m, "value": v, "target": t, "met": met} for m, v, t, met in rows]
    if "seed" in results:  # a run refused at the start keeps the last results file
        RESULTS_FILE.write_text(json.dumps(results, indent=2, default=str) + "\n")
        print()
        print_table(rows)
        print(
            f"\n{results.get('database', {}).get('version', '')}"
            f" · {results['machine']['nproc']} cores · took {results['elapsed_seconds']:.0f} s"
            f" · raw numbers in {RESULTS_FILE.relative_to(ROOT)}"
        )
    if failed is not None:
        print(f"INCOMPLETE: {results['error']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
