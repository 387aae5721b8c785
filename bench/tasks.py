"""The bench steps that run inside Django: `python bench/tasks.py <step> [arg]`, one JSON line out.

bench/run.py calls each step in a subprocess with the server's environment; Django is set up
before the app is imported.
"""

import cProfile
import datetime
import json
import os
import pstats
import smtplib
import statistics
import sys
import time
from contextlib import redirect_stdout
from decimal import Decimal
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participatielab.settings")
django.setup()
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core import signing  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from registrations import emails, exports, models, outbox  # noqa: E402
from registrations.evaluation import evaluation_for  # noqa: E402
from registrations.forms import STARTED_SALT  # noqa: E402
from registrations.management.commands.seed_demo import DEMO_SLUG, SESSIONS  # noqa: E402
from registrations.models import Attendee, Invoice, MailStatus, Registration, Status  # noqa: E402
from registrations.pricing import organisation_amount_due  # noqa: E402
from sessions.models import Event  # noqa: E402
from sessions.services import SessionData, create_event  # noqa: E402

ARCHIVE, ORGANISATIONS, NOW = "participatielab-archief", 2_000, timezone.now()
# An evaluation answer per question kind.
ANSWERS = {"mark": {"mark": 8}, "session_mark": {"mark": 7}, "text": {"text": "Nuttig"}}
ANSWERS |= {"yes_no": {"yes_no": True}, "themes": {"themes": ["Prestatieafspraken"]}}


def archive() -> Event:
    """Return the archive event (a lab held a week ago), made the first time."""
    if event := Event.objects.filter(slug=ARCHIVE).first():
        return event
    day, hour = timezone.localdate() - datetime.timedelta(days=7), datetime.time(17)
    deadline = timezone.make_aware(datetime.datetime.combine(day, hour)) - datetime.timedelta(7)
    return create_event(
        sessions=[SessionData(title=s.title) for s in SESSIONS], title="Archief", slug=ARCHIVE,
        theme="Eerdere aanmeldingen", date=day, start_time=hour, end_time=datetime.time(20),
        venue_name="Kasteel", venue_address="Laan 1", venue_city="Bunnik", is_published=True,
        registration_deadline=deadline,
    )  # fmt: skip


def grow(target: str) -> dict:
    """Fill the archive up to `target` attendees with bulk inserts in the shapes the app writes:
    groups of one to three, one invoice per organisation with its amount (two in three paid),
    one in 25 sign-ups cancelled and one in 30 waiting, four in five checked in, one in twenty
    of those with evaluation answers."""
    started, event, target = time.perf_counter(), archive(), int(target)
    sessions, evaluation = list(event.sessions.all()), evaluation_for(event)
    names = [f"Huurdersorganisatie {n:04d}" for n in range(ORGANISATIONS)]
    orgs = [models.Organisation(name=n, name_key=models.normalise_name(n)) for n in names]
    models.Organisation.objects.bulk_create(orgs, ignore_conflicts=True)
    orgs = list(models.Organisation.objects.filter(name__in=names).values_list("pk", flat=True))
    Invoice.objects.bulk_create([Invoice(event=event, organisation_id=o) for o in orgs], 2000, True)
    invoices = dict(Invoice.objects.filter(event=event).values_list("organisation_id", "pk"))
    total, n = Attendee.objects.filter(event=event).count(), event.registrations.count()
    regs, sizes, people = [], [], []
    while total < target:
        org, when = orgs[n % ORGANISATIONS], NOW - datetime.timedelta(minutes=n % 80_000 + 1e4)
        status = Status.WAITING if n % 30 == 7 else Status.CONFIRMED
        regs.append(Registration(
            event=event, organisation_id=org, invoice_id=invoices[org], consent_at=when,
            status=Status.CANCELLED if n % 25 == 24 else status, contact_name=f"Contact {n}",
            contact_email=f"contact{n}@example.org", confirmation_sent_at=when, privacy_version="1",
        ))  # fmt: skip
        sizes.append(min(1 + n % 3, target - total))
        total, n = total + sizes[-1], n + 1
    with transaction.atomic():
        for reg, size in zip(Registration.objects.bulk_create(regs, 2000), sizes, strict=True):
            for _ in range(size):
                k, came = len(people), reg.status == Status.CONFIRMED and len(people) % 5 > 0
                people.append(Attendee(
                    registration=reg, event=event, organisation_id=reg.organisation_id,
                    session=sessions[k % 4], name=f"Lid {reg.pk}-{k}", name_key=f"lid {reg.pk}-{k}",
                    email=f"lid{reg.pk}-{k}@example.org", status=reg.status,
                    checked_in_at=NOW - datetime.timedelta(days=7) if came else None,
                ))  # fmt: skip
        people = Attendee.objects.bulk_create(people, 2000)
        answered = {"evaluation": evaluation, "answered_at": NOW}
        responses = models.EvaluationResponse.objects.bulk_create(
            models.EvaluationResponse(attendee=a, session_id=a.session_id, **answered)
            for a in people if a.checked_in_at and a.pk % 20 == 0
        )  # fmt: skip
        questions = list(evaluation.questions.all())
        models.EvaluationAnswer.objects.bulk_create(
            models.EvaluationAnswer(response=r, question=q, **ANSWERS[q.kind])
            for r in responses for q in questions
        )  # fmt: skip
        recompute_invoices(event)
    if connection.vendor == "postgresql":  # statistics for the planner, as autovacuum would give
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    return {"attendees": total, "event_id": event.pk, "seconds": seconds}


def recompute_invoices(event: Event) -> None:
    """Set each invoice's head count and amount from its confirmed attendees; pay two in three."""
    confirmed = Attendee.objects.confirmed().filter(event=event)
    counts = dict(confirmed.values_list("registration__invoice").annotate(n=Count("pk")))
    invoices = list(Invoice.objects.filter(event=event).order_by("pk"))
    tiers, payments = event.price_tiers_map(), []
    models.Payment.objects.filter(account__event=event).delete()
    for i, invoice in enumerate(invoices):
        invoice.attendee_count = counts.get(invoice.pk, 0)
        due = organisation_amount_due(tiers=tiers, attending_per_signup=[invoice.attendee_count])
        invoice.amount_due, invoice.amount_paid = due, due if i % 3 else Decimal("0.00")
        invoice.paid_at = NOW if invoice.amount_paid else None
        if invoice.amount_paid:
            payments.append(models.Payment(account=invoice, paid_on=NOW, amount=due))
    fields = ["attendee_count", "amount_due", "amount_paid", "paid_at"]
    Invoice.objects.bulk_update(invoices, fields, batch_size=500)
    models.Payment.objects.bulk_create(payments)


def seed(attendees: str) -> dict:
    for command in ("migrate", "createcachetable", "seed_demo"):
        call_command(command, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    get_user_model().objects.create_superuser("bench", None, os.environ["BENCH_PASSWORD"])
    lab = Event.objects.get(slug=DEMO_SLUG)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 0")
        version = cursor.fetchone()[0] or f"SQLite {connection.Database.sqlite_version}"
    sessions = list(lab.sessions.values_list("pk", flat=True))
    return grow(attendees) | {"lab_id": lab.pk, "slug": lab.slug, "database": version,
                              "sessions": sessions}  # fmt: skip


def staff_pages() -> dict[str, str]:
    pages = {"dashboard": reverse("dashboard")}
    for name in ("attendee", "registration"):
        pages[f"{name} list"] = reverse(f"admin:registrations_{name}_changelist")
    for name, url in [("overview",) * 2, ("desk list", "desk_list"), ("check-in", "check_in"),
                      ("evaluation results", "evaluation"), ("invoices",) * 2]:  # fmt: skip
        pages[name] = reverse(f"admin:theme_sessions_event_{url}", args=[archive().pk])
    return pages


def staff_client() -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="bench"))
    return client


def timed(client: Client, url: str, data=None) -> tuple[float, int]:
    """Return the milliseconds and queries of one GET (or POST with data)."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.post(url, data) if data else client.get(url)
        assert response.status_code == (302 if data else 200), (url, response.status_code)
    return (time.perf_counter() - started) * 1000, len(queries)


def staff(repeats: str) -> dict:
    """Median ms and queries of in-process GETs: after a warm-up, up to `repeats` within 5 s
    (a page slower than a second is timed once, its first GET)."""
    client, result = staff_client(), {}
    for name, url in staff_pages().items():
        runs, budget = [timed(client, url)], time.perf_counter() + 5
        if runs[0][0] < 1000:
            runs = [timed(client, url) for _ in range(int(repeats)) if time.perf_counter() < budget]
        result[name] = {"ms": statistics.median(ms for ms, _ in runs), "queries": runs[-1][1]}
    return result


def signup_data(key: str) -> dict:
    """A whole sign-up of three, its `started` token signed for ten seconds ago."""
    started = signing.dumps(time.time() - 10, salt=STARTED_SALT)
    data = {"organisation_name": f"Bewonerscommissie {key}", "contact_name": "Contact Persoon"}
    data |= {"contact_email": f"c-{key}@example.org", "consent": "on", "started": started}
    data |= {"members-TOTAL_FORMS": "3", "members-INITIAL_FORMS": "0"}
    sessions = list(Event.objects.get(slug=DEMO_SLUG).sessions.values_list("pk", flat=True))
    for m in range(3):
        data |= {f"members-{m}-name": f"Lid {m} {key}", f"members-{m}-wait_if_full": "on"}
        data |= {f"members-{m}-email": f"{m}{key}@example.org", f"members-{m}-session": sessions[m]}
    return data


def public() -> dict:
    """Queries of cached public pages and of a sign-up POST, under the production guards."""
    client, url = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="192.0.2.7"), f"/{DEMO_SLUG}/"
    result = {name: [timed(client, u)[1] for _ in "12"][1] for name, u in
              [("event page", url), ("sign-up page", f"{url}aanmelden/")]}  # fmt: skip
    timed(client, f"{url}aanmelden/", signup_data(f"w{time.time_ns()}"))  # a warm-up
    timed(client, f"{url}aanmelden/")  # the form, seen before it is sent, as a visitor does
    return result | {"post": timed(client, f"{url}aanmelden/", signup_data(f"{time.time_ns()}"))[1]}


def attendees() -> int:
    return Attendee.objects.filter(event__slug=DEMO_SLUG).count()


def export_baseline() -> dict:
    """Time the export's own query to the last row, and a COPY of that select to a null sink."""
    query = Attendee.objects.filter(event=archive()).for_export().values_list(*exports.COLUMNS)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(sql, params)
        result = {"rows": len(cursor.fetchall()), "query_seconds": time.perf_counter() - started}
        if connection.vendor == "postgresql":
            select, started = cursor.cursor.mogrify(sql, params).decode(), time.perf_counter()
            with open(os.devnull, "wb") as sink:
                copy = f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';')"
                cursor.cursor.copy_expert(copy, sink)
            result["copy_seconds"] = time.perf_counter() - started
    return result


def mail(number: str) -> dict:
    """Once the running worker has sent what waited, queue `number` confirmations the way the
    app does (outbox row and task, one transaction) and time until all are sent; then send the
    same messages with a bare smtplib loop over one connection."""
    unsent = models.OutboxMail.objects.filter(status__in=[MailStatus.QUEUED, MailStatus.SENDING])
    while unsent.exists():
        time.sleep(0.2)
    regs = Registration.objects.filter(event=archive(), status=Status.CONFIRMED)[: int(number)]
    kind = {"kind": models.MailKind.CONFIRMATION, "language": "nl"}
    with transaction.atomic():
        mails = [outbox.new_mails([r.contact_email], registration=r, **kind)[0] for r in regs]
        ids = [m.pk for m in outbox.queue(mails)]
    started = time.perf_counter()
    while unsent.exists():
        time.sleep(0.05)
    seconds, mails = time.perf_counter() - started, models.OutboxMail.objects.filter(pk__in=ids)
    statuses = dict(mails.values_list("status").annotate(n=Count("pk")).order_by())
    messages = [emails.compose(m, emails.load(m.registration_id)) for m in mails]
    messages = [m.message() for m in messages if m]
    with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT) as smtp:
        started = time.perf_counter()
        for message in messages:
            smtp.sendmail(message["From"], [message["To"]], message.as_bytes(linesep="\r\n"))
        bare = time.perf_counter() - started
    return {"mails": len(ids), "seconds": seconds, "bare_seconds": bare, "statuses": statuses}


def profile(names: str) -> dict:
    """cProfile of each named request (up to ten within 3 s): the top 12 functions."""
    client, url, result = staff_client(), f"/{DEMO_SLUG}/", {}
    urls = staff_pages() | {"event page": url, "sign-up page": f"{url}aanmelden/"}
    urls["export"] = reverse("admin:theme_sessions_event_export", args=[archive().pk])
    for name in names.split(","):
        path, profiler, repeats = urls.get(name, f"{url}aanmelden/"), cProfile.Profile(), 0

        def request(name=name, path=path) -> bytes:
            post = name == "post"
            response = client.post(path, signup_data(str(time.time_ns()))) if post else None
            return b"".join(getattr(response or client.get(path), "streaming_content", []))

        budget = time.perf_counter() + 3  # no warm-up: the server has filled the shared cache
        while not repeats or (repeats < 10 and time.perf_counter() < budget):
            profiler.runcall(request)
            repeats += 1
        stats = sorted(pstats.Stats(profiler).stats.items(), key=lambda s: -s[1][3])
        skip = ("django/test/", "bench/tasks.py", "django/core/handlers/", "deprecation.py")
        result[name] = [
            f"{cum * 1000 / repeats:8.2f} ms {calls / repeats:8.1f}× "
            f"{file.replace(str(ROOT), '').split('site-packages/')[-1]}:{line}({function})"
            for (file, line, function), (_, calls, _, cum, _) in stats
            if not any(s in file for s in skip) and "middleware" not in f"{file}{function}"
        ][:12]
    return result


if __name__ == "__main__":
    with redirect_stdout(sys.stderr):  # what the app prints must not mix with the answer
        answer = globals()[sys.argv[1].replace("-", "_")](*sys.argv[2:])
    print(json.dumps(answer, default=str))
