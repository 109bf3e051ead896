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


# National defaults: 重点 monthly, 关注 quarterly, everybody on file at least once a year; the categories
# whose people are most at risk of being forgotten monthly.
RISK_RULES = {"key": 30, "watch": 90, "general": 365}
CATEGORY_RULES = {"特困": 30, "孤儿": 30, "事实无人抚养儿童": 30, "失能": 30, "独居": 90, "留守老人": 90}
