"""Typed models of a school's profile (schools/<id>.yml) and of the checklist's thresholds
(schools/_thresholds.yml): the schema of the files about schools, as models.py is of the lessons.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from .messages import fail
from .models import Id, Line, Strict, Text

# --------------------------------------------------------------------------- schools


class Liaison(Strict):
    id: Id | None = Field(default=None, description="民警编号，用于日历文件名（calendars/officers/<编号>.ics）；不填则由姓名和单位生成")
    name: Line = Field(description="法治副校长姓名")
    unit: Line = Field(description="所在单位，如 某某派出所")
    title: Line = Field(default="法治副校长", description="职务")

    @property
    def officer_id(self) -> str:
        """A stable id for an officer's calendar: the one the profile gives, else one made from name
        and unit (the same officer is named the same way in each school's profile)."""
        if self.id:
            return self.id
        digest = hashlib.sha1(f"{self.name}|{self.unit}".encode(), usedforsecurity=False).hexdigest()[:8]
        return f"officer-{digest}"


class PatrolPoint(Strict):
    id: Id = Field(description="点位编号，护学岗记录（records/）用它指明点位")
    name: Line = Field(description="点位名称，如 校门口护学岗")
    public: bool = Field(default=False, description="名称可否公开（派出所公布的必巡点）；默认只在内部版本出现")


class Guards(Strict):
    full_time: Annotated[int, Field(ge=0, le=1000)] = Field(description="专职保安人数")
    gatehouse_24h: bool = Field(description="门卫室是否24小时有人值守")
    patrols_per_day: Annotated[int, Field(ge=0, le=200)] = Field(description="每日巡查次数")
    equipment: list[Line] = Field(default_factory=list, description="保安装备，如 钢叉、盾牌、防刺背心")


class Alarm(Strict):
    installed: bool = Field(description="是否安装一键式紧急报警")
    linked_to_police: bool = Field(description="是否与公安机关联网")
    last_test: dt.date | None = Field(default=None, description="最近一次测试日期")


class Video(Strict):
    cameras: Annotated[int, Field(ge=0, le=100000)] = Field(description="摄像头数量")
    linked_to_police: bool = Field(description="是否与公安机关联网")
    retention_days: Annotated[int, Field(ge=0, le=3650)] = Field(description="录像保存天数")
    blind_spots: list[Line] = Field(default_factory=list, description="监控盲区")


class Internal(Strict):
    """内部资料（三防）：只出现在内部版本，绝不公开。"""

    security_lead: Line | None = Field(default=None, description="学校安全保卫负责人及手机")
    guards: Guards | None = Field(default=None, description="人防")
    barriers: list[Line] = Field(default_factory=list, description="物防：门口防冲撞设施等")
    closed_campus: bool | None = Field(default=None, description="是否封闭化管理")
    alarm: Alarm | None = Field(default=None, description="技防：一键式紧急报警")
    video: Video | None = Field(default=None, description="技防：视频监控")
    risks: list[Text] = Field(default_factory=list, description="隐患与整改情况")
    notes: Text | None = Field(default=None, description="其他内部备注")


class School(Strict):
    """一所学校的档案（schools/<编号>.yml）。internal 块只进入内部版本。"""

    name: Line = Field(description="学校名称")
    type: Id = Field(description="学校类型编号，见 lessons/_taxonomy.yml 的 school_types")
    tiers: list[Id] | None = Field(default=None, description="覆盖的学段；不填则按学校类型推定")
    head_count: Annotated[int, Field(ge=1, le=200000)] = Field(description="在校学生人数")
    boarding: bool = Field(default=False, description="是否寄宿制")
    district: Line = Field(description="所在区县")
    station: Line = Field(description="辖区派出所")
    liaison: Liaison = Field(description="法治副校长")
    contact: Annotated[str, Field(pattern=r"^[0-9 ()+-]{5,30}$")] = Field(description="学校对外联系电话")
    patrol_points: list[PatrolPoint] = Field(default_factory=list, description="护学岗与必巡点（名称默认只在内部版本出现）")
    internal: Internal | None = Field(default=None, description="内部资料（三防），不公开")

    @model_validator(mode="before")
    @classmethod
    def _moved_fields(cls, data: Any) -> Any:
        if isinstance(data, dict) and "deliveries" in data:
            raise fail("deliveries_moved")
        if isinstance(data, dict) and isinstance(data.get("internal"), dict) and "patrol_points" in data["internal"]:
            raise fail("patrol_points_moved")
        return data

    @model_validator(mode="after")
    def _unique_points(self) -> School:
        ids = [p.id for p in self.patrol_points]
        if len(ids) != len(set(ids)):
            raise fail("patrol_points_twice")
        return self




# --------------------------------------------------------------------------- 三防 thresholds


class ThresholdSource(Strict):
    source: Line = Field(description="出处：标准、文件或地方规定，如 GB/T 29315-2022")
    confidence: Literal["verified", "second-hand"] = Field(
        description="verified：见过原文；second-hand：仅见转述或地方规定，使用前请核对"
    )


class GuardBand(Strict):
    from_students: Annotated[int, Field(ge=0)] = Field(description="学生人数下限（含）")
    min_guards: Annotated[int, Field(ge=0)] = Field(description="该档最少专职保安人数")
    plus_one_per: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="超过下限后，每增加多少名学生再加 1 名保安"
    )


class Thresholds(Strict):
    """一校一表的检查标准（schools/_thresholds.yml），每项注明出处。"""

    guards: list[GuardBand] = Field(min_length=1, description="人防：按学生人数分档的保安配备")
    guards_source: ThresholdSource
    patrols_per_day: Annotated[int, Field(ge=0)] = Field(description="每日最少巡查次数")
    patrols_source: ThresholdSource
    video_retention_days: Annotated[int, Field(ge=0)] = Field(description="录像最少保存天数")
    video_source: ThresholdSource
    alarm_source: ThresholdSource = Field(description="一键式紧急报警与视频监控联网的出处")
    barriers_source: ThresholdSource = Field(description="校门防冲撞设施、封闭化管理的出处")
    drill_interval_days_school: Annotated[int, Field(ge=1)] = Field(description="中小学两次演练的最长间隔（天）")
    drill_interval_days_kindergarten: Annotated[int, Field(ge=1)] = Field(description="幼儿园两次演练的最长间隔（天）")
    drill_source: ThresholdSource
    lessons_per_year: Annotated[int, Field(ge=0)] = Field(description="法治副校长每年最少授课课时")
    lessons_source: ThresholdSource


MODELS_BY_KIND: dict[str, type[Strict]] = {"school": School, "thresholds": Thresholds}
