from shegong.casework.models import ServiceRecord
from shegong.lib.importer.tests.corpus import today_minus, xlsx


def test_smoke(world, run):
    p1, p2 = world["people"]
    rows = [
        ["服务日期", "身份证号码", "姓名", "村（社区）", "服务项目", "服务社工", "服务时长"],
        [today_minus(3), p1.id_number, "王秀英", "", world["item"].name, "张社工", "1.5小时"],
        [
            today_minus(2).strftime("%Y.%m.%d"),
            "",
            "李德明",
            world["villages"][1].name,
            world["item"].name,
            "张社工",
            "90分钟",
        ],
    ]
    job = run(
        world["county"], "casework.services", xlsx(rows, title_rows=[["黄草街道社工站2024年11月服务台账"]])
    )
    print(job.status, job.message, job.result)
    assert job.result["ok"], job.result
    job = run(
        world["county"],
        "casework.services",
        xlsx(rows, title_rows=[["黄草街道社工站2024年11月服务台账"]]),
        commit=True,
    )
    print(job.result)
    assert ServiceRecord.objects.filter(worker=world["worker"]).count() == 2
