"""`make bench`: seed, serve with gunicorn, measure with wrk, Lighthouse and in-process counts;
print one table and write bench/results.json. See bench/README.md."""

import datetime
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import statistics as st
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request as ur
from contextlib import suppress
from pathlib import Path

import psycopg2
import redis

BENCH = Path(__file__).resolve().parent
ROOT, HOST, DB_NAME, T0 = BENCH.parent, "127.0.0.1", "participatielab_bench", time.monotonic()
DROP = f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"
QUICK = os.environ.get("BENCH_QUICK") == "1"
ROUNDS, SECONDS, GETS, MAILS, SIZE = (2, 2, 3, 100, 10**4) if QUICK else (3, 5, 7, 1000, 10**5)
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '13')}"
ONE_ADDRESS = ("1000000/60", "wrk sends every request from one address")
# Guards switched off in the server (variable: value, why); the POST's query count keeps them.
GUARDS = {f"{v}_RATE_LIMIT": ONE_ADDRESS for v in ("SIGNUP", "LOGIN", "NOTIFY", "UNSUBSCRIBE")}
GUARDS |= {"MANAGE_LINK_RATE_LIMIT": ONE_ADDRESS, "MANAGE_ADDRESS_RATE_LIMIT": ONE_ADDRESS}
GUARDS["SIGNUP_MIN_SECONDS"] = ("0", "wrk replays one form at once: no time guard, no 1-use token")
GUARDS |= {f"SECURE_{v}": ("0", "plain HTTP on the loopback") for v in ("SSL_REDIRECT", "COOKIES")}
PROCS: list[subprocess.Popen] = []


def log(text: str) -> None:
    print(f"[bench {time.monotonic() - T0:4.0f}s] {text}", file=sys.stderr, flush=True)


def start(cmd: list, env: dict, log_to: Path | None = None, **kw) -> subprocess.Popen:
    """Start a command as a process group of its own, stopped as a whole at the end."""
    out = {"stdout": log_to.open("wb"), "stderr": subprocess.STDOUT} if log_to else {}
    PROCS.append(subprocess.Popen(cmd, env=env, start_new_session=True, **{"cwd": ROOT} | out | kw))
    return PROCS[-1]


def stop(proc: subprocess.Popen) -> None:
    """SIGINT to the group (gunicorn's quick shutdown), SIGKILL after 10 s and to leftovers."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(10)
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def run(cmd: list, env: dict = os.environ, **kw) -> str:
    proc = start(cmd, env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    try:
        out, err = proc.communicate(timeout=900)
    finally:
        stop(proc)
    if proc.returncode:
        raise RuntimeError(f"{cmd[:3]} failed: {err[-3000:]}")
    return out


def task(env: dict, *args):
    return json.loads(run([sys.executable, "bench/tasks.py", *map(str, args)], env).split("\n")[-2])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    with socket.socket() as probe:
        if probe.connect_ex((HOST, port)) == 0:
            raise RuntimeError(f"port {port} answers already")
    return port


def postgres(url: str, *statements: str) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    for statement in statements:
        conn.cursor().execute(statement)
    conn.close()


def wrk(url: str, seconds: int = SECONDS, script: str = "report.lua", *args) -> dict:
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "10s", "-s", script, url]
    result = json.loads(run([*command, "--", *args], cwd=BENCH).split("BENCH_JSON ")[-1])
    return result | {"rps": result["requests"] / result["seconds"]}


def summary(runs: list[dict], base: list[dict]) -> dict:
    result = {k: st.median(r[k] for r in runs) for k in ("rps", "p50_ms", "p99_ms")}
    result |= {k: sum(r[k] for r in runs) for k in ("errors", "status_errors", "others")}
    ratios = [r["rps"] / b["rps"] for r, b in zip(runs, base, strict=True)]
    return result | {"ratio": st.median(ratios), "redirects": sum(r["redirects"] for r in runs)}


def client() -> tuple[ur.OpenerDirector, http.cookiejar.CookieJar]:
    jar = http.cookiejar.CookieJar()
    return ur.build_opener(ur.HTTPCookieProcessor(jar)), jar


def hidden_inputs(page: bytes) -> dict:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.decode()))


def post(opener: ur.OpenerDirector, url: str, fields: dict):
    return opener.open(url, urllib.parse.urlencode(fields).encode())


def memory(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    return {k: int(v) / 1024 for k, v in re.findall(r"(VmRSS|VmHWM):\s+(\d+)", status)}


def download(opener: ur.OpenerDirector, url: str, pids: list[int]) -> dict:
    """Stream a download: seconds, first byte, rows, and the serving worker's peak RSS growth."""
    before = {pid: memory(pid) for pid in pids}
    for pid in pids:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM back to the current RSS
    started = time.perf_counter()
    response = opener.open(url)
    lines, first = response.read(1).count(b"\n"), time.perf_counter() - started
    while chunk := response.read(1 << 16):
        lines += chunk.count(b"\n")
    growth = max(memory(p)["VmHWM"] - before[p]["VmRSS"] for p in pids)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "first_byte": first, "growth_mb": growth, "rows": lines - 1}


def lighthouse(url: str, out: Path) -> dict:
    """Lighthouse (mobile) scores and bytes; once more when Chromium recorded no trace."""
    cmd = [BENCH / "node_modules/.bin/lighthouse", url, "--quiet", f"--output-path={out}"]
    cmd += ["--output=json", "--only-categories=performance,accessibility,best-practices,seo"]
    cmd += ["--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    for attempt in (1, 2):
        with suppress(RuntimeError, ValueError, OSError):
            run(cmd)
            report = json.loads(out.read_text())
            scores = {k: round(100 * (c["score"] or 0)) for k, c in report["categories"].items()}
            if not report.get("runtimeError"):
                return {
                    "scores": scores,
                    "bytes": report["audits"]["total-byte-weight"]["numericValue"],
                }
        log(f"Lighthouse failed on {url} (attempt {attempt})")
    return {"scores": {}, "bytes": None}


def measure(env: dict, tmp: Path, out: dict) -> None:
    log("seeding: demo, archive of 1,000")
    out["seed"] = seed = task(env, "seed", 1000)
    out["staff_1k"] = task(env, "staff", GETS)
    log(f"growing the archive to {SIZE:,}")
    out["grow"] = task(env, "grow", SIZE)
    out["staff_100k"] = task(env, "staff", GETS)

    port = free_port()
    base, admin = f"http://{HOST}:{port}", f"http://{HOST}:{port}/admin/"
    command = [ROOT / ".venv/bin/gunicorn", "participatielab.wsgi", "--bind", f"{HOST}:{port}"]
    command += ["--workers", "2", "--timeout", "120", "--no-control-socket"]
    server = start(command, env, tmp / "server.log")
    for _ in range(300):
        with suppress(OSError):
            if ur.urlopen(f"{base}/healthz/live", timeout=2).status == 200:
                break
        time.sleep(0.2)
    if server.poll() is not None:  # whatever answered, it was not our server
        raise RuntimeError(f"gunicorn stopped: {(tmp / 'server.log').read_text()[-2000:]}")
    pids = [
        int(p) for p in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    ]

    log("export")
    opener, jar = client()
    login = hidden_inputs(opener.open(f"{admin}login/").read()) | {"username": "bench"}
    post(opener, f"{admin}login/", login | {"password": env["BENCH_PASSWORD"], "next": admin})
    export = f"{admin}theme_sessions/event/%d/export/"
    for _ in range(2):  # both workers warmed up with the small demo lab
        download(opener, export % seed["lab_id"], pids)
    downloads = [download(opener, export % seed["event_id"], pids) for _ in range(ROUNDS)]
    out["export"] = {k: st.median(d[k] for d in downloads) for k in downloads[0]}
    out["export"] |= {"growth_mb": max(d["growth_mb"] for d in downloads), "runs": downloads}
    out["export"] |= task(env, "export-baseline")

    log(f"mail worker, {MAILS} mails")
    mail_env = env | {"EMAIL_HOST": HOST, "EMAIL_PORT": str(free_port())}
    mail_env["EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
    sink = ["-m", "aiosmtpd", "-n", "-l", f"{HOST}:{mail_env['EMAIL_PORT']}", "-c"]
    sink = start([sys.executable, *sink, "aiosmtpd.handlers.Sink"], env)
    worker = [sys.executable, "manage.py", "db_worker", "--queue-name", "*"]
    worker = start(worker, mail_env, tmp / "worker.log")
    out["mail"] = task(mail_env, "mail", MAILS)
    stop(worker), stop(sink)

    log("wrk")
    signup, (opener, jar) = f"{base}/{seed['slug']}/aanmelden/", client()
    form = hidden_inputs(opener.open(signup).read()) | {"contact_name": "Contact", "consent": "on"}
    form |= {f"members-{m}-session": seed["sessions"][m] for m in range(3)}
    form |= {f"members-{m}-wait_if_full": "on" for m in range(3)} | {"members-TOTAL_FORMS": "3"}
    trial = {f"members-{m}-name": f"Proef {m}" for m in range(3)} | {"contact_email": "p@x.org"}
    trial["organisation_name"] = "Proef"
    assert post(opener, signup, form | trial).url != signup, "the sign-up form was refused"
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    pages = {"healthz": f"{base}/healthz/live", "event": f"{base}/{seed['slug']}/"}
    pages["signup"] = signup
    for url in pages.values():
        wrk(url, 1)  # a warm-up: templates, cached pages
    runs, before = {name: [] for name in [*pages, "post"]}, task(env, "attendees")
    for n in range(ROUNDS):  # baseline and pages in turn, so each round sees the same load
        for name, url in pages.items():
            runs[name].append(wrk(url))
        tag = f"{secrets.token_hex(3)}r{n}"
        fields = urllib.parse.urlencode(form)
        runs["post"].append(wrk(signup, SECONDS, "post.lua", fields, cookie, tag))
    time.sleep(1)  # requests queued when wrk stopped still finish on the server
    out["load"] = {name: summary(r, runs["healthz"]) for name, r in runs.items()}
    out["load"]["post"]["created"] = task(env, "attendees") - before

    log("Lighthouse")
    out["lighthouse"] = {n: lighthouse(pages[n], tmp / f"{n}.json") for n in ("event", "signup")}
    stop(server)
    guarded = {k: v for k, v in env.items() if "RATE" not in k and "MIN_SECONDS" not in k}
    out["queries"] = task(guarded, "public")


def rows(out: dict) -> list[tuple]:
    """The table: (measure, value, target, met, what to profile when missed)."""
    load, export, q, mail = out["load"], out["export"], out["queries"], out["mail"]
    ev, su, po, copy = load["event"], load["signup"], load["post"], export.get("copy_seconds")
    ok = [not (r["errors"] or r["status_errors"]) for r in (ev, su, po)]
    ok[2] &= po["others"] == 0 and 0 <= po["created"] - 3 * po["redirects"] <= 48 * ROUNDS
    (E, S, P), na = ("event page", "sign-up page", "post"), "n/a (SQLite)"
    first, query, p50 = export["first_byte"], export["query_seconds"], max(po["p50_ms"], 0.01)
    table = [
        ("GET event page / healthz", ev["ratio"], "≥ 0.6", ok[0] and ev["ratio"] >= 0.6, E),
        ("queries, event page cache hit", q[E], "0", q[E] == 0, E),
        ("GET sign-up page / healthz", su["ratio"], "≥ 0.3", ok[1] and su["ratio"] >= 0.3, S),
        ("POST sign-up of 3 / healthz", po["ratio"], "≥ 0.06", ok[2] and po["ratio"] >= 0.06, P),
        ("POST p99 / p50", po["p99_ms"] / p50, "< 2", po["p99_ms"] < 2 * p50, P),
        ("queries, POST with every guard on", q[P], "≤ 12", q[P] <= 12, P),
        (f"export {SIZE // 1000}k: s / COPY s", export["seconds"] / (copy or 1),
         "≤ 2" if copy else na, export["seconds"] <= 2 * copy if copy else None, "export"),
        ("export: first byte / query alone, s", f"{first:.2f} / {query:.2f}",
         "first byte sooner" if copy else na, first < query if copy else None, "export"),
        ("export: worker RSS growth, MB", export["growth_mb"], "< 20", export["growth_mb"] < 20),
        ("mail worker / bare smtplib rate", mail["bare_seconds"] / mail["seconds"], "≥ 0.5",
         mail["bare_seconds"] >= 0.5 * mail["seconds"] and mail["statuses"] == {"sent": MAILS}),
    ]  # fmt: skip
    for name, small in out["staff_1k"].items():
        large = out["staff_100k"][name]
        value = f"{small['ms']:.0f} → {large['ms']:.0f} ms ({large['ms'] / small['ms']:.2f} ×)"
        met = large["ms"] <= 1.5 * small["ms"] and small["queries"] == large["queries"]
        value += f", {small['queries']} → {large['queries']} q"
        table.append((f"{name}, 1k → {SIZE // 1000}k", value, "≤ 1.5 ×, same queries", met, name))
    table = [(*row, None)[:5] for row in table]
    for name, audit in out["lighthouse"].items():
        scores, kb = "/".join(map(str, audit["scores"].values())), (audit["bytes"] or 0) / 1000
        met = scores == "100/100/100/100" and audit["bytes"] < 100_000
        value, target = f"{scores or 'failed'}, {kb:.1f} kB", "100 × 4, < 100 kB"
        table.append((f"Lighthouse {name} page", value, target, met, None))
    return table


def main() -> int:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # a background shell ignores
        signal.signal(signum, signal.default_int_handler)  # SIGINT for us: clean up on each
    given, sqlite = os.environ.get("DATABASE_URL", ""), BENCH / "bench.sqlite3"
    pg = given.startswith(("postgres://", "postgresql://"))
    url = urllib.parse.urlsplit(given)._replace(path=f"/{DB_NAME}").geturl() if pg else None
    tmp, started, load = Path(tempfile.mkdtemp(prefix="bench-")), time.time(), os.getloadavg()
    env = os.environ | {k: v for k, (v, _) in GUARDS.items()} | {
        "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(40), "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": url or f"sqlite:///{sqlite}", "REDIS_URL": REDIS_URL, "CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(tmp / "media"), "BENCH_PASSWORD": secrets.token_urlsafe(16),
    }  # fmt: skip
    out: dict = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds")}
    out["guards_off"] = {k: {"value": v, "why": w} for k, (v, w) in GUARDS.items()}
    try:
        if pg:
            postgres(given, DROP, f"CREATE DATABASE {DB_NAME}")
        redis.Redis.from_url(REDIS_URL).flushdb()
        measure(env, tmp, out)
        missed = sorted({r[4] for r in rows(out) if r[3] is False and r[4] and not QUICK})
        log(f"profiles of {', '.join(missed) or 'nothing'}")
        with suppress(RuntimeError):  # without profiles the measurements still count
            out["profiles"] = task(env, "profile", ",".join(missed)) if missed else {}
    except (Exception, KeyboardInterrupt) as error:
        traceback.print_exc()
        log(f"stopped: {type(error).__name__}: {error} (logs in {tmp})")
        return 1
    finally:
        for proc in PROCS:
            stop(proc)
        if pg:
            postgres(given, DROP)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
    table, floor = rows(out), out["load"]["healthz"]["rps"]
    cpu = re.search(r"model name\s*: (.*)", Path("/proc/cpuinfo").read_text()).group(1)
    out |= {"floor_rps": floor, "seconds": time.time() - started, "quick": QUICK}
    out |= {"machine": {"nproc": os.cpu_count(), "cpu": cpu, "load": [load, os.getloadavg()]}}
    out["rows"] = [dict(zip(("measure", "value", "target", "met"), r, strict=False)) for r in table]
    (BENCH / "results.json").write_text(json.dumps(out, indent=1, default=str) + "\n")
    print(f"\n{'measure':36} | {'value':40} | {'target':22} | met")
    for measure_, value, target, met, _ in table:
        value = f"{value:.3g}" if isinstance(value, float) else value
        met = {True: "yes", False: "NO"}.get(met, "n/a")
        print(f"{measure_:36} | {value!s:40} | {target:22} | {met}")
    print(
        f"\nfloor {floor:,.0f} req/s (GET /healthz/live) · {out['date']} · {os.cpu_count()}"
        f" cores, {cpu} · load {load[0]:.2f} · {out['seed']['database'][:50]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
