"""Reminder fan-out at city scale: python bench/bench_fanout.py

Builds its own PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_fanout; SQLite works too), makes BENCH_FOLLOWERS
(100,000) users following one ten-things item, and times three runs of the real sender
(``report_verified_notify`` → ``reminders.services.notify_all``):

1. the first fan-out (everyone new),
2. the same fan-out again (all duplicates: a retried task or a second beat),
3. a fresh report told to an audience of which half was already told.

For each it prints seconds, SQL statements, growth of the process's peak RSS and e-mail tasks
queued (one per batch; the Celery queue is captured, not run). It then counts notifications
per (user, key) to prove there are no duplicates. Goals: first < 30 s, re-run < 5 s, memory
flat in the number of recipients; exits 1 when a goal is missed.

Then the channels (issue 26): four in five followers have a bound WeChat (公众号, following),
the fifth a proven mobile number. One reminder of a kind that allows SMS is fanned out to all:
every delivery row (WeChat or SMS) is queued through the outbox (the relay is held, so rows stay
pending as with a broker down) in < 60 s, a re-run adds nothing, and a batch's send task run
twice against the console senders sends each message once.
"""

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
N = int(os.environ.get("BENCH_FOLLOWERS", "100000"))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_fanout")
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "union_portal.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": DB_URL,
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "REMINDER_QUIET_HOURS": "",  # the bench may run at night: nothing held
    }
)


def reset_database():
    if DB_URL.startswith("sqlite:///"):
        Path(DB_URL.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    import psycopg2

    name = DB_URL.rsplit("/", 1)[1]
    conn = psycopg2.connect(DB_URL.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def main() -> int:
    reset_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from apps.accounts.models import User
    from apps.reminders import outbox, tasks
    from apps.reminders.models import Notification
    from apps.tenthings.models import Follow, Indicator, ProgressReport
    from apps.tenthings.services import report_verified_notify
    from apps.tenthings.tests.factories import IndicatorFactory, ItemFactory, PlanFactory

    queued = []
    tasks.notification_emails_send.delay = lambda ids: queued.append(len(ids))  # capture, do not run
    # Hold the outbox relay: the rows stay pending (as with the broker down), so the runs time the
    # queueing of every delivery, not the sending.
    outbox.relay = lambda row_id: False

    print(f"Filling: {N:,} users following one item …", flush=True)
    started = time.perf_counter()
    item = ItemFactory(plan=PlanFactory(year=2026))
    indicator = IndicatorFactory(item=item, kind=Indicator.Kind.QUANTITY)
    chunk = 5000
    for start in range(0, N, chunk):
        users = User.objects.bulk_create(
            [
                User(username=f"fan{i}", email=f"fan{i}@example.com", password="!", real_name=f"职工{i}")
                for i in range(start, min(N, start + chunk))
            ]
        )
        Follow.objects.bulk_create([Follow(item=item, user=u) for u in users])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as a live database has them
    print(f"  filled in {time.perf_counter() - started:.1f} s", flush=True)

    def report():
        return ProgressReport.objects.create(
            indicator=indicator,
            reporter=User.objects.first(),
            reported_on="2026-11-20",
            amount=1,
            narrative="本月完成体检 120 名。",
            status=ProgressReport.Status.VERIFIED,
        )

    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    def run(label, report_id):
        queued.clear()
        statements[0] = 0
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        with connection.execute_wrapper(count), transaction.atomic():
            told = report_verified_notify(report_id=report_id)
        seconds = time.perf_counter() - started
        peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) * 1024  # kB -> bytes
        print(
            f"{label:<38} told {told:>7,}  {seconds:6.2f} s  {statements[0]:>5} SQL  "
            f"peak RSS +{peak / 1e6:5.1f} MB  e-mail tasks {len(queued):>4} ({sum(queued):,} e-mails)",
            flush=True,
        )
        return told, seconds, peak

    first = report()
    told1, t1, peak1 = run("1. first fan-out", first.pk)
    told2, t2, _peak2 = run("2. same fan-out again (all duplicates)", first.pk)
    second = report()
    half = list(User.objects.filter(username__startswith="fan").order_by("pk").values_list("pk", flat=True)[: N // 2])
    from apps.reminders.services import notify_all

    notify_all(half, kind="tenthings.report_verified", key=f"tenthings.report_verified:report-{second.pk}", title="x")
    told3, t3, peak3 = run("3. new report, half already told", second.pk)

    duplicates = (
        Notification.objects.values("user_id", "key")
        .order_by()
        .annotate(n=django.db.models.Count("id"))
        .filter(n__gt=1)
    ).count()
    print(f"duplicate notifications: {duplicates}")
    ok = told1 == N and told2 == 0 and told3 == N - len(half) and duplicates == 0 and t1 < 30 and t2 < 5
    ok = ok and peak1 < 100e6  # batches, not a list of every recipient: the peak barely moves
    print("goals met" if ok else "GOALS MISSED (first < 30 s, re-run < 5 s, no duplicates, flat memory)")
    channels_ok = channels(item)
    return 0 if (ok and channels_ok) else 1


def channels(item) -> bool:
    """In-site + WeChat for 4/5, + SMS for 1/5: every delivery queued, none twice."""
    from django.db import transaction
    from django.db.models import Count

    from apps.accounts.models import User
    from apps.accounts.wechat_models import WeChatBinding
    from apps.reminders.channels.senders import ConsoleWeChatSender
    from apps.reminders.deliveries import deliveries_send
    from apps.reminders.models import ChannelDelivery, OutboxTask
    from apps.reminders.services import notify_all

    fans = list(User.objects.filter(username__startswith="fan").order_by("pk").values_list("pk", flat=True))
    texted = fans[::5]
    User.objects.filter(pk__in=texted).update(phone="13900000000", phone_verified=False)
    for start in range(0, len(texted), 5000):  # distinct proven numbers
        batch = User.objects.filter(pk__in=texted[start : start + 5000])
        for user in batch:
            user.phone, user.phone_verified = f"139{user.pk:08d}"[:11], True
        User.objects.bulk_update(batch, ["phone", "phone_verified"], batch_size=5000)
    sms_set = set(texted)
    WeChatBinding.objects.bulk_create(
        [WeChatBinding(user_id=pk, app="mp", openid=f"o-{pk}", subscribed=True) for pk in fans if pk not in sms_set],
        batch_size=5000,
    )

    def fan_out():
        started = time.perf_counter()
        with transaction.atomic():
            told = notify_all(
                User.objects.filter(username__startswith="fan"),
                kind="enrolment.offered",
                key="enrolment.offered:bench",
                title="您获得职工体检名额：5月12日 8:00",
                url="/me/",
            )
        return told, time.perf_counter() - started

    told, seconds = fan_out()
    rows = dict(
        ChannelDelivery.objects.filter(notification__key="enrolment.offered:bench")
        .values_list("channel")
        .annotate(n=Count("id"))
    )
    tasks = OutboxTask.objects.filter(task="apps.reminders.tasks.channel_deliveries_send").count()
    print(
        f"4. channels fan-out                      told {told:>7,}  {seconds:6.2f} s  rows {rows}  send tasks {tasks}"
    )
    again, again_seconds = fan_out()
    print(f"5. channels fan-out again                told {again:>7,}  {again_seconds:6.2f} s")
    first_task = OutboxTask.objects.filter(task="apps.reminders.tasks.channel_deliveries_send").order_by("pk").first()
    sent_once = deliveries_send(notification_ids=first_task.args[0])
    sent_twice = deliveries_send(notification_ids=first_task.args[0])  # the batch retried
    print(f"6. one batch sent, then retried          sent {sent_once:,} then {sent_twice:,}")
    duplicates = (
        ChannelDelivery.objects.values("notification_id", "channel")
        .order_by()
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    wanted = {"wechat": len(fans) - len(sms_set), "sms": len(sms_set)}
    ok = told == len(fans) and rows == wanted and again == 0 and seconds < 60 and duplicates == 0
    ok = ok and sent_once == len(first_task.args[0]) and sent_twice == 0 and len(ConsoleWeChatSender.outbox) <= 1000
    print(
        "channel goals met" if ok else "CHANNEL GOALS MISSED (all queued < 60 s, no re-run duplicate, once per batch)"
    )
    return ok


if __name__ == "__main__":
    sys.exit(main())
