"""The plans as iCalendar files a phone subscribes to: one per school and one per officer.

Every event's UID is made of term, school and the session's id in the plan file, which an
officer does not change: an edited date or lesson updates the event in a subscribed calendar
rather than adding a second one. Times are Asia/Shanghai, with its VTIMEZONE in the file. The
public build carries only public sessions (an unannounced drill's date stays inside the station).
A session with no agreed start time is an all-day event titled 时间待定·…, which blocks no hour:
a default hour would put two schools of one officer at the same time. A calendar holds the
current term and the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from ..stationdata import StationData
from ..plans import session_minutes
from ..schedule.demands import officer_id
from ..source.schools import Liaison
from ..source.plans import PlannedSession
from .paths import officer_calendar, school_calendar

ZONE = ZoneInfo("Asia/Shanghai")
PRODID = "-//Huxiao//huxiao plan//ZH"


# Writes one school's VEVENTs (text): PageBuilder.calendar_events, which the speed layer caches.
SchoolEvents = Callable[[str, str, bool], str]


def calendars(c: StationData, audience: str, events: SchoolEvents) -> dict[str, str]:
    """Every calendar file of the build, by site path: a school's own, and each officer's with the
    events of all their schools."""
    files: dict[str, str] = {}
    officers: dict[str, tuple[Liaison, list[str]]] = {}
    for school_id in sorted({sid for book in c.plans.values() for sid in book.schools}):
        view = c.schools[school_id]
        mine = events(school_id, audience, False)
        if not mine:
            continue
        files[school_calendar(school_id)] = _wrap(c, f"{view.school.name}·护校安园日历", [mine])
        liaison = view.school.liaison
        officers.setdefault(officer_id(liaison), (liaison, []))[1].append(events(school_id, audience, True))
    for officer, (liaison, blocks) in officers.items():
        files[officer_calendar(officer)] = _wrap(c, f"{liaison.name}·{liaison.title}日历", blocks)
    return files


def school_events(c: StationData, school_id: str, audience: str, site_url: str | None, for_officer: bool) -> str:
    """The school's planned sessions as VEVENT text, in date order (public ones only for the
    public build)."""
    stamp = dt.datetime.combine(c.today, dt.time(0, 0), tzinfo=dt.timezone.utc)  # the build date: byte-stable
    return "".join(event_text(_event(c, school_id, term_id, session, stamp, site_url, for_officer))
                   for term_id, session in calendar_sessions(c, school_id, audience))


@dataclass(frozen=True)
class Subscription:
    """A calendar as the school page offers it: its address to subscribe to, and what it holds."""

    label: str
    path: str  # the .ics, a site path
    https: str | None  # absolute addresses, when the site's address is known
    webcal: str | None
    count: int
    first: dt.date
    last: dt.date
    terms: tuple[str, ...]


def subscription(c: StationData, label: str, path: str, sessions: list[tuple[str, PlannedSession]],
                 site_url: str | None) -> Subscription | None:
    if not sessions:
        return None
    days = [s.date for _, s in sessions]
    https = f"{site_url.rstrip('/')}/{path}" if site_url else None
    # webcal:// asks a phone's calendar to subscribe where https:// would download the file once.
    webcal = "webcal://" + https.split("://", 1)[1] if https else None
    terms = tuple(c.terms[t].term.name for t in dict.fromkeys(t for t, _ in sessions))
    return Subscription(label, path, https, webcal, len(sessions), min(days), max(days), terms)


def calendar_terms(c: StationData) -> list[str]:
    """The terms a calendar holds: the current one (see StationData.current_term) and the next."""
    current = c.current_term()
    later = sorted((t for t, book in c.terms.items() if current is None or book.term.first_day > current.term.first_day),
                   key=lambda t: c.terms[t].term.first_day)
    return ([current.id] if current is not None else []) + later[:1]


def calendar_sessions(c: StationData, school_id: str, audience: str) -> list[tuple[str, PlannedSession]]:
    """The school's sessions in its calendar, as (term, session) in date order."""
    planned = [(term_id, s) for term_id in calendar_terms(c) if (book := c.plans.get(term_id)) is not None
               and (plan := book.plan(school_id)) is not None for s in plan.sessions if audience == "internal" or s.public]
    planned.sort(key=lambda x: (x[1].date, x[0], x[1].id))
    return planned


@lru_cache(maxsize=1)
def _zone() -> str:
    """Asia/Shanghai as a VTIMEZONE, made once: icalendar derives it from the tz database, slowly."""
    return Timezone.from_tzid("Asia/Shanghai").to_ical().decode("utf-8")


def _wrap(c: StationData, name: str, blocks: list[str]) -> str:
    before, after = _header()
    end = "END:VCALENDAR\r\n"
    return before + _line("x-wr-calname", name) + after + _zone() + "".join(blocks) + end


@lru_cache(maxsize=1)
def _header() -> tuple[str, str]:
    """The calendar's properties as icalendar writes them, before and after its name (made once:
    a city has thousands of calendars)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "NAME")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    text = cal.to_ical().decode("utf-8")
    line = _line("x-wr-calname", "NAME")
    before, after = text.split(line)
    return before, after.removesuffix("END:VCALENDAR\r\n")


# An event's properties, (name, value) as icalendar's Component.add takes them, in the order added.
Properties = tuple[tuple[str, object], ...]


def _event(c: StationData, school_id: str, term_id: str, session: PlannedSession, stamp: dt.datetime,
           site_url: str | None, for_officer: bool) -> Properties:
    lesson = c.curriculum.lessons[session.lesson].model
    school = c.schools[school_id].school
    tier = c.curriculum.tiers[session.tier].name
    what = "演练" if session.kind == "drill" else "安全讲座"
    title = f"{what}：{lesson.title}（{school.name if for_officer else tier}）"
    event: list[tuple[str, object]] = [("uid", f"{term_id}-{school_id}-{session.id}@huxiao"), ("dtstamp", stamp)]
    if session.start is None:
        event += [("dtstart", session.date), ("dtend", session.date + dt.timedelta(days=1)),
                  ("transp", "TRANSPARENT"),  # an all-day placeholder keeps the officer's hours free
                  ("summary", f"时间待定·{title}")]
    else:
        start = dt.datetime.combine(session.date, dt.time.fromisoformat(session.start), tzinfo=ZONE)
        rules = c.rules.model if c.rules is not None else None
        event += [("dtstart", start),
                  ("dtend", start + dt.timedelta(minutes=session_minutes(c.curriculum.lessons, session, rules))),
                  ("summary", title)]
    event.append(("location", school.name))
    lines = [f"{tier} · {lesson.title}"]
    if session.why:
        lines.append("依据：" + "、".join(session.why))
    if session.note:
        lines.append(session.note)
    url = f"{site_url.rstrip('/')}/lessons/{session.lesson}/{session.tier}/" if site_url else None
    if url:
        lines.append(url)
        event.append(("url", url))
    event += [("description", "\n".join(lines)), ("categories", (what,))]
    return tuple(event)


def icalendar_event(properties: Properties) -> Event:
    """The event as an icalendar component (what event_text writes, line for line)."""
    event = Event()
    for name, value in properties:
        event.add(name, list(value) if isinstance(value, tuple) else value)
    return event


def event_text(properties: Properties) -> str:
    """The VEVENT as icalendar writes it, put together from lines icalendar wrote once per value:
    a city's calendars hold 40,000 events whose summaries, places, times and descriptions repeat
    from school to school, and icalendar takes 0.2 ms to write one. Only the UID is new each time."""
    order = _property_order(tuple(name for name, _ in properties))
    return "BEGIN:VEVENT\r\n" + "".join(
        (_written if properties[i][0] == "uid" else _line)(*properties[i]) for i in order) + "END:VEVENT\r\n"


@lru_cache(maxsize=64)
def _property_order(names: tuple[str, ...]) -> tuple[int, ...]:
    """Where icalendar puts each property of an event with these names (its canonical order)."""
    place = {name.upper(): i for i, name in enumerate(names)}
    return tuple(place[name] for name in Event({name: "" for name in names}).sorted_keys())


def _written(name: str, value: object) -> str:
    """One property, escaped and folded by icalendar, as its content line(s) in a component."""
    event = icalendar_event(((name, value),))
    key = name.upper()
    values = event[key]
    return "".join(event.content_line(key, one).to_ical().decode("utf-8") + "\r\n"
                   for one in (values if isinstance(values, list) else [values]))


_line = lru_cache(maxsize=1 << 17)(_written)
