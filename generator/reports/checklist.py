"""一校一表: a school's 三防 data and delivery record checked against the thresholds file.

Internal only: the result is used by the internal build's dossier pages, never by public pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..records import drills_of, lectures_of
from ..schools import SchoolView
from ..source.schools import GuardBand, ThresholdSource
from ..stationdata import StationData

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


@dataclass(frozen=True)
class Check:
    area: str  # 人防 / 物防 / 技防 / 演练 / 授课
    item: str
    required: str
    actual: str
    status: str
    source: ThresholdSource | None


def required_guards(students: int, bands: list[GuardBand]) -> int:
    band = max((b for b in bands if students >= b.from_students), key=lambda b: b.from_students)
    extra = 0
    if band.plus_one_per:
        extra = (students - band.from_students) // band.plus_one_per
    return band.min_guards + extra


def _status(ok: bool | None) -> str:
    return UNKNOWN if ok is None else (PASS if ok else FAIL)


def _yes(value: bool | None) -> str:
    return "未填写" if value is None else ("是" if value else "否")


def evaluate(view: SchoolView, c: StationData) -> list[Check]:
    t = c.thresholds
    if t is None:
        return []
    school = view.school
    internal = school.internal
    guards = internal.guards if internal else None
    alarm = internal.alarm if internal else None
    video = internal.video if internal else None
    need = required_guards(school.head_count, t.guards)
    checks = [
        Check("人防", "专职保安", f"≥ {need} 人（{school.head_count} 名学生）",
              f"{guards.full_time} 人" if guards else "未填写",
              _status(guards.full_time >= need if guards else None), t.guards_source),
        Check("人防", "门卫室 24 小时值守", "是", _yes(guards.gatehouse_24h if guards else None),
              _status(guards.gatehouse_24h if guards else None), t.guards_source),
        Check("人防", "每日巡查", f"≥ {t.patrols_per_day} 次",
              f"{guards.patrols_per_day} 次" if guards else "未填写",
              _status(guards.patrols_per_day >= t.patrols_per_day if guards else None), t.patrols_source),
        Check("物防", "校门防冲撞设施", "有", "、".join(internal.barriers) if internal and internal.barriers else "无",
              _status(bool(internal and internal.barriers)) if internal else UNKNOWN, t.barriers_source),
        Check("物防", "封闭化管理", "是", _yes(internal.closed_campus if internal else None),
              _status(internal.closed_campus if internal else None), t.barriers_source),
        Check("技防", "一键式紧急报警与公安联网", "已安装并联网",
              "未填写" if alarm is None else f"安装：{_yes(alarm.installed)}；联网：{_yes(alarm.linked_to_police)}",
              _status(alarm.installed and alarm.linked_to_police if alarm else None), t.alarm_source),
        Check("技防", "视频监控与公安联网", "是", _yes(video.linked_to_police if video else None),
              _status(video.linked_to_police if video else None), t.alarm_source),
        Check("技防", "录像保存", f"≥ {t.video_retention_days} 天",
              f"{video.retention_days} 天" if video else "未填写",
              _status(video.retention_days >= t.video_retention_days if video else None), t.video_source),
    ]
    return checks + [_drill_check(view, c), _lesson_check(view, c)]


def _drill_check(view: SchoolView, c: StationData) -> Check:
    t = c.thresholds
    assert t is not None
    kindergarten = view.school.type == "kindergarten"
    interval = t.drill_interval_days_kindergarten if kindergarten else t.drill_interval_days_school
    drills = [drill.date for _, drill in drills_of(c.terms, view.id) if drill.live]
    if not drills:
        return Check("演练", "应急疏散演练", f"每 {interval} 天至少 1 次", "无记录", FAIL, t.drill_source)
    last = max(drills)
    days = (c.today - last).days
    return Check("演练", "应急疏散演练", f"每 {interval} 天至少 1 次", f"最近一次 {last}（{days} 天前）",
                 _status(days <= interval), t.drill_source)


def _lesson_check(view: SchoolView, c: StationData) -> Check:
    t = c.thresholds
    assert t is not None
    since = c.today - dt.timedelta(days=365)
    held = sum(lecture.periods for _, lecture in lectures_of(c.terms, view.id) if lecture.date > since)
    return Check("授课", "法治副校长授课", f"近一年 ≥ {t.lessons_per_year} 课时", f"{held} 课时",
                 _status(held >= t.lessons_per_year), t.lessons_source)
