"""The pictures a kindergarten handout may show: a small set vendored from OpenMoji (CC BY-SA 4.0)
in theme/huxiao/pictures/<keyword>.svg, named here by keyword with what each shows in Chinese.

A child who cannot read gets a sheet a parent reads aloud: one picture, one short line
(`models.Picture`, in a handout's `pictures`).
"""

from __future__ import annotations

from typing import Literal

PictureName = Literal[
    "ball", "bell", "briefs", "bus", "candle", "candy", "car", "crouch", "door", "elevator", "fire", "flower",
    "hammer", "handshake", "hold-hands", "hug", "hush", "mask", "mushroom", "phone", "police", "rain",
    "raise-hand", "sad", "say-no", "seat", "shout", "sick", "soap", "speak", "stop-hand", "storm", "teacher", "telephone",
    "toy", "traffic-light", "tree", "turtle", "water", "wind", "window",
]

PICTURES: dict[str, str] = {
    "ball": "足球", "bell": "铃铛", "briefs": "小裤衩", "bus": "校车", "candle": "蜡烛", "candy": "糖果", "car": "汽车",
    "crouch": "蹲下", "door": "门", "elevator": "电梯", "fire": "火", "flower": "小花", "hammer": "锤子",
    "handshake": "握手", "hold-hands": "牵手", "hug": "抱抱", "hush": "不说", "mask": "捂住口鼻", "mushroom": "蘑菇",
    "say-no": "说不", "phone": "手机", "police": "警察", "rain": "下雨", "raise-hand": "举手", "sad": "难过", "seat": "座椅",
    "shout": "大声喊", "sick": "不舒服", "soap": "肥皂", "speak": "说出来", "stop-hand": "伸手说不", "storm": "打雷下雨",
    "teacher": "老师", "telephone": "电话", "toy": "玩具", "traffic-light": "红绿灯", "tree": "大树", "turtle": "小乌龟",
    "water": "水", "wind": "刮风", "window": "窗户",
}

CREDIT = "图：OpenMoji（CC BY-SA 4.0）"
