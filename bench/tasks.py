"""The benchmark steps that run inside Django: seeding, query counts, export baseline, profiles.

`bench/run.py` runs this script in a subprocess with the same environment as the server it
measures (same database, same settings), one subcommand at a time. Each subcommand prints one
JSON object on stdout; progress and Django's own logging go to stderr.

    python bench/tasks.py seed --open-lab-attendees 150 --history 1000
    python bench/tasks.py grow --history 100000
    python bench/tasks.py queries --admin [--public]
    python bench/tasks.py count
    python bench/tasks.py export-baseline --runs 3
    python bench/tasks.py profile
"""

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

import seed

ROOT = Path(__file__).resolve().parent.parent
BENCH_USERNAME = "bench"


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participatielab.settings")
    import django

    django.setup()


# SEEDING
# ------------------------------------------------------------------------------


def database_info() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    return {
        "vendor": connection.vendor,
        "version": version,
        "name": connection.settings_dict["NAME"],
    }


def cmd_seed(args) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    lab = seed.seed_open_lab(args.open_lab_attendees)
    seeded_lab = time.perf_counter()
    get_user_model().objects.create_superuser(
        username=BENCH_USERNAME,
        email="bench@example.org",
        password=os.environ["BENCH_ADMIN_PASSWORD"],
    )
    history = seed.grow_history(args.history)
    return {
        "database": database_info(),
        "open_lab": lab,
        "history": history,
        "username": BENCH_USERNAME,
        "seconds": {
            "migrate": round(migrated - started, 2),
            "open_lab": round(seeded_lab - migrated, 2),
            "history": history["seconds"],
        },
    }


def cmd_grow(args) -> dict:
    return seed.grow_history(args.history)


def cmd_count(args) -> dict:
    from registrations.models import Attendee

    return {"attendees": Attendee.objects.filter(event=seed.open_lab()).count()}


# QUERY COUNTS
# ------------------------------------------------------------------------------


def signup_post_data(event, key: str) -> dict:
    """Return the whole sign-up form for three board members with addresses unique to `key`."""
    from django.core import signing

    from registrations.forms import STARTED_SALT

    sessions = list(event.sessions.order_by("order", "pk").values_list("pk", flat=True))
    size = event.max_group_size
    data = {
        "organisation_name": f"Bewonerscommissie {key}",
        "contact_name": "Contact Persoon",
        "contact_email": f"contact-{key}@example.org",
        "contact_phone": "",
        "remarks": "",
        "consent": "on",
        "website": "",
        "started": signing.dumps(time.time() - 60, salt=STARTED_SALT),
        "members-TOTAL_FORMS": str(size),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": str(size),
    }
    for n in range(3):
        data |= {
            f"members-{n}-name": f"Lid {n + 1} {key}",
            f"members-{n}-email": f"lid{n + 1}-{key}@example.org",
            f"members-{n}-session": str(sessions[n % len(sessions)]),
            f"members-{n}-dietary_wishes": "",
        }
    return data


def count_queries(client, method: str, url: str, data=None, *, warm: bool) -> dict:
    """Count the queries of one request (streamed bodies included), after one warm-up if asked."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if warm:
        getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        size = (
            sum(len(chunk) for chunk in response.streaming_content)
            if response.streaming
            else len(response.content)
        )
    return {"queries": len(context), "status": response.status_code, "bytes": size}


def cmd_queries(args) -> dict:
    """Count queries per request with the test client on the current data."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from registrations.models import Attendee

    client = Client(HTTP_HOST="127.0.0.1")
    result: dict = {}
    if args.public:
        event = seed.open_lab()
        result["healthz_live"] = count_queries(client, "get", "/healthz/live", warm=False)
        for name, url in [
            ("event_page", reverse("registrations:event_detail", args=[event.slug])),
            ("signup_get", reverse("registrations:signup", args=[event.slug])),
        ]:
            cache.clear()
            result[f"{name}_uncached"] = count_queries(client, "get", url, warm=False)
            result[name] = count_queries(client, "get", url, warm=True)
        result["signup_post"] = count_queries(
            client,
            "post",
            reverse("registrations:signup", args=[event.slug]),
            signup_post_data(event, f"q{time.time_ns()}"),
            warm=False,
        )
    if args.admin:
        history = seed.history_event()
        client.force_login(get_user_model().objects.get(username=BENCH_USERNAME))
        pages = {
            "admin_changelist": reverse("admin:registrations_attendee_changelist"),
            "admin_overview": reverse("admin:theme_sessions_event_overview", args=[history.pk]),
            "admin_export": reverse("admin:theme_sessions_event_export", args=[history.pk]),
        }
        for name, url in pages.items():
            result[name] = count_queries(client, "get", url, warm=name != "admin_export")
        result["attendees_total"] = Attendee.objects.count()
        result["attendees_in_history"] = Attendee.objects.filter(event=history).count()
    return result


# EXPORT BASELINE
# ------------------------------------------------------------------------------


class _Sink:
    """Count what COPY writes without keeping it."""

    def __init__(self) -> None:
        self.bytes = 0
        self.lines = 0

    def write(self, data) -> None:
        self.bytes += len(data)
        self.lines += data.count(b"\n" if isinstance(data, bytes) else "\n")


def copy_sql(event_id: int) -> str:
    """Return a COPY of the export's columns, joins and order, formatted by PostgreSQL itself."""
    from registrations.models import Attendee, Invoice, Organisation, Registration
    from sessions.models import Event, ThemeSession

    t = {m.__name__: m._meta.db_table for m in (Attendee, Invoice, Organisation, Registration)}
    t |= {"Event": Event._meta.db_table, "ThemeSession": ThemeSession._meta.db_table}
    return f"""COPY (
SELECT e.title AS "Bijeenkomst",
       to_char(e.date, 'DD-MM-YYYY') AS "Datum",
       o.name AS "Organisatie",
       r.contact_name AS "Contactpersoon",
       r.contact_email AS "E-mail contactpersoon",
       a.name AS "Naam deelnemer",
       a.email AS "E-mail deelnemer",
       s.title AS "Themasessie",
       a.dietary_wishes AS "Dieetwensen",
       to_char(a.created_at AT TIME ZONE 'Europe/Amsterdam', 'DD-MM-YYYY HH24:MI')
           AS "Aangemeld op",
       CASE a.status WHEN 'confirmed' THEN 'aangemeld' WHEN 'waiting' THEN 'op de wachtlijst'
            ELSE 'afgemeld' END AS "Status",
       replace(i.amount_due::text, '.', ',') AS "Organisatie betaalt",
       CASE WHEN i.amount_due = 0 AND i.amount_paid = 0 THEN 'niets te betalen'
            WHEN i.paid_at IS NULL THEN 'open'
            WHEN i.amount_due = i.amount_paid THEN 'betaald'
            WHEN i.amount_due > i.amount_paid THEN 'betaald, nog niet alles'
            ELSE 'te veel betaald' END AS "Betaling",
       i.reference AS "Factuurnummer"
FROM {t["Attendee"]} a
JOIN {t["Registration"]} r ON r.id = a.registration_id
JOIN {t["Organisation"]} o ON o.id = r.organisation_id
JOIN {t["Invoice"]} i ON i.id = r.invoice_id
JOIN {t["Event"]} e ON e.id = a.event_id
JOIN {t["ThemeSession"]} s ON s.id = a.session_id
WHERE a.event_id = {int(event_id)}
ORDER BY o.name, r.created_at, a.id
) TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';')"""


def cmd_export_baseline(args) -> dict:
    """Time the export's own query run to the end, and PostgreSQL's COPY of the same rows."""
    from django.db import connection

    from registrations.models import Attendee

    event = seed.history_event()
    sql, params = Attendee.objects.filter(event=event).for_export().query.sql_with_params()
    query_times, rows = [], 0
    for _run in range(args.runs):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql, params)
            rows = len(cursor.fetchall())
            query_times.append(time.perf_counter() - started)
    result = {
        "event_id": event.pk,
        "rows": rows,
        "query_seconds": statistics.median(query_times),
        "query_runs": query_times,
        "vendor": connection.vendor,
    }
    if connection.vendor != "postgresql":
        result["copy"] = None
        return result
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        result["query_execution_ms_in_database"] = plan[0]["Execution Time"]
    copy_times, sink = [], _Sink()
    for _run in range(args.runs):
        sink = _Sink()
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.cursor.copy_expert(copy_sql(event.pk), sink)
            copy_times.append(time.perf_counter() - started)
    result["copy"] = {
        "seconds": statistics.median(copy_times),
        "runs": copy_times,
        "bytes": sink.bytes,
        "rows": sink.lines - 1,
    }
    return result


# PROFILE
# ------------------------------------------------------------------------------


def _where(code: tuple) -> str:
    filename, line, function = code
    for prefix in (str(ROOT / ".venv") + "/", str(ROOT) + "/"):
        if filename.startswith(prefix):
            filename = filename[len(prefix) :]
    if "site-packages/" in filename:
        filename = filename.split("site-packages/", 1)[1]
    return f"{filename}:{line}({function})" if line else function


# Frames every request passes through (test client, handler, the middleware chain's own
# __call__): left out of the cumulative ranking so the view, templates and queries come first.
WRAPPERS = ("django/test/", "bench/tasks.py", "django/core/handlers/", "utils/deprecation.py")


def _is_wrapper(where: str) -> bool:
    return any(w in where for w in WRAPPERS) or (
        "middleware" in where and where.endswith("(__call__)")
    )


def profile_case(action, requests: int, *, top: int) -> dict:
    """Time `requests` calls of `action` plainly, then profile as many; list the top functions."""
    import cProfile
    import pstats

    action()  # warm-up: imports, template loading, cached fragments
    started = time.perf_counter()
    for _ in range(requests):
        action()
    plain_ms = (time.perf_counter() - started) * 1000 / requests
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        action()
    profiler.disable()
    stats = pstats.Stats(profiler).stats

    def rows(key: int) -> list[dict]:
        ranked = sorted(
            (item for item in stats.items() if not _is_wrapper(_where(item[0]))),
            key=lambda item: item[1][key],
            reverse=True,
        )[:top]
        return [
            {
                "function": _where(code),
                "calls_per_request": round(calls / requests, 1),
                "self_ms": round(self_time * 1000 / requests, 3),
                "cumulative_ms": round(cumulative * 1000 / requests, 3),
            }
            for code, (_primitive, calls, self_time, cumulative, _callers) in ranked
        ]

    return {
        "requests": requests,
        "ms_per_request": round(plain_ms, 3),
        "by_cumulative": rows(3),
        "by_self": rows(2),
    }


def cmd_profile(args) -> dict:
    """Profile the sign-up page (cached and not) and the sign-up POST in-process."""
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    event = seed.open_lab()
    client = Client(HTTP_HOST="127.0.0.1")
    signup_url = reverse("registrations:signup", args=[event.slug])
    counter = iter(range(1_000_000))

    def get_live() -> None:
        assert client.get("/healthz/live").status_code == 200

    def get_signup() -> None:
        assert client.get(signup_url).status_code == 200

    def get_signup_uncached() -> None:
        cache.clear()
        get_signup()

    def get_event() -> None:
        assert client.get(f"/{event.slug}/").status_code == 200

    def post_signup() -> None:
        key = f"p{os.getpid()}-{next(counter)}-{time.time_ns()}"
        response = client.post(signup_url, signup_post_data(event, key))
        assert response.status_code == 302, response.status_code

    return {
        "healthz_live": profile_case(get_live, args.requests, top=args.top),
        "signup_get_cached": profile_case(get_signup, args.requests, top=args.top),
        "signup_get_uncached": profile_case(get_signup_uncached, args.requests // 4, top=args.top),
        "event_get_cached": profile_case(get_event, args.requests, top=args.top),
        "signup_post": profile_case(post_signup, max(args.requests // 10, 5), top=args.top),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    seeding = commands.add_parser("seed")
    seeding.add_argument("--open-lab-attendees", type=int, default=150)
    seeding.add_argument("--history", type=int, default=1_000)
    commands.add_parser("grow").add_argument("--history", type=int, required=True)
    commands.add_parser("count")
    queries = commands.add_parser("queries")
    queries.add_argument("--public", action="store_true")
    queries.add_argument("--admin", action="store_true")
    commands.add_parser("export-baseline").add_argument("--runs", type=int, default=3)
    profile = commands.add_parser("profile")
    profile.add_argument("--requests", type=int, default=200)
    profile.add_argument("--top", type=int, default=20)
    args = parser.parse_args()

    setup_django()
    handler = {
        "seed": cmd_seed,
        "grow": cmd_grow,
        "count": cmd_count,
        "queries": cmd_queries,
        "export-baseline": cmd_export_baseline,
        "profile": cmd_profile,
    }[args.command]
    # Whatever the app prints (seed_demo, mail backends) must not mix with the JSON answer.
    with contextlib.redirect_stdout(sys.stderr):
        result = handler(args)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
