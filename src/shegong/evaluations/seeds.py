"""The two starting templates. Names are data (Chinese, as the bureaus write them); the migration loads them."""

STATION_OPERATION = {
    "name": "社工站运营评估（1000分）",
    "subject": "station",
    "description": "乡镇（街道）社工站运营评估指标体系，六个维度，满分1000分，自评与第三方评估相结合，按星级评定。",
    "dimensions": [
        (
            "基础建设",
            [
                ("场地面积与功能分区", 50, "独立或共享场地，面积达标，设接待、办公、活动、个案等功能区。"),
                ("标识标牌统一", 30, "统一挂牌，标识规范醒目。"),
                ("办公设备配置", 40, "电脑、打印、档案柜等设备齐全。"),
                ("信息化建设", 30, "使用管理信息系统，数据及时录入。"),
            ],
        ),
        (
            "制度建设",
            [
                ("管理制度健全", 40, "岗位职责、服务流程、督导、财务等制度齐全。"),
                ("制度上墙", 20, "主要制度上墙公示。"),
                ("档案管理规范", 40, "服务档案一人一档，归档及时。"),
            ],
        ),
        (
            "运营投入",
            [
                ("运营经费保障", 60, "运营经费纳入预算，按时足额到位。"),
                ("专职社工配备", 60, "驻站专职社工不少于2名，持证比例达标。"),
                ("督导与培训", 30, "定期督导，社工年度培训不少于规定学时。"),
            ],
        ),
        (
            "运营管理",
            [
                ("年度计划与总结", 50, "有年度服务计划、季度总结和年度报告。"),
                ("服务台账完整", 60, "走访、个案、小组、活动台账完整可查。"),
                ("信息系统使用", 40, "服务记录在系统中真实、及时。"),
                ("安全与应急管理", 50, "有安全预案、危机干预流程。"),
            ],
        ),
        (
            "服务提供",
            [
                ("困难群众服务", 70, "对低保、特困等困难群众开展走访和个案服务。"),
                ("老年人服务", 50, "开展生活照顾、精神慰藉等服务。"),
                ("儿童服务", 50, "开展困境儿童、留守儿童关爱保护服务。"),
                ("社区活动与志愿服务", 40, "组织社区活动，培育志愿者队伍。"),
                ("资源链接", 40, "链接慈善资源和社会力量。"),
            ],
        ),
        (
            "运营绩效",
            [
                ("服务对象满意度", 50, "满意度调查不低于90%。"),
                ("服务成效与典型案例", 50, "有可量化的成效和典型案例。"),
                ("社会影响与品牌", 50, "一站一品，媒体报道，获得表彰。"),
            ],
        ),
    ],
}

PROJECT_PERFORMANCE = {
    "name": "政府购买服务项目绩效评价（100分）",
    "subject": "project",
    "description": "政府购买社会工作服务项目绩效评价指标体系：决策、过程、产出、效益，满分100分。",
    "dimensions": [
        (
            "项目决策",
            [
                ("立项依据充分", 5, "需求调研充分，符合政策方向。"),
                ("目标设定明确", 5, "产出和效益目标清晰、可衡量。"),
                ("资金分配合理", 5, "预算编制科学，与目标匹配。"),
            ],
        ),
        (
            "项目过程",
            [
                ("资金到位与使用合规", 10, "按节点拨付，专款专用。"),
                ("组织实施规范", 10, "按合同和计划实施，督导到位。"),
                ("档案与台账", 5, "过程资料完整。"),
            ],
        ),
        (
            "项目产出",
            [
                ("产出数量", 15, "个案、小组、活动、服务人次等指标完成率。"),
                ("产出质量", 10, "服务规范，记录真实。"),
                ("产出时效", 10, "按期完成各节点任务。"),
            ],
        ),
        (
            "项目效益",
            [
                ("社会效益", 10, "服务对象问题改善，社区参与提升。"),
                ("服务对象满意度", 10, "满意度调查结果。"),
                ("可持续影响", 5, "机制、品牌或资源的可持续性。"),
            ],
        ),
    ],
}

TEMPLATES = [STATION_OPERATION, PROJECT_PERFORMANCE]


def load_templates(system_model, dimension_model, indicator_model) -> None:
    for template in TEMPLATES:
        if system_model.objects.filter(region__isnull=True, name=template["name"]).exists():
            continue
        system = system_model.objects.create(
            name=template["name"], subject=template["subject"], description=template["description"]
        )
        for d_pos, (d_name, indicators) in enumerate(template["dimensions"], start=1):
            dimension = dimension_model.objects.create(system=system, position=d_pos, name=d_name)
            for i_pos, (name, points, notes) in enumerate(indicators, start=1):
                indicator_model.objects.create(
                    dimension=dimension, position=i_pos, name=name, points=points, notes=notes
                )
