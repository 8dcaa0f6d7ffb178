"""A lesson page's description for search engines: schema.org LearningResource as JSON-LD."""

from __future__ import annotations

import json

from ..source.models import Lesson
from ..stationdata import StationData
from . import mdtext


def learning_resource(lesson: Lesson, tier_id: str, c: StationData, url: str | None) -> str:
    """schema.org LearningResource as JSON-LD, safe to place inside a <script> element."""
    tier = c.curriculum.tiers[tier_id]
    variant = lesson.variants[tier_id]
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "name": f"{lesson.title}（{tier.name}）",
        "description": mdtext.strip_citations(lesson.summary),
        "inLanguage": "zh-CN",
        "educationalLevel": tier.name,
        "timeRequired": f"PT{variant.minutes}M",
        "teaches": [mdtext.strip_citations(o) for o in variant.objectives],
        "keywords": ", ".join([c.curriculum.topics[lesson.topic].name, *variant.key_words]),
        "learningResourceType": "drill" if lesson.kind == "drill" else "lesson plan",
        "about": c.curriculum.topics[lesson.topic].name,
        "dateModified": lesson.reviewed.isoformat(),
    }
    if tier.ages:
        data["typicalAgeRange"] = f"{tier.ages[0]}-{tier.ages[1]}"
    if tier.audience != "pupils":
        data["audience"] = {"@type": "EducationalAudience", "educationalRole": "parent" if tier.audience == "parents"
                            else "teacher"}
    if url:
        data["url"] = url
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # "</script>" or "<!--" in author text must not end the element early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
