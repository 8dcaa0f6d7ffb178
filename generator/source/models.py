"""Typed models of the YAML files: the single source of truth for the schema.

Validation, the JSON Schema (`huxiao schema`) and the field reference page all come from the
classes here. Checks that need more than one file (does this topic exist? does this delivery
name a real lesson?) live in `curriculum.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .messages import fail
from .pictures import PICTURES, PictureName

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)

# Links an author may write inside text; anything that runs code or embeds data is refused.
_UNSAFE_SCHEME = re.compile(r"\b(?:javascript|vbscript|data|file)\s*:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Direction overrides and isolates: invisible, they can make a patrol point's name read backwards.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
MAX_TEXT = 4000


def _clean_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise fail("text_empty")
    if len(value) > MAX_TEXT:
        raise fail("text_too_long", length=len(value), limit=MAX_TEXT)
    # The cheap tests first: a city library has half a million texts.
    if not value.isprintable():
        if _CONTROL.search(value):
            raise fail("text_control")
        if bidi := _BIDI.findall(value):
            raise fail("text_bidi", codes="、".join(sorted({f"U+{ord(c):04X}" for c in bidi})))
    if ":" in value and _UNSAFE_SCHEME.search(value):
        raise fail("text_unsafe_link")
    return value


def _single_line(value: str) -> str:
    if "\n" in value:
        raise fail("single_line")
    return value


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s<>\"']+$", value):
        raise fail("http_url")
    return value


Text = Annotated[str, AfterValidator(_clean_text)]
# The length first: after the validators pydantic would count "items" of an unknown type.
Line = Annotated[str, Field(max_length=200), AfterValidator(_clean_text), AfterValidator(_single_line)]
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
Url = Annotated[str, AfterValidator(_http_url)]
Minutes = Annotated[int, Field(ge=1, le=240)]


class Strict(BaseModel):
    """Base for every model: unknown fields are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=False)


# --------------------------------------------------------------------------- taxonomy


class Tier(Strict):
    id: Id = Field(description="学段编号，用于网址，如 primary-upper")
    name: Line = Field(description="学段名称，如 小学4–6年级")
    audience: Literal["pupils", "parents", "staff"] = Field(
        default="pupils", description="对象：pupils 学生（按学段）；parents 家长；staff 教职工与保安")
    ages: tuple[Annotated[int, Field(ge=0, le=99)], Annotated[int, Field(ge=0, le=99)]] | None = Field(
        default=None, description="学生的年龄范围 [最小, 最大]；家长、教职工不填"
    )
    minutes: tuple[Minutes, Minutes] = Field(description="一节课的常用时长范围（分钟）[最短, 最长]")
    method: Line = Field(description="本学段适用的教学形式")

    @model_validator(mode="after")
    def _pupils_have_ages(self) -> Tier:
        if self.audience == "pupils" and self.ages is None:
            raise fail("tier_needs_ages")
        return self


class Topic(Strict):
    id: Id = Field(description="专题编号，用于网址，如 anti-fraud")
    name: Line = Field(description="专题名称，如 防范电信网络诈骗")
    module: Line = Field(description="对应《中小学公共安全教育指导纲要》的模块")
    tiers: list[Id] | None = Field(
        default=None, description="该专题面向的学段和对象；不填为全部学生学段（不含家长、教职工）。"
                                  "其余在课程覆盖表中标为“不适用”，不算缺口")
    disclosure: bool = Field(
        default=False, description="学生在课上可能当场说出自己受害的专题（诈骗、欺凌、性侵害、毒品、心理危机）："
                                   "为 true 时，本专题面向学生的课程都必须填写 disclosure（学生当场说出自己受害时）")


class KnownHotline(Strict):
    number: Annotated[str, Field(pattern=r"^[0-9-]{3,20}$")] = Field(description="号码，如 96110")
    name: Line = Field(description="名称，如 反诈预警劝阻专线")
    source: Line = Field(description="出处：谁开通、依据什么，供审核")


class SchoolType(Strict):
    id: Id = Field(description="学校类型编号，如 nine-year")
    name: Line = Field(description="学校类型名称，如 九年一贯制学校")
    tiers: list[Id] = Field(min_length=1, description="该类型学校默认覆盖的学段")


class Taxonomy(Strict):
    """学段、专题与学校类型（lessons/_taxonomy.yml）。"""

    tiers: list[Tier] = Field(min_length=1)
    topics: list[Topic] = Field(min_length=1)
    school_types: list[SchoolType] = Field(min_length=1)
    hotlines: list[KnownHotline] = Field(
        default_factory=list,
        description="求助电话白名单：课程讲义的 hotlines 和正文中“拨打/致电 某号码”只能用这里列出的号码。不填则不检查")


# --------------------------------------------------------------------------- lessons


def _partial_date(value: object) -> object:
    # YAML reads 2022 as a number and 2022-12-01 as a date; a source may give only a year or month.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    Field(pattern=r"^(19|20)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"),
]


# 第三十一条 is "31", 第二百八十七条之二 "287之二", 第五十五条第三项 "55(3)", a standard's clause "6.4.11".
ARTICLE_PATTERN = r"^[0-9]+(?:\.[0-9]+)*(?:之[一二三四五六七八九十]+)?(?:\([0-9]+\))?$"
ArticleId = Annotated[str, Field(pattern=ARTICLE_PATTERN, max_length=24)]


class Source(Strict):
    id: Id = Field(description="来源编号；正文中以 [^编号] 引用")
    law: Id | None = Field(default=None, description="引用 laws/ 中的法规时填它的编号；名称、发布机关、文号、日期、可信度都从那里来，可不再填")
    article: ArticleId | None = Field(default=None, description="所引条款（须是该法规 articles 中已存的条号），如 31、55(3)")
    title: Line | None = Field(default=None, description="文件或出处名称，如 《中华人民共和国反电信网络诈骗法》；填了 law 可不填")
    detail: Line | None = Field(default=None, description="条款、页码或所支撑的要点，如 第三十一条")
    issuer: Line | None = Field(default=None, description="发布机关，如 全国人民代表大会常务委员会、公安部、教育部办公厅；填了 law 可不填")
    number: Line | None = Field(default=None, description="文号或令号，如 教基一厅〔2014〕2号、主席令第一一九号")
    date: PartialDate | None = Field(
        default=None, description="发布或施行日期：2022-12-01、2024-06 或 2012"
    )
    url: Url | None = Field(default=None, description="可公开访问的网址（http/https）")
    confidence: Literal["verified", "second-hand"] | None = Field(
        default=None, description="verified 已核对原文（含权威转载）；second-hand 仅见于转述，讲课时不作为法条表述；填了 law 可不填")

    @model_validator(mode="after")
    def _findable(self) -> Source:
        if self.law is not None:
            return self
        if self.article is not None:
            raise fail("source_article_needs_law")
        missing = [name for name in ("title", "issuer", "confidence") if getattr(self, name) is None]
        if missing:
            raise fail("source_needs", fields="、".join(missing))
        if not (self.number or self.date or self.url):
            raise fail("source_findable")
        return self


class Activity(Strict):
    title: Line = Field(description="环节名称，如 导入：真实案例")
    minutes: Minutes = Field(description="该环节用时（分钟）")
    method: Line | None = Field(default=None, description="形式：游戏、儿歌、角色扮演、案例讨论……")
    description: Text = Field(description="环节内容（学生看到的）")
    speaker_notes: Text = Field(description="讲师讲稿：可照读的讲解词、提问与过渡语")


class Misconception(Strict):
    myth: Text = Field(description="常见误区")
    response: Text = Field(description="讲师的回应")


class QuizItem(Strict):
    question: Text = Field(description="题目")
    choices: list[Line] | None = Field(
        default=None, min_length=2, max_length=6, description="选项；口头问答（如幼儿园）不填"
    )
    answer: int | Text = Field(
        description="答案：有选项时填正确选项的序号（从 1 开始）；口头问答填参考答案"
    )
    explanation: Text = Field(description="一句话解析")
    negative: bool = Field(default=False, description=(
        "反向题：题目问“哪种做法是错误的/不安全的”，答案是错误做法（揭晓时标红 ✘ 错误做法，不标“正确”）；"
        "幼儿园和小学不出反向题"))

    @model_validator(mode="after")
    def _answer_matches_form(self) -> QuizItem:
        if self.choices is None:
            if not isinstance(self.answer, str):
                raise fail("oral_answer")
        elif isinstance(self.answer, str):
            raise fail("answer_number", count=len(self.choices))
        elif not 1 <= self.answer <= len(self.choices):
            raise fail("answer_not_choice", answer=self.answer, count=len(self.choices))
        return self


class Hotline(Strict):
    number: Annotated[str, Field(pattern=r"^[0-9-]{3,20}$")] = Field(description="号码，如 110")
    name: Line = Field(description="用途，如 报警")


class Picture(Strict):
    picture: PictureName = Field(description="图片：" + "、".join(f"{k} {v}" for k, v in PICTURES.items()))
    line: Annotated[Line, Field(max_length=20)] = Field(description="配图的一句话，家长读给孩子听（最多 20 字）")


class Handout(Strict):
    points: list[Text] = Field(min_length=1, max_length=12, description="讲义要点：学生或家长要记住、要做的事")
    pictures: list[Picture] = Field(default_factory=list, max_length=6,
                                    description="幼儿园讲义：一图一句，家长读给孩子听；填了就代替讲义上的文字要点")
    hotlines: list[Hotline] = Field(default_factory=list, description="讲义上印的求助电话")
    parent_tip: Text | None = Field(
        default=None, description="家长提示：印在幼儿园和小学讲义上的一段话，告诉家长在家怎么配合")


class Letter(Strict):
    """致家长的一封信, printed on one A4 sheet with its tear-off 回执."""

    title: Line = Field(description="标题，如 2027年暑假致家长的一封信")
    greeting: Line = Field(default="尊敬的家长：", description="称呼")
    paragraphs: list[Text] = Field(min_length=1, description="正文段落")
    rules: list[Line] = Field(default_factory=list, description="要点清单（如 防溺水“六不”），逐条印出")
    sign_off: Line = Field(description="落款，如 某某派出所　某某学校")
    receipt: Line = Field(
        description="回执声明，如 我已仔细阅读《暑假致家长的一封信》，将履行监护责任，做好孩子假期安全教育和看护。")
    # Schools collect the slips before the holiday starts: after it, the letter has done nothing.
    return_by: Line = Field(default="放假前", description="回执交回班主任的时间，印在剪切线上，如 放假前")
    receipt_fields: list[Line] = Field(
        default_factory=lambda: ["班级", "学生姓名", "家长签名", "家长电话", "日期"], min_length=1,
        description="回执上家长要填的栏目，依次印出")


class Variant(Strict):
    minutes: Minutes = Field(description="本学段课时长度（分钟）")
    objectives: list[Text] = Field(min_length=1, description="教学目标：学完后学生能……")
    key_messages: list[Text] | None = Field(
        default=None, description="本学段的核心信息，与课程的 key_messages 不同时才填；填了就代替它")
    materials: list[Line] = Field(default_factory=list, description="课前准备：要带的材料、教室或场地布置")
    letter: Letter | None = Field(default=None, description="致家长的一封信（含回执），家长对象的教案才有")
    key_words: list[Line] = Field(default_factory=list, description="关键词")
    activities: list[Activity] = Field(min_length=1, description="按时间顺序排列的教学环节")
    misconceptions: list[Misconception] = Field(default_factory=list, description="常见误区与回应")
    quiz: list[QuizItem] = Field(default_factory=list, description="知识竞赛题，附答案与解析")
    handout: Handout = Field(description="一页讲义的内容")
    target_seconds: Annotated[int, Field(ge=10, le=3600)] | None = Field(
        default=None, description="演练：本学段从信号到目标终点的目标用时（秒），覆盖演练的默认值"
    )


class Disclosure(Strict):
    """学生当场说出自己受害时：讲师当场怎么说、不当众问什么、课后告诉谁、记下什么。"""

    say: list[Text] = Field(min_length=1, description="当场怎么说、怎么做：保持平静，感谢学生说出来……")
    do_not_ask: list[Text] = Field(min_length=1, description="不要当着全班问的：细节、诱导性的问题、“为什么不早说”……")
    tell: list[Text] = Field(min_length=1, description="课后当天告诉谁、怎么报告（班主任、学校负责人、家长、公安机关），依据写明出处")
    keep: list[Text] = Field(min_length=1, description="记下并保存什么：学生的原话、时间、在场的人；不当着别人记、不外传")


class Role(Strict):
    role: Line = Field(description="角色，如 总指挥、疏散引导、清点人数、安全警戒")
    who: Line = Field(description="由谁担任")
    duties: list[Text] = Field(min_length=1, description="职责")


class DrillStep(Strict):
    at_seconds: Annotated[int, Field(ge=0, le=3600)] = Field(description="信号发出后第几秒开始")
    action: Text = Field(description="做什么")
    who: Line = Field(description="谁来做（角色名或“全体学生”）")


class Drill(Strict):
    scenario: Text = Field(description="演练情景")
    signal: Text = Field(description="演练信号，如 连续急促的警铃声＋广播")
    roles: list[Role] = Field(min_length=1, description="角色分工")
    steps: list[DrillStep] = Field(min_length=1, description="按时间排列的步骤")
    target_seconds: Annotated[int, Field(ge=10, le=3600)] = Field(description="从信号到目标终点（默认：集合完毕）的目标用时（秒）")
    target_end: Line = Field(default="集合完毕", description="目标用时的终点：疏散演练是“集合完毕”；封校、就地避险演练如“各教室报告锁门完毕”")
    headcount: Text = Field(description="清点人数的办法")
    after_action: list[Text] = Field(min_length=1, description="演练后检查与总结清单")

    @model_validator(mode="after")
    def _steps_in_order(self) -> Drill:
        times = [step.at_seconds for step in self.steps]
        if times != sorted(times):
            raise fail("steps_order")
        return self


class Lesson(Strict):
    """一节课（lessons/<专题>/<编号>.yml）。编号即文件名。"""

    title: Line = Field(description="课程标题")
    topic: Id = Field(description="专题编号，见 lessons/_taxonomy.yml")
    kind: Literal["lecture", "drill"] = Field(default="lecture", description="lecture 讲座；drill 演练")
    taught_by: Literal["teacher", "officer"] = Field(
        default="officer",
        description="谁来讲：teacher 班主任可讲；officer 建议民警讲（法治副校长等）。"
                    "演练、反恐防暴、反邪教、国家安全和以法律责任为主的课程填 officer，"
                    "其余日常安全课填 teacher；不填为 officer")
    tiers: list[Id] = Field(min_length=1, description="适用学段；每个学段在 variants 下都要有一份教案")
    summary: Text = Field(description="一两句话的简介")
    key_messages: list[Text] = Field(min_length=1, description="核心信息：所有学段共同的要点")
    content_guidance: Text | None = Field(
        default=None, description="敏感内容提示：讲到哪里为止、避免什么细节"
    )
    sources: list[Source] = Field(min_length=1, description="事实来源；每个号码、法条、数字都要有出处")
    before_class: list[Line] = Field(
        default_factory=list, description="敏感话题的课前核对：学校近期有无相关事件、哪些学生可能受影响、是否已告知心理老师……")
    disclosure: Disclosure | None = Field(
        default=None, description="学生当场说出自己受害时怎么办；专题在 lessons/_taxonomy.yml 标有 disclosure: true 时必填")
    related: list[Id] = Field(default_factory=list, description="相关课程的编号；网站上两边互相链接")
    reviewed: dt.date = Field(description="最近一次审核日期")
    review_by: dt.date = Field(description="下次审核截止日期；过期的课程会被标出")
    drill: Drill | None = Field(default=None, description="演练脚本（kind: drill 时必填）")
    variants: dict[Id, Variant] = Field(min_length=1, description="各学段的教案，键为学段编号")

    @model_validator(mode="after")
    def _drill_matches_kind(self) -> Lesson:
        if self.kind == "drill" and self.drill is None:
            raise fail("drill_needs_block")
        if self.kind != "drill" and self.drill is not None:
            raise fail("drill_block_needs_kind")
        if self.review_by < self.reviewed:
            raise fail("review_order")
        return self


MODELS_BY_KIND: dict[str, type[Strict]] = {"lesson": Lesson, "taxonomy": Taxonomy}
