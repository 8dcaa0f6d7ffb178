"""The station's own settings (`schools/_station.yml`): who signs the reports and letters.

One file beside `_thresholds.yml`; the term report's title and 落款 come from here, and later the
letters and school packs can take the same lines instead of each asking for them.
"""

from __future__ import annotations

from pydantic import Field

from .models import Line, Strict


class Station(Strict):
    """派出所的基本信息（schools/_station.yml）：报告标题、落款和致家长信用它。"""

    unit: Line = Field(description="单位全称，如 某某市公安局某某分局某某派出所；报告标题和落款用它")
    short_name: Line | None = Field(default=None, description="简称，如 某某派出所；不填即用全称")
    parent: Line = Field(description="上级单位，如 某某分局；报告呈报给谁")
    district: Line = Field(description="辖区，如 某某街道")
    chief: Line = Field(description="所长姓名（报告签发人）")
    contact: Line = Field(description="对外联系方式，如 报警求助 110，值班电话 000-00000000（公开）")
    address: Line | None = Field(default=None, description="地址（公开，可不填）")

    @property
    def name(self) -> str:
        return self.short_name or self.unit
