"""The model of a law file (laws/<id>.yml): a law, regulation, rule or standard lessons rely on.

The articles lessons use are stored verbatim, so a lesson's quotation can be checked against
them (see generator/laws.py). What a law file holds is only what was seen: an article whose text
was not seen word for word is listed without text, and may be cited but never quoted.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .messages import fail
from .models import ArticleId, Id, Line, PartialDate, Strict, Text

KIND_NAMES = {"law": "法律", "regulation": "行政法规", "rule": "部门规章", "standard": "国家标准",
              "interpretation": "司法解释", "normative": "规范性文件"}


class Revision(Strict):
    date: PartialDate = Field(description="修订、修正或公布日期：2024-04-26")
    change: Line = Field(description="改了什么，如 修正，只改第九条；条文序号不变")


class Article(Strict):
    id: ArticleId = Field(description="条号：31（第三十一条）、55(3)（第五十五条第三项）、287之二、标准条款 6.4.11")
    text: Text | None = Field(
        default=None, description="条文原文，一字不差（只存见过原文或逐字转载的）；中间略去的部分写“…”。"
                                  "没见过原文的条款不填，课程只能引用条号、不能加引号照录")
    confidence: Literal["verified", "second-hand"] = Field(
        description="verified 见过原文或逐字转载；second-hand 只见转述：可引用条号，不能照录原文")
    about: Line | None = Field(default=None, description="这一条讲什么（自己的话，一句）")

    @model_validator(mode="after")
    def _verified_has_text(self) -> Article:
        if self.confidence == "verified" and self.text is None:
            raise fail("law.verified_needs_text")
        return self


class Law(Strict):
    """一部法律、法规、规章或标准（laws/<编号>.yml）。编号即文件名，课程来源用 law: 编号 引用。"""

    title: Line = Field(description="名称，不带书名号，如 中华人民共和国反电信网络诈骗法")
    short: Line | None = Field(default=None, description="简称，如 反电诈法")
    kind: Literal["law", "regulation", "rule", "standard", "interpretation", "normative"] = Field(
        description="law 法律；regulation 行政法规；rule 部门规章；standard 国家标准；"
                    "interpretation 司法解释；normative 规范性文件")
    issuer: Line = Field(description="制定或发布机关，如 全国人民代表大会常务委员会")
    number: Line | None = Field(default=None, description="令号或标准号，如 主席令第一一九号、国务院令第405号、GB 17761-2024")
    adopted: PartialDate | None = Field(default=None, description="通过或发布日期")
    in_force: PartialDate | None = Field(default=None, description="施行日期（现行文本）")
    revisions: list[Revision] = Field(default_factory=list, description="修订、修正历史，按时间先后")
    seen: list[Line] = Field(min_length=1, description="在哪里看到的文本：网址，或 LawRefBook/Laws 仓库中的路径")
    confidence: Literal["verified", "second-hand"] = Field(
        description="verified 名称、文号、日期见过原文或逐字转载；second-hand 只见转述，使用前核对")
    superseded_by: Id | None = Field(
        default=None, description="已被哪个版本取代（另一个法规文件的编号）；填了就表示本文件是旧版，课程不能再引用")
    articles: list[Article] = Field(default_factory=list, description="课程用到的条款")

    @model_validator(mode="after")
    def _unique_articles(self) -> Law:
        ids = [a.id for a in self.articles]
        if len(ids) != len(set(ids)):
            raise fail("law.article_twice", article=next(i for i in ids if ids.count(i) > 1))
        return self

    def article(self, article_id: str) -> Article | None:
        return next((a for a in self.articles if a.id == article_id), None)
