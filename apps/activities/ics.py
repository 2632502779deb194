"""A minimal RFC 5545 writer for an activity's sessions (one VEVENT each): enough for phone
calendars, no dependency. Text is escaped and lines folded at 75 octets, with CRLF endings."""

from django.conf import settings
from django.utils import timezone


def _escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    out, chunk = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > (75 if not out else 74):
            out.append(chunk.decode("utf-8"))
            chunk = b""
        chunk += encoded
    out.append(chunk.decode("utf-8"))
    return "\r\n ".join(out)


def calendar_for(activity, sessions, *, now=None) -> str:
    import datetime

    now = now or timezone.now()
    utc = datetime.UTC

    def stamp(moment):
        return moment.astimezone(utc).strftime("%Y%m%dT%H%M%SZ")

    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "union-portal"
    url = settings.SITE_URL.rstrip("/") + activity.get_absolute_url()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Union Portal//activities//ZH", "CALSCALE:GREGORIAN"]
    for session in sessions:
        occasion = session.occasion
        if occasion.cancelled_at is not None:
            continue
        summary = activity.full_title + (f" · {session.topic}" if session.topic else "")
        lines += [
            "BEGIN:VEVENT",
            f"UID:activity-{activity.pk}-session-{session.pk}@{host}",
            f"DTSTAMP:{stamp(now)}",
            f"DTSTART:{stamp(occasion.starts_at)}",
            f"DTEND:{stamp(occasion.ends_at)}",
            f"SUMMARY:{_escape(summary)}",
            f"LOCATION:{_escape(occasion.where or activity.place_name)}",
            f"DESCRIPTION:{_escape(activity.description[:500])}",
            f"URL:{url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
