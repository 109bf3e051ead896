"""The starting code tables (DOMAIN.md §3): categories of people served and the national visit rules.
Loaded by a data migration; administrators extend them for their regions."""

CATEGORIES = [
    "低保",
    "低保边缘",
    "特困",
    "其他困境儿童",
    "留守老人",
    "孤寡",
    "特殊困难重度残疾人",
    "独居",
    "支出型困难家庭",
    "残疾人",
    "流浪乞讨",
    "农村留守儿童",
    "单身特困母亲",
    "留守妇女",
    "空巢",
    "失能",
    "重残老人",
    "计生特殊家庭",
    "孤儿",
    "事实无人抚养儿童",
    "失独",
    "高龄",
    "易地扶贫搬迁",
    "防返贫监测",
]


def category_code(index: int) -> str:
    return f"C{index + 1:02d}"


# National defaults, as the 2024 rules on visiting people in special difficulty set them (月探访: the elderly
# living alone, left behind, empty-nest, disabled or very old, and children without care are visited every
# month); 重点 monthly, 关注 quarterly, everybody else on file at least every half year. A region replaces any of
# them with its own rule for the same risk level or category (the 访视规则 page).
RISK_RULES = {"key": 30, "watch": 90, "general": 180}
CATEGORY_RULES = {
    "特困": 30,
    "孤儿": 30,
    "事实无人抚养儿童": 30,
    "其他困境儿童": 30,
    "农村留守儿童": 30,
    "失能": 30,
    "独居": 30,
    "留守老人": 30,
    "空巢": 30,
    "孤寡": 30,
    "重残老人": 30,
    "高龄": 30,
    "计生特殊家庭": 30,
    "失独": 30,
    "特殊困难重度残疾人": 30,
    "低保": 90,
    "低保边缘": 90,
    "支出型困难家庭": 90,
    "防返贫监测": 90,
}
# The defaults of the first edition: a national rule still at one of these values is moved to the new default
# by migration clients 0013 (a rule an administrator changed is left alone).
FIRST_EDITION_RISK_RULES = {"key": 30, "watch": 90, "general": 365}
FIRST_EDITION_CATEGORY_RULES = {
    "特困": 30,
    "孤儿": 30,
    "事实无人抚养儿童": 30,
    "失能": 30,
    "独居": 90,
    "留守老人": 90,
}


# The national visit checklist (走访清单): (code, topic, question, name of a concern in figures, category).
# Items with a category are asked only of people in it; a region adds its own items on the checklist page.
CHECKLIST = [
    ("safety_home", "safety", "居家安全（用电、用火、燃气）", "发现居家安全隐患", None),
    ("health_state", "health", "身体状况、就医用药", "发现健康问题", None),
    ("housing_safe", "housing", "住房是否安全", "发现住房不安全", None),
    ("income_enough", "income", "收入能否维持基本生活", "发现生活困难", None),
    ("needs_met", "needs", "救助帮扶需求是否得到回应", "发现未回应的需求", None),
    ("child_guardian", "safety", "监护人是否履行监护职责", "发现监护缺失", "事实无人抚养儿童"),
    ("child_school", "needs", "是否正常上学", "发现失学辍学", "农村留守儿童"),
    ("elder_care", "health", "日常照料是否有人负责", "发现照料缺失", "独居"),
]
