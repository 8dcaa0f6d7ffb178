"""The plans as iCalendar files a phone subscribes to: one per school and one per officer.

Every event's UID is made of term, school and the session's id in the plan file, which an
officer does not change: an edited date or lesson updates the event in a subscribed calendar
rather than adding a second one. Times are Asia/Shanghai, with its VTIMEZONE in the file. The
public build carries only public sessions (an unannounced drill's date stays inside the station).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from ..curriculum import Curriculum
from ..schedule.demands import officer_id
from ..source.plans import PlannedSession
from .paths import officer_calendar, school_calendar

ZONE = ZoneInfo("Asia/Shanghai")
PRODID = "-//Huxiao//huxiao plan//ZH"


def calendars(c: Curriculum, audience: str, site_url: str | None) -> dict[str, str]:
    """Every calendar file of the build, by site path."""
    by_school: dict[str, list[tuple[str, PlannedSession]]] = {}
    for term_id, book in sorted(c.plans.items()):
        if term_id not in c.terms:
            continue
        for school_id, entry in sorted(book.schools.items()):
            for session in entry.model.sessions:
                if audience == "internal" or session.public:
                    by_school.setdefault(school_id, []).append((term_id, session))
    files: dict[str, str] = {}
    officers: dict[str, list[tuple[str, str, PlannedSession]]] = {}
    for school_id, planned in by_school.items():
        view = c.schools[school_id]
        mine = [(school_id, term_id, session) for term_id, session in planned]
        files[school_calendar(school_id)] = _calendar(c, f"{view.school.name}·护校安园日历", mine, site_url, False)
        officers.setdefault(officer_id(view.school.liaison), []).extend(mine)
    for officer, theirs in officers.items():
        liaison = c.schools[theirs[0][0]].school.liaison
        files[officer_calendar(officer)] = _calendar(c, f"{liaison.name}·{liaison.title}日历", theirs, site_url, True)
    return files


def _calendar(c: Curriculum, name: str, sessions: list[tuple[str, str, PlannedSession]], site_url: str | None,
              for_officer: bool) -> str:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    # The build date, not the clock: two builds on one day give the same file.
    stamp = dt.datetime.combine(c.today, dt.time(0, 0), tzinfo=dt.timezone.utc)
    for school_id, term_id, session in sorted(sessions, key=lambda x: (x[2].date, x[0], x[2].id)):
        cal.add_component(_event(c, school_id, term_id, session, stamp, site_url, for_officer))
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")


def _event(c: Curriculum, school_id: str, term_id: str, session: PlannedSession, stamp: dt.datetime,
           site_url: str | None, for_officer: bool) -> Event:
    rules = c.rules.model.times if c.rules is not None else None
    lesson = c.lessons[session.lesson].model
    school = c.schools[school_id].school
    tier = c.tiers[session.tier].name
    default = (rules.drill if session.kind == "drill" else rules.lecture) if rules else ("10:00" if session.kind == "drill" else "14:30")
    hour, minute = (int(x) for x in (session.start or default).split(":"))
    start = dt.datetime.combine(session.date, dt.time(hour, minute), tzinfo=ZONE)
    if session.kind == "drill":
        minutes = rules.drill_minutes if rules else 30
    else:
        minutes = lesson.variants[session.tier].minutes * session.periods
    what = "演练" if session.kind == "drill" else "安全讲座"
    event = Event()
    event.add("uid", f"{term_id}-{school_id}-{session.id}@huxiao")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=minutes))
    event.add("summary", f"{what}：{lesson.title}（{school.name if for_officer else tier}）")
    event.add("location", school.name)
    lines = [f"{tier} · {lesson.title}"]
    if session.why:
        lines.append("依据：" + "、".join(session.why))
    if session.note:
        lines.append(session.note)
    url = f"{site_url.rstrip('/')}/lessons/{session.lesson}/{session.tier}/" if site_url else None
    if url:
        lines.append(url)
        event.add("url", url)
    event.add("description", "\n".join(lines))
    event.add("categories", [what])
    return event
