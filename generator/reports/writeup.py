"""The term's 工作总结 as a station sends it up: four sections, every sentence made from the records.

一、基本情况, 二、主要做法和成效 (each figure against the same term last year and the term
before, where those terms have it), 三、存在的问题 (open and overdue fixes, slow drills, rules
missed, schools not reached), 四、下一步工作打算 (next term's plans). The figures are those of
`term.py`; the web page, the PDF and the Word file are views of one `Writeup`.

The public writeup says how many; only the internal one names schools' duty figures, problems,
owners and drill times (they are police and school security matters).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from ..records import fixes_of, is_open, is_overdue
from ..schedule.compliance import rule_levels
from ..schedule.demands import demands_of_schools
from ..stationdata import StationData
from .term import EarlierFigures, Figure, TermReport, compared, drill_steps, next_term_id

NUMERALS = "一二三四五六七八九十"


@dataclass
class Part:
    """A paragraph, under a level-2 heading（一）… when it has one."""

    heading: str | None
    text: str


@dataclass
class Section:
    heading: str
    parts: list[Part] = field(default_factory=list)

    def numbered(self) -> list[tuple[str | None, str]]:
        """(（一）heading, text) for each part; a part without a heading keeps None."""
        count = 0
        out: list[tuple[str | None, str]] = []
        for part in self.parts:
            if part.heading is None:
                out.append((None, part.text))
            else:
                out.append((f"（{NUMERALS[count]}）{part.heading}", part.text))
                count += 1
        return out


@dataclass
class Writeup:
    title: str
    unit: str  # the 落款
    title_lines: tuple[str, str]  # the unit's name, then what the report is: how a long title breaks
    date: dt.date
    internal: bool
    report: TermReport
    figures: dict[str, Figure]
    sections: list[Section]

    def headings(self) -> list[str]:
        return [f"{NUMERALS[n]}、{s.heading}" for n, s in enumerate(self.sections)]

    @property
    def date_text(self) -> str:
        return chinese_date(self.date)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def unit_names(c: StationData) -> tuple[str, str]:
    """(name in the title, full name in the 落款): the station file's, else the one station every
    school profile names, else 本所."""
    if c.station is not None:
        return c.station.name, c.station.unit
    named = {v.school.station for v in c.schools.values()}
    only = named.pop() if len(named) == 1 else "本所"
    return only, only


def versus(figure: Figure) -> str:
    """（同比增加3场、上升33.3%，环比持平）, or nothing when no earlier term has the figure."""
    said = []
    for label, before in (("同比", figure.last_year), ("环比", figure.last_term)):
        if before is None:
            continue
        diff = figure.now - before
        if diff == 0:
            said.append(f"{label}持平")
        else:
            more = diff > 0
            said.append(f"{label}{'增加' if more else '减少'}{abs(diff)}{figure.unit}、"
                        f"{'上升' if more else '下降'}{abs(diff) * 100 / before:.1f}%")
    return f"（{'，'.join(said)}）" if said else ""


def writeup(c: StationData, report: TermReport, internal: bool = False, earlier: EarlierFigures | None = None) -> Writeup:
    """The 总结 of the term `report` counted (the same object the page's tables show); `internal`
    as the report was made; `earlier` terms' figures from a cache, if any."""
    figures = compared(c, report, earlier)
    gaps = rule_gaps(c, report)
    name, unit = unit_names(c)
    term = report.book.term
    sections = [Section("基本情况", _basics(c, report, figures)),
                Section("主要做法和成效", _work(c, report, figures)),
                Section("存在的问题", _problems(c, report, gaps, internal)),
                Section("下一步工作打算", _next(c, report, gaps))]
    what = f"{term.name}护校安园工作总结"
    return Writeup(f"{name}{what}", unit, (name, what), c.today, internal, report, figures, sections)


def _said(figures: dict[str, Figure], key: str) -> str:
    f = figures[key]
    return f"{f.now}{f.unit}{versus(f)}"


def _basics(c: StationData, report: TermReport, figures: dict[str, Figure]) -> list[Part]:
    term = report.book.term
    types = Counter(v.school.type for v in c.schools.values())
    kinds = "、".join(f"{c.curriculum.school_types[t].name if t in c.curriculum.school_types else t}{n}所" for t, n in types.items())
    students = sum(v.school.head_count for v in c.schools.values())
    district = c.station.district if c.station is not None else "、".join(sorted({v.school.district for v in c.schools.values()}))
    on = min(c.today, term.last_day)
    span = f"本学期自{chinese_date(term.first_day)}至{chinese_date(term.last_day)}"
    if on < term.last_day:
        span += f"，学期尚未结束，以下数字统计截至{chinese_date(on)}"
        against = [name for name, slot in (("同比", "last_year"), ("环比", "last_term"))
                   if any(getattr(f, slot) is not None for f in figures.values())]
        if against:
            span += f"，{'、'.join(against)}均与相应学期开学后同样{(on - term.first_day).days + 1}天的数字相比"
    text = (f"{district}辖区共有学校{len(c.schools)}所（{kinds}），在校学生{students}人，"
            f"设护学必巡点{report.patrol_points}个。{span}。本学期我所民警走进{report.schools_covered}所学校"
            f"开展安全教育和应急演练，覆盖在校学生{report.students_covered(c)}人。")
    return [Part(None, text)]


def _work(c: StationData, report: TermReport, figures: dict[str, Figure]) -> list[Part]:
    total, parts = report.total, []
    if total.lectures or figures["lectures"].last_term or figures["lectures"].last_year:
        text = (f"开展安全讲座{_said(figures, 'lectures')}，共{_said(figures, 'periods')}，"
                f"受教育师生{_said(figures, 'audience')}。")
        topics = sorted(((row[0], c.curriculum.topics[t].name) for t, row in report.by_topic.items() if row[0]), reverse=True)
        if topics:
            text += "讲授专题以" + "、".join(f"{name}（{n}场）" for n, name in topics[:3]) + "为主。"
        # 知识竞赛 with its figures has a sentence of its own below
        skip = ("讲座", "知识竞赛") if report.quiz.took_part else ("讲座",)
        forms = [f"{form}{n}场" for form, n in sorted(report.by_form.items()) if form not in skip]
        if forms:
            text += "其中" + "、".join(forms) + "。"
        if report.quiz.took_part:
            text += (f"组织安全知识竞赛{_said(figures, 'quizzes')}，参与{_said(figures, 'quiz_took_part')}"
                     f"（参与率{report.quiz.participation}），及格率{report.quiz.percent(report.quiz.passed)}、"
                     f"优秀率{report.quiz.percent(report.quiz.excellent)}。")
        parts.append(Part("抓实安全宣传教育", text))
    if total.drills:
        text = (f"指导学校开展应急演练{_said(figures, 'drills')}，参演师生{_said(figures, 'participants')}；"
                f"计时{total.drills_timed}次，其中在目标用时内完成{_said(figures, 'drills_met')}。")
        scripts = []
        for lesson_id, d in report.drills.items():
            timing = f"，中位用时{d.median}秒" if d.median else ""
            target = f"（目标{'、'.join(str(t) for t in sorted(d.targets))}秒）" if d.targets and d.median else ""
            scripts.append(f"{c.curriculum.lessons[lesson_id].model.title}{d.count}次{timing}{target}")
        text += "其中" + "；".join(scripts) + "。"
        parts.append(Part("常态开展应急疏散演练", text))
    if report.duty.officer_times or report.patrol_points:
        text = ""
        if report.duty.officer_times:
            text = (f"护学岗投入警力{_said(figures, 'officer_times')}，出动警车{_said(figures, 'vehicle_runs')}，"
                    f"发动群防群治力量{_said(figures, 'volunteers')}。")
        text += f"辖区学校共设护学必巡点{report.patrol_points}个"
        text += f"，其中向社会公布{report.public_patrol_points}个。" if report.public_patrol_points else "。"
        if report.duty_by_school is not None:  # internal only: each school's deployment
            rows = [f"{c.schools[s].school.name}警力{d.officer_times}人次、警车{d.vehicle_runs}次、群防群治{d.volunteers}人次"
                    for s, d in report.duty_by_school.items() if d.officer_times or d.vehicle_runs or d.volunteers]
            if rows:
                text += "分校情况：" + "；".join(rows) + "。"
        parts.append(Part("落实护学岗和巡逻防控", text))
    if total.trainings or total.found:
        said = []
        if total.trainings:
            said.append(f"培训指导学校保安和教职工{_said(figures, 'trainings')}、{_said(figures, 'trained')}")
        if total.found:
            rate = f"，整改率{total.fixed * 100 / total.found:.1f}%"
            said.append(f"会同学校排查发现隐患和问题{_said(figures, 'found')}，已整改{_said(figures, 'fixed')}{rate}")
        parts.append(Part("加强安保培训和隐患排查", "；".join(said) + "。"))
    if not parts:
        parts.append(Part(None, "本学期尚无讲座、演练、护学岗、培训和隐患排查的记录。"))
    return parts


def _problems(c: StationData, report: TermReport, gaps: RuleGaps, internal: bool) -> list[Part]:
    parts = [p for p in (_open_fixes(c, report, internal), _slow_drills(c, report, internal),
                         _rules_missed(c, gaps, internal), _not_reached(c, report)) if p is not None]
    return parts or [Part(None, "对照本学期各项记录，未发现超期未改的隐患、未达标的演练和未落实的规定动作。")]


def _open_fixes(c: StationData, report: TermReport, internal: bool) -> Part | None:
    book, on = report.book, min(c.today, report.book.term.last_day)
    total = report.total
    earlier = [f for b in c.terms.values() if b.id < book.id and b.term.last_day < book.term.first_day
               for r in (b.record(s) for s in c.schools) if r is not None for f in fixes_of(r) if is_open(f, on)]
    if not total.open_problems and not earlier:
        return None
    schools = [s for s, f in report.schools.items() if f.open_problems]
    said = []
    if total.open_problems:
        said.append(f"截至{chinese_date(on)}，本学期排查发现的隐患和问题中仍有{total.open_problems}处未整改，"
                    f"涉及{len(schools)}所学校" + (f"，其中{total.overdue}处已超过整改期限" if total.overdue else ""))
    if earlier:
        said.append(f"以往学期遗留的{len(earlier)}处尚未整改完毕")
    text = "；".join(said) + "。"
    if internal:
        rows = []
        for school_id in c.schools:
            record = book.record(school_id)
            for fix in fixes_of(record) if record is not None else []:
                if is_open(fix, on):
                    late = "，已超期" if is_overdue(fix, on) else ""
                    rows.append(f"{c.schools[school_id].school.name}：{fix.problem}（责任：{fix.owner}，期限{chinese_date(fix.due)}{late}）")
        if rows:
            text += "具体是：" + "；".join(rows) + "。"
    return Part("隐患整改还不到位", text)


def _slow_drills(c: StationData, report: TermReport, internal: bool) -> Part | None:
    over, slower, rows = 0, set(), []
    for school_id in c.schools:
        if not report.schools[school_id].drills:
            continue  # nothing drilled this term to be late or slower
        previous: dict[str, int] = {}
        for step in drill_steps(c, school_id):
            seconds = step.drill.seconds
            if step.term_id == report.book.id and seconds is not None:
                late = step.target is not None and seconds > step.target
                before = previous.get(step.drill.lesson)
                if late:
                    over += 1
                if step.worse:
                    slower.add(school_id)
                if internal and (late or step.worse):
                    was = f"，上次{before}秒" if step.worse and before is not None else ""
                    goal = f"，目标{step.target}秒" if step.target is not None else ""
                    rows.append(f"{c.schools[school_id].school.name}{c.curriculum.lessons[step.drill.lesson].model.title}"
                                f"{seconds}秒（{chinese_date(step.drill.date)}{was}{goal}）")
            if seconds is not None:
                previous[step.drill.lesson] = seconds
    if not over and not slower:
        return None
    said = []
    if over:
        said.append(f"本学期有{over}次演练超出目标用时")
    if slower:
        said.append(f"{len(slower)}所学校的演练用时比上一次同一脚本的演练有所延长，疏散组织还需加强")
    text = "；".join(said) + "。"
    if rows:
        text += "具体是：" + "；".join(rows) + "。"
    return Part("部分演练用时未达要求", text)


@dataclass
class RuleGaps:
    """The rules' demands not met this term: those whose window has passed (problems), by school,
    how many of them are hard law, and how many still ahead have nothing planned (next steps)."""

    missed: dict[str, list[str]] = field(default_factory=dict)
    hard: int = 0
    ahead: int = 0


def rule_gaps(c: StationData, report: TermReport) -> RuleGaps:
    gaps = RuleGaps()
    if c.rules is None:
        return gaps
    on = min(c.today, report.book.term.last_day)
    found = demands_of_schools(c, report.book.term, c.rules.model)
    for school_id in c.schools:
        levels = rule_levels(c, report.book.id, school_id, found[school_id])
        for demand, level in zip(found[school_id], levels, strict=True):
            if level not in ("fail", "warn"):
                continue
            if demand.end < on:
                gaps.missed.setdefault(school_id, []).append(demand.label)
                gaps.hard += level == "fail"
            else:
                gaps.ahead += 1
    return gaps


def _rules_missed(c: StationData, gaps: RuleGaps, internal: bool) -> Part | None:
    if not gaps.missed:
        return None
    count = sum(len(labels) for labels in gaps.missed.values())
    text = (f"对照排课规则，{len(gaps.missed)}所学校共有{count}项规定动作到期未落实，"
            f"其中属于法规明确要求的{gaps.hard}项。")
    if internal:
        text += "具体是：" + "；".join(f"{c.schools[s].school.name}：{'、'.join(labels)}" for s, labels in gaps.missed.items()) + "。"
    return Part("规定动作落实还不全面", text)


def _not_reached(c: StationData, report: TermReport) -> Part | None:
    names = [c.schools[s].school.name for s, f in report.schools.items() if not (f.lectures or f.drills)]
    if not names:
        return None
    return Part("工作覆盖还有空白", f"本学期仍有{len(names)}所学校未开展讲座或演练：{'、'.join(names)}。")


def _next(c: StationData, report: TermReport, gaps: RuleGaps) -> list[Part]:
    parts = []
    if gaps.ahead:
        parts.append(Part("补排本学期规定动作", f"本学期余下时间里还有{gaps.ahead}项规定动作没有安排，"
                                            "逐校补排到计划中，确保按期落实。"))
    next_id = next_term_id(report.book.id)
    next_name = c.terms[next_id].term.name if next_id in c.terms else next_id
    plans = c.plans.get(next_id)
    sessions = [s for e in plans.schools.values() for s in e.model.sessions] if plans else []
    if sessions:
        lectures = [s for s in sessions if s.kind == "lecture"]
        drills = [s for s in sessions if s.kind == "drill"]
        text = (f"{next_name}已为{len(plans.schools) if plans else 0}所学校排定安全讲座{len(lectures)}场、"
                f"{sum(s.periods for s in lectures)}课时，应急演练{len(drills)}次。")
        library = c.curriculum
        topics = Counter(library.topics[library.lessons[s.lesson].model.topic].name for s in lectures if s.lesson in library.lessons)
        if topics:
            text += "重点讲授" + "、".join(f"{name}（{n}场）" for name, n in topics.most_common(3)) + "。"
        themed = _themed_days(c, sessions)
        if themed:
            text += "结合" + "、".join(f"{name}（{n}场）" for name, n in themed) + "等时间节点开展主题活动。"
        parts.append(Part("按计划开展安全教育和演练", text))
    else:
        parts.append(Part("按计划开展安全教育和演练", f"{next_name}的讲座和演练计划尚未排定，开学前按排课规则为各校排定。"))
    total = report.total
    if total.open_problems:
        overdue = f"，对{total.overdue}处超期未改的逐一跟进" if total.overdue else ""
        parts.append(Part("督促隐患整改", f"督促学校在期限内整改尚未完成的{total.open_problems}处隐患和问题{overdue}。"))
    missing = [c.schools[s].school.name for s, f in report.schools.items() if not (f.lectures or f.drills)]
    if missing:
        planned = {s for s in (plans.schools if plans else {})}
        still = [c.schools[s].school.name for s, f in report.schools.items()
                 if not (f.lectures or f.drills) and s not in planned]
        text = f"把本学期未开展活动的{len(missing)}所学校列为重点"
        text += f"，其中{len(still)}所尚未排入下学期计划。" if still else "，均已排入下学期计划。"
        parts.append(Part("补齐工作空白", text))
    return parts


def _themed_days(c: StationData, sessions: list) -> list[tuple[str, int]]:
    """The rules' themed days the planned sessions are made for (the planner writes the day's name
    into a session's reasons), with how many sessions each."""
    if c.rules is None:
        return []
    names = [d.name for d in c.rules.model.themed_days]
    # A city plans thousands of sessions, with a few kinds of reasons between them.
    named: dict[tuple[str, ...], list[str]] = {}
    counts: Counter[str] = Counter()
    for session in sessions:
        why = tuple(session.why)
        if why not in named:
            named[why] = [name for name in names if any(reason.startswith(name) for reason in why)]
        counts.update(named[why])
    return counts.most_common(4)
