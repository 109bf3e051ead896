"""The starting service menu (服务清单, DOMAIN.md §4), loaded by a data migration. Names are data."""

SERVICE_ITEMS = {
    "hardship": ["心理疏导", "人文关怀", "能力提升", "生计发展", "关系调适", "资源链接", "社会融入"],
    "elderly": ["生活照顾", "精神慰藉", "情绪疏导", "危机干预", "关系调适", "社会参与"],
    "children": ["生活照料", "救助保护", "学业辅导", "情感关怀", "成长支持", "权益维护"],
}
